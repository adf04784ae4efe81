import { ConnectorHttpError, parseRetryAfter } from './rapport-cloud-adapter';
import { classifySendError } from './teamsfx-platform';

describe('parseRetryAfter', () => {
  test.each([
    ['3', 3000],
    ['0', 0],
    ['Mon, 12 Jan 2026 09:00:05 GMT', 5000],
    ['', null],
    ['soon', null],
    [undefined, null],
  ])('when Retry-After is %p, then the wait is %p ms', (value, expected) => {
    expect(parseRetryAfter(value, Date.parse('2026-01-12T09:00:00Z'))).toBe(expected);
  });
});

describe('classifySendError', () => {
  test('when the bot left the conversation or it no longer exists, then the installation is gone', () => {
    expect(classifySendError(new ConnectorHttpError(403, 'BotNotInConversationRoster', null))).toMatchObject({ reason: 'gone' });
    expect(classifySendError(new ConnectorHttpError(404, 'ConversationNotFound', null))).toMatchObject({ reason: 'gone' });
  });

  test('when another 403 or 404 comes back, then it is a failure, not a removal', () => {
    expect(classifySendError(new ConnectorHttpError(403, 'BotDisabledByAdmin', null))).toMatchObject({ reason: 'failed', status: 403 });
    expect(classifySendError(new ConnectorHttpError(404, '', null))).toMatchObject({ reason: 'failed', status: 404 });
  });

  test('when throttled, then the Retry-After travels with the outcome', () => {
    expect(classifySendError(new ConnectorHttpError(429, '', 2000))).toEqual({ ok: false, reason: 'throttled', status: 429, retryAfterMs: 2000 });
  });

  test('when the network fails, then the failure has no status', () => {
    expect(classifySendError(new Error('ECONNREFUSED'))).toEqual({ ok: false, reason: 'failed', status: null, message: 'ECONNREFUSED' });
  });
});
