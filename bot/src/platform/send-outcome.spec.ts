import { classifySendError, parseRetryAfter } from './send-outcome';

/** What the Teams SDK's HTTP client (axios) rejects with when the connector answers non-2xx. */
const answered = (status: number, code = '', headers: Record<string, string> = {}) => ({ message: `Request failed with status code ${status}`, response: { status, data: code ? { error: { code } } : '', headers } });

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
  test.each([
    [answered(403, 'BotNotInConversationRoster'), { ok: false, reason: 'gone', status: 403, code: 'BotNotInConversationRoster' }],
    [answered(404, 'ConversationNotFound'), { ok: false, reason: 'gone', status: 404, code: 'ConversationNotFound' }],
    [answered(403, 'BotDisabledByAdmin'), { ok: false, reason: 'failed', status: 403, message: 'The Bot Framework connector answered 403 BotDisabledByAdmin' }],
    [answered(404), { ok: false, reason: 'failed', status: 404, message: 'The Bot Framework connector answered 404' }],
    [answered(429, '', { 'retry-after': '2' }), { ok: false, reason: 'throttled', status: 429, retryAfterMs: 2000 }],
    [answered(429), { ok: false, reason: 'throttled', status: 429, retryAfterMs: null }],
    [answered(503, '', { 'Retry-After': '1' }), { ok: false, reason: 'throttled', status: 503, retryAfterMs: 1000 }],
    [answered(503), { ok: false, reason: 'failed', status: 503, message: 'The Bot Framework connector answered 503' }],
    [new Error('ECONNREFUSED'), { ok: false, reason: 'failed', status: null, message: 'ECONNREFUSED' }],
  ])('when a send fails with %j, then the outcome is %j', (error, outcome) => {
    expect(classifySendError(error)).toEqual(outcome);
  });
});
