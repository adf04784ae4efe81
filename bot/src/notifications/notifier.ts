/**
 * After a run: the weekly summary to every installation that wants it (now, or held back for the
 * conversation's chosen day and hour), stale alerts to subscribed conversations at their own
 * threshold, each in the conversation's language; and, for any run that ended, a word to the
 * conversation a manual run was started from, or to the admins when a scheduled run failed.
 */
import { runEndedCard } from '../cards/run-card';
import { staleAlertCard, staleOverflowCard } from '../cards/stale-alert-card';
import { summaryCard } from '../cards/summary-card';
import type { AdaptiveCardJson, ProactiveSender, StoredReference } from '../conversation';
import type { InstallationStore } from '../installations/installation-store';
import type { AccountMarks } from '../actions/account-marks';
import { langFor, type Lang } from '../i18n';
import type { AccountRow, AfterRunInput, AfterRunReport, DeliveryReport, EngagementPort, Logger, MapBounded, Notifier, RunInfo } from '../ports';
import type { BotStateStore } from '../ports';
import type { ConversationSettings } from '../state';
import { DeliveryLedger } from './delivery-ledger';
import { sendWithRetry, type DeliveryOptions } from './fan-out';
import { nextOccurrence } from './schedule';
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
  /** The bot's document, for the summaries held back until their hour. */
  store?: BotStateStore;
}

interface Target {
  key: string;
  reference: StoredReference;
  /** A seller's `subscribe mine`: alerts about the accounts the owner column gives this address only. */
  owner?: string;
}

interface Message {
  item: string;
  card: AdaptiveCardJson;
}

/** The language cards to a conversation are written in: the one its settings were saved in, else its installer's. */
function langOfTarget(target: Target, settings: ConversationSettings | undefined): Lang {
  return langFor(settings?.locale ?? target.reference.locale, settings?.timeZone ?? null);
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

    const [installed, subscribed, settings] = await Promise.all([installations.installations(), installations.subscriptions(), installations.allSettings()]);
    const targets = new Map<string, Target>();
    for (const t of [...installed, ...subscribed]) if (!targets.has(t.key)) targets.set(t.key, { key: t.key, reference: t.reference });

    const summaryNow: Target[] = [];
    const held: Target[] = [];
    for (const target of targets.values()) {
      const chosen = settings[target.key];
      if (chosen?.weeklySummary === false) continue;
      // Without the bot's document to hold them in, every summary goes out now.
      (chosen && chosen.summaryDay !== null && this.deps.store ? held : summaryNow).push(target);
    }
    await this.holdSummaries(run.id, held, settings, fresh, now);
    const summary = await this.fanOut(run.id, 'summary', summaryNow, (target) => {
      const lang = langOfTarget(target, settings[target.key]);
      const heading = lang.m.summary.weeklyHeading;
      return Promise.resolve([{ item: 'summary', card: summaryCard({ heading, run, rows: current, staleCount, newlyStale: fresh, dashboardUrl: engagement.deepLink() }, lang) }]);
    });

    // One owner look-up per address and run, however many chats it is subscribed in.
    const owned = new Map<string, Promise<ReadonlySet<string> | null>>();
    const ownedBy = (email: string) => {
      let found = owned.get(email);
      if (!found) owned.set(email, (found = engagement.accountsOwnedBy?.(email) ?? Promise.resolve(null)));
      return found;
    };
    const alerts = await this.fanOut(
      run.id,
      'stale-alerts',
      subscribed.map((s) => ({ key: s.key, reference: s.reference, ...(s.owner && { owner: s.owner }) })),
      async (target) => {
        const chosen = settings[target.key];
        const staleDays = chosen?.staleDays ?? rule.staleDays;
        // A conversation with its own threshold gets the accounts that went quiet by that threshold.
        let due = chosen?.staleDays ? newlyStale(previous, current, { ...rule, staleDays }) : fresh;
        if (target.owner) {
          // No owner column any more (the mapping changed): nothing is known to be theirs, so nothing is sent.
          const mine = await ownedBy(target.owner);
          due = mine ? due.filter((r) => mine.has(r.AccountId)) : [];
        }
        return this.alertMessages(target, due, staleDays, now, langOfTarget(target, chosen));
      },
    );
    await this.deps.ledger.finishRun(run.id);
    return { summary, alerts, newlyStale: fresh.map((r) => r.AccountId) };
  }

  async runEnded(run: RunInfo): Promise<void> {
    const { installations, engagement, logger } = this.deps;
    try {
      const targets: Array<Target & { audience: 'starter' | 'admins'; timeZone: string | null }> = [];
      const watcher = await installations.takeRunWatcher(run.id);
      if (watcher) targets.push({ key: `run-watcher`, reference: watcher.reference, audience: 'starter', timeZone: watcher.timeZone });
      if (run.trigger === 'schedule' && run.status === 'failed') {
        for (const i of await installations.installations()) if (i.adminChat) targets.push({ key: i.key, reference: i.reference, audience: 'admins', timeZone: null });
      }
      if (targets.length === 0) return;
      const settings = await installations.allSettings();
      await this.fanOut(run.id, 'run-ended', targets, (target) => {
        const t = target as (typeof targets)[number];
        const lang = langFor(t.reference.locale, t.timeZone ?? settings[t.key]?.timeZone ?? null);
        return Promise.resolve([{ item: `run-ended:${t.audience}`, card: runEndedCard(run, t.audience, engagement.deepLink(), lang) }]);
      });
    } catch (e) {
      logger.error('run-ended notice failed', { runId: run.id, error: (e as Error).message });
    }
  }

  async deliverDue(): Promise<number> {
    const { store, engagement, installations, clock, logger } = this.deps;
    if (!store) return 0;
    try {
      const now = clock();
      const pending = Object.values((await store.read()).pendingSummaries).filter((p) => new Date(p.dueAt) <= now);
      if (pending.length === 0) return 0;
      const [run, rows, rule, installed, subscribed, settings] = await Promise.all([
        engagement.lastRun(),
        engagement.yearRows(),
        engagement.staleRule(),
        installations.installations(),
        installations.subscriptions(),
        installations.allSettings(),
      ]);
      const references = new Map([...installed, ...subscribed].map((t) => [t.key, t.reference]));
      const staleCount = rows.filter((r) => isStale(r, rule)).length;
      let delivered = 0;
      for (const entry of pending) {
        const reference = references.get(entry.key);
        // The results shown are the latest; a summary held back across a newer run is that run's.
        if (reference && run) {
          const ids = new Set(entry.newlyStale);
          const report = await this.fanOut(entry.runId, 'summary', [{ key: entry.key, reference }], (target) => {
            const lang = langOfTarget(target, settings[target.key]);
            const newly = rows.filter((r) => ids.has(r.AccountId));
            return Promise.resolve([{ item: 'summary', card: summaryCard({ heading: lang.m.summary.weeklyHeading, run, rows, staleCount, newlyStale: newly, dashboardUrl: engagement.deepLink() }, lang) }]);
          });
          delivered += report.delivered;
          if (report.failed > 0) continue; // kept for the next tick
        }
        await store.update((draft) => {
          delete draft.pendingSummaries[entry.key];
        });
      }
      return delivered;
    } catch (e) {
      logger.error('held-back summaries failed', { error: (e as Error).message });
      return 0;
    }
  }

  private async holdSummaries(runId: string, held: Target[], settings: Record<string, ConversationSettings>, fresh: AccountRow[], now: Date): Promise<void> {
    const { store } = this.deps;
    if (!store || held.length === 0) return;
    await store.update((draft) => {
      for (const target of held) {
        const chosen = settings[target.key]!;
        const dueAt = nextOccurrence(now, chosen.summaryDay ?? 0, chosen.summaryHour, chosen.timeZone).toISOString();
        draft.pendingSummaries[target.key] = { key: target.key, runId, dueAt, newlyStale: fresh.map((r) => r.AccountId) };
      }
    });
  }

  private async alertMessages(target: Target, fresh: AccountRow[], staleDays: number, now: Date, lang: Lang): Promise<Message[]> {
    const due: AccountRow[] = [];
    for (const row of fresh) if (!(await this.deps.marks.suppresses(target.key, row.AccountId, now))) due.push(row);
    const carded = due.length > MAX_ALERT_CARDS_PER_CHANNEL ? due.slice(0, MAX_ALERT_CARDS_PER_CHANNEL - 1) : due;
    const messages: Message[] = carded.map((row) => ({
      item: `alert:${row.AccountId}`,
      card: staleAlertCard(row, staleDays, this.deps.engagement.deepLink(row.AccountId), lang),
    }));
    if (carded.length < due.length) messages.push({ item: 'alert-overflow', card: staleOverflowCard(due.length - carded.length, this.deps.engagement.deepLink(), lang) });
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
    // No installation yet (the demo, a new tenant): nothing happened that an operator must read.
    if (targets.length > 0) logger.info('fan-out finished', { runId, kind, targets: targets.length, ...report });
    else logger.debug?.('fan-out finished', { runId, kind, targets: 0 });
    return report;
  }
}
