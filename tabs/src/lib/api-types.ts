/**
 * Wire types of the REST API (docs/api.md). The Office row and its column list come from the API's
 * wire contract (api/src/contract.ts), which imports no Node code, so the tab bundles no server code.
 * The other shapes (runs, overview, consent, …) are declared here: the server modules that define
 * them import Node-only code, which the tab's DOM-only type check cannot compile.
 */
import {
  OFFICE_COLUMNS,
  type AggregationLevel,
  type EngagementBand,
  type OfficeColumn,
  type OfficeRowView,
  type OfficeUserRow,
  type RowPrivacy,
} from '../../../api/src/contract';

export { OFFICE_COLUMNS };
export type { AggregationLevel, EngagementBand, OfficeColumn, OfficeUserRow, RowPrivacy };

/**
 * An Office row as the API sends it. For a viewer who is not an admin, a row under the privacy
 * threshold (docs/api.md "Privacy threshold") has `privacy` set and null activity columns,
 * which mean "hidden", not "never"; `isHiddenRow` tells them apart.
 */
export type OfficeRow = OfficeRowView;

export function isHiddenRow(row: Pick<OfficeRow, 'privacy'>): boolean {
  return row.privacy?.hidden === true;
}

/** Columns whose values are dates (ISO strings). */
export const DATE_COLUMNS: ReadonlySet<OfficeColumn> = new Set<OfficeColumn>([
  'EngagementStartdate',
  'AggregationStartdate',
  'LastInboundDate',
  'LastOutboundDate',
  'NextMeetingDate',
]);
/** Columns whose values are text. */
export const TEXT_COLUMNS: ReadonlySet<OfficeColumn> = new Set<OfficeColumn>([
  'AccountId',
  'AccountName',
  'AggregationLevel',
  'EngagementBand',
]);

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export interface Me {
  id: string;
  name: string;
  tenantId: string;
  isAdmin: boolean;
  mode: 'demo' | 'production';
}

export type RunPhase = 'queued' | 'resolving' | 'collecting' | 'aggregating' | 'saving' | 'done' | 'failed';
export interface MailboxFailure {
  mailbox: string;
  code: string;
  message: string;
}
export interface RunProgress {
  runId: string;
  phase: RunPhase;
  percent: number;
  mailboxesDone: number;
  mailboxesTotal: number;
  messagesProcessed: number;
  meetingsProcessed: number;
  graphRequests: number;
  throttleWaits: number;
  errors: MailboxFailure[];
  startedAt: string;
  updatedAt: string;
}
export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed';
export type RunTrigger = 'manual' | 'schedule' | 'cli' | 'demo';
export interface RunSummary {
  id: string;
  trigger: RunTrigger;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  configVersion: number;
  accountsEnriched: number;
  emailsProcessed: number;
  meetingsProcessed: number;
  daysCovered: number;
  graphRequests: number;
  failures: MailboxFailure[];
  /** What the run repaired on its way (damaged stored state moved aside and read again). */
  warnings: string[];
  progress: RunProgress;
  /** Display name of who started it; null for scheduled runs. */
  startedBy?: string | null;
  error?: { code: string; message: string } | null;
}

export interface Overview {
  lastRun: RunSummary | null;
  totalAccounts: number;
  accountsEnriched: number;
  emailsProcessed: number;
  meetingsProcessed: number;
  daysCovered: number;
  bands: Record<EngagementBand, number>;
  staleCount: number;
  history: { runId: string; finishedAt: string; accountsEnriched: number }[];
}

export type SortOrder = 'asc' | 'desc';
export interface OfficeQuery {
  level: AggregationLevel;
  bucket?: string;
  q?: string;
  band?: EngagementBand;
  sort?: OfficeColumn;
  order?: SortOrder;
  page?: number;
  pageSize?: number;
}
export interface OfficePage {
  rows: OfficeRow[];
  total: number;
  page: number;
  pageSize: number;
  level: AggregationLevel;
  buckets: string[];
}

export type ScoreSignalName = 'emails' | 'meetings' | 'breadth' | 'recency' | 'reciprocity';
export interface ScoreExplanation {
  score: number;
  signals: { signal: ScoreSignalName; value: number; percentile: number; weight: number; points: number }[];
}
export interface AccountDetail {
  account: { accountId: string; name: string | null };
  year: OfficeRow;
  months: OfficeRow[];
  weeks: OfficeRow[];
  explanation: ScoreExplanation;
  stale: boolean;
}

export type ConditionOperator = '>' | '>=' | '<' | '<=' | '=' | '!=' | 'isEmpty' | 'isNotEmpty';
export interface SegmentCondition {
  kind: 'condition';
  column: OfficeColumn;
  operator: ConditionOperator;
  value?: string | number | null;
}
export interface SegmentGroup {
  kind: 'group';
  op: 'and' | 'or';
  children: (SegmentGroup | SegmentCondition)[];
}
export type SegmentRule = SegmentGroup;
export interface Segment {
  id: string;
  name: string;
  rule: SegmentRule;
  builtIn: boolean;
  memberCount: number;
}
export type MeasureFn = 'count' | 'sum' | 'avg' | 'min' | 'max';
export interface MeasureRequest {
  fn: MeasureFn;
  column: OfficeColumn;
  segmentId?: string;
  byMonth?: boolean;
}
export interface MeasureResult {
  value: number | null;
  byMonth?: { month: string; value: number | null }[];
}

export type OrgEntryReason = 'signInDisabled' | 'noMail' | 'notFound';
/** How one org entry resolved (docs/api.md, "Configuration"). */
export interface OrgEntryResolution {
  entry: string;
  input?: string;
  kind: 'user' | 'group' | 'unknown' | 'unusable';
  id?: string | null;
  displayName?: string | null;
  mail?: string | null;
  /** Groups: the enabled members with mail, after transitive expansion. */
  memberCount?: number | null;
  reason?: OrgEntryReason | null;
}
export interface OrgResolveResult {
  entries: OrgEntryResolution[];
  mailboxCount: number;
  valid: boolean;
  /** Block saving; a count problem has `entry: ""`. */
  problems: { entry: string; message: string }[];
  /** Entries left out (disabled users, users without mail). */
  warnings?: { entry: string; message: string }[];
}

export interface DatasetUpload {
  datasetId: string;
  kind: 'contacts' | 'accounts';
  fileName: string;
  rows: number;
  columns: string[];
  preview: Record<string, string>[];
}
export interface FieldMapping {
  email: string;
  accountId: string;
  accountName?: string;
  /** Without an accounts file: a domain/website column of the contacts file. */
  domain?: string;
  accountsDatasetId?: string;
  /** The accounts file's own columns. */
  accountsMapping?: AccountsMapping;
}
export interface AccountsMapping {
  accountId: string;
  name?: string;
  domain?: string;
}
/** docs/api.md, "Datasets". Samples hold the first 20. */
export interface DatasetReport {
  rows: number;
  contacts: number;
  accounts: number;
  rowsWithoutEmail: number;
  rowsWithoutAccount?: number;
  invalidEmails: number;
  invalidEmailSamples?: string[];
  multiAccountContacts: number;
  multiAccountContactSamples?: { email: string; accountIds: string[]; chosen: string }[];
  ambiguousDomains: string[];
  ambiguousDomainDetails?: { domain: string; accountIds: string[] }[];
  freemailOnlyAccounts: number;
  freemailOnlyAccountIds?: string[];
}
export interface MappingResult {
  report: DatasetReport;
  accountsPreview: { accountId: string; name: string | null; contacts: number; domains: string[] }[];
}

export interface Schedule {
  /** 0 = Sunday … 6 = Saturday. */
  dayOfWeek: number;
  hour: number;
  minute: number;
  timeZone: string;
}
export interface ScheduleState {
  schedule: Schedule;
  nextRunAt: string | null;
}

export interface SavedConfig {
  name: string;
  orgEntries: string[];
  consentAccepted: boolean;
  contacts: { datasetId: string; mapping: FieldMapping };
  accounts?: { datasetId: string; mapping: AccountsMapping };
  schedule?: Schedule;
}
export interface ConfigState {
  version: number;
  config: SavedConfig | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

export type ConsentStatusName = 'notRequested' | 'pending' | 'granted' | 'denied';
export interface ConsentStatus {
  status: ConsentStatusName;
  grantedPermissions: string[];
  missingPermissions: string[];
  requiredPermissions: string[];
  /** Where each granted required permission comes from: the app token, or Exchange RBAC for Applications. */
  grantedThrough?: Record<string, 'appRole' | 'exchangeRbac'>;
  /** Set when a mail or calendar permission is not in the app token: what reading selected mailboxes found. */
  exchangeRbac?: { mailboxes: string[]; message: string } | null;
  grantedAt: string | null;
  checkedAt?: string | null;
  error?: string | null;
}
