/** Wire types of runs (docs/api.md: RunProgress, RunSummary). */
import type { MailboxFailure, RunPhase, RunProgress as EnrichmentProgress } from '../enrichment/run-enrichment';

export type { MailboxFailure, RunPhase };

/** The enrichment's progress, as the API reports it: with the run id and times. */
export interface RunProgress extends EnrichmentProgress {
  runId: string;
  startedAt: string;
  updatedAt: string;
}

export type RunTrigger = 'manual' | 'schedule' | 'cli' | 'demo';
export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed';

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
  progress: RunProgress;
  /** Extra: who started a manual run (display name), null for scheduled runs. */
  startedBy: string | null;
  /** Extra: why a failed run failed. */
  error: { code: string; message: string } | null;
  /**
   * Extra: what the run repaired on its way, e.g. a damaged checkpoint moved aside and the
   * mailboxes read again in full. Empty for most runs.
   */
  warnings: string[];
}

/** What a subscriber to a run's events receives, in order. */
export type RunEvent =
  | { type: 'progress'; data: RunProgress }
  | { type: 'done'; data: RunSummary }
  | { type: 'failed'; data: RunSummary };
