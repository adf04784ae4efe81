import type { ProactiveSender, SendOutcome, StoredReference } from '../conversation';
import { card } from '../cards/card-kit';
import { DEFAULT_DELIVERY, sendWithRetry } from './fan-out';

const reference: StoredReference = { channelId: 'msteams', serviceUrl: 'http://127.0.0.1/', conversation: { id: 'c' }, agent: { id: 'bot' } };

function scripted(outcomes: SendOutcome[]): ProactiveSender & { calls: number } {
  return {
    calls: 0,
    sendCard() {
      this.calls += 1;
      return Promise.resolve(outcomes.shift() ?? { ok: true, activityId: 'x' });
    },
  };
}

describe('sendWithRetry', () => {
  const waits: number[] = [];
  const options = { ...DEFAULT_DELIVERY, sleep: (ms: number) => Promise.resolve(void waits.push(ms)), baseBackoffMs: 100 };
  beforeEach(() => {
    waits.length = 0;
  });

  test('when throttled with Retry-After, then it waits that long and tries again', async () => {
    const sender = scripted([{ ok: false, reason: 'throttled', status: 429, retryAfterMs: 3000 }]);
    expect(await sendWithRetry(sender, reference, card([]), options)).toEqual({ ok: true, activityId: 'x' });
    expect(waits).toEqual([3000]);
  });

  test('when throttled without Retry-After or on 5xx, then it backs off exponentially', async () => {
    const sender = scripted([
      { ok: false, reason: 'throttled', status: 429, retryAfterMs: null },
      { ok: false, reason: 'failed', status: 502, message: 'bad gateway' },
    ]);
    expect((await sendWithRetry(sender, reference, card([]), options)).ok).toBe(true);
    expect(waits).toEqual([100, 200]);
  });

  test('when the conversation is gone or the request is bad, then it does not retry', async () => {
    const gone = scripted([{ ok: false, reason: 'gone', status: 403, code: 'BotNotInConversationRoster' }]);
    const bad = scripted([{ ok: false, reason: 'failed', status: 400, message: 'bad' }]);
    expect(await sendWithRetry(gone, reference, card([]), options)).toMatchObject({ reason: 'gone' });
    expect(await sendWithRetry(bad, reference, card([]), options)).toMatchObject({ reason: 'failed', status: 400 });
    expect(gone.calls + bad.calls).toBe(2);
  });

  test('when Retry-After asks for longer than the cap, then it gives up instead of blocking the fan-out', async () => {
    const sender = scripted([{ ok: false, reason: 'throttled', status: 429, retryAfterMs: 10 * 60_000 }]);
    expect(await sendWithRetry(sender, reference, card([]), options)).toMatchObject({ reason: 'throttled' });
    expect(waits).toEqual([]);
  });

  test('when every attempt is throttled, then it stops after maxAttempts', async () => {
    const throttled: SendOutcome = { ok: false, reason: 'throttled', status: 429, retryAfterMs: 1 };
    const sender = scripted([throttled, throttled, throttled, throttled, throttled]);
    expect(await sendWithRetry(sender, reference, card([]), options)).toMatchObject({ reason: 'throttled' });
    expect(sender.calls).toBe(4);
  });
});
