/**
 * What the bot needs from the rest of Rapport, and what it offers back. The bot owns these
 * types and imports nothing from api/: the composition root (server/src/bot-engagement.ts)
 * implements `EngagementPort` over the API's services, and the API's own types satisfy the
 * views below structurally, so a change there that the bot cannot take fails to compile at
 * that one place. Tests use `tests/bot/fakes.ts`.
 */
import type { AdaptiveCardJson } from './conversation';
import type { BotState } from './state';

/**
 * The part of an `Office` year row (docs/api.md `OfficeRow`) the bot shows. The columns keep
 * the contract's names, so the API's rows are passed as they are.
 *
 * The bot reads rows as a viewer who is not an admin (everyone in a channel reads its
 * messages), so a row may be hidden by the privacy threshold: then `privacy` is set and every
 * activity column below is null, which means "hidden", not "never".
 */
export interface AccountRow {
  AccountId: string;
  AccountName: string | null;
  EngagementScore: number;
  EngagementBand: 'High' | 'Medium' | 'Low';
  /** This run's score minus the previous run's; null when there is nothing to compare. */
  EngagementScoreChange: number | null;
  /** Null only on a hidden row. */
  NoOfEmails_ToAccount: number | null;
  NoOfEmails_FromAccount: number | null;
  NoOfMeetings_ToAccount: number | null;
  NoOfMeetings_FromAccount: number | null;
  /** Null means "never" (or, on a hidden row, hidden). */
  DaysSinceLastemail: number | null;
  DaysSinceLastMeeting: number | null;
  /** ISO 8601. */
  LastInboundDate: string | null;
  LastOutboundDate: string | null;
  NextMeetingDate: string | null;
  /** Set on a row hidden by the privacy threshold (docs/api.md "Privacy threshold"). */
  privacy?: { hidden: true; minimumColleagues: number };
}

/**
 * The bot's own document (installations, subscriptions, marks, delivery ledger). Any store
 * that commits a change atomically fits, e.g. the API's `LowdbDocument<BotState>`.
 */
export interface BotStateStore {
  /** The committed value; change it only through `update`. */
  read(): Promise<BotState>;
  /** Runs `change` on a private copy and commits it in one write; nothing is written when it throws. */
  update<R>(change: (draft: BotState) => R | Promise<R>): Promise<R>;
}

/** The part of a run summary (docs/api.md `RunSummary`) the bot shows. */
export interface RunInfo {
  id: string;
  trigger: 'manual' | 'schedule' | 'cli' | 'demo';
  /** `cancelled`: an admin stopped it; the previous results stay current. */
  status: 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';
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
  year: AccountRow;
  explanation: { score: number; signals: ScoreSignal[] };
}

/** DESIGN.md §3 "Stale accounts". */
export interface StaleRule {
  /** @default 60 */
  staleDays: number;
  /** @default true */
  upcomingMeetingSuppressesStale: boolean;
}

/** Why a manual run did not start: expected refusals, so they come back as values. */
export type RunRefusal = 'runInProgress' | 'consentRequired' | 'notConfigured';

export type StartRunResult = { started: true; run: RunInfo } | { started: false; reason: RunRefusal };

export interface EngagementPort {
  /** Year rows of the latest results, one per account; empty before the first run. */
  yearRows(): Promise<AccountRow[]>;
  /** The account's year row and score explanation; null when the id is unknown. */
  account(accountId: string): Promise<AccountDetail | null>;
  /** The latest run (running or finished); null before the first run. */
  lastRun(): Promise<RunInfo | null>;
  /** When the schedule runs next; null when nothing is scheduled. */
  nextRunAt(): Promise<Date | null>;
  /**
   * Starts a manual run on behalf of the given user. A run already in progress, missing consent
   * or a missing configuration is a refusal; anything else rejects.
   */
  startRun(requestedByAadObjectId: string): Promise<StartRunResult>;
  /** Whether the user is a Rapport admin. */
  isAdmin(aadObjectId: string): Promise<boolean>;
  /** A Teams deep link to the dashboard tab, or to one account's customer card. */
  deepLink(accountId?: string): string;
  /** The configured stale segment rule. */
  staleRule(): Promise<StaleRule>;
  /**
   * The run in progress with how far it got; null when none runs. Optional: without it `status`
   * shows the last finished run only.
   */
  activeRun?(): Promise<RunProgressInfo | null>;
  /**
   * Mail domains per account id (explicit and contact-derived), for telling look-alike names
   * apart and searching by domain. Optional: without it accounts are found by name only.
   */
  accountDomains?(): Promise<ReadonlyMap<string, readonly string[]>>;
  /**
   * The accounts the dataset's owner column gives to this email address (case aside); null when
   * no owner column is mapped. Optional: without it `subscribe mine` says it is unavailable.
   */
  accountsOwnedBy?(email: string): Promise<ReadonlySet<string> | null>;
}

/** A run in progress (docs/api.md `RunProgress`, the part the bot shows). */
export interface RunProgressInfo {
  startedAt: string;
  percent: number;
  mailboxesDone: number;
  mailboxesTotal: number;
  messagesProcessed: number;
  meetingsProcessed: number;
}

/**
 * Where the bot logs. The composition root passes the API's logger (pino, redacting credentials
 * and addresses), so the bot keeps no logger of its own.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** For what an operator need not read (a fan-out with no target); optional. */
  debug?(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Runs `worker` over `items`, at most `limit` at a time, and resolves with the results in input
 * order; after a worker rejects no further item starts, and the first error is thrown once the
 * running ones are done. The composition root passes the API's `mapBounded`, so the cap and the
 * error rule are written and tested once (the bot imports nothing from api/).
 */
export type MapBounded = <T, R>(items: readonly T[], limit: number, worker: (item: T, index: number) => Promise<R>) => Promise<R[]>;

export interface AfterRunInput {
  /** Year rows of the previous run; null on the first run. */
  previous: AccountRow[] | null;
  /** Year rows of the run that just finished. */
  current: AccountRow[];
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
  /**
   * Any run that ended (succeeded, partial or failed, whatever its trigger): tells the
   * conversation a manual run was started from, and a failed scheduled run to the admins' chats.
   * Never throws.
   */
  runEnded(run: RunInfo): Promise<void>;
  /** Posts the summaries held back for a conversation's chosen day and hour once due. Never throws. */
  deliverDue(): Promise<number>;
}

/**
 * One account as a message-extension result: the card inserted into the message (score, band,
 * last contact, next meeting, an "Open in Rapport" button) and the row the search list shows.
 */
export interface AccountCardResult {
  /** Adaptive Card 1.5, under 28 KB. */
  card: AdaptiveCardJson;
  /** The search list's row (a thumbnail card): the account's name and one line under it. */
  preview: { title: string; text?: string };
}

/**
 * The message extension's logic (bot/src/extensions/). The platform routes
 * `composeExtension/query` (command id `searchAccounts`, parameter `query`) to `searchAccounts`
 * and `composeExtension/queryLink` to `unfurl`; `locale` is the activity's (e.g. "id-ID"),
 * already defaulted to "en-US". Expected outcomes are values: an empty list or null, never a
 * throw (a throw becomes an error answer and a log line).
 */
export interface MessageExtensionHandlers {
  /** Accounts matching a name or domain, best first, at most `limit`; an empty query lists the top accounts. */
  searchAccounts(query: string, locale: string, limit: number): Promise<AccountCardResult[]>;
  /** The card for a link to the tab's account page (`…#/accounts/<id>`); null for any other link or an unknown account. */
  unfurl(url: string, locale: string): Promise<AccountCardResult | null>;
}

/** What `createMessageExtensions` (bot/src/extensions/index.ts) is built from. */
export interface MessageExtensionDeps {
  engagement: EngagementPort;
  clock: () => Date;
  logger: Logger;
}
