/**
 * Sending one card to many conversations: retries that honour Retry-After. The bounded pool is
 * the injected `MapBounded` (ports.ts); the notifier isolates failures per conversation.
 */
import type { AdaptiveCardJson, ProactiveSender, SendOutcome, StoredReference } from '../conversation';

export interface DeliveryOptions {
  /** Conversations served at the same time. @default 4 */
  concurrency: number;
  /** Attempts per card, the first included. @default 4 */
  maxAttempts: number;
  /** Longest wait honoured from a Retry-After header; longer asks fail the card. @default 60000 */
  maxRetryAfterMs: number;
  /** First backoff when the service gives no Retry-After, doubled per attempt. @default 1000 */
  baseBackoffMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  concurrency: 4,
  maxAttempts: 4,
  maxRetryAfterMs: 60_000,
  baseBackoffMs: 1_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Sends one card, retrying on throttling (429/503) and on server or network faults. */
export async function sendWithRetry(sender: ProactiveSender, reference: StoredReference, card: AdaptiveCardJson, options: DeliveryOptions): Promise<SendOutcome> {
  let outcome: SendOutcome = { ok: false, reason: 'failed', status: null, message: 'not sent' };
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    outcome = await sender.sendCard(reference, card);
    if (outcome.ok || outcome.reason === 'gone') return outcome;
    const retryable = outcome.reason === 'throttled' || outcome.status === null || outcome.status >= 500;
    if (!retryable || attempt === options.maxAttempts) return outcome;
    const backoff = options.baseBackoffMs * 2 ** (attempt - 1);
    const wait = outcome.reason === 'throttled' && outcome.retryAfterMs !== null ? outcome.retryAfterMs : backoff;
    if (wait > options.maxRetryAfterMs) return outcome;
    await options.sleep(wait);
  }
  return outcome;
}
