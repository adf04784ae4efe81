/**
 * What a log line may not carry (shared/DESIGN.md §8): credentials and people's addresses.
 * Every entry goes through `redactEntry` before pino sees it, so the rule holds for any caller,
 * including an error message that quotes a Graph response or a token endpoint's body.
 *
 * - A field whose name says it holds a credential (`*token*`, `*secret*`, `*password*`,
 *   `authorization`, `cookie`, `*apikey*`, `*credential*`, `*assertion*`) keeps only whether
 *   it was set: its value becomes `[redacted]`, whatever its type (null, undefined and
 *   booleans stay: they tell whether something was set, never what).
 * - In every string (the message, field values at any depth, errors' messages and stacks):
 *   `Bearer`/`Basic` credentials, JWTs, credentials in URLs (`https://user:pass@host`), and
 *   `token=…`, `client_secret=…`, `"password": "…"` pairs in query strings, form bodies and
 *   quoted JSON are replaced; email addresses keep the first letter of the local part and the
 *   domain (`j***@fabrikam.com`): enough to tell tenants and typos apart, not to name a person.
 * - Errors become `{ type, message, code?, status?, stack?, cause? }`, redacted the same way
 *   (JSON would otherwise drop their non-enumerable message and stack).
 */

export const REDACTED = '[redacted]';

/** Field names that hold credentials. Matched anywhere in the name, case-insensitively. */
const SECRET_FIELD = /token|secret|passw(or)?d|authori[sz]ation|cookie|api[-_]?key|credential|assertion/i;

/** Nesting kept; deeper values are cut (a log line is not a data dump). */
const MAX_DEPTH = 8;

/**
 * An address, also URL-encoded (`%40`, as in Graph's `/users/{address}` paths). The local part
 * takes no `/`, `=` or `%`, so a path or query before an address is not swallowed into it.
 */
const EMAIL = /([A-Za-z0-9_+-][A-Za-z0-9._+-]*)(@|%40)((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,})/gi;
/** 16 characters at least: real credentials are long, and "the bearer token expired" stays readable. */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]{16,}=*/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;
/** `name=value` in a query string or form body; `name` ends like a credential's name. */
// `AccountKey=` and `SharedAccessSignature=` are Azure Storage connection-string parts (`;`-separated).
const PAIR = /\b([A-Za-z0-9_-]*(?:token|secret|password|passwd|assertion|api[-_]?key|account[-_]?key|sharedaccesssignature)|sig)=[^&;\s"']+/gi;
/** `"name": "value"` in quoted JSON inside a string (e.g. an error message quoting a response). */
const JSON_PAIR = /("[A-Za-z0-9_-]*(?:token|secret|password|passwd|assertion|authorization|api[-_]?key)[A-Za-z0-9_-]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/** The local part's first character, then `***`. */
export function maskEmail(local: string, domain: string, at = '@'): string {
  return `${local.charAt(0)}***${at}${domain}`;
}

/** `text` with credentials replaced and email addresses masked. */
export function redactText(text: string): string {
  return text
    .replace(JSON_PAIR, `$1"${REDACTED}"`)
    .replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(URL_CREDENTIALS, `$1${REDACTED}@`)
    .replace(PAIR, (_m, name: string) => `${name}=${REDACTED}`)
    .replace(EMAIL, (_m, local: string, at: string, domain: string) => maskEmail(local, domain, at));
}

/** Whether a field of this name holds a credential. */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** Any value, redacted for a log line; plain data comes back as plain data. */
export function redactValue(value: unknown): unknown {
  return redact(value, 0, new WeakSet());
}

/** An entry's fields, redacted; field names that are addresses are masked too. */
export function redactEntry(message: string, fields?: Record<string, unknown>): { message: string; fields: Record<string, unknown> } {
  const redacted = fields === undefined ? {} : (redact(fields, 0, new WeakSet()) as Record<string, unknown>);
  return { message: redactText(message), fields: redacted };
}

function redact(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? String(value) : value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[truncated]';
  seen.add(value);
  try {
    if (value instanceof Error) return redactError(value, depth, seen);
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (value instanceof URL) return redactText(value.href);
    if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
    if (value instanceof Map) return redactObject(Object.fromEntries([...value].map(([k, v]) => [String(k), v])), depth, seen);
    if (value instanceof Set) return [...value].map((v) => redact(v, depth + 1, seen));
    return redactObject(value as Record<string, unknown>, depth, seen);
  } finally {
    seen.delete(value);
  }
}

function redactObject(value: Record<string, unknown>, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[redactText(key)] = isSecretField(key) && v !== null && v !== undefined && typeof v !== 'boolean' ? REDACTED : redact(v, depth + 1, seen);
  }
  return out;
}

function redactError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const e = error as Error & { code?: unknown; status?: unknown; details?: unknown };
  const out: Record<string, unknown> = { type: error.name, message: redactText(error.message) };
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  if (typeof e.status === 'number') out.status = e.status;
  if (e.details !== undefined) out.details = redact(e.details, depth + 1, seen);
  if (error.stack) out.stack = redactText(error.stack);
  if (error.cause !== undefined) out.cause = redact(error.cause, depth + 1, seen);
  return out;
}
