/**
 * Contracts of the pure engagement domain (shared/DESIGN.md §3–§4).
 * Nothing in `engagement/` does I/O: no clock, no network, no files.
 */

// ---------------------------------------------------------------------------
// Graph-shaped input, exactly the allow-listed `$select` fields (DESIGN.md §5).
// ---------------------------------------------------------------------------

export interface GraphEmailAddress {
  name?: string | null;
  address?: string | null;
}
export interface GraphRecipient {
  emailAddress?: GraphEmailAddress | null;
}

/** A message as the collector receives it: only the allow-listed fields. */
export interface GraphMessage {
  /** Set by Graph on derived types only, e.g. `#microsoft.graph.eventMessageRequest`. */
  '@odata.type'?: string | null;
  id: string;
  conversationId?: string | null;
  conversationIndex?: string | null;
  internetMessageId?: string | null;
  from?: GraphRecipient | null;
  sender?: GraphRecipient | null;
  toRecipients?: GraphRecipient[] | null;
  ccRecipients?: GraphRecipient[] | null;
  bccRecipients?: GraphRecipient[] | null;
  sentDateTime?: string | null;
  receivedDateTime?: string | null;
  isDraft?: boolean | null;
  parentFolderId?: string | null;
}

export interface GraphDateTimeTimeZone {
  dateTime?: string | null;
  timeZone?: string | null;
}
export interface GraphAttendee {
  type?: 'required' | 'optional' | 'resource' | string | null;
  status?: { response?: string | null; time?: string | null } | null;
  emailAddress?: GraphEmailAddress | null;
}

/** A calendar instance as `calendarView` returns it: only the allow-listed fields. */
export interface GraphEvent {
  id: string;
  iCalUId?: string | null;
  type?: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster' | string | null;
  seriesMasterId?: string | null;
  isCancelled?: boolean | null;
  isAllDay?: boolean | null;
  organizer?: GraphRecipient | null;
  attendees?: GraphAttendee[] | null;
  /** The holder's own answer on this copy (`organizer` on the organizer's copy). */
  responseStatus?: { response?: string | null; time?: string | null } | null;
  start?: GraphDateTimeTimeZone | null;
  end?: GraphDateTimeTimeZone | null;
}

// ---------------------------------------------------------------------------
// Customer dataset (after CSV parsing and field mapping).
// ---------------------------------------------------------------------------

export interface ContactRecord {
  email: string;
  accountId: string;
  accountName?: string | null;
}
export interface AccountRecord {
  accountId: string;
  name?: string | null;
  /** Explicit domain or website column, if mapped (e.g. "https://www.fabrikam.com/"). */
  domain?: string | null;
}
export interface CustomerDataset {
  contacts: ContactRecord[];
  /** Optional accounts file; accounts also come into existence through their contacts. */
  accounts?: AccountRecord[];
}

// ---------------------------------------------------------------------------
// Run context: everything the domain needs to know about the tenant and the run.
// ---------------------------------------------------------------------------

/** A member of S: an enabled user with mail, after group resolution. */
export interface SelectedMailbox {
  /** Directory object id. */
  id: string;
  /** Primary SMTP address. */
  mail: string;
  /** Other addresses that identify the same person (UPN, proxy addresses), optional. */
  otherAddresses?: string[];
}

export interface EngagementRules {
  /** Domains (and their subdomains) that are internal besides the verified ones. */
  extraInternalDomains: string[];
  /** Excluded addresses ("a@b.com") and domains ("@b.com"). */
  exclusions: string[];
  /** DaysSince threshold of the stale segment. @default 60 */
  staleDays: number;
  /** An upcoming meeting suppresses stale. @default true */
  upcomingMeetingSuppressesStale: boolean;
  /** Score weights. @default { emails: .3, meetings: .3, breadth: .15, recency: .15, reciprocity: .1 } */
  weights: ScoreWeights;
}

export interface ScoreWeights {
  emails: number;
  meetings: number;
  breadth: number;
  recency: number;
  reciprocity: number;
}

export interface RunContext {
  /** T, the run's clock, in epoch milliseconds. */
  now: number;
  /** The tenant's verified domains. */
  verifiedDomains: string[];
  rules: EngagementRules;
  mailboxes: SelectedMailbox[];
  /**
   * Secret mixed into every hashed id (message ids, conversation ids, addresses) so persisted
   * partials cannot be reversed by hashing guessed addresses. Keep it stable across runs:
   * incremental refresh dedupes on these hashes. @default ''
   */
  hashSalt?: string;
}

// ---------------------------------------------------------------------------
// Output: the `Office` table and the `Office_UserTable`.
// ---------------------------------------------------------------------------

export const AGGREGATION_LEVELS = ['year', 'month', 'week'] as const;
export type AggregationLevel = (typeof AGGREGATION_LEVELS)[number];
export const ENGAGEMENT_BANDS = ['High', 'Medium', 'Low'] as const;
export type EngagementBand = (typeof ENGAGEMENT_BANDS)[number];

/**
 * One row of the `Office` table. Its shape (every column typed and described) is defined once,
 * as a zod schema in the API's wire contract (contract/office.ts); the type is inferred from it.
 */
export type { OfficeRow } from '../contract/office';

export const SEED_COLUMNS = [
  'EngagementScore',
  'NoOfEmails_ToAccount',
  'NoOfEmails_FromAccount',
  'NoOfMeetings_FromAccount',
  'NoOfMeetings_ToAccount',
  'NoOfContactsInvolved_Meetings',
  'NoOfContactsInvolved_Emails',
  'NoOfAccountContactsInvolved_Meetings',
  'NoOfAccountContactsInvolved_Emails',
  'EngagementStartdate',
  'DaysSinceLastemail',
  'DaysSinceLastMeeting',
  'AverageDuration_Of_Meetings',
  'AverageDuration_Of_AccountEmailReplies',
  'AggregationStartdate',
  'AggregationLevel',
] as const;

export const EXTRA_COLUMNS = [
  'AccountName',
  'LastInboundDate',
  'LastOutboundDate',
  'NextMeetingDate',
  'EngagementBand',
  'EngagementScoreChange',
] as const;

/** All columns in output order: AccountId, the 16 seed columns, then the extras. */
export const OFFICE_COLUMNS = ['AccountId', ...SEED_COLUMNS, ...EXTRA_COLUMNS] as const;
export type OfficeColumn = (typeof OFFICE_COLUMNS)[number];

/** Operators of a segment rule's condition (contract/segments.ts). */
export const RULE_OPERATORS = ['>', '>=', '<', '<=', '=', '!=', 'isEmpty', 'isNotEmpty'] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

/** Columns whose values are dates (ISO 8601 strings). */
export const DATE_COLUMNS: ReadonlySet<OfficeColumn> = new Set<OfficeColumn>([
  'EngagementStartdate',
  'AggregationStartdate',
  'LastInboundDate',
  'LastOutboundDate',
  'NextMeetingDate',
]);
/** Columns whose values are text. */
export const TEXT_COLUMNS: ReadonlySet<OfficeColumn> = new Set<OfficeColumn>(['AccountId', 'AccountName', 'AggregationLevel', 'EngagementBand']);
/** Every other column holds a number (or null). */
export function isNumericColumn(column: OfficeColumn): boolean {
  return !DATE_COLUMNS.has(column) && !TEXT_COLUMNS.has(column);
}

/** One row of the `Office_UserTable`: directory object ids of the configured addresses. */
export interface OfficeUserRow {
  ObjectId: string;
}
