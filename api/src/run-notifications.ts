/**
 * After each scheduled run, the bot posts the weekly summary and the stale-account alerts.
 * The previous run's year rows are remembered here, so the notifier can tell what changed.
 */
import type { AfterRunInput, AfterRunReport } from '../../bot/src';
import { runInfoOf } from './bot-engagement';
import type { OfficeRow } from './engagement/types';
import type { Services } from './services';
import type { Logger } from './services/logger';

export interface RunNotifier {
  afterRun(input: AfterRunInput): Promise<AfterRunReport>;
}

export async function notifyAfterScheduledRuns(services: Pick<Services, 'runs' | 'results'>, notifier: RunNotifier, logger: Logger): Promise<() => void> {
  let lastYearRows: OfficeRow[] | null = (await services.results.current()) ? await services.results.yearRows() : null;
  return services.runs.onRunFinished(async (summary) => {
    if (summary.status === 'failed') return;
    const current = await services.results.yearRows();
    const previous = lastYearRows;
    lastYearRows = current;
    if (summary.trigger !== 'schedule') return;
    try {
      const report = await notifier.afterRun({ previous, current, run: runInfoOf(summary) });
      logger.info('bot notifications after the scheduled run', { runId: summary.id, ...report });
    } catch (e) {
      logger.error('bot notifications failed', { runId: summary.id, error: (e as Error).message });
    }
  });
}
