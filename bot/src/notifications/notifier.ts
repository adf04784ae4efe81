/** After a run: the weekly summary to every installation, stale alerts to subscribed channels. */
import { staleAlertCard, staleOverflowCard } from '../cards/stale-alert-card';
import { summaryCard } from '../cards/summary-card';
import type { AdaptiveCardJson, ProactiveSender, StoredReference } from '../conversation';
import type { InstallationStore } from '../installations/installation-store';
import type { AccountMarks } from '../actions/account-marks';
import type { AccountRow, AfterRunInput, AfterRunReport, DeliveryReport, EngagementPort, Logger, MapBounded, Notifier } from '../ports';
import { DeliveryLedger } from './delivery-ledger';
import { sendWithRetry, type DeliveryOptions } from './fan-out';
import { isStale, newlyStale } from './stale';

/** More newly stale accounts than this in one run get one overflow card instead of one card each. */
export const MAX_ALERT_CARDS_PER_CHANNEL = 10;

export interface NotifierDeps {
  engagement: EngagementPort;
  installations: InstallationStore;
  marks: AccountMarks;
  ledger: DeliveryLedger;
  sender: ProactiveSender;
  clock: () => Date;
  logger: Logger;
  mapBounded: MapBounded;
  delivery: DeliveryOptions;
}

interface Target {
  key: string;
  reference: StoredReference;
}

interface Message {
  item: string;
  card: AdaptiveCardJson;
}

export class RunNotifier implements Notifier {
  constructor(private readonly deps: NotifierDeps) {}

  async afterRun({ previous, current, run }: AfterRunInput): Promise<AfterRunReport> {
    const { engagement, marks, installations, clock } = this.deps;
    const rule = await engagement.staleRule();
    const now = clock();
    const fresh = newlyStale(previous, current, rule);
    const staleCount = current.filter((r) => isStale(r, rule)).length;
    await marks.release(new Set(current.filter((r) => !isStale(r, rule)).map((r) => r.AccountId)), now);

    const [installed, subscribed] = await Promise.all([installations.installations(), installations.subscriptions()]);
    const targets = new Map<string, Target>();
    for (const t of [...installed, ...subscribed]) if (!targets.has(t.key)) targets.set(t.key, { key: t.key, reference: t.reference });

    const card = summaryCard({ heading: 'Rapport weekly engagement summary', run, rows: current, staleCount, newlyStale: fresh, dashboardUrl: engagement.deepLink() });
    const summary = await this.fanOut(run.id, 'summary', [...targets.values()], () => Promise.resolve([{ item: 'summary', card }]));

    const alerts = await this.fanOut(
      run.id,
      'stale-alerts',
      subscribed.map((s) => ({ key: s.key, reference: s.reference })),
      (target) => this.alertMessages(target, fresh, rule.staleDays, now),
    );
    await this.deps.ledger.finishRun(run.id);
    return { summary, alerts, newlyStale: fresh.map((r) => r.AccountId) };
  }

  private async alertMessages(target: Target, fresh: AccountRow[], staleDays: number, now: Date): Promise<Message[]> {
    const due: AccountRow[] = [];
    for (const row of fresh) if (!(await this.deps.marks.suppresses(target.key, row.AccountId, now))) due.push(row);
    const carded = due.length > MAX_ALERT_CARDS_PER_CHANNEL ? due.slice(0, MAX_ALERT_CARDS_PER_CHANNEL - 1) : due;
    const messages: Message[] = carded.map((row) => ({
      item: `alert:${row.AccountId}`,
      card: staleAlertCard(row, staleDays, this.deps.engagement.deepLink(row.AccountId)),
    }));
    if (carded.length < due.length) messages.push({ item: 'alert-overflow', card: staleOverflowCard(due.length - carded.length, this.deps.engagement.deepLink()) });
    return messages;
  }

  /** Sends each target its messages, in order, with the ledger guarding every single card. */
  private async fanOut(runId: string, kind: string, targets: Target[], messagesFor: (t: Target) => Promise<Message[]>): Promise<DeliveryReport> {
    const { ledger, sender, logger, delivery, mapBounded } = this.deps;
    const report: DeliveryReport = { delivered: 0, skipped: 0, failed: 0, removed: 0 };
    // The worker catches everything: one conversation's failure never stops the others.
    await mapBounded(targets, delivery.concurrency, async (target) => {
      try {
        for (const message of await messagesFor(target)) {
          const key = DeliveryLedger.key(runId, target.key, message.item);
          if (!(await ledger.claim(runId, key))) {
            report.skipped += 1;
            continue;
          }
          const outcome = await sendWithRetry(sender, target.reference, message.card, delivery);
          if (outcome.ok) {
            await ledger.confirm(key);
            report.delivered += 1;
            continue;
          }
          await ledger.release(key);
          if (outcome.reason === 'gone') {
            await this.deps.installations.remove(target.key);
            report.removed += 1;
            logger.warn('conversation gone; installation removed', { runId, kind, conversationKey: target.key, status: outcome.status, code: outcome.code });
            return;
          }
          report.failed += 1;
          logger.warn('card not delivered', { runId, kind, conversationKey: target.key, item: message.item, ...outcome });
        }
      } catch (e) {
        report.failed += 1;
        logger.error('delivery to a conversation failed', { runId, kind, conversationKey: target.key, error: (e as Error).message });
      }
    });
    logger.info('fan-out finished', { runId, kind, targets: targets.length, ...report });
    return report;
  }
}
