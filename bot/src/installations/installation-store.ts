/**
 * Installations and channel subscriptions over the bot's `BotStateStore`.
 *
 * `add`/`remove`/`list` implement teamsfx's `ConversationReferenceStore` contract (structurally,
 * so this file does not import the SDK): the teamsfx notification middleware calls them on
 * install and uninstall. Everything else here is Rapport's own bookkeeping.
 */
import type { BotStateStore } from '../ports';
import { conversationKey, type StoredReference } from '../conversation';
import type { ConversationSettings, InstallationRecord, RunWatcher, SubscriptionRecord } from '../state';

/** The subset of a Bot Framework conversation reference this store reads. */
export interface ReferenceLike {
  channelId?: string;
  serviceUrl?: string;
  locale?: string;
  conversation?: { id?: string; conversationType?: string; tenantId?: string; isGroup?: boolean };
  agent?: { id?: string; name?: string } | null;
}

export interface PagedReferences {
  data: StoredReference[];
  continuationToken: string;
}

export class InstallationStore {
  constructor(
    private readonly store: BotStateStore,
    private readonly clock: () => Date,
  ) {}

  // --- teamsfx ConversationReferenceStore -------------------------------------------------

  /** Adds an installation; with `overwrite` an existing one gets the new reference. */
  async add(key: string, reference: Partial<ReferenceLike>, options: { overwrite?: boolean }): Promise<boolean> {
    const stored = toStoredReference(reference);
    if (!stored) return false;
    const now = this.clock().toISOString();
    return this.store.update((draft) => {
      const existing = draft.installations[key];
      if (existing && !options.overwrite) return false;
      draft.installations[key] = existing
        ? { ...existing, reference: stored, updatedAt: now }
        : { key, kind: kindOf(stored), reference: stored, installedAt: now, updatedAt: now, welcomedAt: null };
      return true;
    });
  }

  /** Removes an installation, and for a team every subscription of its channels. */
  async remove(key: string, _reference?: Partial<ReferenceLike>): Promise<boolean> {
    const state = await this.store.read();
    const existing = state.installations[key];
    const teamId = existing?.kind === 'team' ? existing.reference.conversation.id : null;
    const dropsSubscriptions = Object.values(state.subscriptions).some((s) => s.key === key || (teamId !== null && s.teamId === teamId));
    if (!existing && !dropsSubscriptions) return false;
    return this.store.update((draft) => {
      delete draft.installations[key];
      for (const sub of Object.values(draft.subscriptions)) {
        if (sub.key === key || (teamId !== null && sub.teamId === teamId)) delete draft.subscriptions[sub.key];
      }
      for (const [markKey, mark] of Object.entries(draft.accountMarks)) {
        if (mark.conversationKey === key) delete draft.accountMarks[markKey];
      }
      delete draft.conversationSettings[key];
      delete draft.pendingSummaries[key];
      return true;
    });
  }

  async list(pageSize = 100, continuationToken?: string): Promise<PagedReferences> {
    const all = Object.values((await this.store.read()).installations).map((i) => i.reference);
    const start = continuationToken ? Number.parseInt(continuationToken, 10) || 0 : 0;
    const end = start + pageSize;
    return { data: all.slice(start, end), continuationToken: end < all.length ? String(end) : '' };
  }

  // --- Rapport ---------------------------------------------------------------------------

  async installations(): Promise<InstallationRecord[]> {
    return Object.values((await this.store.read()).installations);
  }

  async subscriptions(): Promise<SubscriptionRecord[]> {
    return Object.values((await this.store.read()).subscriptions);
  }

  /** Marks the installation welcomed; true only for the call that did it, so the welcome goes out once. */
  async markWelcomed(key: string): Promise<boolean> {
    const state = await this.store.read();
    const existing = state.installations[key];
    if (!existing || existing.welcomedAt) return false;
    const now = this.clock().toISOString();
    return this.store.update((draft) => {
      const record = draft.installations[key];
      if (!record || record.welcomedAt) return false;
      record.welcomedAt = now;
      return true;
    });
  }

  /**
   * Subscribes the conversation to stale alerts; with `owner` (a personal chat's `subscribe
   * mine`) to that seller's accounts only. True when it was not subscribed (or, with `owner`,
   * was subscribed for another address).
   */
  async subscribe(reference: StoredReference, teamId: string | null, owner?: string): Promise<boolean> {
    const key = conversationKey(reference);
    const now = this.clock().toISOString();
    const normalised = owner?.trim().toLowerCase();
    return this.store.update((draft) => {
      const existing = draft.subscriptions[key];
      draft.subscriptions[key] = { key, teamId, reference, subscribedAt: existing?.subscribedAt ?? now, ...(normalised && { owner: normalised }) };
      return !existing || existing.owner !== normalised;
    });
  }

  async unsubscribe(key: string): Promise<boolean> {
    if (!((await this.store.read()).subscriptions[key])) return false;
    return this.store.update((draft) => {
      delete draft.subscriptions[key];
      return true;
    });
  }

  async isSubscribed(key: string): Promise<boolean> {
    return key in (await this.store.read()).subscriptions;
  }

  // --- per-conversation settings ------------------------------------------------------------

  /** What the conversation chose in `settings`; null when it never saved any (Rapport's defaults). */
  async settings(key: string): Promise<ConversationSettings | null> {
    return (await this.store.read()).conversationSettings[key] ?? null;
  }

  async allSettings(): Promise<Record<string, ConversationSettings>> {
    return (await this.store.read()).conversationSettings;
  }

  async saveSettings(key: string, settings: ConversationSettings): Promise<void> {
    await this.store.update((draft) => {
      draft.conversationSettings[key] = settings;
    });
  }

  /** Marks a personal chat as one a Rapport admin uses, so a failed scheduled run is reported there. */
  async markAdminChat(key: string): Promise<void> {
    const existing = (await this.store.read()).installations[key];
    if (!existing || existing.kind !== 'personal' || existing.adminChat) return;
    await this.store.update((draft) => {
      const record = draft.installations[key];
      if (record) record.adminChat = true;
    });
  }

  // --- manual runs -----------------------------------------------------------------------------

  /** Remembers where a manual run was started from, to tell that conversation when it ends. */
  async watchRun(watcher: RunWatcher): Promise<void> {
    await this.store.update((draft) => {
      draft.runWatchers[watcher.runId] = watcher;
    });
  }

  /** The conversation to tell about a finished run, removed so it is told once. */
  async takeRunWatcher(runId: string): Promise<RunWatcher | null> {
    if (!(await this.store.read()).runWatchers[runId]) return null;
    return this.store.update((draft) => {
      const watcher = draft.runWatchers[runId] ?? null;
      delete draft.runWatchers[runId];
      return watcher;
    });
  }

  /**
   * Bot Framework may move a conversation to another service URL; every activity carries the
   * current one. Updates stored references of this conversation (and of its team's channels).
   */
  async refreshServiceUrl(serviceUrl: string, conversationKeys: string[], teamId: string | null): Promise<number> {
    const state = await this.store.read();
    const matches = (key: string, ref: StoredReference, recordTeamId: string | null) =>
      ref.serviceUrl !== serviceUrl && (conversationKeys.includes(key) || (teamId !== null && recordTeamId === teamId));
    const stale =
      Object.values(state.installations).some((i) => matches(i.key, i.reference, i.kind === 'team' ? i.reference.conversation.id : null)) ||
      Object.values(state.subscriptions).some((s) => matches(s.key, s.reference, s.teamId));
    if (!stale) return 0;
    return this.store.update((draft) => {
      let changed = 0;
      for (const i of Object.values(draft.installations)) {
        if (matches(i.key, i.reference, i.kind === 'team' ? i.reference.conversation.id : null)) {
          i.reference.serviceUrl = serviceUrl;
          changed += 1;
        }
      }
      for (const s of Object.values(draft.subscriptions)) {
        if (matches(s.key, s.reference, s.teamId)) {
          s.reference.serviceUrl = serviceUrl;
          changed += 1;
        }
      }
      return changed;
    });
  }
}

/** Keeps only what a proactive send needs; `user` (the person) is dropped on purpose. */
export function toStoredReference(reference: Partial<ReferenceLike>): StoredReference | null {
  const { conversation, agent, serviceUrl, channelId } = reference;
  if (!conversation?.id || !agent?.id || !serviceUrl || !channelId) return null;
  const stored: StoredReference = {
    channelId,
    serviceUrl,
    conversation: {
      id: conversation.id,
      ...(conversation.conversationType !== undefined && { conversationType: conversation.conversationType }),
      ...(conversation.tenantId !== undefined && { tenantId: conversation.tenantId }),
      ...(conversation.isGroup !== undefined && { isGroup: conversation.isGroup }),
    },
    agent: { id: agent.id, ...(agent.name !== undefined && { name: agent.name }) },
  };
  if (reference.locale) stored.locale = reference.locale;
  return stored;
}

function kindOf(reference: StoredReference): InstallationRecord['kind'] {
  switch (reference.conversation.conversationType) {
    case 'personal':
      return 'personal';
    case 'groupChat':
      return 'groupChat';
    default:
      return 'team';
  }
}
