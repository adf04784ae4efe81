import { AppError } from '../errors';
import { REDACTED, redactEntry, redactText, redactValue } from './log-redaction';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGVsZUBmYWJyaWthbS5jb20ifQ.c2lnbmF0dXJlLWJ5dGVz';

describe('redactText', () => {
  test.each([
    ['an address', 'mail from adele.vance@fabrikam.com bounced', 'mail from a***@fabrikam.com bounced'],
    ['two addresses', 'Adele@Fabrikam.com, b.x@sub.contoso.co.uk', 'A***@Fabrikam.com, b***@sub.contoso.co.uk'],
    ['an address in a Graph path', 'GET https://graph.microsoft.com/v1.0/users/megan.bowen@contoso.com/messages?$top=50', 'GET https://graph.microsoft.com/v1.0/users/m***@contoso.com/messages?$top=50'],
    ['a URL-encoded address', '/users/megan%40contoso.com/calendarView', '/users/m***%40contoso.com/calendarView'],
    ['a bearer token', 'Authorization: Bearer abcdefghijklmnop0123456789', `Authorization: Bearer ${REDACTED}`],
    ['a basic credential', 'basic dXNlcjpwYXNzd29yZDEyMzQ1Ng==', `basic ${REDACTED}`],
    ['a bare JWT', `token was ${JWT} and expired`, `token was ${REDACTED} and expired`],
    ['a query-string token', 'GET /cb?access_token=abc123&state=xyz', `GET /cb?access_token=${REDACTED}&state=xyz`],
    ['a form body secret', 'grant_type=client_credentials&client_secret=s3cr3t~value&scope=x', `grant_type=client_credentials&client_secret=${REDACTED}&scope=x`],
    ['a password pair', 'password=hunter2 user=bob', `password=${REDACTED} user=bob`],
    ['a SAS signature', 'https://x.blob.core.windows.net/c?sv=2024&sig=AbC%2Bdef', `https://x.blob.core.windows.net/c?sv=2024&sig=${REDACTED}`],
    ['a storage connection string', 'DefaultEndpointsProtocol=https;AccountName=rapport;AccountKey=Eby8vdM02x==;EndpointSuffix=core.windows.net', `DefaultEndpointsProtocol=https;AccountName=rapport;AccountKey=${REDACTED};EndpointSuffix=core.windows.net`],
    ['a SAS connection string', 'BlobEndpoint=https://x.blob.core.windows.net;SharedAccessSignature=sv=2024&sig=AbC', `BlobEndpoint=https://x.blob.core.windows.net;SharedAccessSignature=${REDACTED}&sig=${REDACTED}`],
    ['credentials in a URL', 'proxy https://admin:p4ss@proxy.local:8080/', `proxy https://${REDACTED}@proxy.local:8080/`],
    ['quoted JSON secrets', '400 {"error":"invalid_client","client_secret":"abc","refresh_token": "r-1"}', `400 {"error":"invalid_client","client_secret":"${REDACTED}","refresh_token": "${REDACTED}"}`],
  ])('when a string holds %s, then it is redacted', (_what, input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  test.each([
    ['plain prose', 'run finished in 12 s'],
    ['prose naming a bearer token', 'the bearer token expired'],
    ['an error code pair', 'HTTP 404 code=ErrorItemNotFound'],
    ['a word ending like a credential', 'tokens=5 passwords=2'],
    ['an id', 'run 2026-01-12T09:00:00.000Z-a1b2 started'],
  ])('when a string holds %s, then it is unchanged', (_what, input) => {
    expect(redactText(input)).toBe(input);
  });
});

describe('redactValue', () => {
  test.each([
    ['a token field', { accessToken: 'abc' }, { accessToken: REDACTED }],
    ['a secret field', { clientSecret: 's3cr3t' }, { clientSecret: REDACTED }],
    ['a password field', { botPassword: 'p' }, { botPassword: REDACTED }],
    ['an authorization header', { headers: { Authorization: 'Bearer x', accept: 'application/json' } }, { headers: { Authorization: REDACTED, accept: 'application/json' } }],
    ['a cookie header', { cookie: 'sid=1' }, { cookie: REDACTED }],
    ['a numeric secret', { pinSecret: 1234 }, { pinSecret: REDACTED }],
    ['an object under a secret name', { credentials: { user: 'u', key: 'k' } }, { credentials: REDACTED }],
    ['an unset secret', { clientSecret: undefined, botPassword: null, hasToken: false }, { clientSecret: undefined, botPassword: null, hasToken: false }],
    ['addresses in nested values', { orgEntries: ['sales@contoso.com', { input: 'Adele@contoso.com' }] }, { orgEntries: ['s***@contoso.com', { input: 'A***@contoso.com' }] }],
    ['an address as a field name', { 'megan@contoso.com': 3 }, { 'm***@contoso.com': 3 }],
    ['a date', { at: new Date('2026-01-12T09:00:00.000Z') }, { at: '2026-01-12T09:00:00.000Z' }],
    ['a buffer', { body: Buffer.from('password=hunter2') }, { body: '[16 bytes]' }],
    ['a map', { byMailbox: new Map([['a@contoso.com', 1]]) }, { byMailbox: { 'a***@contoso.com': 1 } }],
  ])('when fields hold %s, then they are redacted', (_what, input, expected) => {
    expect(redactValue(input)).toEqual(expected);
  });

  test('when an error is logged, then its type, code and details are kept and its message, stack and cause redacted', () => {
    const cause = new Error('token endpoint said {"access_token":"at-1"}');
    const error = new AppError('GRAPH_ACCESS_DENIED', 'denied for adele@fabrikam.com with Bearer abcdefghijklmnopqrstu', { mailbox: 'adele@fabrikam.com', clientSecret: 'x' }, cause);

    const out = redactValue({ error }) as { error: Record<string, unknown> };

    expect(out.error).toMatchObject({
      type: 'AppError',
      message: `denied for a***@fabrikam.com with Bearer ${REDACTED}`,
      code: 'GRAPH_ACCESS_DENIED',
      status: 502,
      details: { mailbox: 'a***@fabrikam.com', clientSecret: REDACTED },
      cause: { type: 'Error', message: `token endpoint said {"access_token":"${REDACTED}"}` },
    });
    expect(out.error.stack).toEqual(expect.stringContaining('a***@fabrikam.com'));
    expect(JSON.stringify(out)).not.toMatch(/adele@|abcdefghijklmnopqrstu|at-1|"x"/);
  });

  test('when a value refers to itself or nests deeply, then it is cut rather than looped', () => {
    const loop: Record<string, unknown> = { name: 'a' };
    loop.self = loop;
    let deep: Record<string, unknown> = { leaf: 'b@contoso.com' };
    for (let i = 0; i < 20; i += 1) deep = { deep };

    expect(redactValue(loop)).toEqual({ name: 'a', self: '[circular]' });
    expect(JSON.stringify(redactValue(deep))).toContain('[truncated]');
  });

  test('when the same object appears twice without a cycle, then both copies are kept', () => {
    const shared = { id: 1 };

    expect(redactValue({ a: shared, b: shared })).toEqual({ a: { id: 1 }, b: { id: 1 } });
  });
});

describe('redactEntry', () => {
  test('when the message and the fields hold secrets and addresses, then both come back redacted and the input is untouched', () => {
    const fields = { user: 'megan@contoso.com', token: 'abc' };

    const entry = redactEntry('sign-in for megan@contoso.com', fields);

    expect(entry).toEqual({ message: 'sign-in for m***@contoso.com', fields: { user: 'm***@contoso.com', token: REDACTED } });
    expect(fields).toEqual({ user: 'megan@contoso.com', token: 'abc' });
  });
});
