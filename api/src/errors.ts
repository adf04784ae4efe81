/**
 * One error type for Rapport, with a catalogue of codes. Each code maps to an HTTP status
 * and a default message; `AppError` carries the code, optional details and the cause.
 * The HTTP error middleware turns an AppError into `{ error: { code, message, details } }`;
 * anything else becomes a bare 500.
 */
export const ERROR_CATALOGUE = {
  // 400: the caller sent something we cannot use; the message says what to fix.
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid.' },
  CONFIG_INVALID: { status: 400, message: 'The configuration is not valid.' },
  MAILBOX_COUNT_OUT_OF_RANGE: { status: 400, message: 'Between 2 and 2,500 mailboxes must be selected.' },
  UNKNOWN_ORG_ENTRY: { status: 400, message: 'An organisation address or group could not be found in the directory.' },
  CSV_MALFORMED: { status: 400, message: 'The CSV file could not be parsed.' },
  CSV_MISSING_COLUMN: { status: 400, message: 'A mapped column is missing from the CSV file.' },
  FIXTURE_INVALID: { status: 400, message: 'The tenant fixture is not valid.' },
  USAGE: { status: 400, message: 'The command line is not valid.' },
  // 401/403: who is calling.
  UNAUTHENTICATED: { status: 401, message: 'Sign in again: the request carries no valid token.' },
  FORBIDDEN: { status: 403, message: 'Only Rapport admins can do this.' },
  // 404/409/412: state.
  NOT_FOUND: { status: 404, message: 'Not found.' },
  RUN_IN_PROGRESS: { status: 409, message: 'A run is already in progress.' },
  RUN_NOT_RUNNING: { status: 409, message: 'That run is not running, so there is nothing to cancel.' },
  CONFIG_VERSION_CONFLICT: { status: 409, message: 'The configuration changed meanwhile; reload and try again.' },
  NOT_CONFIGURED: { status: 412, message: 'Rapport is not configured yet: finish the setup wizard first.' },
  CONSENT_REQUIRED: { status: 412, message: 'The tenant administrator has not granted consent yet.' },
  CONSENT_STATE_MISMATCH: { status: 400, message: 'The consent response does not match the request that was sent; start the consent flow again.' },
  CONSENT_DENIED: { status: 400, message: 'The tenant administrator did not grant consent.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request is too large.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; wait a moment and try again.' },
  // Graph and storage faults.
  GRAPH_REQUEST_FAILED: { status: 502, message: 'Microsoft Graph answered with an error.' },
  GRAPH_MAILBOX_UNAVAILABLE: { status: 502, message: 'The mailbox cannot be read through Microsoft Graph.' },
  GRAPH_ACCESS_DENIED: { status: 502, message: 'Microsoft Graph denied access; check the granted permissions.' },
  STORE_CORRUPT: { status: 500, message: 'The data file cannot be read; it was kept aside untouched.' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side.' },
  // Graceful shutdown (issue 15): the process is stopping and takes no new work; a restarted
  // or another instance will. The message says to retry, because nothing was written.
  SHUTTING_DOWN: { status: 503, message: 'Rapport is restarting and takes no new work right now; nothing was saved. Try again in a minute.' },
  NOT_READY: { status: 503, message: 'Rapport is not ready to serve; the details name each failing check.' },
  // Input hardening (issue 14): bytes and nesting the schemas never see.
  ENCODING_INVALID: { status: 400, message: 'The data is not valid UTF-8; save it as UTF-8 and send it again.' },
  JSON_TOO_DEEP: { status: 400, message: 'The JSON document nests too deep; send a flatter document.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>, cause?: unknown) {
    super(message ?? ERROR_CATALOGUE[code].message, cause === undefined ? undefined : { cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    if (details !== undefined) this.details = details;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
