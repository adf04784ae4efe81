/**
 * Per-channel marks on an account's stale alert: snoozed until a date, or handled. A mark is
 * kept per conversation so that one sales team handling an account does not silence another.
 */
import type { BotStateStore } from '../ports';
import { accountMarkKey } from '../state';

export type MarkState = { kind: 'handled'; at: string } | { kind: 'snoozed'; until: string };

export class AccountMarks {
  constructor(private readonly store: BotStateStore) {}

  async snooze(conversationKey: string, accountId: string, until: Date): Promise<void> {
    await this.store.update((draft) => {
      const key = accountMarkKey(conversationKey, accountId);
      draft.accountMarks[key] = { conversationKey, accountId, snoozedUntil: until.toISOString(), handledAt: draft.accountMarks[key]?.handledAt ?? null };
    });
  }

  async markHandled(conversationKey: string, accountId: string, at: Date): Promise<void> {
    await this.store.update((draft) => {
      const key = accountMarkKey(conversationKey, accountId);
      draft.accountMarks[key] = { conversationKey, accountId, snoozedUntil: null, handledAt: at.toISOString() };
    });
  }

  /** Whether an alert for the account is held back in this conversation at `now`. */
  async suppresses(conversationKey: string, accountId: string, now: Date): Promise<boolean> {
    const mark = (await this.store.read()).accountMarks[accountMarkKey(conversationKey, accountId)];
    if (!mark) return false;
    return mark.handledAt !== null || (mark.snoozedUntil !== null && new Date(mark.snoozedUntil) > now);
  }

  /** The mark in force at `now`, for lists and cards to word; null when the alert is open. */
  async describe(conversationKey: string, accountId: string, now: Date): Promise<MarkState | null> {
    const mark = (await this.store.read()).accountMarks[accountMarkKey(conversationKey, accountId)];
    if (!mark) return null;
    if (mark.handledAt !== null) return { kind: 'handled', at: mark.handledAt };
    if (mark.snoozedUntil !== null && new Date(mark.snoozedUntil) > now) return { kind: 'snoozed', until: mark.snoozedUntil };
    return null;
  }

  /** Undo: the alert is open again in this conversation. False when there was no mark to take back. */
  async clear(conversationKey: string, accountId: string): Promise<boolean> {
    const key = accountMarkKey(conversationKey, accountId);
    if (!(await this.store.read()).accountMarks[key]) return false;
    return this.store.update((draft) => {
      if (!draft.accountMarks[key]) return false;
      delete draft.accountMarks[key];
      return true;
    });
  }

  /**
   * "Handled" lasts until the account stops being stale: once a run sees it active again,
   * the mark goes, so the next time it goes stale is alerted anew. Expired snoozes go too.
   */
  async release(activeAccountIds: Set<string>, now: Date): Promise<number> {
    const marks = Object.entries((await this.store.read()).accountMarks);
    const expired = (m: (typeof marks)[number][1]) =>
      (m.handledAt === null || activeAccountIds.has(m.accountId)) && (m.snoozedUntil === null || new Date(m.snoozedUntil) <= now);
    if (!marks.some(([, m]) => expired(m))) return 0;
    return this.store.update((draft) => {
      let released = 0;
      for (const [key, mark] of Object.entries(draft.accountMarks)) {
        if (expired(mark)) {
          delete draft.accountMarks[key];
          released += 1;
        }
      }
      return released;
    });
  }
}
