/**
 * The small part of OData that Rapport sends: `$select`, the message `$filter` and `$orderby`
 * forms, `$top`, and an opaque `$skiptoken`. Plus Graph's error JSON.
 */
import { randomUUID } from 'node:crypto';

/**
 * DESIGN.md §5: the only fields a message request may select. Written out here on purpose rather
 * than imported from api/src/graph/select.ts: the simulator checks the collector independently,
 * so a change to the collector's list fails against it instead of silently widening both.
 */
export const MESSAGE_SELECT_ALLOW_LIST = [
  'id',
  'conversationId',
  'conversationIndex',
  'internetMessageId',
  'from',
  'sender',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'sentDateTime',
  'receivedDateTime',
  'isDraft',
  'parentFolderId',
] as const;

/** DESIGN.md §5: the only fields a calendar request may select. */
export const EVENT_SELECT_ALLOW_LIST = [
  'id',
  'iCalUId',
  'type',
  'seriesMasterId',
  'isCancelled',
  'isAllDay',
  'organizer',
  'attendees',
  'responseStatus',
  'start',
  'end',
] as const;

/** Never selectable, named in the 400 so the caller sees what to drop. */
export const FORBIDDEN_FIELDS = ['subject', 'body', 'bodyPreview', 'uniqueBody', 'internetMessageHeaders'] as const;

/** A Graph-shaped failure, returned as a value by handlers. */
export class GraphFailure {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

export function graphErrorBody(code: string, message: string, requestId: string, clientRequestId?: string): unknown {
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
        'request-id': requestId,
        'client-request-id': clientRequestId ?? requestId,
      },
    },
  };
}

export function newRequestId(): string {
  return randomUUID();
}

/** Reads a query option case-insensitively, with or without the `$` prefix. */
export function queryOption(query: URLSearchParams, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of query) {
    const key = k.toLowerCase();
    if (key === `$${want}` || key === want) return v;
  }
  return undefined;
}

/**
 * Parses `$select` against an allow-list. Graph property names are case-insensitive; the
 * canonical spelling is returned. Missing `$select` or any field outside the list → 400.
 */
export function parseAllowListedSelect(raw: string | undefined, allow: readonly string[], entity: string): string[] {
  if (raw === undefined || raw.trim() === '') {
    throw new GraphFailure(
      400,
      'ErrorInvalidParameter',
      `This simulator requires $select on ${entity} requests; allowed fields: ${allow.join(', ')}.`,
    );
  }
  const byLower = new Map(allow.map((f) => [f.toLowerCase(), f]));
  const out: string[] = [];
  for (const part of raw.split(',')) {
    const name = part.trim();
    if (name === '') continue;
    const canonical = byLower.get(name.toLowerCase());
    if (!canonical) {
      const forbidden = FORBIDDEN_FIELDS.some((f) => f.toLowerCase() === name.toLowerCase());
      throw new GraphFailure(
        400,
        'ErrorInvalidParameter',
        forbidden
          ? `Selecting '${name}' is forbidden: Rapport never reads message content. Allowed fields: ${allow.join(', ')}.`
          : `Could not find a property named '${name}' in the allow-list for ${entity}. Allowed fields: ${allow.join(', ')}.`,
      );
    }
    if (!out.includes(canonical)) out.push(canonical);
  }
  return out;
}

/** Parses a free `$select` (directory objects): known names only, case-insensitive. */
export function parseSelect(raw: string | undefined, known: readonly string[], type: string): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const byLower = new Map(known.map((f) => [f.toLowerCase(), f]));
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((name) => {
      const c = byLower.get(name.toLowerCase());
      if (!c) throw new GraphFailure(400, 'Request_BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.${type}'.`);
      return c;
    });
}

export interface TimeRange {
  /** Inclusive lower bound in epoch ms (use -Infinity when absent). */
  fromMs: number;
  /** Exclusive upper bound in epoch ms (Infinity when absent). */
  toMs: number;
}

/** A message `$filter`: the `receivedDateTime` range, plus any other clauses as a predicate. */
export interface MessageFilter {
  range: TimeRange;
  /** Property names in the order they appear in `$filter` (canonical spelling, duplicates kept once). */
  properties: string[];
  /** Clauses on properties other than `receivedDateTime`; undefined when there are none. */
  predicate?: (m: { isDraft?: boolean | null; parentFolderId?: string | null }) => boolean;
}

const DATE_LITERAL = String.raw`(\d{4}-\d{2}-\d{2}(?:T[0-9:.]+)?(?:Z|[+-]\d{2}:\d{2})?)`;
const RECEIVED_CLAUSE = new RegExp(String.raw`^receivedDateTime\s+(ge|gt|le|lt|eq)\s+'?${DATE_LITERAL}'?$`, 'i');
const IS_DRAFT_CLAUSE = /^isDraft\s+eq\s+(true|false)$/i;
const FOLDER_CLAUSE = /^parentFolderId\s+eq\s+'((?:[^']|'')*)'$/i;

function invalidFilter(): GraphFailure {
  return new GraphFailure(
    400,
    'ErrorInvalidUrlQueryFilter',
    `The query filter contains one or more invalid nodes. Supported: receivedDateTime ge|gt|le|lt|eq <ISO date-time>, isDraft eq true|false and parentFolderId eq '<id>', joined by 'and'.`,
  );
}

/**
 * The `$filter` forms accepted on messages: `receivedDateTime ge X and receivedDateTime lt Y`
 * (any of ge/gt/le/lt/eq, any number of clauses, so keyset paging's `… le <last seen>` works),
 * and, so that `$orderby` can be checked as Graph checks it, `isDraft eq true|false` and
 * `parentFolderId eq '<id>'`. Anything else → 400 like Graph.
 */
export function parseMessageFilter(raw: string | undefined): MessageFilter {
  const range: TimeRange = { fromMs: -Infinity, toMs: Infinity };
  const properties: string[] = [];
  const tests: ((m: { isDraft?: boolean | null; parentFolderId?: string | null }) => boolean)[] = [];
  const saw = (p: string): void => {
    if (!properties.includes(p)) properties.push(p);
  };
  if (raw === undefined || raw.trim() === '') return { range, properties };
  for (const part of raw.trim().split(/\s+and\s+/i)) {
    const clause = part.trim().replace(/^\((.*)\)$/, '$1').trim();
    const draft = IS_DRAFT_CLAUSE.exec(clause);
    if (draft) {
      const want = draft[1]!.toLowerCase() === 'true';
      saw('isDraft');
      tests.push((m) => (m.isDraft ?? false) === want);
      continue;
    }
    const folder = FOLDER_CLAUSE.exec(clause);
    if (folder) {
      const want = folder[1]!.replace(/''/g, "'");
      saw('parentFolderId');
      tests.push((m) => m.parentFolderId === want);
      continue;
    }
    const m = RECEIVED_CLAUSE.exec(clause);
    const ms = m ? Date.parse(m[2]!.length === 10 ? `${m[2]}T00:00:00Z` : /Z|[+-]\d{2}:\d{2}$/.test(m[2]!) ? m[2]! : `${m[2]}Z`) : NaN;
    if (!m || Number.isNaN(ms)) throw invalidFilter();
    saw('receivedDateTime');
    // Graph's resolution is a millisecond; gt/le shift the bound by one.
    switch (m[1]!.toLowerCase()) {
      case 'ge':
        range.fromMs = Math.max(range.fromMs, ms);
        break;
      case 'gt':
        range.fromMs = Math.max(range.fromMs, ms + 1);
        break;
      case 'lt':
        range.toMs = Math.min(range.toMs, ms);
        break;
      case 'le':
        range.toMs = Math.min(range.toMs, ms + 1);
        break;
      case 'eq':
        range.fromMs = Math.max(range.fromMs, ms);
        range.toMs = Math.min(range.toMs, ms + 1);
        break;
    }
  }
  return tests.length === 0 ? { range, properties } : { range, properties, predicate: (x) => tests.every((t) => t(x)) };
}

/**
 * `$orderby` on messages: only `receivedDateTime [asc|desc]`. With a `$filter`, Graph requires
 * the `$orderby` properties to appear in `$filter` too, first and in the same order; otherwise
 * 400 InefficientFilter. Returns true for descending.
 * https://learn.microsoft.com/graph/api/user-list-messages#using-filter-and-orderby-in-the-same-query
 * https://devblogs.microsoft.com/microsoft365dev/update-to-filtering-and-sorting-rest-api/
 */
export function parseMessageOrderBy(raw: string | undefined, filter: MessageFilter): boolean {
  if (raw === undefined || raw.trim() === '') return false;
  const orderBy = raw.trim().toLowerCase().replace(/\s+/g, ' ');
  const desc = orderBy === 'receiveddatetime desc';
  if (!desc && orderBy !== 'receiveddatetime' && orderBy !== 'receiveddatetime asc') {
    throw new GraphFailure(400, 'ErrorInvalidParameter', `Unsupported $orderby '${raw.trim()}': this simulator sorts messages by receivedDateTime asc|desc only.`);
  }
  if (filter.properties.length > 0 && filter.properties[0] !== 'receivedDateTime') {
    throw new GraphFailure(400, 'InefficientFilter', 'The restriction or sort order is too complex for this operation.');
  }
  return desc;
}

/** Parses `$top`: default when absent, 400 when not an integer in [1, max]. */
export function parseTop(raw: string | undefined, def: number, max: number): number {
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new GraphFailure(400, 'ErrorInvalidParameter', `The value '${raw}' of parameter '$top' is invalid: it must be an integer between 1 and ${max}.`);
  }
  return n;
}

/** Cursor state carried by `$skiptoken`: the offset plus a fingerprint of the query it belongs to. */
interface SkipToken {
  o: number;
  q: string;
}

export function encodeSkipToken(offset: number, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: fingerprint } satisfies SkipToken)).toString('base64url');
}

/** Returns the offset, or throws 400 when the token is malformed or belongs to another query. */
export function decodeSkipToken(raw: string | undefined, fingerprint: string): number {
  if (raw === undefined) return 0;
  try {
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as SkipToken;
    if (typeof t.o === 'number' && Number.isInteger(t.o) && t.o >= 0 && t.q === fingerprint) return t.o;
  } catch {
    // fall through
  }
  throw new GraphFailure(400, 'BadRequest', 'The $skiptoken is not valid for this request. Follow @odata.nextLink verbatim.');
}

/** Query string without `$skiptoken`, in a stable order: the fingerprint of a paged query. */
export function queryFingerprint(path: string, query: URLSearchParams): string {
  const pairs = [...query].filter(([k]) => k.toLowerCase().replace(/^\$/, '') !== 'skiptoken');
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${path}?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`;
}

/** Absolute nextLink: the same query with `$skiptoken` replaced. */
export function nextLink(baseUrl: string, path: string, query: URLSearchParams, offset: number): string {
  const q = new URLSearchParams([...query].filter(([k]) => k.toLowerCase().replace(/^\$/, '') !== 'skiptoken'));
  q.set('$skiptoken', encodeSkipToken(offset, queryFingerprint(path, query)));
  // Graph keeps `$` literal in its links.
  return `${baseUrl}${path}?${q.toString().replace(/%24/g, '$')}`;
}
