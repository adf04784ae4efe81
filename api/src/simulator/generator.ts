/**
 * Seeded tenant generator: a Contoso-like sales org, customer accounts with contacts, and a
 * year of realistic mail and calendar traffic, in the fixture format of DESIGN.md §6.
 *
 * Besides mail and meetings it writes what real Microsoft 365 mailboxes hold, in Graph's own
 * shape (DESIGN.md §6, STYLE.md point 22): meeting messages for every invitation, response and
 * cancellation; Teams chat items in hidden folders and Conversation History; per-copy meeting
 * responses (organizer copies vs attendee copies, declined copies deleted or kept, cancelled
 * meetings gone from the organizer's calendar); a shared mailbox; org contacts in groups.
 * docs/tenant-realism.md gives each rate and why (`RATES` below).
 *
 * Scale: sellers are grouped into teams of five. Mail, meetings and chats are shared only
 * inside a team (plus distribution-list and shared-mailbox mail, which is precomputed and
 * bounded), so the generator holds one team's traffic at a time and streams each mailbox to
 * NDJSON. Memory stays flat from 10 to 2,500 mailboxes.
 */
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { hash32, mulberry32 } from './faults';
import type { FixtureContact, FixtureEvent, FixtureGroup, FixtureMailFolder, FixtureMessage, FixtureUser, MEETING_MESSAGE_TYPES, TenantFixture } from './fixture';
import * as W from './generator-names';

export interface GenerateOptions {
  /** Seller mailboxes (special users and staff come on top). @default 30 */
  mailboxes?: number;
  /** Customer accounts. @default 200 */
  accounts?: number;
  /** Days of history before `now`. @default 365 */
  days?: number;
  /** @default 1 */
  seed?: number;
  /** The generator's clock (ISO). Same seed and same `now` give identical output. @default start of today (UTC) */
  now?: string | Date;
  /** Messages a seller owns per 365 days, before teammates' and list copies. @default 3000 */
  messagesPerMailbox?: number;
  /** Single (non-recurring) meetings a seller organises or joins per 365 days. @default 160 */
  meetingsPerMailbox?: number;
  /** Meetings are generated this far past `now`. @default 90 */
  upcomingDays?: number;
  /**
   * The first seller's name and address instead of a generated one: the demo signs its user in
   * as this seller, so the owner column gives them accounts ("My accounts"). The random stream is
   * unchanged, so the rest of the tenant is the same. @default generated
   */
  firstSeller?: { name: string; address: string };
  /** Write the folder form here (streaming). Without it the fixture is returned in memory. */
  out?: string;
  /** Progress callback: mailboxes written so far, out of the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface CustomerContactRow {
  email: string;
  account_id: string;
  account_name: string;
  /** The seller who owns the account (their address): a seller of the team that works it. */
  owner: string;
}
export interface CustomerAccountRow {
  account_id: string;
  name: string;
  website: string;
  owner: string;
}

export type AccountTier = 'hot' | 'warm' | 'cool' | 'stale' | 'never';

export interface GeneratedSummary {
  tenantId: string;
  now: string;
  mailboxes: number;
  users: number;
  groups: number;
  accounts: number;
  contacts: number;
  messages: number;
  events: number;
  counts: {
    drafts: number;
    bccCopies: number;
    dlCopies: number;
    ccTeammateCopies: number;
    junk: number;
    junkSubfolder: number;
    deleted: number;
    newsletters: number;
    internalOnly: number;
    inboundCustomer: number;
    outboundCustomer: number;
    cancelled: number;
    allDay: number;
    occurrences: number;
    exceptions: number;
    declined: number;
    resourceAttendees: number;
    sharedMeetingCopies: number;
    upcoming: number;
    customerOrganised: number;
    freemailContacts: number;
    subdomainContacts: number;
    ambiguousDomains: number;
    /** Message copies with `@odata.type` `#microsoft.graph.eventMessageRequest` (incl. updates). */
    meetingRequests: number;
    /** Copies of `#microsoft.graph.eventMessageResponse` (accept, tentative, decline). */
    meetingResponses: number;
    /** Copies of `#microsoft.graph.eventMessage` (cancellations). */
    meetingCancellations: number;
    /** Teams chat item copies, wherever they sit. */
    chatItems: number;
    /** Chat copies in the hidden `TeamsMessagesData` folder. */
    chatHidden: number;
    /** Chat copies in Conversation History or its (hidden) `Team Chat` subfolder. */
    chatConversationHistory: number;
    /** Chat copies with a customer among the participants (external federated chats). */
    chatExternal: number;
    /** Calendar copies held by the meeting's organizer (`responseStatus` `organizer`). */
    organizerCopies: number;
    /** Calendar copies held by an attendee (every attendee status `none`). */
    attendeeCopies: number;
    /** Attendee copies kept after declining (`responseStatus` `declined`). */
    declinedKeptCopies: number;
    /** Meetings an internal attendee declined and deleted from their calendar. */
    declinedDeletedCopies: number;
    /** Customer attendees shown as declined on organizer copies. */
    customerDeclines: number;
    /** Message copies in the shared mailbox. */
    sharedMailboxMessages: number;
    orgContacts: number;
    /** Group memberships that name an org contact. */
    groupContactMembers: number;
  };
  tiers: Record<AccountTier, number>;
}

export interface GeneratedTenant {
  /** Present when no `out` folder was given. */
  fixture?: TenantFixture;
  /**
   * The `--org` entries to configure: the sales lists and the shared mailbox, named directly
   * (a disabled user reached through a group is dropped; named directly it is kept).
   */
  suggestedOrg: string[];
  /** Shared mailboxes (users with `accountEnabled: false` and real mail). */
  sharedMailboxes: string[];
  contacts: CustomerContactRow[];
  accounts: CustomerAccountRow[];
  summary: GeneratedSummary;
  /** Parameters and hints written to generated.json. */
  info: Record<string, unknown>;
}

// ---------------------------------------------------------------------------
// Small deterministic helpers
// ---------------------------------------------------------------------------

type Rng = () => number;
const DAY = 86_400_000;
const HOUR = 3_600_000;

function rngFor(seed: number, label: string): Rng {
  return mulberry32(hash32(label, hash32(`rapport-seed-${seed}`)));
}
const int = (r: Rng, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chance = (r: Rng, p: number): boolean => r() < p;

function hex(r: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(r() * 16).toString(16);
  return s;
}
function guid(r: Rng): string {
  return `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-${pick(r, ['8', '9', 'a', 'b'])}${hex(r, 3)}-${hex(r, 12)}`;
}
/** A stable id from its parts (md5 is plenty: ids, not security). */
function hashId(prefix: string, ...parts: string[]): string {
  return prefix + createHash('md5').update(parts.join('|')).digest('hex').slice(0, 24);
}
const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '');
const graphDate = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const eventDate = (ms: number): { dateTime: string; timeZone: string } => ({ dateTime: new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000'), timeZone: 'UTC' });
const rcpt = (address: string, name?: string): { emailAddress: { name: string; address: string } } => ({ emailAddress: { name: name ?? address.split('@')[0]!, address } });

/** A business-hours time on a weekday in [from, to). */
function workTime(r: Rng, from: number, to: number): number {
  for (let attempt = 0; attempt < 8; attempt++) {
    const day = Math.floor((from + r() * Math.max(1, to - from)) / DAY) * DAY;
    const wd = new Date(day).getUTCDay();
    if ((wd === 0 || wd === 6) && attempt < 7) continue;
    const t = day + int(r, 7, 17) * HOUR + int(r, 0, 59) * 60_000;
    if (t >= from && t < to) return t;
  }
  return from + Math.floor(r() * Math.max(1, to - from));
}

// ---------------------------------------------------------------------------
// Model
// ---------------------------------------------------------------------------

interface Person {
  name: string;
  address: string;
}
interface Seller extends Person {
  index: number;
  id: string;
  team: number;
}
interface Account {
  id: string;
  name: string;
  domain: string;
  website: string;
  tier: AccountTier;
  team: number;
  contacts: Person[];
  /** People at the account's domain who write but are not in the customer file. */
  unlisted: Person[];
  /** Latest activity for stale accounts (> 60 days before now). */
  activityEnd: number;
}

type FolderKey = 'inbox' | 'customers' | 'sent' | 'drafts' | 'deleted' | 'junk' | 'junkSub' | 'archive' | 'history' | 'teamChat' | 'teamsData';
type MeetingMessageType = (typeof MEETING_MESSAGE_TYPES)[number];

interface Holder {
  mailbox: number;
  folder: FolderKey;
  senderCopy: boolean;
}

interface LogicalMessage {
  internetMessageId: string;
  conversationId: string;
  conversationIndex: string;
  from: Person;
  to: Person[];
  cc: Person[];
  bcc: Person[];
  sent: number;
  isDraft: boolean;
  subject: string;
  holders: Holder[];
  /** Delivered through a distribution list. */
  viaList?: boolean;
  /** Graph's derived type of a meeting message (absent on mail and chat items). */
  odataType?: MeetingMessageType;
  /** Graph's `meetingMessageType` (sic: `meetingTenativelyAccepted` is Graph's spelling). */
  meetingMessageType?: string;
  /** Set when it differs from `from`: a seller sending on behalf of the shared mailbox. */
  sender?: Person;
  /** A Teams chat compliance item, not mail. */
  chat?: 'internal' | 'external';
}

/** What the organizer's copy shows for an attendee: their answer if they sent one, else `none`. */
type ShownResponse = 'accepted' | 'tentativelyAccepted' | 'declined' | 'none';
/** An attendee's own answer, which only their own copy's `responseStatus` shows. */
type OwnResponse = 'accepted' | 'tentativelyAccepted' | 'declined' | 'notResponded';

interface LogicalAttendee {
  person: Person;
  type: 'required' | 'optional' | 'resource';
  response: ShownResponse;
  /** Internal attendees only: their own answer (it may differ from `response` when not sent). */
  own?: OwnResponse;
  respondedAt?: number;
}

interface LogicalEvent {
  iCalUId: string;
  type: 'singleInstance' | 'occurrence' | 'exception';
  seriesKey?: string;
  isCancelled: boolean;
  isAllDay: boolean;
  organizer: Person;
  attendees: LogicalAttendee[];
  start: number;
  end: number;
  subject: string;
  /** Seller indexes whose calendars hold it. */
  holders: number[];
}

const TIER_WEIGHT: Record<AccountTier, number> = { hot: 10, warm: 4, cool: 1.2, stale: 2, never: 0 };
const TEAM_SIZE = 5;
/** The mailbox index of the shared mailbox in `Holder.mailbox` (sellers are 0..n-1). */
const SHARED = -1;

/**
 * Rates of what real mailboxes hold besides mail and meetings. docs/tenant-realism.md gives the
 * reason for each; keep the two in step.
 */
const RATES = {
  /** An internal invitee's own answer (the rest never answer: `notResponded`). */
  internalAnswer: { declined: 0.1, accepted: 0.62, tentativelyAccepted: 0.08 },
  /** Declining a team's own recurring review is rarer. */
  seriesDecline: 0.05,
  /** Share of accept/tentative answers sent to the organizer ("Send the response now"). */
  sendAnswer: 0.7,
  /** Share of declines sent to the organizer. */
  sendDecline: 0.9,
  /** Share of internal decliners whose calendar no longer holds the meeting. */
  declinerDeletesCopy: 0.5,
  /** Share of answered invitations Outlook moved to Deleted Items after the answer. */
  requestDeletedAfterAnswer: 0.6,
  /** Share of received responses the organizer deleted. */
  responseDeleted: 0.3,
  /** Internal chat threads a seller starts, per message of their yearly mail budget. */
  internalChatThreads: 0.025,
  /** External (federated) chat threads with customers, per message of the budget. */
  externalChatThreads: 0.004,
  /** Mean messages in a chat thread (geometric, capped at 20). */
  chatThreadMean: 5,
  /** Where a mailbox files a chat thread: TeamsMessagesData, else Team Chat, else Conversation History. */
  chatFolder: { teamsData: 0.8, teamChat: 0.12 },
  /** Shared mailbox traffic, as a share of one seller's yearly mail budget. */
  sharedMailbox: 0.5,
} as const;

/**
 * A mailbox's folders. Teams keeps 1:1 and group chat compliance items in hidden folders of each
 * participant's mailbox (TeamsMessagesData; older tenants a hidden `Team Chat` under Conversation
 * History), and `/users/{id}/messages` lists them with the mail: a Graph known issue.
 * https://learn.microsoft.com/graph/known-issues
 * https://learn.microsoft.com/purview/retention-policies-teams
 */
const FOLDERS: { key: FolderKey | 'root' | 'outbox' | 'syncissues' | 'conflicts' | 'hidden'; name: string; wk?: string; parent?: string; hidden?: boolean }[] = [
  { key: 'root', name: 'Top of Information Store', wk: 'msgfolderroot' },
  { key: 'inbox', name: 'Inbox', wk: 'inbox', parent: 'root' },
  { key: 'customers', name: 'Customers', parent: 'inbox' },
  { key: 'drafts', name: 'Drafts', wk: 'drafts', parent: 'root' },
  { key: 'sent', name: 'Sent Items', wk: 'sentitems', parent: 'root' },
  { key: 'deleted', name: 'Deleted Items', wk: 'deleteditems', parent: 'root' },
  { key: 'junk', name: 'Junk Email', wk: 'junkemail', parent: 'root' },
  { key: 'junkSub', name: 'Spam Review', parent: 'junk' },
  { key: 'outbox', name: 'Outbox', wk: 'outbox', parent: 'root' },
  { key: 'archive', name: 'Archive', wk: 'archive', parent: 'root' },
  { key: 'syncissues', name: 'Sync Issues', wk: 'syncissues', parent: 'root' },
  { key: 'conflicts', name: 'Conflicts', wk: 'conflicts', parent: 'syncissues' },
  { key: 'history', name: 'Conversation History', wk: 'conversationhistory', parent: 'root' },
  { key: 'teamChat', name: 'Team Chat', parent: 'history', hidden: true },
  { key: 'hidden', name: 'ExternalContacts', parent: 'root', hidden: true },
  { key: 'teamsData', name: 'TeamsMessagesData', parent: 'root', hidden: true },
];

function folderId(userId: string, key: string): string {
  return hashId('AAMkF', userId, key);
}

function mailFoldersFor(userId: string): FixtureMailFolder[] {
  return FOLDERS.map((f) => ({
    id: folderId(userId, f.key),
    displayName: f.name,
    ...(f.wk ? { wellKnownName: f.wk } : {}),
    parentFolderId: f.parent ? folderId(userId, f.parent) : null,
    ...(f.hidden ? { isHidden: true } : {}),
  }));
}

// ---------------------------------------------------------------------------
// Directory and customers
// ---------------------------------------------------------------------------

interface World {
  seed: number;
  now: number;
  windowStart: number;
  horizon: number;
  tenantId: string;
  domain: string;
  subsidiary: string;
  sellers: Seller[];
  staff: Person[];
  users: FixtureUser[];
  groups: FixtureGroup[];
  /** Org contacts, named in some groups' members. */
  contacts: FixtureContact[];
  /** The shared mailbox, as a pseudo-seller with index `SHARED` and no team. */
  shared: Seller;
  /** User ids with a mailbox folder but no generated traffic. */
  quietMailboxes: string[];
  accounts: Account[];
  teams: number;
  accountsByTeam: Account[][];
  /** Mail that crosses teams (distribution lists, the shared mailbox), per mailbox index. */
  crossTeam: Map<number, LogicalMessage[]>;
  noreply: Person;
  opts: Required<Pick<GenerateOptions, 'mailboxes' | 'accounts' | 'days' | 'seed' | 'messagesPerMailbox' | 'meetingsPerMailbox' | 'upcomingDays'>>;
}

function buildWorld(o: GenerateOptions): World {
  const opts = {
    mailboxes: o.mailboxes ?? 30,
    accounts: o.accounts ?? 200,
    days: o.days ?? 365,
    seed: o.seed ?? 1,
    messagesPerMailbox: o.messagesPerMailbox ?? 3000,
    meetingsPerMailbox: o.meetingsPerMailbox ?? 160,
    upcomingDays: o.upcomingDays ?? 90,
  };
  if (opts.mailboxes < 2) throw new RangeError('at least 2 mailboxes are needed');
  const now = o.now === undefined ? Math.floor(Date.now() / DAY) * DAY : new Date(o.now).getTime();
  if (Number.isNaN(now)) throw new RangeError(`now is not a date: ${String(o.now)}`);
  const r = rngFor(opts.seed, 'directory');
  const domain = 'contoso.com';
  const subsidiary = 'contoso-labs.com';
  const tenantId = guid(r);
  const used = new Set<string>();
  const personName = (rr: Rng): [string, string] => {
    for (;;) {
      const f = pick(rr, W.FIRST_NAMES);
      const l = pick(rr, W.LAST_NAMES);
      const key = `${f}.${l}`.toLowerCase();
      if (!used.has(key) || used.size > W.FIRST_NAMES.length * W.LAST_NAMES.length * 0.8) {
        const n = used.has(key) ? `${key}${used.size}` : key;
        used.add(n);
        return [`${f} ${l}`, n];
      }
    }
  };
  const users: FixtureUser[] = [];
  const sellers: Seller[] = [];
  for (let i = 0; i < opts.mailboxes; i++) {
    const generated = personName(r);
    const [name, address] = i === 0 && o.firstSeller ? [o.firstSeller.name, o.firstSeller.address] : [generated[0], `${generated[1]}@${i % 10 === 7 ? subsidiary : domain}`];
    const s: Seller = { index: i, id: guid(r), name, address, team: Math.floor(i / TEAM_SIZE) };
    sellers.push(s);
    users.push({ id: s.id, displayName: name, mail: address, userPrincipalName: address, accountEnabled: true, jobTitle: 'Account Executive', department: 'Sales' });
  }
  const teams = Math.ceil(opts.mailboxes / TEAM_SIZE);
  const staff: Person[] = Array.from({ length: 8 }, () => {
    const [name, local] = personName(r);
    return { name, address: `${local}@${domain}` };
  });
  const staffUsers = staff.map((p) => ({ id: guid(r), displayName: p.name, mail: p.address, userPrincipalName: p.address, accountEnabled: true, department: 'Operations' }));
  const disabled = { id: guid(r), displayName: 'Former Seller', mail: `former.seller@${domain}`, userPrincipalName: `former.seller@${domain}`, accountEnabled: false, department: 'Sales' };
  const noMail = { id: guid(r), displayName: 'Sales Sync Service', mail: null, userPrincipalName: `svc-salessync@contoso.onmicrosoft.com`, accountEnabled: true };
  const noreplyUser = { id: guid(r), displayName: 'Contoso No-Reply', mail: `noreply@${domain}`, userPrincipalName: `noreply@${domain}`, accountEnabled: false };
  users.push(...staffUsers, disabled, noMail, noreplyUser);
  // Drawn from their own stream so that adding them left every other id as it was.
  const xr = rngFor(opts.seed, 'directory-realism');
  // A shared mailbox is a user whose sign-in is disabled by design: that is how Exchange Online
  // shows one in the directory. https://learn.microsoft.com/microsoft-365/admin/email/about-shared-mailboxes
  const sharedAddress = `sales-team@${domain}`;
  const sharedUser: FixtureUser = { id: guid(xr), displayName: 'Sales Team', mail: sharedAddress, userPrincipalName: sharedAddress, accountEnabled: false, department: 'Sales' };
  users.push(sharedUser);
  const contacts: FixtureContact[] = W.PARTNER_CONTACTS.map(([displayName, mail]) => ({ id: guid(xr), displayName, mail }));

  const ids = (xs: { id: string }[]): string[] => xs.map((x) => x.id);
  const us = sellers.filter((s) => s.team % 2 === 0);
  const eu = sellers.filter((s) => s.team % 2 === 1);
  const g = (displayName: string, mail: string | null, members: string[], extra: Partial<FixtureGroup> = {}): FixtureGroup => ({
    id: guid(r),
    displayName,
    mail,
    mailEnabled: mail !== null,
    securityEnabled: mail === null,
    groupTypes: [],
    ...(mail ? { proxyAddresses: [`SMTP:${mail}`] } : {}),
    members,
    ...extra,
  });
  const usSales = g('US Sales', `ussales@${domain}`, ids(us));
  const euSales = g('EU Sales', `eusales@${domain}`, [...ids(eu), disabled.id]);
  // A shared mailbox on a list is real (it gets the list's mail) and is dropped when reached
  // through the list; org contacts on lists are not users and are skipped.
  usSales.members.push(contacts[0]!.id);
  euSales.members.push(contacts[1]!.id);
  const allSales = g('All Sales', `allsales@${domain}`, [usSales.id, euSales.id, noMail.id, noreplyUser.id, sharedUser.id, contacts[2]!.id], {
    proxyAddresses: [`SMTP:allsales@${domain}`, `smtp:sales@${domain}`],
  });
  const leadership = g('Sales Leadership', `salesleadership@${domain}`, ids(sellers.slice(0, 2)));
  const ops = g('Sales Ops', `salesops@${domain}`, [...ids(sellers.slice(2, 4)), leadership.id, staffUsers[0]!.id]);
  leadership.members.push(ops.id); // a membership cycle, as real tenants have
  const enterprise = g('Enterprise Accounts', null, ids(sellers.filter((_, i) => i % 3 === 0)));
  const groups = [usSales, euSales, allSales, leadership, ops, enterprise];

  // Customers
  const ar = rngFor(opts.seed, 'accounts');
  const accounts: Account[] = [];
  const usedNames = new Set<string>();
  const tierOf = (k: number): AccountTier => {
    const x = hash32(`tier-${k}`, opts.seed) % 100;
    return x < 15 ? 'hot' : x < 45 ? 'warm' : x < 65 ? 'cool' : x < 85 ? 'stale' : 'never';
  };
  for (let k = 0; k < opts.accounts; k++) {
    let name = '';
    for (let tries = 0; ; tries++) {
      name = `${pick(ar, W.COMPANY_STEMS)} ${pick(ar, W.COMPANY_SUFFIXES)}`;
      if (tries > 20) name = `${name} ${k + 1}`;
      if (!usedNames.has(name)) break;
    }
    usedNames.add(name);
    let domainName = `${slug(name.split(' ').slice(0, -1).join(' ') || name)}${k}.${pick(ar, W.TLDS)}`;
    // A couple of domains are claimed by two accounts (subsidiaries sharing a mail domain): ambiguous.
    const sharedWith = (k % 50 === 3 || k % 50 === 17) && k > 0 ? accounts[k - 1] : undefined;
    if (sharedWith) {
      domainName = sharedWith.domain;
      name = `${sharedWith.name.split(' ')[0]} ${k % 2 ? 'Manufacturing' : 'Retail'} ${k}`;
    }
    const tier = tierOf(k);
    const acc: Account = {
      id: `ACC-${String(k + 1).padStart(5, '0')}`,
      name,
      domain: domainName,
      website: chance(ar, 0.9) ? `https://www.${domainName}/` : '',
      tier,
      team: k % Math.max(1, teams),
      contacts: [],
      unlisted: [],
      activityEnd: tier === 'stale' ? Math.max(now - opts.days * DAY + 14 * DAY, now - (61 + int(ar, 0, 120)) * DAY) : now,
    };
    const n = int(ar, 1, 8);
    const localUsed = new Set<string>();
    for (let c = 0; c < n; c++) {
      const f = pick(ar, W.FIRST_NAMES);
      const l = pick(ar, W.LAST_NAMES);
      let local = `${f}.${l}`.toLowerCase();
      if (localUsed.has(local)) local = `${local}${c}`;
      localUsed.add(local);
      let d = domainName;
      if (c === 1 && k % 7 === 2) d = `${pick(ar, W.SUBDOMAIN_PREFIXES)}.${domainName}`;
      if (c === n - 1 && n > 1 && k % 9 === 4) d = pick(ar, W.FREEMAIL_DOMAINS);
      acc.contacts.push({ name: `${f} ${l}`, address: `${local}@${d}` });
    }
    if (k % 4 === 0) {
      const f = pick(ar, W.FIRST_NAMES);
      acc.unlisted.push({ name: `${f} (${name})`, address: `${f.toLowerCase()}.${k}@${k % 8 === 0 ? `eu.${domainName}` : domainName}` });
    }
    accounts.push(acc);
  }
  const accountsByTeam: Account[][] = Array.from({ length: teams }, () => []);
  for (const a of accounts) accountsByTeam[a.team]!.push(a);

  const world: World = {
    seed: opts.seed,
    now,
    windowStart: now - opts.days * DAY,
    horizon: now + opts.upcomingDays * DAY,
    tenantId,
    domain,
    subsidiary,
    sellers,
    staff,
    users,
    groups,
    contacts,
    shared: { index: SHARED, id: sharedUser.id, name: sharedUser.displayName!, address: sharedAddress, team: -1 },
    quietMailboxes: [...staffUsers.map((u) => u.id), disabled.id, noreplyUser.id],
    accounts,
    teams,
    accountsByTeam,
    crossTeam: new Map(),
    noreply: { name: 'Contoso No-Reply', address: noreplyUser.mail },
    opts,
  };
  buildDistributionListMail(world, [
    { group: usSales, members: us },
    { group: euSales, members: eu },
    { group: allSales, members: [...sellers, world.shared] },
  ]);
  buildSharedMailboxMail(world);
  return world;
}

function addCrossTeam(w: World, m: LogicalMessage): void {
  for (const h of m.holders) {
    const list = w.crossTeam.get(h.mailbox) ?? [];
    list.push(m);
    w.crossTeam.set(h.mailbox, list);
  }
}

function buildDistributionListMail(w: World, lists: { group: FixtureGroup; members: Seller[] }[]): void {
  const r = rngFor(w.seed, 'distribution-lists');
  const perList = Math.max(2, Math.round((w.opts.messagesPerMailbox * 0.03 * w.opts.days) / 365));
  const active = w.accounts.filter((a) => a.tier !== 'never');
  for (const { group, members } of lists) {
    if (members.length === 0) continue;
    const dl: Person = { name: group.displayName, address: group.mail! };
    for (let i = 0; i < perList; i++) {
      const customer = active.length > 0 && chance(r, 0.35) ? pick(r, active) : undefined;
      const end = customer ? customer.activityEnd : w.now;
      const sent = workTime(r, w.windowStart, end);
      const from = customer ? pick(r, customer.contacts) : pick(r, w.staff);
      const imid = `<dl-${hashId('', String(w.seed), group.id, String(i))}@${from.address.split('@')[1]}>`;
      const msg: LogicalMessage = {
        internetMessageId: imid,
        conversationId: hashId('AAQkC', imid),
        conversationIndex: Buffer.from(hashId('', imid, 'ci')).toString('base64'),
        from,
        to: [dl],
        cc: [],
        bcc: [],
        sent,
        isDraft: false,
        subject: customer ? `RFP from ${customer.name}` : `[${group.displayName}] ${pick(r, W.SUBJECTS_INTERNAL)}`,
        holders: members.map((m) => ({ mailbox: m.index, folder: chance(r, 0.05) ? 'deleted' : 'inbox', senderCopy: false })),
        viaList: true,
      };
      addCrossTeam(w, msg);
    }
  }
}

/**
 * The shared mailbox `sales-team@`: customers write to it, sellers answer with it in Cc or on
 * its behalf (a copy then lands in its Sent Items too), teammates drop notes in it. Bounded by
 * its own budget, whatever the tenant's size; the sellers' copies go to their mailboxes.
 */
function buildSharedMailboxMail(w: World): void {
  const r = rngFor(w.seed, 'shared-mailbox');
  const shared = w.shared;
  const budget = Math.round((w.opts.messagesPerMailbox * RATES.sharedMailbox * w.opts.days) / 365);
  const active = w.accounts.filter((a) => a.tier !== 'never');
  let seq = 0;
  let made = 0;
  const add = (m: Omit<LogicalMessage, 'internetMessageId' | 'conversationId' | 'conversationIndex' | 'cc' | 'bcc' | 'isDraft'> & { cc?: Person[] }, conv?: { id: string; index: string; depth: number }): LogicalMessage => {
    const imid = `<sm-${hashId('', String(w.seed), String(seq++))}@${m.from.address.split('@')[1]}>`;
    const msg: LogicalMessage = {
      ...m,
      internetMessageId: imid,
      conversationId: conv?.id ?? hashId('AAQkC', imid),
      conversationIndex: conv ? conv.index + 'A'.repeat(Math.min(conv.depth, 6) * 7) : Buffer.from(hashId('', imid, 'ci')).toString('base64'),
      cc: m.cc ?? [],
      bcc: [],
      isDraft: false,
    };
    addCrossTeam(w, msg);
    made++;
    return msg;
  };
  const inbox = (mailbox: number, folder: FolderKey = 'inbox'): Holder => ({ mailbox, folder: chance(r, 0.04) ? 'deleted' : folder, senderCopy: false });
  for (let attempts = 0; made < budget * 0.9 && active.length > 0 && attempts < budget * 4; attempts++) {
    const acc = pickAccount(r, active)!;
    const team = w.sellers.slice(acc.team * TEAM_SIZE, (acc.team + 1) * TEAM_SIZE);
    const seller = pick(r, team);
    const contact = pick(r, acc.contacts);
    let t = workTime(r, w.windowStart, acc.activityEnd);
    const subject = `${pick(r, W.SUBJECTS_SHARED)} – ${acc.name}`;
    // Most threads start with the customer writing to the team address.
    const first = chance(r, 0.75)
      ? add({ from: contact, to: [shared], sent: t, subject, holders: [inbox(SHARED)] })
      : add({ from: seller, to: [contact], cc: [shared], sent: t, subject, holders: [{ mailbox: seller.index, folder: 'sent', senderCopy: true }, inbox(SHARED)] });
    const conv = { id: first.conversationId, index: first.conversationIndex, depth: 0 };
    let fromCustomer = first.from !== contact;
    const n = int(r, 0, 3);
    for (let k = 1; k <= n; k++) {
      t += Math.round((0.5 + -Math.log(1 - r()) * 12) * HOUR);
      if (t >= acc.activityEnd || t >= w.now) break;
      const c = { ...conv, depth: k };
      if (fromCustomer) {
        add({ from: contact, to: [seller], cc: [shared], sent: t, subject: `RE: ${subject}`, holders: [inbox(seller.index, chance(r, 0.3) ? 'customers' : 'inbox'), inbox(SHARED)] }, c);
      } else if (chance(r, 0.3)) {
        // Sent on behalf of the shared mailbox: `from` is the team address, `sender` the seller;
        // both Sent Items keep a copy (MessageCopyForSendOnBehalfEnabled).
        add({ from: shared, sender: seller, to: [contact], sent: t, subject: `RE: ${subject}`, holders: [{ mailbox: SHARED, folder: 'sent', senderCopy: true }, { mailbox: seller.index, folder: 'sent', senderCopy: true }] }, c);
      } else {
        add({ from: seller, to: [contact], cc: [shared], sent: t, subject: `RE: ${subject}`, holders: [{ mailbox: seller.index, folder: 'sent', senderCopy: true }, inbox(SHARED)] }, c);
      }
      fromCustomer = !fromCustomer;
    }
  }
  // Internal notes to the team address (~10%).
  for (let i = 0; i < Math.round(budget * 0.1) && w.sellers.length > 0; i++) {
    const from = pick(r, w.sellers);
    add({ from, to: [shared], sent: workTime(r, w.windowStart, w.now), subject: pick(r, W.SUBJECTS_INTERNAL), holders: [{ mailbox: from.index, folder: 'sent', senderCopy: true }, inbox(SHARED)] });
  }
}

// ---------------------------------------------------------------------------
// Traffic of one team
// ---------------------------------------------------------------------------

function pickAccount(r: Rng, accounts: Account[]): Account | undefined {
  const total = accounts.reduce((s, a) => s + TIER_WEIGHT[a.tier], 0);
  if (total === 0) return undefined;
  let x = r() * total;
  for (const a of accounts) {
    x -= TIER_WEIGHT[a.tier];
    if (x < 0) return a;
  }
  return accounts[accounts.length - 1];
}

function teamMessages(w: World, team: Seller[], owner: Seller): LogicalMessage[] {
  const r = rngFor(w.seed, `mail-${owner.index}`);
  const out: LogicalMessage[] = [];
  const budget = Math.round((w.opts.messagesPerMailbox * w.opts.days) / 365);
  const mates = team.filter((s) => s !== owner);
  const accounts = w.accountsByTeam[owner.team] ?? [];
  const bySellerAddress = new Map(team.map((s) => [s.address, s]));
  let seq = 0;
  const newImid = (from: Person): string => `<${hashId('', String(w.seed), String(owner.index), String(seq++))}@${from.address.split('@')[1]}>`;
  const holdersFor = (m: Omit<LogicalMessage, 'holders'>, receivedFolder: () => FolderKey): Holder[] => {
    const hs: Holder[] = [];
    const seen = new Set<number>();
    const sender = bySellerAddress.get(m.from.address);
    if (sender) {
      hs.push({ mailbox: sender.index, folder: m.isDraft ? 'drafts' : 'sent', senderCopy: true });
      seen.add(sender.index);
    }
    if (m.isDraft) return hs;
    for (const p of [...m.to, ...m.cc, ...m.bcc]) {
      const s = bySellerAddress.get(p.address);
      if (s && !seen.has(s.index)) {
        seen.add(s.index);
        hs.push({ mailbox: s.index, folder: receivedFolder(), senderCopy: false });
      }
    }
    return hs;
  };
  const push = (m: Omit<LogicalMessage, 'holders'>, receivedFolder: () => FolderKey = () => (chance(r, 0.06) ? 'deleted' : 'inbox')): void => {
    out.push({ ...m, holders: holdersFor(m, receivedFolder) });
  };
  const base = (from: Person, sent: number, subject: string, conv?: { id: string; index: string; depth: number }): Omit<LogicalMessage, 'holders' | 'to'> => {
    const imid = newImid(from);
    return {
      internetMessageId: imid,
      conversationId: conv?.id ?? hashId('AAQkC', imid),
      conversationIndex: conv ? conv.index + 'A'.repeat(Math.min(conv.depth, 6) * 7) : Buffer.from(hashId('', imid, 'ci')).toString('base64'),
      from,
      cc: [],
      bcc: [],
      sent,
      isDraft: false,
      subject,
    };
  };

  // Customer threads (~45% of the budget).
  let customerMessages = 0;
  for (let attempts = 0; customerMessages < budget * 0.45 && accounts.length > 0 && attempts < budget * 4; attempts++) {
    const acc = pickAccount(r, accounts);
    if (!acc) break;
    const people = [...acc.contacts, ...acc.unlisted];
    const contacts = [pick(r, people)];
    if (people.length > 1 && chance(r, 0.3)) contacts.push(pick(r, people.filter((p) => p !== contacts[0])));
    const mate = mates.length > 0 && chance(r, 0.3) ? pick(r, mates) : undefined;
    const bccPerson = chance(r, 0.08) ? (mates.length > 0 && chance(r, 0.5) ? pick(r, mates) : pick(r, people)) : undefined;
    let t = workTime(r, w.windowStart, acc.activityEnd);
    const subject = `${pick(r, W.SUBJECTS_CUSTOMER)} – ${acc.name}`;
    const first = base(chance(r, 0.6) ? owner : contacts[0]!, t, subject);
    const conv = { id: first.conversationId, index: first.conversationIndex, depth: 0 };
    const n = 1 + Math.min(5, Math.floor(-Math.log(1 - r()) * 1.6));
    let fromInternal = first.from === owner;
    for (let k = 0; k < n && t < acc.activityEnd; k++) {
      const m = k === 0 ? first : base(fromInternal ? (mate && chance(r, 0.2) ? mate : owner) : pick(r, contacts), t, `RE: ${subject}`, { ...conv, depth: k });
      const internalSide: Person[] = [owner];
      if (fromInternal) {
        m.cc = mate && m.from !== mate ? [mate] : mate ? [owner] : [];
        if (k === 0 && bccPerson && bccPerson !== mate) m.bcc = [bccPerson];
        if (contacts.length > 1 && chance(r, 0.3)) m.cc.push(contacts[1]!);
        push({ ...m, to: [contacts[0]!] }, () =>
          chance(r, 0.25) ? 'customers' : chance(r, 0.05) ? 'deleted' : 'inbox',
        );
      } else {
        if (mate) internalSide.push(mate);
        m.cc = contacts.length > 1 ? [contacts[1]!] : [];
        if (mate && chance(r, 0.6)) m.cc.push(mate);
        push({ ...m, to: [owner] }, () => (chance(r, 0.3) ? 'customers' : chance(r, 0.06) ? 'deleted' : 'inbox'));
      }
      customerMessages++;
      fromInternal = !fromInternal;
      t += Math.round((0.5 + -Math.log(1 - r()) * 20) * HOUR);
    }
  }

  // Drafts (~1%): the owner's unsent mail to customers.
  for (let i = 0; i < Math.max(1, Math.round(budget * 0.01)) && accounts.length > 0; i++) {
    const acc = pick(r, accounts);
    const m = base(owner, workTime(r, w.windowStart, w.now), `Draft: ${pick(r, W.SUBJECTS_CUSTOMER)}`);
    push({ ...m, isDraft: true, to: [pick(r, acc.contacts)] });
  }

  // Internal-only noise (~22%).
  const others = [...mates, ...w.staff];
  for (let i = 0; i < Math.round(budget * 0.22); i++) {
    const t = workTime(r, w.windowStart, w.now);
    const subject = pick(r, W.SUBJECTS_INTERNAL);
    if (chance(r, 0.5)) {
      const m = base(owner, t, subject);
      push({ ...m, to: [pick(r, others)], cc: chance(r, 0.3) ? [pick(r, others)] : [] });
    } else {
      const m = base(pick(r, w.staff), t, subject);
      push({ ...m, to: [owner], cc: mates.length > 0 && chance(r, 0.3) ? [pick(r, mates)] : [] });
    }
  }

  // Newsletters and notifications from automated senders (~12%), some from customer domains.
  for (let i = 0; i < Math.round(budget * 0.12); i++) {
    const acc = accounts.length > 0 && chance(r, 0.15) ? pick(r, accounts) : undefined;
    const from = acc ? { name: `${acc.name} News`, address: `noreply@${acc.domain}` } : chance(r, 0.15) ? w.noreply : { name: 'Newsletter', address: pick(r, W.NEWSLETTER_SENDERS) };
    const m = base(from, workTime(r, w.windowStart, w.now), 'Your weekly digest');
    push({ ...m, to: [owner] }, () => (chance(r, 0.2) ? 'deleted' : 'inbox'));
  }

  // Unmatched external correspondents (~5%), with the odd reply.
  for (let i = 0; i < Math.round(budget * 0.05); i++) {
    const d = pick(r, W.UNMATCHED_DOMAINS);
    const from = { name: `${pick(r, W.FIRST_NAMES)} at ${d}`, address: `${pick(r, W.FIRST_NAMES).toLowerCase()}@${d}` };
    const t = workTime(r, w.windowStart, w.now);
    const m = base(from, t, 'Partnership opportunity');
    push({ ...m, to: [owner] });
    if (chance(r, 0.2)) push({ ...base(owner, t + 3 * HOUR, 'RE: Partnership opportunity', { id: m.conversationId, index: m.conversationIndex, depth: 1 }), to: [from] });
  }

  // Junk (~4%): spam, plus the odd customer message caught as junk; half in a Junk subfolder.
  for (let i = 0; i < Math.round(budget * 0.04); i++) {
    const acc = accounts.length > 0 && chance(r, 0.15) ? pick(r, accounts) : undefined;
    const from = acc ? pick(r, acc.contacts) : { name: 'Winner', address: `promo${i}@${pick(r, W.SPAM_DOMAINS)}` };
    const m = base(from, workTime(r, w.windowStart, w.now), 'You have won!');
    push({ ...m, to: [owner] }, () => (chance(r, 0.5) ? 'junkSub' : 'junk'));
  }
  return out;
}

/** Graph's derived message types for meeting mail. https://learn.microsoft.com/graph/api/resources/eventmessage */
const REQUEST: MeetingMessageType = '#microsoft.graph.eventMessageRequest';
const RESPONSE: MeetingMessageType = '#microsoft.graph.eventMessageResponse';
const CANCELLATION: MeetingMessageType = '#microsoft.graph.eventMessage';
const RESPONSE_MESSAGE: Record<Exclude<ShownResponse, 'none'>, { meetingMessageType: string; prefix: string }> = {
  accepted: { meetingMessageType: 'meetingAccepted', prefix: 'Accepted' },
  tentativelyAccepted: { meetingMessageType: 'meetingTenativelyAccepted', prefix: 'Tentative' },
  declined: { meetingMessageType: 'meetingDeclined', prefix: 'Declined' },
};

interface Conversation {
  id: string;
  index: string;
  depth: number;
}

function teamEvents(w: World, team: Seller[], owner: Seller): { events: LogicalEvent[]; mail: LogicalMessage[] } {
  const r = rngFor(w.seed, `calendar-${owner.index}`);
  // Answers and meeting messages draw from their own stream: the calendar's slots and attendees
  // stay what they were without them.
  const rx = rngFor(w.seed, `meeting-mail-${owner.index}`);
  const out: LogicalEvent[] = [];
  const mail: LogicalMessage[] = [];
  const mates = team.filter((s) => s !== owner);
  const sellerAt = new Map(team.map((s) => [s.address, s]));
  const accounts = w.accountsByTeam[owner.team] ?? [];
  const perYear = (n: number): number => Math.round((n * w.opts.days) / 365);
  const n = w.opts.meetingsPerMailbox;
  const room = (): Person => {
    const name = pick(r, W.ROOMS);
    return { name: `Conf Room ${name}`, address: `room-${name.toLowerCase()}@${w.domain}` };
  };
  let seq = 0;
  const uid = (): string => `040000008200E00074C5B7101A82E008${hashId('', String(w.seed), 'ev', String(owner.index), String(seq++)).toUpperCase()}`;
  const slot = (from: number, to: number): [number, number] => {
    const s = Math.floor(workTime(r, from, to) / (15 * 60_000)) * 15 * 60_000;
    return [s, s + pick(r, [30, 30, 45, 60, 60, 90]) * 60_000];
  };
  const customerAttendees = (acc: Account): LogicalAttendee[] => {
    const people = [...acc.contacts, ...acc.unlisted];
    const k = int(r, 1, Math.min(3, people.length));
    const chosen = [...people].sort(() => r() - 0.5).slice(0, k);
    // A customer's answer is known only when they send it: `none` is "no response received".
    return chosen.map((p) => ({ person: p, type: chance(r, 0.8) ? 'required' : 'optional', response: chance(r, 0.12) ? 'declined' : pick(r, ['accepted', 'accepted', 'tentativelyAccepted', 'none'] as const) }));
  };
  /** An internal invitee's own answer, and what the organizer's copy shows of it. */
  const answer = (declined: boolean): Pick<LogicalAttendee, 'own' | 'response'> => {
    let own: OwnResponse = 'declined';
    if (!declined) {
      const { accepted, tentativelyAccepted, declined: d } = RATES.internalAnswer;
      const x = rx() * (1 - d);
      own = x < accepted ? 'accepted' : x < accepted + tentativelyAccepted ? 'tentativelyAccepted' : 'notResponded';
    }
    // Accepting without sending a response leaves the organizer's copy at `none`.
    if (own === 'notResponded') return { own, response: 'none' };
    const sent = chance(rx, own === 'declined' ? RATES.sendDecline : RATES.sendAnswer);
    return { own, response: sent ? own : 'none' };
  };
  /** A decliner's calendar keeps the declined meeting only some of the time. */
  const keepsCopy = (a: LogicalAttendee): boolean => a.own !== 'declined' || !chance(rx, RATES.declinerDeletesCopy);
  const addMate = (ev: LogicalEvent, p: number): void => {
    if (mates.length === 0 || !chance(r, p)) return;
    const mate: LogicalAttendee = { person: pick(r, mates), type: 'required', response: 'none' };
    Object.assign(mate, answer(chance(r, RATES.internalAnswer.declined)));
    ev.attendees.push(mate);
    if (keepsCopy(mate)) ev.holders.push(sellerAt.get(mate.person.address)!.index);
  };

  // --- Meeting messages: what each invitation, answer and cancellation leaves in mailboxes. ---
  let mseq = 0;
  /** A business-hours time in [from, to), both clipped to before now. */
  const before = (from: number, to: number): number => {
    const hi = Math.min(to, w.now) - 60_000;
    return workTime(rx, Math.min(from, hi - HOUR), hi);
  };
  /** When the invitation went out: days (sometimes weeks) before the meeting, and before now. */
  const createdFor = (start: number): number => before(Math.min(start, w.now) - (0.5 + -Math.log(1 - rx()) * 6) * DAY, start);
  const meetingMessage = (
    odataType: MeetingMessageType,
    meetingMessageType: string,
    from: Person,
    recipients: { to: Person[]; cc: Person[]; bcc: Person[] },
    sent: number,
    subject: string,
    conv: Conversation | undefined,
    holders: Holder[],
  ): Conversation => {
    const imid = `<mm-${hashId('', String(w.seed), String(owner.index), String(mseq++))}@${from.address.split('@')[1]}>`;
    const m: LogicalMessage = {
      internetMessageId: imid,
      conversationId: conv?.id ?? hashId('AAQkC', imid),
      conversationIndex: conv ? conv.index + 'A'.repeat(Math.min(conv.depth, 6) * 7) : Buffer.from(hashId('', imid, 'ci')).toString('base64'),
      from,
      ...recipients,
      sent,
      isDraft: false,
      subject,
      holders,
      odataType,
      meetingMessageType,
    };
    if (holders.length > 0) mail.push(m);
    return { id: m.conversationId, index: m.conversationIndex, depth: 0 };
  };
  /** Required attendees in To, optional in Cc, rooms in Bcc (as Outlook sends to resources). */
  const recipientsOf = (ev: Pick<LogicalEvent, 'attendees'>): { to: Person[]; cc: Person[]; bcc: Person[] } => ({
    to: ev.attendees.filter((a) => a.type === 'required').map((a) => a.person),
    cc: ev.attendees.filter((a) => a.type === 'optional').map((a) => a.person),
    bcc: ev.attendees.filter((a) => a.type === 'resource').map((a) => a.person),
  });
  /** The organizer's Sent Items copy (when the organizer is one of ours) and each internal invitee's copy. */
  const delivered = (ev: Pick<LogicalEvent, 'organizer' | 'attendees'>, invitee: (a: LogicalAttendee) => FolderKey): Holder[] => {
    const org = sellerAt.get(ev.organizer.address);
    const hs: Holder[] = org ? [{ mailbox: org.index, folder: 'sent', senderCopy: true }] : [];
    for (const a of ev.attendees) {
      const s = sellerAt.get(a.person.address);
      if (s && s !== org && a.type !== 'resource') hs.push({ mailbox: s.index, folder: invitee(a), senderCopy: false });
    }
    return hs;
  };
  /** The invitation and the answers to it; returns the meeting's conversation. */
  const announce = (ev: Pick<LogicalEvent, 'organizer' | 'attendees' | 'start' | 'subject'>, created: number): Conversation => {
    // Outlook moves an answered invitation to Deleted Items by default.
    const conv = meetingMessage(REQUEST, 'meetingRequest', ev.organizer, recipientsOf(ev), created, ev.subject, undefined, delivered(ev, (a) => (a.own && a.own !== 'notResponded' && chance(rx, RATES.requestDeletedAfterAnswer) ? 'deleted' : 'inbox')));
    const until = Math.min(ev.start, w.now);
    const org = sellerAt.get(ev.organizer.address);
    for (const a of ev.attendees) {
      const answered = a.own ? a.own !== 'notResponded' : a.response !== 'none';
      if (!answered) continue;
      // Rooms answer at once (the resource booking assistant); people within hours, before the meeting.
      const delay = a.type === 'resource' ? 60_000 : 60_000 + -Math.log(1 - rx()) * 4 * HOUR;
      a.respondedAt = created + Math.min(delay, 0.9 * (until - created));
      if (a.response === 'none') continue; // answered without sending a response
      const responder = sellerAt.get(a.person.address);
      const holders: Holder[] = [];
      if (org) holders.push({ mailbox: org.index, folder: chance(rx, RATES.responseDeleted) ? 'deleted' : 'inbox', senderCopy: false });
      if (responder) holders.push({ mailbox: responder.index, folder: 'sent', senderCopy: true });
      const kind = RESPONSE_MESSAGE[a.response];
      meetingMessage(RESPONSE, kind.meetingMessageType, a.person, { to: [ev.organizer], cc: [], bcc: [] }, a.respondedAt, `${kind.prefix}: ${ev.subject}`, { ...conv, depth: 1 }, holders);
    }
    return conv;
  };
  const cancel = (ev: Pick<LogicalEvent, 'organizer' | 'attendees' | 'subject'>, at: number, conv: Conversation): void => {
    meetingMessage(CANCELLATION, 'meetingCancelled', ev.organizer, recipientsOf(ev), at, `Canceled: ${ev.subject}`, { ...conv, depth: 2 }, delivered(ev, () => 'inbox'));
  };
  /** A single meeting's messages: invitation, answers, and the cancellation when cancelled. */
  const single = (ev: LogicalEvent): void => {
    if (ev.attendees.length === 0) return; // time off: no invitation
    const created = createdFor(ev.start);
    const conv = announce(ev, created);
    if (ev.isCancelled) cancel(ev, created + (Math.min(ev.start, w.now) - created) * (0.3 + 0.7 * rx()), conv);
  };

  // Customer meetings organised by the seller, past and upcoming.
  for (let i = 0; i < perYear(n * 0.45); i++) {
    const acc = pickAccount(r, accounts);
    if (!acc) break;
    const upcoming = acc.tier !== 'stale' && chance(r, 0.15);
    const [s, e] = upcoming ? slot(w.now, w.horizon) : slot(w.windowStart, acc.activityEnd);
    const ev: LogicalEvent = { iCalUId: uid(), type: 'singleInstance', isCancelled: chance(r, 0.04), isAllDay: false, organizer: owner, attendees: customerAttendees(acc), start: s, end: e, subject: `${acc.name} sync`, holders: [owner.index] };
    addMate(ev, 0.35);
    if (chance(r, 0.3)) ev.attendees.push({ person: room(), type: 'resource', response: 'accepted' });
    out.push(ev);
    single(ev);
  }
  // Some stale accounts have a meeting coming up (it suppresses "stale" by default).
  for (const acc of accounts.filter((a, i) => a.tier === 'stale' && i % 5 === 0 && owner === team[0])) {
    const [s, e] = slot(w.now + DAY, w.horizon);
    const ev: LogicalEvent = { iCalUId: uid(), type: 'singleInstance', isCancelled: false, isAllDay: false, organizer: owner, attendees: customerAttendees(acc), start: s, end: e, subject: `Re-engage ${acc.name}`, holders: [owner.index] };
    out.push(ev);
    single(ev);
  }
  // Meetings organised by customers (the seller is invited): only attendee copies exist here.
  for (let i = 0; i < perYear(n * 0.15); i++) {
    const acc = pickAccount(r, accounts);
    if (!acc) break;
    const [s, e] = slot(w.windowStart, Math.min(w.horizon, acc.tier === 'stale' ? acc.activityEnd : w.horizon));
    const att = customerAttendees(acc);
    const organizer = att.shift()?.person ?? acc.contacts[0]!;
    const me: LogicalAttendee = { person: owner, type: 'required', response: 'none' };
    Object.assign(me, answer(chance(r, 0.08)));
    att.push(me);
    const ev: LogicalEvent = { iCalUId: uid(), type: 'singleInstance', isCancelled: chance(r, 0.03), isAllDay: false, organizer, attendees: att, start: s, end: e, subject: `${acc.name} review`, holders: keepsCopy(me) ? [owner.index] : [] };
    addMate(ev, 0.25);
    out.push(ev);
    single(ev);
  }
  // Internal meetings.
  for (let i = 0; i < perYear(n * 0.3); i++) {
    const [s, e] = slot(w.windowStart, w.horizon);
    const ev: LogicalEvent = { iCalUId: uid(), type: 'singleInstance', isCancelled: chance(r, 0.03), isAllDay: false, organizer: owner, attendees: [{ person: pick(r, w.staff), type: 'required', response: 'none' }], start: s, end: e, subject: pick(r, W.SUBJECTS_INTERNAL), holders: [owner.index] };
    Object.assign(ev.attendees[0]!, answer(chance(rx, RATES.internalAnswer.declined)));
    addMate(ev, 0.5);
    if (chance(r, 0.2)) ev.attendees.push({ person: room(), type: 'resource', response: 'accepted' });
    out.push(ev);
    single(ev);
  }
  // All-day events: time off, and a trade-show day with a customer (all-day never counts).
  for (let i = 0; i < Math.max(2, perYear(8)); i++) {
    const day = Math.floor(workTime(r, w.windowStart, w.horizon) / DAY) * DAY;
    const acc = i === 0 ? pickAccount(r, accounts) : undefined;
    const ev: LogicalEvent = { iCalUId: uid(), type: 'singleInstance', isCancelled: false, isAllDay: true, organizer: owner, attendees: acc ? customerAttendees(acc) : [], start: day, end: day + DAY, subject: acc ? `Trade show with ${acc.name}` : 'Out of office', holders: [owner.index] };
    out.push(ev);
    single(ev);
  }
  // Weekly series: the team lead's pipeline review for the team, and a check-in with a hot account.
  // One invitation and one answer per attendee for the whole series; an update for each moved
  // occurrence and a cancellation for each cancelled one.
  const series = (organizer: Person, attendees: LogicalAttendee[], holders: number[], first: number, last: number, minutes: number, subject: string): void => {
    const key = uid();
    const conv = announce({ organizer, attendees, start: first, subject }, createdFor(first));
    let k = 0;
    for (let s = first; s < last; s += 7 * DAY, k++) {
      const moved = k % 9 === 4;
      const cancelled = k % 13 === 6;
      const start = moved ? s + HOUR : s;
      out.push({
        iCalUId: `${key}${new Date(s).toISOString().slice(0, 10).replace(/-/g, '')}`,
        type: moved || cancelled ? 'exception' : 'occurrence',
        seriesKey: key,
        isCancelled: cancelled,
        isAllDay: false,
        organizer,
        attendees,
        start,
        end: start + minutes * 60_000,
        subject,
        holders,
      });
      const at = before(Math.min(s, w.now) - 7 * DAY, s);
      if (cancelled) cancel({ organizer, attendees, subject }, at, conv);
      else if (moved) meetingMessage(REQUEST, 'meetingRequest', organizer, recipientsOf({ attendees }), at, subject, { ...conv, depth: 1 }, delivered({ organizer, attendees }, () => (chance(rx, 0.5) ? 'deleted' : 'inbox')));
    }
  };
  const monday = (ms: number): number => {
    const d = Math.floor(ms / DAY) * DAY;
    return d + (((8 - new Date(d).getUTCDay()) % 7) * DAY);
  };
  if (owner === team[0] && mates.length > 0) {
    const attendees = mates.map((m): LogicalAttendee => ({ person: m, type: 'required', ...answer(chance(rx, RATES.seriesDecline)) }));
    const holders = [owner.index, ...mates.filter((_, i) => keepsCopy(attendees[i]!)).map((m) => m.index)];
    series(owner, attendees, holders, monday(w.windowStart) + 9 * HOUR, w.horizon, 45, 'Weekly pipeline review');
  }
  const hot = accounts.filter((a) => a.tier === 'hot');
  if (hot.length > 0) {
    const acc = hot[owner.index % hot.length]!;
    const first = monday(workTime(r, w.windowStart, w.now - 30 * DAY)) + 3 * DAY + 15 * HOUR;
    series(owner, customerAttendees(acc).map((a) => ({ ...a, response: a.response === 'declined' ? 'accepted' : a.response })), [owner.index], first, Math.min(w.horizon, first + int(r, 8, 30) * 7 * DAY), 30, `${acc.name} weekly check-in`);
  }
  // Cancelling moves the organizer's copy to Deleted Items: only attendees' copies stay, marked
  // cancelled. https://learn.microsoft.com/graph/api/event-cancel
  for (const ev of out) {
    if (ev.isCancelled && ev.organizer === owner) ev.holders = ev.holders.filter((i) => i !== owner.index);
  }
  return { events: out, mail };
}

// ---------------------------------------------------------------------------
// Teams chats
// ---------------------------------------------------------------------------

/**
 * Teams 1:1 and group chats the owner starts, with teammates and staff, and federated chats
 * with customers. Each participant's mailbox holds a copy of each chat message, in a hidden
 * folder, as Teams' compliance records; `/users/{id}/messages` lists them with the mail.
 * https://learn.microsoft.com/graph/known-issues
 */
function teamChats(w: World, team: Seller[], owner: Seller): LogicalMessage[] {
  const r = rngFor(w.seed, `chats-${owner.index}`);
  const out: LogicalMessage[] = [];
  const budget = Math.round((w.opts.messagesPerMailbox * w.opts.days) / 365);
  const mates = team.filter((s) => s !== owner);
  const sellerAt = new Map(team.map((s) => [s.address, s]));
  const accounts = w.accountsByTeam[owner.team] ?? [];
  let seq = 0;
  const folder = (): FolderKey => {
    const x = r();
    return x < RATES.chatFolder.teamsData ? 'teamsData' : x < RATES.chatFolder.teamsData + RATES.chatFolder.teamChat ? 'teamChat' : 'history';
  };
  const thread = (people: Person[], from: number, to: number, kind: 'internal' | 'external'): void => {
    if (to <= from) return;
    const key = hashId('', String(w.seed), 'chat', String(owner.index), String(seq++));
    const conversationId = hashId('AAQkC', key);
    // A mailbox files a whole chat in one folder.
    const folders = new Map(people.flatMap((p) => (sellerAt.has(p.address) ? [[p.address, folder()] as const] : [])));
    const count = Math.min(20, 1 + Math.floor(-Math.log(1 - r()) * (RATES.chatThreadMean - 1)));
    let t = workTime(r, from, to);
    for (let k = 0; k < count && t < to; k++) {
      const sender = k === 0 ? people[0]! : pick(r, people);
      out.push({
        internetMessageId: `<chat-${key}-${k}@${w.domain}>`,
        conversationId,
        conversationIndex: Buffer.from(hashId('', key, String(k))).toString('base64'),
        from: sender,
        to: people.filter((p) => p !== sender),
        cc: [],
        bcc: [],
        sent: t,
        isDraft: false,
        subject: '',
        holders: [...folders].map(([address, f]) => ({ mailbox: sellerAt.get(address)!.index, folder: f, senderCopy: address === sender.address })),
        chat: kind,
      });
      t += Math.round((0.3 + -Math.log(1 - r()) * 5) * 60_000);
    }
  };
  // Internal chats: 1:1 with a teammate or a colleague in operations, or a small group chat.
  for (let i = 0; i < Math.round(budget * RATES.internalChatThreads); i++) {
    const x = r();
    const colleagues = [...mates, ...w.staff];
    const people: Person[] =
      x < 0.5 && mates.length > 0 ? [owner, pick(r, mates)] : x < 0.75 ? [owner, pick(r, w.staff)] : [owner, ...[...colleagues].sort(() => r() - 0.5).slice(0, int(r, 2, 3))];
    thread(people, w.windowStart, w.now, 'internal');
  }
  // External (federated) chats with customer contacts, sometimes with a teammate along.
  for (let i = 0; i < Math.round(budget * RATES.externalChatThreads); i++) {
    const acc = pickAccount(r, accounts);
    if (!acc) break;
    const people: Person[] = [owner, pick(r, acc.contacts)];
    if (mates.length > 0 && chance(r, 0.2)) people.push(pick(r, mates));
    thread(chance(r, 0.5) ? people : [people[1]!, ...people.filter((_, j) => j !== 1)], w.windowStart, Math.min(acc.activityEnd, w.now), 'external');
  }
  return out;
}

// ---------------------------------------------------------------------------
// Per-mailbox materialisation
// ---------------------------------------------------------------------------

function emptyCounts(): GeneratedSummary['counts'] {
  return {
    drafts: 0, bccCopies: 0, dlCopies: 0, ccTeammateCopies: 0, junk: 0, junkSubfolder: 0, deleted: 0, newsletters: 0, internalOnly: 0,
    inboundCustomer: 0, outboundCustomer: 0, cancelled: 0, allDay: 0, occurrences: 0, exceptions: 0, declined: 0, resourceAttendees: 0,
    sharedMeetingCopies: 0, upcoming: 0, customerOrganised: 0, freemailContacts: 0, subdomainContacts: 0, ambiguousDomains: 0,
    meetingRequests: 0, meetingResponses: 0, meetingCancellations: 0, chatItems: 0, chatHidden: 0, chatConversationHistory: 0, chatExternal: 0,
    organizerCopies: 0, attendeeCopies: 0, declinedKeptCopies: 0, declinedDeletedCopies: 0, customerDeclines: 0, sharedMailboxMessages: 0,
    orgContacts: 0, groupContactMembers: 0,
  };
}

const AUTOMATED = /^(noreply|no-reply|donotreply|do-not-reply|mailer-daemon|postmaster|notifications|newsletter|bounce)/i;

function countMessage(w: World, seller: Seller, m: LogicalMessage, h: Holder, counts: GeneratedSummary['counts']): void {
  if (h.folder === 'deleted') counts.deleted++;
  if (m.odataType) {
    if (m.odataType === REQUEST) counts.meetingRequests++;
    else if (m.odataType === RESPONSE) counts.meetingResponses++;
    else counts.meetingCancellations++;
    return;
  }
  if (m.chat) {
    counts.chatItems++;
    if (h.folder === 'teamsData') counts.chatHidden++;
    else counts.chatConversationHistory++;
    if (m.chat === 'external') counts.chatExternal++;
    return;
  }
  const internal = (p: Person): boolean => p.address.endsWith(`@${w.domain}`) || p.address.endsWith(`@${w.subsidiary}`);
  if (m.isDraft) counts.drafts++;
  if (h.senderCopy && m.bcc.length > 0) counts.bccCopies++;
  if (h.folder === 'junk' || h.folder === 'junkSub') counts.junk++;
  if (h.folder === 'junkSub') counts.junkSubfolder++;
  if (AUTOMATED.test(m.from.address)) counts.newsletters++;
  else if (internal(m.from) && [...m.to, ...m.cc, ...m.bcc].every(internal)) counts.internalOnly++;
  else if (internal(m.from)) counts.outboundCustomer++;
  else counts.inboundCustomer++;
  if (!h.senderCopy && m.cc.some((p) => p.address === seller.address)) counts.ccTeammateCopies++;
}

function messageCopy(w: World, seller: Seller, m: LogicalMessage, h: Holder, counts: GeneratedSummary['counts']): FixtureMessage {
  const received = h.senderCopy ? m.sent : m.sent + 1000 + (hash32(m.internetMessageId + seller.id) % 30_000);
  countMessage(w, seller, m, h, counts);
  if (seller.index === SHARED) counts.sharedMailboxMessages++;
  const sender = m.sender ?? m.from;
  return {
    // Graph returns the derived type on meeting messages, even under $select.
    ...(m.odataType ? { '@odata.type': m.odataType } : {}),
    id: hashId('AAMkAGI2', seller.id, m.internetMessageId),
    parentFolderId: folderId(seller.id, h.folder),
    conversationId: m.conversationId,
    conversationIndex: m.conversationIndex,
    internetMessageId: m.internetMessageId,
    isDraft: m.isDraft,
    from: m.isDraft ? null : rcpt(m.from.address, m.from.name),
    sender: m.isDraft ? null : rcpt(sender.address, sender.name),
    toRecipients: m.to.map((p) => rcpt(p.address, p.name)),
    ccRecipients: m.cc.map((p) => rcpt(p.address, p.name)),
    // Only the sender's copy shows Bcc, as in Exchange.
    bccRecipients: h.senderCopy ? m.bcc.map((p) => rcpt(p.address, p.name)) : [],
    sentDateTime: graphDate(m.sent),
    receivedDateTime: graphDate(received),
    subject: m.subject,
    // Teams chat items carry the chat text as their body (content Rapport must never request).
    ...(m.chat ? { body: { contentType: 'html', content: `<div>${W.CHAT_LINES[hash32(m.internetMessageId) % W.CHAT_LINES.length]} (${m.internetMessageId})</div>` } } : {}),
    ...(m.meetingMessageType ? { meetingMessageType: m.meetingMessageType } : {}),
  };
}

const NO_TIME = '0001-01-01T00:00:00Z';

/**
 * One calendar's copy of a meeting. Only the organizer's copy shows every attendee's answer
 * (and its own `responseStatus` is `organizer`); on an attendee's copy every attendee reads
 * `none` and the holder's own answer is that copy's `responseStatus`.
 * https://learn.microsoft.com/graph/api/resources/event (attendees, responseStatus)
 */
function eventCopy(w: World, seller: Seller, e: LogicalEvent, counts: GeneratedSummary['counts']): FixtureEvent {
  const isOrganizer = e.organizer.address === seller.address;
  const me = e.attendees.find((a) => a.person.address === seller.address);
  const own: OwnResponse = me?.own ?? 'notResponded';
  if (e.isCancelled) counts.cancelled++;
  if (e.isAllDay) counts.allDay++;
  if (e.type === 'occurrence') counts.occurrences++;
  if (e.type === 'exception') counts.exceptions++;
  if (e.start >= w.now) counts.upcoming++;
  if (e.holders.length > 1) counts.sharedMeetingCopies++;
  if (!e.organizer.address.endsWith(`@${w.domain}`) && !e.organizer.address.endsWith(`@${w.subsidiary}`)) counts.customerOrganised++;
  if (isOrganizer) {
    counts.organizerCopies++;
    counts.declined += e.attendees.filter((a) => a.response === 'declined').length;
    counts.customerDeclines += e.attendees.filter((a) => a.response === 'declined' && !a.own && a.type !== 'resource').length;
  } else {
    counts.attendeeCopies++;
    if (own === 'declined') {
      counts.declined++;
      counts.declinedKeptCopies++;
    }
  }
  counts.resourceAttendees += e.attendees.filter((a) => a.type === 'resource').length;
  return {
    id: hashId('AAMkAGEv', seller.id, e.iCalUId, String(e.start)),
    iCalUId: e.iCalUId,
    type: e.type,
    seriesMasterId: e.seriesKey ? hashId('AAMkAGSm', seller.id, e.seriesKey) : null,
    isCancelled: e.isCancelled,
    isAllDay: e.isAllDay,
    organizer: rcpt(e.organizer.address, e.organizer.name),
    attendees: e.attendees.map((a) => ({
      type: a.type,
      status: isOrganizer && a.response !== 'none' ? { response: a.response, time: graphDate(a.respondedAt ?? e.start) } : { response: 'none', time: NO_TIME },
      emailAddress: { name: a.person.name, address: a.person.address },
    })),
    responseStatus: isOrganizer ? { response: 'organizer', time: NO_TIME } : { response: own, time: me?.respondedAt !== undefined && own !== 'notResponded' ? graphDate(me.respondedAt) : NO_TIME },
    start: eventDate(e.start),
    end: eventDate(e.end),
    subject: e.subject,
  };
}

interface MailboxSink {
  mailbox(userId: string, folders: FixtureMailFolder[], messages: FixtureMessage[], events: FixtureEvent[]): void;
}

function byTime<T extends { id: string }>(key: (x: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function generateTraffic(w: World, sink: MailboxSink, counts: GeneratedSummary['counts'], onProgress?: (d: number, t: number) => void): { messages: number; events: number } {
  let messages = 0;
  let events = 0;
  const total = w.sellers.length + 1 + w.quietMailboxes.length;
  let done = 0;
  const copies = (s: Seller, items: Iterable<LogicalMessage>): FixtureMessage[] => {
    const msgs: FixtureMessage[] = [];
    for (const m of items) {
      for (const h of m.holders) {
        if (h.mailbox !== s.index) continue;
        if (m.viaList) counts.dlCopies++;
        msgs.push(messageCopy(w, s, m, h, counts));
      }
    }
    msgs.sort(byTime((m) => m.receivedDateTime));
    return msgs;
  };
  for (let t = 0; t < w.teams; t++) {
    const team = w.sellers.slice(t * TEAM_SIZE, (t + 1) * TEAM_SIZE);
    const teamMail = team.flatMap((s) => teamMessages(w, team, s));
    const calendars = team.map((s) => teamEvents(w, team, s));
    const teamCal = calendars.flatMap((c) => c.events);
    const meetingMail = calendars.flatMap((c) => c.mail);
    const chats = team.flatMap((s) => teamChats(w, team, s));
    for (const e of teamCal) {
      for (const s of team) if (e.attendees.some((a) => a.person === s && a.own === 'declined') && !e.holders.includes(s.index)) counts.declinedDeletedCopies++;
    }
    for (const s of team) {
      const msgs = copies(s, [...teamMail, ...meetingMail, ...chats, ...(w.crossTeam.get(s.index) ?? [])]);
      const evs = teamCal.filter((e) => e.holders.includes(s.index)).map((e) => eventCopy(w, s, e, counts));
      evs.sort(byTime((e) => e.start.dateTime));
      sink.mailbox(s.id, mailFoldersFor(s.id), msgs, evs);
      messages += msgs.length;
      events += evs.length;
      onProgress?.(++done, total);
    }
  }
  const shared = copies(w.shared, w.crossTeam.get(SHARED) ?? []);
  sink.mailbox(w.shared.id, mailFoldersFor(w.shared.id), shared, []);
  messages += shared.length;
  onProgress?.(++done, total);
  for (const id of w.quietMailboxes) {
    sink.mailbox(id, mailFoldersFor(id), [], []);
    onProgress?.(++done, total);
  }
  return { messages, events };
}

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Generates a tenant: in memory, or streamed to `options.out` as the folder form. */
export function generateTenant(options: GenerateOptions = {}): GeneratedTenant {
  const w = buildWorld(options);
  const counts = emptyCounts();
  // Each account is owned by one seller of the team that works it, round robin within the team.
  const ownerOf = new Map<string, string>();
  w.accountsByTeam.forEach((teamAccounts, team) => {
    const teamSellers = w.sellers.slice(team * TEAM_SIZE, (team + 1) * TEAM_SIZE);
    teamAccounts.forEach((a, j) => ownerOf.set(a.id, teamSellers[j % teamSellers.length]?.address ?? ''));
  });
  const contacts: CustomerContactRow[] = w.accounts.flatMap((a) => a.contacts.map((c) => ({ email: c.address, account_id: a.id, account_name: a.name, owner: ownerOf.get(a.id) ?? '' })));
  const accountRows: CustomerAccountRow[] = w.accounts.map((a) => ({ account_id: a.id, name: a.name, website: a.website, owner: ownerOf.get(a.id) ?? '' }));
  const freemail = new Set(W.FREEMAIL_DOMAINS);
  counts.freemailContacts = contacts.filter((c) => freemail.has(c.email.split('@')[1]!)).length;
  counts.subdomainContacts = w.accounts.reduce((n, a) => n + a.contacts.filter((c) => c.address.endsWith(`.${a.domain}`)).length, 0);
  const domainOwners = new Map<string, Set<string>>();
  for (const a of w.accounts) domainOwners.set(a.domain, (domainOwners.get(a.domain) ?? new Set()).add(a.id));
  const ambiguous = [...domainOwners].filter(([, ids]) => ids.size > 1).map(([d]) => d);
  counts.ambiguousDomains = ambiguous.length;
  counts.orgContacts = w.contacts.length;
  const contactIds = new Set(w.contacts.map((c) => c.id));
  counts.groupContactMembers = w.groups.reduce((n, g) => n + g.members.filter((m) => contactIds.has(m)).length, 0);
  const tiers: Record<AccountTier, number> = { hot: 0, warm: 0, cool: 0, stale: 0, never: 0 };
  for (const a of w.accounts) tiers[a.tier]++;
  const organization = {
    id: w.tenantId,
    displayName: 'Contoso',
    verifiedDomains: [
      { name: w.domain, isDefault: true },
      { name: 'contoso.onmicrosoft.com', isDefault: false },
    ],
  };
  const sharedMailboxes = [w.shared.address];
  const suggestedOrg = [`ussales@${w.domain}`, `eusales@${w.domain}`, ...sharedMailboxes];
  const info: Record<string, unknown> = {
    generator: 'rapport tenant generator',
    parameters: { ...w.opts, now: new Date(w.now).toISOString() },
    tenantId: w.tenantId,
    verifiedDomains: organization.verifiedDomains.map((d) => d.name),
    extraInternalDomains: [w.subsidiary],
    suggestedOrg,
    sharedMailboxes,
    groups: w.groups.map((g) => ({ displayName: g.displayName, mail: g.mail })),
    ambiguousDomains: ambiguous,
    demoClient: { clientId: 'rapport-demo-client', clientSecret: 'rapport-demo-secret' },
    customers: { contacts: 'customers/contacts.csv', accounts: 'customers/accounts.csv', emailColumn: 'email', accountColumn: 'account_id', accountNameColumn: 'account_name', domainColumn: 'website' },
  };
  const summaryOf = (traffic: { messages: number; events: number }): GeneratedSummary => ({
    tenantId: w.tenantId,
    now: new Date(w.now).toISOString(),
    mailboxes: w.sellers.length + w.quietMailboxes.length,
    users: w.users.length,
    groups: w.groups.length,
    accounts: w.accounts.length,
    contacts: contacts.length,
    ...traffic,
    counts,
    tiers,
  });

  if (!options.out) {
    const mailboxes: TenantFixture['mailboxes'] = {};
    const traffic = generateTraffic(w, { mailbox: (id, mailFolders, messages, events) => (mailboxes[id] = { mailFolders, messages, events }) }, counts, options.onProgress);
    return { fixture: { organization, users: w.users, groups: w.groups, contacts: w.contacts, mailboxes }, suggestedOrg, sharedMailboxes, contacts, accounts: accountRows, summary: summaryOf(traffic), info };
  }

  const out = options.out;
  mkdirSync(join(out, 'mailboxes'), { recursive: true });
  mkdirSync(join(out, 'customers'), { recursive: true });
  writeFileSync(join(out, 'tenant.json'), JSON.stringify({ organization, users: w.users, groups: w.groups, contacts: w.contacts }, null, 2));
  const writeNdjson = (file: string, rows: unknown[]): void => {
    const fd = openSync(file, 'w');
    try {
      let buf = '';
      for (const row of rows) {
        buf += JSON.stringify(row) + '\n';
        if (buf.length > 1 << 20) {
          writeSync(fd, buf);
          buf = '';
        }
      }
      if (buf) writeSync(fd, buf);
    } finally {
      closeSync(fd);
    }
  };
  const traffic = generateTraffic(
    w,
    {
      mailbox: (id, folders, messages, events) => {
        const dir = join(out, 'mailboxes', id);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'mailFolders.json'), JSON.stringify(folders, null, 1));
        writeNdjson(join(dir, 'messages.ndjson'), messages);
        writeNdjson(join(dir, 'events.ndjson'), events);
      },
    },
    counts,
    options.onProgress,
  );
  writeFileSync(join(out, 'customers', 'contacts.csv'), ['email,account_id,account_name', ...contacts.map((c) => [c.email, c.account_id, c.account_name].map(csvCell).join(','))].join('\n') + '\n');
  writeFileSync(join(out, 'customers', 'accounts.csv'), ['account_id,name,website', ...accountRows.map((a) => [a.account_id, a.name, a.website].map(csvCell).join(','))].join('\n') + '\n');
  const summary = summaryOf(traffic);
  writeFileSync(join(out, 'generated.json'), JSON.stringify({ ...info, summary }, null, 2));
  return { suggestedOrg, sharedMailboxes, contacts, accounts: accountRows, summary, info };
}
