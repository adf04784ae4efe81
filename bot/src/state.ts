/**
 * The bot's persisted document (one lowdb file, `DocumentStore<BotState>`). Only
 * conversation references, subscriptions, per-channel account marks and the delivery
 * ledger are kept: no user names and no per-person data, except the address of a seller who
 * asked for their own accounts' alerts (`subscribe mine`).
 */
import { z } from 'zod';

const storedReferenceSchema = z.object({
  channelId: z.string(),
  serviceUrl: z.string(),
  locale: z.string().optional(),
  conversation: z.object({
    id: z.string(),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  agent: z.object({ id: z.string(), name: z.string().optional() }),
});

const installationSchema = z.object({
  key: z.string(),
  kind: z.enum(['team', 'groupChat', 'personal']),
  reference: storedReferenceSchema,
  installedAt: z.string(),
  updatedAt: z.string(),
  welcomedAt: z.string().nullable(),
  /**
   * A personal chat where a Rapport admin has talked to the bot: a failed scheduled run is
   * reported there. A flag, not an identity: who the admin is stays unstored.
   */
  adminChat: z.boolean().optional(),
});

const subscriptionSchema = z.object({
  key: z.string(),
  /** The team the channel belongs to, so uninstalling the team drops its subscriptions. */
  teamId: z.string().nullable(),
  reference: storedReferenceSchema,
  subscribedAt: z.string(),
  /**
   * `subscribe mine` in a personal chat: the seller's address (lower-cased), matched with the
   * dataset's owner column, so only their accounts are alerted. The one personal datum kept,
   * at the person's own request; `unsubscribe` or uninstalling removes it.
   */
  owner: z.string().optional(),
});

const accountMarkSchema = z.object({
  conversationKey: z.string(),
  accountId: z.string(),
  snoozedUntil: z.string().nullable(),
  handledAt: z.string().nullable(),
});

/** What one conversation chose in `settings`; null means "Rapport's default". */
const conversationSettingsSchema = z.object({
  weeklySummary: z.boolean(),
  /** 0 = Sunday … 6 = Saturday; null: as soon as the run finishes. */
  summaryDay: z.number().int().min(0).max(6).nullable(),
  /** 0–23 in `timeZone`; used with `summaryDay`. */
  summaryHour: z.number().int().min(0).max(23),
  /** IANA time zone of the conversation (the client's when settings were saved). */
  timeZone: z.string(),
  /** Days without contact before an account counts as quiet here; null: the configured rule. */
  staleDays: z.number().int().min(1).max(365).nullable(),
  /** The language cards sent here later are written in (the one settings were saved in). */
  locale: z.string(),
  updatedAt: z.string(),
});

/** A summary held back until the conversation's chosen day and hour. */
const pendingSummarySchema = z.object({ key: z.string(), runId: z.string(), dueAt: z.string(), newlyStale: z.array(z.string()) });

/** Who to tell when a manual run ends: the conversation it was started from, not the person. */
const runWatcherSchema = z.object({ runId: z.string(), reference: storedReferenceSchema, timeZone: z.string().nullable(), at: z.string() });

const ledgerEntrySchema = z.object({
  runId: z.string(),
  /** `pending` is written before the send, `sent` after it. A `pending` entry found after a
   * crash is never resent: the alert may have gone out, and at most once wins. */
  state: z.enum(['pending', 'sent']),
  at: z.string(),
});

export const botStateSchema = z.object({
  installations: z.record(z.string(), installationSchema),
  subscriptions: z.record(z.string(), subscriptionSchema),
  accountMarks: z.record(z.string(), accountMarkSchema),
  ledger: z.record(z.string(), ledgerEntrySchema),
  /** Run ids in the order they were notified; the ledger keeps the last few only. */
  notifiedRuns: z.array(z.string()),
  // Added later: documents written before these existed read as empty.
  conversationSettings: z.record(z.string(), conversationSettingsSchema).default({}),
  pendingSummaries: z.record(z.string(), pendingSummarySchema).default({}),
  runWatchers: z.record(z.string(), runWatcherSchema).default({}),
});

export type BotState = z.infer<typeof botStateSchema>;
export type InstallationRecord = z.infer<typeof installationSchema>;
export type SubscriptionRecord = z.infer<typeof subscriptionSchema>;
export type AccountMark = z.infer<typeof accountMarkSchema>;
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;
export type ConversationSettings = z.infer<typeof conversationSettingsSchema>;
export type RunWatcher = z.infer<typeof runWatcherSchema>;
export type PendingSummary = z.infer<typeof pendingSummarySchema>;
export { conversationSettingsSchema };

export function defaultBotState(): BotState {
  return { installations: {}, subscriptions: {}, accountMarks: {}, ledger: {}, notifiedRuns: [], conversationSettings: {}, pendingSummaries: {}, runWatchers: {} };
}

export function accountMarkKey(conversationKey: string, accountId: string): string {
  return `${conversationKey}|${accountId}`;
}
