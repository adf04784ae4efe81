/**
 * After each scheduled run, the bot posts the weekly summary and the stale-account alerts.
 * The previous run's year rows are remembered here, so the notifier can tell what changed.
 */
import type { Logger, OfficeRowView, Services } from '../../api/src';
import type { AfterRunInput, AfterRunReport } from '../../bot/src';
import { BOT_VIEWER, runInfoOf } from './bot-engagement';

export interface RunNotifier {
  afterRun(input: AfterRunInput): Promise<AfterRunReport>;
}

export async function notifyAfterScheduledRuns(services: Pick<Services, 'runs' | 'results'>, notifier: RunNotifier, logger: Logger): Promise<() => void> {
  // Rows as the bot may show them (BOT_VIEWER): the notifications go to channels.
  let lastYearRows: OfficeRowView[] | null = (await services.results.header()) ? await services.results.yearRows(BOT_VIEWER) : null;
  return services.runs.onRunFinished(async (summary) => {
    if (summary.status === 'failed') return;
    const current = await services.results.yearRows(BOT_VIEWER);
    const previous = lastYearRows;
    lastYearRows = current;
    if (summary.trigger !== 'schedule') return;
    try {
      const report = await notifier.afterRun({ previous, current, run: runInfoOf(summary) });
      const touched = [report.summary, report.alerts].some((r) => r.delivered + r.skipped + r.failed + r.removed > 0);
      // Without any installation (the demo, a new tenant) there is nothing an operator must read.
      (touched ? logger.info : logger.debug).call(logger, 'bot notifications after the scheduled run', { runId: summary.id, ...report });
    } catch (e) {
      logger.error('bot notifications failed', { runId: summary.id, error: (e as Error).message });
    }
  });
}
