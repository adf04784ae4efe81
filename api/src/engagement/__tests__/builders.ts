/**
 * A small synthetic tenant for the domain's tests: Contoso sells to Fabrikam, Northwind and
 * friends. Builders make Graph-shaped messages and events with only the fields a test cares about.
 */
import { buildAccountDirectory, type AccountDirectory } from '../account-directory';
import { computeResults, type EngagementResults } from '../compute-results';
import { createMailboxReducer } from '../mailbox-reducer';
import { emptyPartial, mergeInto, type MailboxPartial } from '../partial';
import { defaultRules } from '../rules';
import type { CustomerDataset, GraphAttendee, GraphEvent, GraphMessage, OfficeRow, RunContext, SelectedMailbox } from '../types';

/** T: the run clock. W = [2025-01-15T00:00Z, 2026-01-15T12:00Z). */
export const T = Date.parse('2026-01-15T12:00:00Z');
export const W_START = '2025-01-15T00:00:00.000Z';

export const ALICE: SelectedMailbox = { id: 'm-alice', mail: 'alice@contoso.com' };
export const BOB: SelectedMailbox = { id: 'm-bob', mail: 'bob@contoso.com', otherAddresses: ['robert@contoso.com'] };
export const CAROL: SelectedMailbox = { id: 'm-carol', mail: 'carol@contoso.com' };

export const DATASET: CustomerDataset = {
  accounts: [
    { accountId: 'FAB', name: 'Fabrikam', domain: 'https://www.fabrikam.com/' },
    { accountId: 'NW', name: 'Northwind' },
    { accountId: 'IDLE', name: 'Idle Corp', domain: 'idle.example' },
  ],
  contacts: [
    { email: 'jane@fabrikam.com', accountId: 'FAB' },
    { email: 'bob@northwind.com', accountId: 'NW' },
    { email: 'ceo@gmail.com', accountId: 'NW' },
    { email: 'x@litware.com', accountId: 'LIT1' },
    { email: 'y@litware.com', accountId: 'LIT2' },
  ],
};

export function makeContext(overrides: Partial<RunContext> = {}): RunContext {
  return { now: T, verifiedDomains: ['contoso.com'], rules: defaultRules(), mailboxes: [ALICE, BOB, CAROL], ...overrides };
}

export function makeDirectory(dataset: CustomerDataset = DATASET, ctx: RunContext = makeContext()): AccountDirectory {
  return buildAccountDirectory(dataset, [...ctx.verifiedDomains, ...ctx.rules.extraInternalDomains]).directory;
}

const rcpt = (address: string) => ({ emailAddress: { address } });

export interface MessageSpec {
  id?: string;
  imid?: string | null;
  from?: string | null;
  sender?: string;
  to?: string[];
  cc?: string[];
  bcc?: string[];
  sent: string;
  conv?: string;
  folder?: string;
  draft?: boolean;
  /** `@odata.type`, e.g. '#microsoft.graph.eventMessageRequest' for a meeting invitation. */
  odataType?: string;
}

let counter = 0;
export function msg(spec: MessageSpec): GraphMessage {
  counter++;
  return {
    ...(spec.odataType ? { '@odata.type': spec.odataType } : {}),
    id: spec.id ?? `id-${counter}`,
    internetMessageId: spec.imid === undefined ? `<m${counter}@x>` : spec.imid,
    conversationId: spec.conv ?? null,
    from: spec.from === null ? null : rcpt(spec.from ?? 'alice@contoso.com'),
    sender: spec.sender ? rcpt(spec.sender) : null,
    toRecipients: (spec.to ?? []).map(rcpt),
    ccRecipients: (spec.cc ?? []).map(rcpt),
    bccRecipients: (spec.bcc ?? []).map(rcpt),
    sentDateTime: spec.sent,
    receivedDateTime: spec.sent,
    isDraft: spec.draft ?? false,
    parentFolderId: spec.folder ?? 'inbox',
  };
}

export interface EventSpec {
  id?: string;
  ical?: string | null;
  organizer?: string;
  /** [address, response, type] */
  attendees?: [string, string?, string?][];
  start: string;
  minutes?: number;
  cancelled?: boolean;
  allDay?: boolean;
  type?: string;
  /** The copy's own `responseStatus.response` ('organizer' on the organizer's copy). */
  response?: string;
}

/** start as ISO with Z; rendered the way Graph renders UTC event times. */
export function evt(spec: EventSpec): GraphEvent {
  counter++;
  const start = Date.parse(spec.start);
  const end = start + (spec.minutes ?? 30) * 60_000;
  const graphTime = (t: number) => ({ dateTime: new Date(t).toISOString().replace('Z', '0000'), timeZone: 'UTC' });
  const attendees: GraphAttendee[] = (spec.attendees ?? []).map(([address, response, type]) => ({
    type: type ?? 'required',
    status: { response: response ?? 'accepted' },
    emailAddress: { address },
  }));
  return {
    id: spec.id ?? `ev-${counter}`,
    iCalUId: spec.ical === undefined ? `ical-${counter}` : spec.ical,
    type: spec.type ?? 'singleInstance',
    isCancelled: spec.cancelled ?? false,
    isAllDay: spec.allDay ?? false,
    organizer: rcpt(spec.organizer ?? 'alice@contoso.com'),
    attendees,
    ...(spec.response ? { responseStatus: { response: spec.response } } : {}),
    start: graphTime(start),
    end: graphTime(end),
  };
}

export interface MailboxData {
  messages?: GraphMessage[];
  events?: GraphEvent[];
  excludedFolders?: string[];
}

/** One partial per mailbox, in the given order. */
export function reduceMailboxes(ctx: RunContext, directory: AccountDirectory, data: Record<string, MailboxData>): MailboxPartial[] {
  return Object.entries(data).map(([mailboxId, d]) => {
    const mailbox = ctx.mailboxes.find((m) => m.id === mailboxId)!;
    const reducer = createMailboxReducer(ctx, directory, mailbox, new Set(d.excludedFolders ?? ['junk', 'junk-sub', 'drafts']));
    reducer.addMessages(d.messages ?? []);
    reducer.addEvents(d.events ?? []);
    return reducer.finish();
  });
}

export function run(data: Record<string, MailboxData>, options: { ctx?: RunContext; dataset?: CustomerDataset; previous?: Map<string, number> } = {}): EngagementResults {
  const ctx = options.ctx ?? makeContext();
  const directory = makeDirectory(options.dataset ?? DATASET, ctx);
  const total = emptyPartial();
  for (const p of reduceMailboxes(ctx, directory, data)) mergeInto(total, p);
  return computeResults(ctx, directory, total, options.previous);
}

export function yearRow(results: EngagementResults, accountId: string): OfficeRow {
  const row = results.rows.find((r) => r.AggregationLevel === 'year' && r.AccountId === accountId);
  if (!row) throw new Error(`no year row for ${accountId}`);
  return row;
}

export function rowsOf(results: EngagementResults, accountId: string, level: 'month' | 'week'): OfficeRow[] {
  return results.rows.filter((r) => r.AggregationLevel === level && r.AccountId === accountId);
}
