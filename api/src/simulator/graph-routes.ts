/**
 * The `/v1.0` surface: one dispatcher used by plain HTTP requests and by `$batch`
 * sub-requests alike, so auth, permissions, faults and `$select` rules are the same.
 */
import { isAppError } from '../errors';
import { DIRECTORY_CASTS, type Directory, objectRecord, parseDirectoryFilter, projectGroup, projectObject, projectUser, type DirectoryObject } from './directory';
import { type FaultInjector, type MailboxConcurrency } from './faults';
import { dateTimeTimeZoneToMs, type FixtureEvent, type FixtureMailFolder, type FixtureMessage, type FixtureUser, type MessageLines, type TenantStore } from './fixture';
import { type Identity, type TokenClaims } from './identity';
import { LiveMailbox, type LiveMailboxes, lowerBound } from './live-mailbox';
import { compileMessageProjection, hasLayout, JsonBytes, LAYOUT_WORDS, MessageLine, writeLayoutMessage, writeProjectedMessage } from './message-json';
import {
  decodeSkipToken,
  EVENT_SELECT_ALLOW_LIST,
  GraphFailure,
  graphErrorBody,
  MESSAGE_SELECT_ALLOW_LIST,
  newRequestId,
  nextLink,
  parseAllowListedSelect,
  parseMessageFilter,
  parseMessageOrderBy,
  parseSelect,
  parseTop,
  queryFingerprint,
  queryOption,
} from './odata';

export type RequestKind =
  | 'organization'
  | 'users'
  | 'groups'
  | 'mailFolders'
  | 'messages'
  | 'calendarView'
  | 'batch'
  | 'token'
  | 'consent'
  | 'metadata'
  | 'other';

export interface SimulatorStats {
  /** Graph operations answered: HTTP requests to /v1.0 plus `$batch` sub-requests. */
  requests: number;
  /** HTTP requests to /v1.0 (a `$batch` counts once). */
  httpRequests: number;
  byStatus: Record<number, number>;
  byKind: Partial<Record<RequestKind, number>>;
  faultsInjected: {
    '429': number;
    '503': number;
    '504': number;
    drop: number;
    mailboxNotEnabled: number;
    /** Requests refused by the application access policy fault. */
    accessDenied: number;
    concurrency: number;
    /** Items deleted, moved or added by the live-mailbox fault. */
    churn: number;
  };
  /** Highest number of concurrent requests seen for one mailbox (including rejected ones). */
  maxMailboxConcurrency: number;
  /** Items served, for throughput measurements. */
  messagesServed: number;
  eventsServed: number;
}

export function emptyStats(): SimulatorStats {
  return {
    requests: 0,
    httpRequests: 0,
    byStatus: {},
    byKind: {},
    faultsInjected: { '429': 0, '503': 0, '504': 0, drop: 0, mailboxNotEnabled: 0, accessDenied: 0, concurrency: 0, churn: 0 },
    maxMailboxConcurrency: 0,
    messagesServed: 0,
    eventsServed: 0,
  };
}

export interface GraphRequest {
  method: string;
  /** Path and query relative to `/v1.0`, e.g. `/users/x/messages?$select=id`. */
  url: string;
  headers: Record<string, string | undefined>;
  body?: unknown;
}

/** A body already serialised: the UTF-8 bytes of its JSON text. */
export class JsonBody {
  constructor(
    readonly bytes: Buffer,
    /** Called once the bytes are sent (or copied): they may be pooled memory. */
    readonly release: () => void = () => undefined,
  ) {}
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  /** Serialised with JSON.stringify, or sent as is when a JsonBody. */
  body?: unknown;
  /** Destroy the connection instead of answering. */
  drop?: boolean;
}

export interface GraphContext {
  store: TenantStore;
  directory: Directory;
  identity: Identity;
  faults: FaultInjector;
  concurrency: MailboxConcurrency;
  /** Per-mailbox overlays of the live-mailbox fault. */
  live: LiveMailboxes;
  stats: SimulatorStats;
  graphBaseUrl: () => string;
  /**
   * Mailboxes (lower-case ids or addresses) granted through RBAC for Applications in Exchange
   * Online, or undefined when none. See `hasExchangeGrant`.
   */
  exchangeRbacScope: () => ReadonlySet<string> | undefined;
}

const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const MAX_CALENDAR_DAYS = 1825;
const DAY_MS = 86_400_000;

const DIRECTORY_USERS = ['User.Read.All', 'User.ReadBasic.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const DIRECTORY_GROUPS = ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const MAIL = ['Mail.ReadBasic.All', 'Mail.ReadBasic', 'Mail.Read', 'Mail.ReadWrite'];
const CALENDAR = ['Calendars.ReadBasic.All', 'Calendars.ReadBasic', 'Calendars.Read', 'Calendars.ReadWrite'];
/** App-only /organization needs Organization.Read.All (or Directory.Read.All), as in Graph. */
const ORGANIZATION = ['Organization.Read.All', 'Directory.Read.All', 'Organization.ReadWrite.All', 'Directory.ReadWrite.All'];

interface Route {
  kind: RequestKind;
  roles: string[];
  /** 'mail' and 'calendar' fail with ErrorAccessDenied; 'directory' with Authorization_RequestDenied. */
  area: 'directory' | 'mail' | 'calendar';
  /** The mailbox owner key from the path, for mailbox routes. */
  mailboxKey?: string;
  handle: (ctx: GraphContext, q: URLSearchParams, path: string, req: GraphRequest, userId: string) => Promise<unknown> | unknown;
}

function match(path: string, method: string): Route {
  const seg = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  if (method !== 'GET') {
    throw new GraphFailure(405, 'Request_BadRequest', `The HTTP method '${method}' is not allowed for the requested resource.`);
  }
  // Graph matches segment names case-insensitively; ids keep their spelling.
  const lc = seg.map((s) => s.toLowerCase());
  const [a, , c, d, e] = lc;
  const b = seg[1];
  const lenIs = (n: number): boolean => seg.length === n;
  if (a === 'organization' && lenIs(1)) return { kind: 'organization', roles: ORGANIZATION, area: 'directory', handle: listOrganization };
  if (a === 'me') throw new GraphFailure(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
  if (a === 'users') {
    if (lenIs(1)) return { kind: 'users', roles: DIRECTORY_USERS, area: 'directory', handle: listUsers };
    if (lenIs(2)) return { kind: 'users', roles: DIRECTORY_USERS, area: 'directory', handle: (ctx, q) => getUser(ctx, q, b!) };
    const mailbox = { mailboxKey: b! };
    if (c === 'messages' && lenIs(3)) return { kind: 'messages', roles: MAIL, area: 'mail', ...mailbox, handle: listMessages };
    if ((c === 'calendarview' && lenIs(3)) || (c === 'calendar' && d === 'calendarview' && lenIs(4))) {
      return { kind: 'calendarView', roles: CALENDAR, area: 'calendar', ...mailbox, handle: listCalendarView };
    }
    if (c === 'mailfolders') {
      if (lenIs(3)) return { kind: 'mailFolders', roles: MAIL, area: 'mail', ...mailbox, handle: (ctx, q, p, _r, u) => listFolders(ctx, q, p, u, null) };
      if (lenIs(4)) return { kind: 'mailFolders', roles: MAIL, area: 'mail', ...mailbox, handle: (ctx, q, _p, _r, u) => getFolder(ctx, q, u, seg[3]!) };
      if (e === 'childfolders' && lenIs(5)) {
        return { kind: 'mailFolders', roles: MAIL, area: 'mail', ...mailbox, handle: (ctx, q, p, _r, u) => listFolders(ctx, q, p, u, seg[3]!) };
      }
    }
  }
  if (a === 'groups') {
    const groups = { kind: 'groups' as const, roles: DIRECTORY_GROUPS, area: 'directory' as const };
    if (lenIs(1)) return { ...groups, handle: listGroups };
    if (lenIs(2)) return { ...groups, handle: (ctx, q) => getGroup(ctx, q, b!) };
    const cast = lenIs(4) ? Object.values(DIRECTORY_CASTS).find((t) => t.toLowerCase() === d) : undefined;
    if ((c === 'members' || c === 'transitivemembers') && (lenIs(3) || cast)) {
      return { ...groups, handle: (ctx, q, p, req) => listMembers(ctx, q, p, req, b!, c === 'transitivemembers', cast) };
    }
  }
  const bad = seg.find((s) => !['users', 'groups', 'organization'].includes(s)) ?? seg[0] ?? '';
  throw new GraphFailure(400, 'BadRequest', `Resource not found for the segment '${bad}'.`);
}

/** Answers one Graph request (plain or from a batch). Never throws. */
export async function dispatch(ctx: GraphContext, req: GraphRequest, inBatch = false): Promise<GraphResponse> {
  const requestId = newRequestId();
  const clientRequestId = req.headers['client-request-id'];
  const headers: Record<string, string> = { 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId };
  const qIndex = req.url.indexOf('?');
  const path = qIndex === -1 ? req.url : req.url.slice(0, qIndex);
  const query = new URLSearchParams(qIndex === -1 ? '' : req.url.slice(qIndex + 1));
  let kind: RequestKind = 'other';
  let release: (() => void) | undefined;
  const finish = (r: GraphResponse): GraphResponse => {
    ctx.stats.requests++;
    ctx.stats.byKind[kind] = (ctx.stats.byKind[kind] ?? 0) + 1;
    if (!r.drop) ctx.stats.byStatus[r.status] = (ctx.stats.byStatus[r.status] ?? 0) + 1;
    return r;
  };
  try {
    const auth = await ctx.identity.verify(req.headers.authorization);
    if (!auth.ok) {
      throw new GraphFailure(401, 'InvalidAuthenticationToken', auth.message, {
        'WWW-Authenticate': `Bearer realm="", authorization_uri="${ctx.graphBaseUrl().replace(/\/v1\.0$/, '')}/${ctx.identity.tenantId}/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
      });
    }
    const route = match(path, req.method.toUpperCase());
    kind = route.kind;
    const mailboxUser = route.mailboxKey === undefined ? undefined : ctx.directory.user(route.mailboxKey);
    requireRoles(auth.claims, route, mailboxUser !== undefined && hasExchangeGrant(ctx, mailboxUser, route.mailboxKey!));
    let userId = '';
    if (route.mailboxKey !== undefined) {
      const user = mailboxUser;
      if (!user) throw new GraphFailure(404, 'ErrorInvalidUser', `The requested user '${route.mailboxKey}' is invalid.`);
      userId = user.id;
      if (ctx.faults.isMailboxAccessDenied(user.id, user.mail, user.userPrincipalName, route.mailboxKey)) {
        ctx.stats.faultsInjected.accessDenied++;
        throw accessPolicyDenied();
      }
      if (ctx.faults.isMailboxDisabled(user.id, user.mail, user.userPrincipalName, route.mailboxKey)) {
        ctx.stats.faultsInjected.mailboxNotEnabled++;
        throw mailboxNotEnabled();
      }
      if (!ctx.store.hasMailbox(user.id)) throw mailboxNotEnabled();
      const limit = ctx.faults.config.mailboxConcurrencyLimit;
      release = ctx.concurrency.acquire(user.id, limit);
      ctx.stats.maxMailboxConcurrency = Math.max(ctx.stats.maxMailboxConcurrency, ctx.concurrency.maxObserved);
      if (!release) {
        ctx.stats.faultsInjected.concurrency++;
        throw new GraphFailure(429, 'ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', {
          'Retry-After': String(ctx.faults.config.retryAfterSeconds),
        });
      }
    }
    const fault = ctx.faults.draw(`${req.method.toUpperCase()} ${req.url}`);
    if (fault) {
      ctx.stats.faultsInjected[fault]++;
      switch (fault) {
        case '429':
          throw new GraphFailure(429, 'TooManyRequests', 'Too many requests. Please try again later.', {
            'Retry-After': String(ctx.faults.config.retryAfterSeconds),
          });
        case '503':
          throw new GraphFailure(503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please retry later.', {
            'Retry-After': String(ctx.faults.config.retryAfter503Seconds),
          });
        case '504':
          throw new GraphFailure(504, 'GatewayTimeout', 'The gateway did not receive a response in time.');
        case 'drop':
          // A batch sub-request cannot lose its connection; Graph reports a gateway timeout there.
          if (inBatch) throw new GraphFailure(504, 'GatewayTimeout', 'The gateway did not receive a response in time.');
          await sleep(ctx.faults.config.latencyMs);
          return finish({ status: 0, headers, drop: true });
      }
    }
    await sleep(ctx.faults.config.latencyMs);
    const body = await route.handle(ctx, query, path, req, userId);
    if (route.kind === 'calendarView' && /outlook\.timezone\s*=\s*"?(utc|etc\/utc)"?/i.test(req.headers.prefer ?? '')) {
      headers['Preference-Applied'] = 'outlook.timezone="UTC"';
    }
    return finish({ status: 200, headers: { ...headers, 'Content-Type': JSON_TYPE }, body });
  } catch (e) {
    if (e instanceof GraphFailure) {
      return finish({
        status: e.status,
        headers: { ...headers, ...e.headers, 'Content-Type': JSON_TYPE },
        body: graphErrorBody(e.code, e.message, requestId, clientRequestId),
      });
    }
    const message = isAppError(e) ? e.message : 'An internal server error occurred.';
    if (!isAppError(e)) console.error('[simulator] unexpected error', e);
    return finish({
      status: 500,
      headers: { ...headers, 'Content-Type': JSON_TYPE },
      body: graphErrorBody('InternalServerError', message, requestId, clientRequestId),
    });
  } finally {
    release?.();
  }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

function mailboxNotEnabled(): GraphFailure {
  return new GraphFailure(404, 'MailboxNotEnabledForRESTAPI', 'The mailbox is either inactive, soft-deleted, or is hosted on-premise.');
}

/**
 * A mailbox outside the tenant's Exchange application access policy ("restrict or deny access to
 * a specific set of mailboxes by an application that uses ... Microsoft Graph"). Graph answers
 * 403 with this code and message, as apps report it, whatever the token's roles.
 * https://learn.microsoft.com/powershell/module/exchange/new-applicationaccesspolicy
 */
function accessPolicyDenied(): GraphFailure {
  return new GraphFailure(403, 'ErrorAccessDenied', 'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.');
}

/**
 * RBAC for Applications in Exchange Online: an Exchange role assignment (e.g. "Application
 * Mail.ReadBasic" with a management scope) grants the app a mailbox without any Entra role in
 * its token. These grants are "independent of the unscoped grants in Microsoft Entra ID", so an
 * Entra role still reaches every mailbox.
 * https://learn.microsoft.com/exchange/permissions-exo/application-rbac
 */
function hasExchangeGrant(ctx: GraphContext, user: FixtureUser, key: string): boolean {
  const scope = ctx.exchangeRbacScope();
  if (!scope) return false;
  return [user.id, user.mail, user.userPrincipalName, key].some((k) => k && scope.has(k.toLowerCase()));
}

function requireRoles(claims: TokenClaims, route: Route, exchangeGrant: boolean): void {
  const granted = new Set(claims.roles ?? []);
  if (route.roles.some((r) => granted.has(r))) return;
  if (route.area === 'directory') {
    throw new GraphFailure(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  }
  if (exchangeGrant) return;
  throw new GraphFailure(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
}

// ---------------------------------------------------------------------------
// Paging helper for in-memory lists
// ---------------------------------------------------------------------------

function page<T>(ctx: GraphContext, items: T[], q: URLSearchParams, path: string, def: number, max: number): { slice: T[]; next?: string } {
  const top = parseTop(queryOption(q, 'top'), def, max);
  const offset = decodeSkipToken(queryOption(q, 'skiptoken'), queryFingerprint(path, q));
  const slice = items.slice(offset, offset + top);
  return offset + top < items.length ? { slice, next: nextLink(ctx.graphBaseUrl(), path, q, offset + top) } : { slice };
}

function collection(ctx: GraphContext, context: string, value: unknown[], next?: string, count?: number): Record<string, unknown> {
  const body: Record<string, unknown> = { '@odata.context': `${ctx.graphBaseUrl()}/$metadata#${context}` };
  if (count !== undefined) body['@odata.count'] = count;
  body.value = value;
  if (next) body['@odata.nextLink'] = next;
  return body;
}

// ---------------------------------------------------------------------------
// Directory handlers
// ---------------------------------------------------------------------------

function listOrganization(ctx: GraphContext): unknown {
  const o = ctx.store.organization;
  const def = o.verifiedDomains.find((d) => d.isDefault)?.name ?? o.verifiedDomains[0]!.name;
  return collection(ctx, 'organization', [
    {
      ...o,
      verifiedDomains: o.verifiedDomains.map((d) => ({
        capabilities: 'Email, OfficeCommunicationsOnline',
        isInitial: d.name.endsWith('.onmicrosoft.com'),
        type: 'Managed',
        ...d,
        isDefault: d.isDefault ?? d.name === def,
      })),
    },
  ]);
}

function listUsers(ctx: GraphContext, q: URLSearchParams, path: string): unknown {
  const select = parseSelect(queryOption(q, 'select'), ctx.directory.userKnownProps, 'user');
  const filter = parseDirectoryFilter(queryOption(q, 'filter'));
  const users = ctx.store.users.filter((u) => !filter || filter(u as Record<string, unknown>));
  const { slice, next } = page(ctx, users, q, path, 100, 999);
  return collection(ctx, 'users', slice.map((u) => projectUser(u, select)), next);
}

function getUser(ctx: GraphContext, q: URLSearchParams, key: string): unknown {
  const select = parseSelect(queryOption(q, 'select'), ctx.directory.userKnownProps, 'user');
  const u = ctx.directory.user(key);
  if (!u) throw notFound(key);
  return { '@odata.context': `${ctx.graphBaseUrl()}/$metadata#users/$entity`, ...projectUser(u, select) };
}

function notFound(id: string): GraphFailure {
  return new GraphFailure(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
}

function listGroups(ctx: GraphContext, q: URLSearchParams, path: string): unknown {
  const select = parseSelect(queryOption(q, 'select'), ctx.directory.groupKnownProps, 'group');
  const filter = parseDirectoryFilter(queryOption(q, 'filter'));
  const groups = ctx.store.groups.filter((g) => !filter || filter(g as Record<string, unknown>));
  const { slice, next } = page(ctx, groups, q, path, 100, 999);
  return collection(ctx, 'groups', slice.map((g) => projectGroup(g, select)), next);
}

function getGroup(ctx: GraphContext, q: URLSearchParams, id: string): unknown {
  const select = parseSelect(queryOption(q, 'select'), ctx.directory.groupKnownProps, 'group');
  const g = ctx.directory.group(id);
  if (!g) throw notFound(id);
  return { '@odata.context': `${ctx.graphBaseUrl()}/$metadata#groups/$entity`, ...projectGroup(g, select) };
}

/**
 * The advanced query parameters of directory objects: header `ConsistencyLevel: eventual` and
 * `$count=true`. https://learn.microsoft.com/graph/aad-advanced-queries
 */
function isAdvancedQuery(q: URLSearchParams, req: GraphRequest): boolean {
  return /^\s*eventual\s*$/i.test(req.headers.consistencylevel ?? '') && /^true$/i.test(queryOption(q, 'count') ?? '');
}

/**
 * `/groups/{id}/members` and `/transitiveMembers`, optionally cast to one type. Without a cast
 * Graph returns every object type (users, groups, org contacts), each with its `@odata.type`;
 * a cast (e.g. `/microsoft.graph.user`) is an advanced query, refused without both advanced
 * parameters ("Use of OData cast with transitive members list" in the advanced-queries table).
 * Graph's exact text for a refused cast is not documented; this is the documented form it uses
 * for other advanced-only operators.
 * https://learn.microsoft.com/graph/api/group-list-transitivemembers
 * https://learn.microsoft.com/graph/aad-advanced-queries#error-handling-for-advanced-queries-on-directory-objects
 */
function listMembers(
  ctx: GraphContext,
  q: URLSearchParams,
  path: string,
  req: GraphRequest,
  groupId: string,
  transitive: boolean,
  cast: (typeof DIRECTORY_CASTS)[keyof typeof DIRECTORY_CASTS] | undefined,
): unknown {
  if (!ctx.directory.group(groupId)) throw notFound(groupId);
  const advanced = isAdvancedQuery(q, req);
  if (cast && !advanced) {
    throw new GraphFailure(
      400,
      'Request_UnsupportedQuery',
      `OData cast '${cast}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
    );
  }
  const d = ctx.directory;
  const known = cast === DIRECTORY_CASTS.user ? d.userKnownProps : cast === DIRECTORY_CASTS.group ? d.groupKnownProps : cast === DIRECTORY_CASTS.contact ? d.contactKnownProps : [...new Set([...d.userKnownProps, ...d.groupKnownProps, ...d.contactKnownProps])];
  const select = parseSelect(queryOption(q, 'select'), known, cast ? cast.replace('microsoft.graph.', '') : 'directoryObject');
  let members: DirectoryObject[] = transitive ? d.transitiveMembers(groupId) : d.directMembers(groupId);
  if (cast) members = members.filter((m) => DIRECTORY_CASTS[m.kind] === cast);
  const filter = parseDirectoryFilter(queryOption(q, 'filter'));
  if (filter) members = members.filter((m) => filter(objectRecord(m)));
  const { slice, next } = page(ctx, members, q, path, 100, 999);
  const rel = transitive ? 'transitiveMembers' : 'members';
  // Without the advanced parameters Graph silently ignores $count=true.
  return collection(ctx, `directoryObjects/${rel}${cast ? `/${cast}` : ''}`, slice.map((m) => projectObject(m, select, d)), next, advanced ? members.length : undefined);
}

// ---------------------------------------------------------------------------
// Mail folders
// ---------------------------------------------------------------------------

const FOLDER_PROPS = ['id', 'displayName', 'parentFolderId', 'childFolderCount', 'unreadItemCount', 'totalItemCount', 'sizeInBytes', 'isHidden'];

function rootId(folders: readonly FixtureMailFolder[], userId: string): string {
  return folders.find((f) => f.wellKnownName?.toLowerCase() === 'msgfolderroot')?.id ?? `msgfolderroot-${userId}`;
}

function folderView(f: FixtureMailFolder, all: readonly FixtureMailFolder[], counts: ReadonlyMap<string, number>, root: string, select: string[] | undefined): Record<string, unknown> {
  const full: Record<string, unknown> = {
    id: f.id,
    displayName: f.displayName,
    parentFolderId: f.parentFolderId ?? (f.id === root ? null : root),
    childFolderCount: all.filter((c) => c.parentFolderId === f.id).length,
    unreadItemCount: 0,
    totalItemCount: counts.get(f.id) ?? 0,
    sizeInBytes: 0,
    isHidden: f.isHidden ?? false,
  };
  if (!select) return full;
  const out: Record<string, unknown> = { id: f.id };
  for (const k of select) out[k] = full[k];
  return out;
}

async function listFolders(ctx: GraphContext, q: URLSearchParams, path: string, userId: string, parentKey: string | null): Promise<unknown> {
  const mb = await ctx.store.mailbox(userId);
  const select = parseSelect(queryOption(q, 'select'), FOLDER_PROPS, 'mailFolder');
  const root = rootId(mb.mailFolders, userId);
  const parent = parentKey === null ? root : resolveFolder(mb.mailFolders, parentKey, root).id;
  const includeHidden = /^true$/i.test(queryOption(q, 'includeHiddenFolders') ?? '');
  const children = mb.mailFolders.filter(
    (f) => f.id !== root && (f.parentFolderId ?? root) === parent && (includeHidden || !f.isHidden),
  );
  const { slice, next } = page(ctx, children, q, path, 10, 999);
  return collection(ctx, `users('${userId}')/mailFolders`, slice.map((f) => folderView(f, mb.mailFolders, mb.folderItemCounts, root, select)), next);
}

function resolveFolder(folders: readonly FixtureMailFolder[], key: string, root: string): FixtureMailFolder {
  const lower = key.toLowerCase();
  if (lower === 'msgfolderroot' || key === root) {
    return folders.find((f) => f.id === root) ?? { id: root, displayName: 'Top of Information Store', parentFolderId: null };
  }
  const f = folders.find((x) => x.id === key) ?? folders.find((x) => x.wellKnownName?.toLowerCase() === lower);
  if (!f) throw new GraphFailure(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  return f;
}

async function getFolder(ctx: GraphContext, q: URLSearchParams, userId: string, key: string): Promise<unknown> {
  const mb = await ctx.store.mailbox(userId);
  const select = parseSelect(queryOption(q, 'select'), FOLDER_PROPS, 'mailFolder');
  const root = rootId(mb.mailFolders, userId);
  const f = resolveFolder(mb.mailFolders, key, root);
  return { '@odata.context': `${ctx.graphBaseUrl()}/$metadata#users('${userId}')/mailFolders/$entity`, ...folderView(f, mb.mailFolders, mb.folderItemCounts, root, select) };
}

// ---------------------------------------------------------------------------
// Messages and calendarView
// ---------------------------------------------------------------------------

type Recipient = { emailAddress?: { name?: string | null; address?: string | null } | null } | null | undefined;

function recipient(r: Recipient): unknown {
  if (!r) return null;
  return { emailAddress: { name: r.emailAddress?.name ?? r.emailAddress?.address ?? null, address: r.emailAddress?.address ?? null } };
}

const RECIPIENT_LISTS = new Set(['toRecipients', 'ccRecipients', 'bccRecipients']);

/**
 * Builds a new object from allow-listed fields only: nothing else in the fixture can leak.
 * A derived type (meeting messages: `#microsoft.graph.eventMessage*`) carries `@odata.type`
 * even under `$select`, as OData minimal metadata requires for an entity whose type differs from
 * the collection's; a plain message carries none.
 * https://learn.microsoft.com/graph/api/resources/eventmessage
 * https://docs.oasis-open.org/odata/odata-json-format/v4.01/odata-json-format-v4.01.html#sec_ControlInformationtypeodatatype
 */
export function projectMessage(m: FixtureMessage, select: readonly string[]): Record<string, unknown> {
  const src = m as Record<string, unknown>;
  const type = m['@odata.type'];
  const out: Record<string, unknown> = type && type !== '#microsoft.graph.message' ? { '@odata.type': type, id: m.id } : { id: m.id };
  for (const k of select) {
    if (k === 'id') continue;
    if (RECIPIENT_LISTS.has(k)) out[k] = ((src[k] as Recipient[] | null | undefined) ?? []).map(recipient);
    else if (k === 'from' || k === 'sender') out[k] = recipient(src[k] as Recipient);
    else out[k] = src[k] ?? (k === 'isDraft' ? false : null);
  }
  return out;
}

async function listMessages(ctx: GraphContext, q: URLSearchParams, path: string, _req: GraphRequest, userId: string): Promise<unknown> {
  const select = parseAllowListedSelect(queryOption(q, 'select'), MESSAGE_SELECT_ALLOW_LIST, 'messages');
  const filter = parseMessageFilter(queryOption(q, 'filter'));
  const desc = parseMessageOrderBy(queryOption(q, 'orderby'), filter);
  const { range } = filter;
  const top = parseTop(queryOption(q, 'top'), 10, 1000);
  const offset = decodeSkipToken(queryOption(q, 'skiptoken'), queryFingerprint(path, q));
  const mb = await ctx.store.mailbox(userId);
  const churnRate = ctx.faults.config.churnRate;
  let live = ctx.live.get(userId);
  if (!live && churnRate > 0) live = ctx.live.open(mb, ctx.faults.config.seed, ctx.directory.user(userId)?.mail ?? undefined);
  let items: FixtureMessage[] = [];
  let lines: MessageLines | undefined;
  let total: number;
  if (live || filter.predicate) {
    // A changed mailbox, or $filter clauses beyond the range: list through the overlay.
    const view = live ?? new LiveMailbox(mb, 0, undefined);
    const r = await view.servePage({ range, predicate: filter.predicate, desc, offset, top }, live ? churnRate : 0);
    items = r.items;
    total = r.total;
    ctx.stats.faultsInjected.churn += r.churned;
  } else {
    // The unchanged mailbox: positions in the sorted index, read straight from the store.
    const lo = lowerBound(mb.messageReceived, range.fromMs);
    const hi = Math.max(lo, lowerBound(mb.messageReceived, range.toMs));
    total = hi - lo;
    const n = Math.max(0, Math.min(top, total - offset));
    if (n > 0) {
      const [from, to] = desc ? [hi - offset - n, hi - offset] : [lo + offset, lo + offset + n];
      if (mb.readMessageLines) lines = await mb.readMessageLines(from, to);
      else items = desc ? (await mb.readMessages(from, to)).reverse() : await mb.readMessages(from, to);
    }
  }
  const n = lines ? lines.start.length : items.length;
  ctx.stats.messagesServed += n;
  const next = offset + n < total ? nextLink(ctx.graphBaseUrl(), path, q, offset + n) : undefined;
  const context = `users('${userId}')/messages(${select.join(',')})`;
  if (lines) return messagePage(ctx, context, lines, desc, select, next);
  return collection(ctx, context, items.map((m) => projectMessage(m, select)), next);
}

/** Reused by every page: scanning is synchronous, so one line state serves them all. */
const scannedLine = new MessageLine();
const OPEN_PAGE = Buffer.from('{"@odata.context":');
const OPEN_VALUE = Buffer.from(',"value":[');
const THEN_NEXT_LINK = Buffer.from('],"@odata.nextLink":');

/**
 * `collection(…)` of projected messages, written as JSON bytes straight from the fixture's lines
 * (message-json.ts): the same text as JSON.stringify of the object form, without building the
 * objects. A line the byte scan is unsure of is parsed and projected as objects.
 */
function messagePage(ctx: GraphContext, context: string, lines: MessageLines, desc: boolean, select: readonly string[], next: string | undefined): JsonBody {
  const projection = compileMessageProjection(select);
  const out = new JsonBytes(lines.bytes + 1024);
  try {
    out.bytes(OPEN_PAGE);
    out.text(JSON.stringify(`${ctx.graphBaseUrl()}/$metadata#${context}`));
    out.bytes(OPEN_VALUE);
    const n = lines.start.length;
    for (let j = 0; j < n; j++) {
      const k = desc ? n - 1 - j : j;
      if (j > 0) out.byte(0x2c);
      const start = lines.start[k]!;
      const end = lines.end[k]!;
      const layout = lines.layout;
      if (layout && hasLayout(layout, LAYOUT_WORDS * k)) writeLayoutMessage(lines.buf, start, layout, LAYOUT_WORDS * k, projection, out);
      else if (scannedLine.scan(lines.buf, start, end)) writeProjectedMessage(scannedLine, projection, out);
      else out.text(JSON.stringify(projectMessage(JSON.parse(lines.buf.toString('utf8', start, end)) as FixtureMessage, select)));
    }
    if (next) {
      out.bytes(THEN_NEXT_LINK);
      out.text(JSON.stringify(next));
    } else out.byte(0x5d);
    out.byte(0x7d);
  } catch (e) {
    out.release();
    throw e;
  } finally {
    lines.release();
  }
  return new JsonBody(out.result(), () => out.release());
}

function parseQueryDate(raw: string | undefined, name: string): number {
  if (raw === undefined || raw.trim() === '') {
    throw new GraphFailure(400, 'ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
  }
  const s = raw.trim().replace(/ (\d\d:?\d\d)$/, '+$1');
  const ms = Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(s) || s.length <= 10 ? s : `${s}Z`);
  if (Number.isNaN(ms)) throw new GraphFailure(400, 'ErrorInvalidParameter', `The value '${raw}' of parameter '${name}' is invalid.`);
  return ms;
}

function utcDateTime(ms: number): { dateTime: string; timeZone: string } {
  return { dateTime: new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000'), timeZone: 'UTC' };
}

/** Graph's value for a time it does not know. */
const UNKNOWN_TIME = '0001-01-01T00:00:00Z';

/** The lower-case addresses a mailbox owner is known by: mail, UPN and SMTP proxy addresses. */
export function ownerAddresses(user: FixtureUser | undefined): Set<string> {
  const out = new Set<string>();
  if (!user) return out;
  for (const a of [user.mail, user.userPrincipalName, ...(user.proxyAddresses ?? []).map((p) => p.replace(/^smtp:/i, ''))]) {
    if (a) out.add(a.toLowerCase());
  }
  return out;
}

/**
 * The holder's own answer on their copy. Graph always returns `responseStatus`; when the fixture's
 * copy has none it is derived: `organizer` on the organizer's copy, else the holder's own attendee
 * entry, else `none`.
 * https://learn.microsoft.com/graph/api/resources/responsestatus
 */
function holderResponse(e: FixtureEvent, holder: ReadonlySet<string>): { response: string; time: string } {
  if (e.responseStatus?.response) return { response: e.responseStatus.response, time: e.responseStatus.time ?? UNKNOWN_TIME };
  const organizer = e.organizer?.emailAddress?.address?.toLowerCase();
  if (organizer && holder.has(organizer)) return { response: 'organizer', time: UNKNOWN_TIME };
  const own = (e.attendees ?? []).find((a) => holder.has(a.emailAddress?.address?.toLowerCase() ?? ''));
  if (own) return { response: own.status?.response ?? 'none', time: own.status?.time ?? UNKNOWN_TIME };
  return { response: 'none', time: UNKNOWN_TIME };
}

/** `holder`: the calendar owner's addresses (see `ownerAddresses`), for `responseStatus`. */
export function projectEvent(e: FixtureEvent, select: readonly string[], holder: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const src = e as Record<string, unknown>;
  const out: Record<string, unknown> = { id: e.id };
  for (const k of select) {
    switch (k) {
      case 'id':
        break;
      case 'start':
      case 'end':
        out[k] = utcDateTime(dateTimeTimeZoneToMs(e[k]));
        break;
      case 'organizer':
        out[k] = recipient(e.organizer);
        break;
      case 'attendees':
        out[k] = (e.attendees ?? []).map((a) => ({
          type: a.type ?? 'required',
          status: { response: a.status?.response ?? 'none', time: a.status?.time ?? UNKNOWN_TIME },
          emailAddress: (recipient({ emailAddress: a.emailAddress }) as { emailAddress: unknown }).emailAddress,
        }));
        break;
      case 'type':
        out[k] = e.type ?? 'singleInstance';
        break;
      case 'responseStatus':
        out[k] = holderResponse(e, holder);
        break;
      case 'isCancelled':
      case 'isAllDay':
        out[k] = src[k] ?? false;
        break;
      default:
        out[k] = src[k] ?? null;
    }
  }
  return out;
}

async function listCalendarView(ctx: GraphContext, q: URLSearchParams, path: string, _req: GraphRequest, userId: string): Promise<unknown> {
  const start = parseQueryDate(queryOption(q, 'startDateTime'), 'startDateTime');
  const end = parseQueryDate(queryOption(q, 'endDateTime'), 'endDateTime');
  if (end <= start) throw new GraphFailure(400, 'ErrorInvalidParameter', 'The parameter EndDateTime must be later than StartDateTime.');
  if (end - start > MAX_CALENDAR_DAYS * DAY_MS) {
    throw new GraphFailure(400, 'ErrorInvalidParameter', `The time range between StartDateTime and EndDateTime must not exceed ${MAX_CALENDAR_DAYS} days.`);
  }
  const select = parseAllowListedSelect(queryOption(q, 'select'), EVENT_SELECT_ALLOW_LIST, 'calendarView');
  const top = parseTop(queryOption(q, 'top'), 10, 1000);
  const offset = decodeSkipToken(queryOption(q, 'skiptoken'), queryFingerprint(path, q));
  const mb = await ctx.store.mailbox(userId);
  // Instances overlapping [start, end): start < end of range and end > start of range.
  const positions: number[] = [];
  for (let i = 0; i < mb.eventCount && mb.eventStart[i]! < end; i++) {
    const s = mb.eventStart[i]!;
    const e = mb.eventEnd[i]!;
    if (e > start || (e === s && s >= start)) positions.push(i);
  }
  const pagePositions = positions.slice(offset, offset + top);
  const items = await mb.readEvents(pagePositions);
  ctx.stats.eventsServed += items.length;
  const next = offset + top < positions.length ? nextLink(ctx.graphBaseUrl(), path, q, offset + top) : undefined;
  const holder = ownerAddresses(ctx.directory.user(userId));
  return collection(ctx, `users('${userId}')/calendarView(${select.join(',')})`, items.map((e) => projectEvent(e, select, holder)), next);
}

// ---------------------------------------------------------------------------
// $batch
// ---------------------------------------------------------------------------

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

/**
 * JSON batching: ≤ 20 sub-requests, each through `dispatch`, each throttled and answered on its
 * own (a 429 member carries its own Retry-After while the envelope is 200), as
 * https://learn.microsoft.com/graph/json-batching and
 * https://learn.microsoft.com/graph/throttling ("Throttling and batching") describe.
 */
export async function dispatchBatch(ctx: GraphContext, body: unknown, outer: Record<string, string | undefined>): Promise<GraphResponse> {
  const requestId = newRequestId();
  const fail = (message: string): GraphResponse => ({
    status: 400,
    headers: { 'request-id': requestId, 'Content-Type': JSON_TYPE },
    body: graphErrorBody('BadRequest', message, requestId, outer['client-request-id']),
  });
  const requests = (body as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) return fail('Invalid batch payload format: a non-empty "requests" array is required.');
  if (requests.length > 20) return fail('Invalid batch payload format: the number of batch requests exceeds the limit of 20.');
  const items = requests as BatchItem[];
  const ids = new Set<string>();
  for (const r of items) {
    if (typeof r?.id !== 'string' || r.id === '' || typeof r.url !== 'string' || typeof r.method !== 'string') {
      return fail('Invalid batch payload format: every request needs a string id, method and url.');
    }
    if (ids.has(r.id)) return fail(`Invalid batch payload format: duplicate request id '${r.id}'.`);
    ids.add(r.id);
  }
  const run = async (r: BatchItem): Promise<{ id: string; status: number; headers: Record<string, string>; body: unknown }> => {
    const url = r.url.startsWith('/') ? r.url : `/${r.url}`;
    const headers: Record<string, string | undefined> = { authorization: outer.authorization };
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = v;
    const res = await dispatch(ctx, { method: r.method, url: url.replace(/^\/v1\.0(?=\/)/, ''), headers, body: r.body }, true);
    // A member's body is nested in the envelope's JSON, so a pre-serialised one goes back to objects.
    let body = res.body;
    if (body instanceof JsonBody) {
      body = JSON.parse(body.bytes.toString('utf8')) as unknown;
      (res.body as JsonBody).release();
    }
    return { id: r.id, status: res.status, headers: res.headers, body };
  };
  // Without dependsOn, Graph runs sub-requests concurrently (so the per-mailbox limit applies among them).
  const sequential = items.some((r) => (r.dependsOn ?? []).length > 0);
  const responses = sequential ? [] : await Promise.all(items.map(run));
  if (sequential) for (const r of items) responses.push(await run(r));
  return { status: 200, headers: { 'request-id': requestId, 'Content-Type': JSON_TYPE }, body: { responses } };
}
