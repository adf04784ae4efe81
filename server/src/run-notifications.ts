/**
 * What the bot hears about runs. Every run that ends is reported to the notifier (a manual run
 * tells the conversation it was started from; a failed scheduled run tells the admins' chats).
 * After each scheduled run that produced results, the bot posts the weekly summary and the
 * stale-account alerts; the previous run's year rows are remembered here, so the notifier can
 * tell what changed. Summaries held back for a conversation's chosen day and hour are posted by
 * a periodic tick.
 */
import { SPAN, telemetry, type Logger, type OfficeRowView, type Services } from '../../api/src';
import type { Notifier } from '../../bot/src';
import { BOT_VIEWER, runInfoOf } from './bot-engagement';

export type RunNotifier = Pick<Notifier, 'afterRun' | 'runEnded' | 'deliverDue'>;

/** How often held-back summaries are looked at: an hour's choice lands within this much of it. */
export const DELIVER_DUE_EVERY_MS = 5 * 60_000;

export interface RunNotificationOptions {
  /** @default DELIVER_DUE_EVERY_MS */
  deliverDueEveryMs?: number;
  /**
   * Calls `tick` every `ms` until the returned function is called. Tests pass their own.
   * @default setInterval, unref'd so it never keeps the process alive
   */
  every?: (tick: () => void, ms: number) => () => void;
}

function everyWithInterval(tick: () => void, ms: number): () => void {
  const handle = setInterval(tick, ms);
  handle.unref();
  return () => clearInterval(handle);
}

/**
 * Wires the notifier to the run service and starts the tick for held-back summaries (one tick
 * right away, so a summary that fell due while the server was down goes out at start-up).
 * Resolves with the function that stops both.
 */
export async function notifyAfterScheduledRuns(
  services: Pick<Services, 'runs' | 'results'>,
  notifier: RunNotifier,
  logger: Logger,
  options: RunNotificationOptions = {},
): Promise<() => void> {
  // Rows as the bot may show them (BOT_VIEWER): the notifications go to channels.
  let lastYearRows: OfficeRowView[] | null = (await services.results.header()) ? await services.results.yearRows(BOT_VIEWER) : null;
  const stopListening = services.runs.onRunFinished(async (summary) => {
    // Whatever its trigger and outcome: the starter of a manual run and, for a failed scheduled
    // run, the admins hear about it. runEnded never throws.
    await telemetry().span(SPAN.proactiveSend, { 'rapport.bot.kind': 'run-ended', 'rapport.run.status': summary.status }, () => notifier.runEnded(runInfoOf(summary)));
    // A failed or cancelled run leaves the previous results current: nothing changed to report.
    if (summary.status === 'failed' || summary.status === 'cancelled') return;
    const current = await services.results.yearRows(BOT_VIEWER);
    const previous = lastYearRows;
    lastYearRows = current;
    if (summary.trigger !== 'schedule') return;
    try {
      // One span for the fan-out: counts only, never a conversation or an account.
      const report = await telemetry().span(SPAN.proactiveSend, { 'rapport.bot.kind': 'weekly' }, async (span) => {
        const r = await notifier.afterRun({ previous, current, run: runInfoOf(summary) });
        span.set({
          'rapport.bot.delivered': r.summary.delivered + r.alerts.delivered,
          'rapport.bot.failed': r.summary.failed + r.alerts.failed,
          'rapport.bot.removed': r.summary.removed + r.alerts.removed,
        });
        return r;
      });
      const touched = [report.summary, report.alerts].some((r) => r.delivered + r.skipped + r.failed + r.removed > 0);
      // Without any installation (the demo, a new tenant) there is nothing an operator must read.
      (touched ? logger.info : logger.debug).call(logger, 'bot notifications after the scheduled run', { runId: summary.id, ...report });
    } catch (e) {
      logger.error('bot notifications failed', { runId: summary.id, error: (e as Error).message });
    }
  });

  // One tick at a time: a slow fan-out is never overlapped by the next tick.
  let ticking: Promise<unknown> | null = null;
  const tick = () => {
    if (ticking) return;
    ticking = telemetry()
      .span(SPAN.proactiveSend, { 'rapport.bot.kind': 'held-summaries' }, async (span) => {
        const delivered = await notifier.deliverDue();
        span.set({ 'rapport.bot.delivered': delivered });
        return delivered;
      })
      .then((delivered) => {
        if (delivered > 0) logger.info('held-back weekly summaries posted', { delivered });
      })
      .catch((e: unknown) => logger.error('held-back summaries failed', { error: (e as Error).message }))
      .finally(() => {
        ticking = null;
      });
  };
  tick();
  const stopTicking = (options.every ?? everyWithInterval)(tick, options.deliverDueEveryMs ?? DELIVER_DUE_EVERY_MS);
  return () => {
    stopTicking();
    stopListening();
  };
}
