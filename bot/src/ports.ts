/**
 * What the bot needs from the rest of Rapport, and what it offers back. The API side
 * implements `EngagementPort` over the real services; tests use `tests/bot/fakes.ts`.
 */
import type { OfficeRow } from '../../api/src/engagement/types';

/** The part of a run summary (docs/api.md `RunSummary`) the bot shows. */
export interface RunInfo {
  id: string;
  trigger: 'manual' | 'schedule' | 'cli' | 'demo';
  status: 'running' | 'succeeded' | 'partial' | 'failed';
  /** ISO 8601. */
  startedAt: string;
  /** ISO 8601; null while running. */
  finishedAt: string | null;
  accountsEnriched: number;
  emailsProcessed: number;
  meetingsProcessed: number;
  daysCovered: number;
}

/** One signal of docs/api.md `ScoreExplanation`. */
export interface ScoreSignal {
  signal: 'emails' | 'meetings' | 'breadth' | 'recency' | 'reciprocity';
  value: number;
  /** Null for reciprocity, which is used as a ratio rather than ranked. */
  percentile: number | null;
  weight: number;
  points: number;
}

export interface AccountDetail {
  /** The latest year row of the account. */
  year: OfficeRow;
  explanation: { score: number; signals: ScoreSignal[] };
}

/** DESIGN.md §3 "Stale accounts". */
export interface StaleRule {
  /** @default 60 */
  staleDays: number;
  /** @default true */
  upcomingMeetingSuppressesStale: boolean;
}

export interface EngagementPort {
  /** Year rows of the latest results, one per account; empty before the first run. */
  yearRows(): Promise<OfficeRow[]>;
  /** The account's year row and score explanation; null when the id is unknown. */
  account(accountId: string): Promise<AccountDetail | null>;
  /** The latest run (running or finished); null before the first run. */
  lastRun(): Promise<RunInfo | null>;
  /** When the schedule runs next; null when nothing is scheduled. */
  nextRunAt(): Promise<Date | null>;
  /**
   * Starts a manual run on behalf of the given user.
   * @throws AppError RUN_IN_PROGRESS, CONSENT_REQUIRED or NOT_CONFIGURED.
   */
  startRun(requestedByAadObjectId: string): Promise<RunInfo>;
  /** Whether the user is a Rapport admin. */
  isAdmin(aadObjectId: string): Promise<boolean>;
  /** A Teams deep link to the dashboard tab, or to one account's customer card. */
  deepLink(accountId?: string): string;
  /** The configured stale segment rule. */
  staleRule(): Promise<StaleRule>;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface AfterRunInput {
  /** Year rows of the previous run; null on the first run. */
  previous: OfficeRow[] | null;
  /** Year rows of the run that just finished. */
  current: OfficeRow[];
  run: RunInfo;
}

/** Counts of one fan-out: every target ends in exactly one of them. */
export interface DeliveryReport {
  delivered: number;
  /** Already delivered for this run before (ledger hit), so not sent again. */
  skipped: number;
  failed: number;
  /** Installations removed because the bot is no longer in the conversation. */
  removed: number;
}

export interface AfterRunReport {
  summary: DeliveryReport;
  alerts: DeliveryReport;
  /** Accounts that became stale in this run (before snooze/handled filtering). */
  newlyStale: string[];
}

export interface Notifier {
  /** Sends the weekly summary and the stale-account alerts of a finished run. Never throws for one bad target. */
  afterRun(input: AfterRunInput): Promise<AfterRunReport>;
}
