/**
 * Remembers, per run, which card went to which conversation, so that a retried `afterRun`
 * or a restarted process never posts the same summary or alert twice.
 *
 * The entry is written as `pending` before the send and turned into `sent` after it. A send
 * that fails for sure releases the entry (a later retry may send). A `pending` entry left by
 * a crash is never resent: the card may already be in the channel, and at most once wins.
 */
import type { BotStateStore } from '../ports';

/** Runs whose ledger entries are kept; older ones are pruned. */
const KEEP_RUNS = 10;

export class DeliveryLedger {
  constructor(
    private readonly store: BotStateStore,
    private readonly clock: () => Date,
  ) {}

  static key(runId: string, conversationKey: string, item: string): string {
    return `${runId}|${conversationKey}|${item}`;
  }

  /** True when the caller may send: nothing was recorded for this key before. */
  async claim(runId: string, key: string): Promise<boolean> {
    if ((await this.store.read()).ledger[key]) return false;
    const at = this.clock().toISOString();
    return this.store.update((draft) => {
      if (draft.ledger[key]) return false;
      draft.ledger[key] = { runId, state: 'pending', at };
      return true;
    });
  }

  async confirm(key: string): Promise<void> {
    const at = this.clock().toISOString();
    await this.store.update((draft) => {
      const entry = draft.ledger[key];
      if (entry) draft.ledger[key] = { ...entry, state: 'sent', at };
    });
  }

  async release(key: string): Promise<void> {
    await this.store.update((draft) => {
      delete draft.ledger[key];
    });
  }

  /** Records the run as notified and drops ledger entries of runs older than the last few. */
  async finishRun(runId: string): Promise<void> {
    await this.store.update((draft) => {
      draft.notifiedRuns = [...draft.notifiedRuns.filter((r) => r !== runId), runId].slice(-KEEP_RUNS);
      const kept = new Set(draft.notifiedRuns);
      for (const [key, entry] of Object.entries(draft.ledger)) if (!kept.has(entry.runId)) delete draft.ledger[key];
    });
  }
}
