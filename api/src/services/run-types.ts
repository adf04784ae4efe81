/**
 * Runs as the API reports them. The wire shapes (RunProgress, RunSummary, MailboxFailure) are
 * the contract's (contract/runs.ts); the enrichment's own progress is the part without the run
 * id and times.
 */
import type { RunProgress, RunSummary } from '../contract/runs';

export type { MailboxFailure, RunPhase, RunProgress, RunStatus, RunSummary, RunTrigger } from '../contract/runs';

/** What a subscriber to a run's events receives, in order. */
export type RunEvent =
  | { type: 'progress'; data: RunProgress }
  | { type: 'done'; data: RunSummary }
  | { type: 'failed'; data: RunSummary };
