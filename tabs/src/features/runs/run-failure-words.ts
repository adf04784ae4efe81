/**
 * Why a mailbox could not be read, in words an admin can act on. A run's failure carries a code:
 * the Microsoft Graph error code when Graph answered (ErrorAccessDenied, MailboxNotEnabledForRESTAPI,
 * TooManyRequests…), the network error when it did not (ECONNRESET, TimeoutError…), `HTTP<status>`
 * when Graph's body had no code, or a Rapport code. This one table sorts the codes into the kinds
 * the message catalogues word (`runFailures.kinds`); the raw code is still shown beside the words.
 *
 * Graph codes: https://learn.microsoft.com/graph/errors; Exchange's application access policies
 * and RBAC for Applications answer ErrorAccessDenied for a mailbox outside their scope.
 */

export const FAILURE_KINDS = [
  'accessDenied',
  'mailboxNotEnabled',
  'userNotFound',
  'credentialsRejected',
  'throttled',
  'timeout',
  'graphUnavailable',
  'network',
  'requestRejected',
  'internal',
  'unknown',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** Ordered: the first rule that matches a code gives its kind. Exact codes compare case-insensitively. */
const RULES: readonly { kind: FailureKind; codes?: readonly string[]; pattern?: RegExp }[] = [
  // 403 from Exchange: an application access policy or an RBAC for Applications scope leaves the mailbox out.
  { kind: 'accessDenied', codes: ['ErrorAccessDenied', 'AccessDenied', 'Authorization_RequestDenied', 'GRAPH_ACCESS_DENIED', 'HTTP403'] },
  // 404 for a user without an Exchange Online mailbox (unlicensed, on-premises, or a room without mail).
  { kind: 'mailboxNotEnabled', codes: ['MailboxNotEnabledForRESTAPI', 'MailboxNotSupportedForRESTAPI', 'GRAPH_MAILBOX_UNAVAILABLE', 'ErrorMailboxNotFound'] },
  { kind: 'userNotFound', codes: ['Request_ResourceNotFound', 'ResourceNotFound', 'ErrorInvalidUser', 'ErrorNonExistentMailbox', 'ErrorItemNotFound', 'HTTP404'] },
  { kind: 'credentialsRejected', codes: ['InvalidAuthenticationToken', 'AuthenticationError', 'HTTP401'] },
  // 429 after every retry the Retry-After allowed: the tenant's Graph quota for Rapport ran out.
  { kind: 'throttled', codes: ['TooManyRequests', 'ApplicationThrottled', 'ErrorServerBusy', 'activityLimitReached', 'HTTP429'] },
  { kind: 'timeout', codes: ['GatewayTimeout', 'TimeoutError', 'AbortError', 'RequestTimeout', 'ErrorTimeoutExpired', 'HTTP504', 'HTTP408'], pattern: /^(ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_[A-Z_]*TIMEOUT)$/i },
  { kind: 'graphUnavailable', codes: ['ServiceUnavailable', 'InternalServerError', 'generalException', 'ErrorInternalServerError', 'BadGateway', 'UnknownError'], pattern: /^HTTP5\d\d$/ },
  { kind: 'network', codes: ['NetworkError'], pattern: /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/ },
  { kind: 'requestRejected', codes: ['BadRequest', 'InefficientFilter', 'ErrorInvalidRequest', 'invalidRequest', 'ErrorInvalidProperty', 'VALIDATION_FAILED'], pattern: /^HTTP4\d\d$/ },
  { kind: 'internal', codes: ['INTERNAL', 'STORE_CORRUPT'] },
];

const EXACT = new Map<string, FailureKind>(RULES.flatMap((rule) => (rule.codes ?? []).map((code) => [code.toLowerCase(), rule.kind] as const)));

/** The kind of a failure code; `unknown` for a code this table does not know (its raw code still shows). */
export function failureKindOf(code: string): FailureKind {
  const trimmed = code.trim();
  const exact = EXACT.get(trimmed.toLowerCase());
  if (exact) return exact;
  return RULES.find((rule) => rule.pattern?.test(trimmed))?.kind ?? 'unknown';
}

export interface FailureGroup<F extends { mailbox: string; code: string }> {
  kind: FailureKind;
  failures: F[];
}

/**
 * Failures grouped by kind, in the table's order (the ones an admin must act on first), mailboxes
 * sorted within a group: one access policy can leave hundreds of mailboxes out, and the admin
 * needs its words once, with the list.
 */
export function groupFailures<F extends { mailbox: string; code: string }>(failures: readonly F[]): FailureGroup<F>[] {
  const byKind = new Map<FailureKind, F[]>();
  for (const failure of failures) {
    const kind = failureKindOf(failure.code);
    byKind.set(kind, [...(byKind.get(kind) ?? []), failure]);
  }
  return FAILURE_KINDS.filter((kind) => byKind.has(kind)).map((kind) => ({
    kind,
    failures: [...byKind.get(kind)!].sort((a, b) => (a.mailbox < b.mailbox ? -1 : a.mailbox > b.mailbox ? 1 : 0)),
  }));
}
