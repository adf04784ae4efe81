/**
 * Runs as the API reports them. The wire shapes (RunProgress, RunSummary, MailboxFailure) are
 * the contract's (contract/runs.ts); the enrichment's own progress is the part without the run
 * id and times.
 */
import type { RunProgress, RunSummary } from '../contract/runs';

export type { CurrentResults, MailboxFailure, RunPhase, RunProgress, RunStatus, RunSummary, RunTrigger } from '../contract/runs';

/** What a subscriber to a run's events receives, in order: progress, then exactly one of the others. */
export type RunEvent =
  | { type: 'progress'; data: RunProgress }
  | { type: 'done'; data: RunSummary }
  | { type: 'failed'; data: RunSummary }
  | { type: 'cancelled'; data: RunSummary };

/** The event that ends a run's stream, from its final summary. */
export function finalEventOf(summary: RunSummary): RunEvent {
  switch (summary.status) {
    case 'succeeded':
    case 'partial':
      return { type: 'done', data: summary };
    case 'cancelled':
      return { type: 'cancelled', data: summary };
    case 'failed':
    case 'running':
      return { type: 'failed', data: summary };
  }
}
