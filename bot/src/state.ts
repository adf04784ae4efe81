/**
 * The bot's persisted document (one lowdb file, `DocumentStore<BotState>`). Only
 * conversation references, subscriptions, per-channel account marks and the delivery
 * ledger are kept: no user names, no addresses, no per-person data.
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
});

const subscriptionSchema = z.object({
  key: z.string(),
  /** The team the channel belongs to, so uninstalling the team drops its subscriptions. */
  teamId: z.string().nullable(),
  reference: storedReferenceSchema,
  subscribedAt: z.string(),
});

const accountMarkSchema = z.object({
  conversationKey: z.string(),
  accountId: z.string(),
  snoozedUntil: z.string().nullable(),
  handledAt: z.string().nullable(),
});

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
});

export type BotState = z.infer<typeof botStateSchema>;
export type InstallationRecord = z.infer<typeof installationSchema>;
export type SubscriptionRecord = z.infer<typeof subscriptionSchema>;
export type AccountMark = z.infer<typeof accountMarkSchema>;
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

export function defaultBotState(): BotState {
  return { installations: {}, subscriptions: {}, accountMarks: {}, ledger: {}, notifiedRuns: [] };
}

export function accountMarkKey(conversationKey: string, accountId: string): string {
  return `${conversationKey}|${accountId}`;
}
