/**
 * Directory reads over the fixture: users by id / UPN / mail, groups, org contacts, transitive
 * members (cycle-safe), projections with `$select`, and the `$filter` forms directory lookups use.
 */
import type { FixtureContact, FixtureGroup, FixtureUser, TenantDirectory } from './fixture';
import { GraphFailure } from './odata';

const USER_DEFAULT = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];
const USER_KNOWN = [
  ...USER_DEFAULT,
  'accountEnabled',
  'proxyAddresses',
  'otherMails',
  'department',
  'companyName',
  'userType',
  'mailNickname',
  'createdDateTime',
  'employeeId',
  'country',
  'usageLocation',
  'onPremisesSyncEnabled',
];
const GROUP_DEFAULT = ['id', 'displayName', 'description', 'mail', 'mailEnabled', 'mailNickname', 'securityEnabled', 'groupTypes', 'proxyAddresses', 'visibility', 'createdDateTime'];
/** https://learn.microsoft.com/graph/api/resources/orgcontact */
const CONTACT_DEFAULT = ['id', 'displayName', 'mail', 'mailNickname', 'givenName', 'surname', 'companyName', 'department', 'jobTitle', 'proxyAddresses'];
const LIST_PROPS = new Set(['businessPhones', 'groupTypes', 'proxyAddresses']);

/**
 * What a group's members can be. Org contacts (mail contacts) are directory objects too, so
 * `members` and `transitiveMembers` list them beside users and groups, each with its
 * `@odata.type`. https://learn.microsoft.com/graph/api/group-list-transitivemembers
 */
export type DirectoryObject =
  | { kind: 'user'; user: FixtureUser }
  | { kind: 'group'; group: FixtureGroup }
  | { kind: 'contact'; contact: FixtureContact };

/** The OData type cast that selects each kind, as in `/transitiveMembers/microsoft.graph.user`. */
export const DIRECTORY_CASTS = { user: 'microsoft.graph.user', group: 'microsoft.graph.group', contact: 'microsoft.graph.orgContact' } as const;

export class Directory {
  private readonly usersById = new Map<string, FixtureUser>();
  private readonly usersByAddress = new Map<string, FixtureUser>();
  private readonly groupsById = new Map<string, FixtureGroup>();
  private readonly contactsById = new Map<string, FixtureContact>();
  readonly userKnownProps: string[];
  readonly groupKnownProps: string[];
  readonly contactKnownProps: string[];

  constructor(readonly data: TenantDirectory) {
    for (const u of data.users) {
      this.usersById.set(u.id, u);
      for (const a of [u.userPrincipalName, u.mail, ...(u.proxyAddresses ?? []).map((p) => p.replace(/^smtp:/i, ''))]) {
        if (a && !this.usersByAddress.has(a.toLowerCase())) this.usersByAddress.set(a.toLowerCase(), u);
      }
    }
    for (const g of data.groups) this.groupsById.set(g.id, g);
    for (const c of data.contacts ?? []) this.contactsById.set(c.id, c);
    this.userKnownProps = [...new Set([...USER_KNOWN, ...data.users.flatMap((u) => Object.keys(u))])];
    this.groupKnownProps = [...new Set([...GROUP_DEFAULT, ...data.groups.flatMap((g) => Object.keys(g))])].filter((k) => k !== 'members');
    this.contactKnownProps = [...new Set([...CONTACT_DEFAULT, ...(data.contacts ?? []).flatMap((c) => Object.keys(c))])];
  }

  /** By object id, UPN or mail (case-insensitive). */
  user(key: string): FixtureUser | undefined {
    return this.usersById.get(key) ?? this.usersByAddress.get(key.toLowerCase());
  }

  group(id: string): FixtureGroup | undefined {
    return this.groupsById.get(id);
  }

  object(id: string): DirectoryObject | undefined {
    const u = this.usersById.get(id);
    if (u) return { kind: 'user', user: u };
    const g = this.groupsById.get(id);
    if (g) return { kind: 'group', group: g };
    const c = this.contactsById.get(id);
    return c ? { kind: 'contact', contact: c } : undefined;
  }

  /** Users, groups and contacts reachable from the group, each once, in first-seen order; cycles end the walk. */
  transitiveMembers(groupId: string): DirectoryObject[] {
    const out: DirectoryObject[] = [];
    const seen = new Set<string>([groupId]);
    const walk = (g: FixtureGroup): void => {
      for (const id of g.members) {
        if (seen.has(id)) continue;
        seen.add(id);
        const o = this.object(id);
        if (!o) continue;
        out.push(o);
        if (o.kind === 'group') walk(o.group);
      }
    };
    const root = this.groupsById.get(groupId);
    if (root) walk(root);
    return out;
  }

  directMembers(groupId: string): DirectoryObject[] {
    return (this.groupsById.get(groupId)?.members ?? []).map((id) => this.object(id)).filter((o): o is DirectoryObject => o !== undefined);
  }
}

export function projectUser(u: FixtureUser, select: string[] | undefined): Record<string, unknown> {
  const rec = u as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (select) {
    for (const k of select) out[k] = rec[k] ?? (k === 'businessPhones' ? [] : null);
    return out;
  }
  for (const k of USER_DEFAULT) out[k] = rec[k] ?? (k === 'businessPhones' ? [] : null);
  return out;
}

export function projectGroup(g: FixtureGroup, select: string[] | undefined): Record<string, unknown> {
  const rec = g as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of select ?? GROUP_DEFAULT) out[k] = rec[k] ?? (LIST_PROPS.has(k) ? [] : null);
  return out;
}

export function projectContact(c: FixtureContact, select: string[] | undefined): Record<string, unknown> {
  const rec = c as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of select ?? CONTACT_DEFAULT) out[k] = rec[k] ?? (LIST_PROPS.has(k) ? [] : null);
  return out;
}

/**
 * A member of a directoryObject collection, with its `@odata.type`. A `$select` naming
 * properties of another type (e.g. `userPrincipalName` on a group or a contact) leaves those
 * out, since the object's type has no such property.
 */
export function projectObject(o: DirectoryObject, select: string[] | undefined, dir: Directory): Record<string, unknown> {
  const only = (known: readonly string[]): string[] | undefined => select?.filter((k) => k === 'id' || known.includes(k));
  switch (o.kind) {
    case 'user':
      return { '@odata.type': '#microsoft.graph.user', ...projectUser(o.user, select) };
    case 'group':
      return { '@odata.type': '#microsoft.graph.group', ...projectGroup(o.group, only(dir.groupKnownProps)) };
    case 'contact':
      return { '@odata.type': '#microsoft.graph.orgContact', ...projectContact(o.contact, only(dir.contactKnownProps)) };
  }
}

/** The fixture record behind a directory object, for `$filter`. */
export function objectRecord(o: DirectoryObject): Record<string, unknown> {
  switch (o.kind) {
    case 'user':
      return o.user as Record<string, unknown>;
    case 'group':
      return o.group as Record<string, unknown>;
    case 'contact':
      return o.contact as Record<string, unknown>;
  }
}

// ---------------------------------------------------------------------------
// $filter for directory objects: or-of-and of a few atom forms.
// ---------------------------------------------------------------------------

type Predicate = (o: Record<string, unknown>) => boolean;

const STR = String.raw`'((?:[^']|'')*)'`;
const ATOMS: [RegExp, (m: RegExpExecArray) => Predicate][] = [
  [
    new RegExp(String.raw`^(\w+)\s+eq\s+${STR}$`, 'i'),
    (m) => (o) => eqCi(o[propName(o, m[1]!)], unq(m[2]!)),
  ],
  [/^(\w+)\s+eq\s+(true|false)$/i, (m) => (o) => (o[propName(o, m[1]!)] ?? (m[1]!.toLowerCase() === 'accountenabled' ? true : null)) === (m[2]!.toLowerCase() === 'true')],
  [
    new RegExp(String.raw`^(\w+)\s+in\s+\((.*)\)$`, 'i'),
    (m) => {
      const values = [...m[2]!.matchAll(new RegExp(STR, 'g'))].map((x) => unq(x[1]!));
      return (o) => values.some((v) => eqCi(o[propName(o, m[1]!)], v));
    },
  ],
  [
    new RegExp(String.raw`^(\w+)/any\(\s*(\w+)\s*:\s*(\w+)\s+eq\s+${STR}\s*\)$`, 'i'),
    (m) => (o) => {
      const arr = o[propName(o, m[1]!)];
      return Array.isArray(arr) && arr.some((v) => eqCi(v, unq(m[4]!)));
    },
  ],
  [
    new RegExp(String.raw`^startswith\(\s*(\w+)\s*,\s*${STR}\s*\)$`, 'i'),
    (m) => (o) => {
      const v = o[propName(o, m[1]!)];
      return typeof v === 'string' && v.toLowerCase().startsWith(unq(m[2]!).toLowerCase());
    },
  ],
];

function unq(s: string): string {
  return s.replace(/''/g, "'");
}

function eqCi(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

function propName(o: Record<string, unknown>, name: string): string {
  const lower = name.toLowerCase();
  return Object.keys(o).find((k) => k.toLowerCase() === lower) ?? name;
}

/** Splits on a keyword outside quotes and parentheses. */
function splitTop(s: string, word: 'or' | 'and'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let last = 0;
  const re = new RegExp(String.raw`^\s+${word}\s+`, 'i');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && /\s/.test(c!)) {
      const m = re.exec(s.slice(i));
      if (m) {
        parts.push(s.slice(last, i));
        i += m[0].length - 1;
        last = i + 1;
      }
    }
  }
  parts.push(s.slice(last));
  return parts.map((p) => p.trim());
}

export function parseDirectoryFilter(raw: string | undefined): Predicate | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const ors = splitTop(raw.trim(), 'or').map((orPart) =>
    splitTop(orPart.replace(/^\((.*)\)$/, '$1'), 'and').map((atom) => {
      for (const [re, build] of ATOMS) {
        const m = re.exec(atom);
        if (m) return build(m);
      }
      throw new GraphFailure(400, 'Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified: '${atom}'.`);
    }),
  );
  return (o) => ors.some((ands) => ands.every((p) => p(o)));
}
