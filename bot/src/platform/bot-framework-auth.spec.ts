import { remoteSigningKeys } from './bot-framework-auth';

const KEY = { kty: 'RSA', kid: 'k1', n: 'AQAB', e: 'AQAB', endorsements: ['msteams'] };

function jwksServer(answers: Array<object | Error>) {
  const calls: string[] = [];
  const fetchImpl = ((url: string) => {
    calls.push(url);
    const next = answers.shift() ?? answers.at(-1);
    if (next instanceof Error) return Promise.reject(next);
    return Promise.resolve(new Response(JSON.stringify(next), { status: 200, headers: { 'content-type': 'application/json' } }));
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

describe('remoteSigningKeys', () => {
  test('when keys are asked for twice within a day, then the JWKS is fetched once', async () => {
    const { calls, fetchImpl } = jwksServer([{ keys: [KEY] }]);
    let now = 0;
    const source = remoteSigningKeys({ fetch: fetchImpl, now: () => now });

    await source.keys(false);
    now = 23 * 3600_000;
    const keys = await source.keys(false);

    expect(keys).toEqual([KEY]);
    expect(calls).toEqual(['https://login.botframework.com/v1/.well-known/keys']);
  });

  test('when an unknown kid asks for a refresh, then the JWKS is refetched at most every five minutes', async () => {
    const { calls, fetchImpl } = jwksServer([{ keys: [KEY] }]);
    let now = 0;
    const source = remoteSigningKeys({ fetch: fetchImpl, now: () => now });
    await source.keys(false);

    now = 60_000;
    await source.keys(true);
    now = 6 * 60_000;
    await source.keys(true);

    expect(calls).toHaveLength(2);
  });

  test('when the JWKS cannot be fetched but keys were fetched before, then the known keys are kept', async () => {
    const { fetchImpl } = jwksServer([{ keys: [KEY] }, new Error('getaddrinfo ENOTFOUND')]);
    let now = 0;
    const source = remoteSigningKeys({ fetch: fetchImpl, now: () => now });
    await source.keys(false);

    now = 25 * 3600_000;

    await expect(source.keys(false)).resolves.toEqual([KEY]);
  });

  test('when the JWKS was never fetched and cannot be, then asking for keys fails', async () => {
    const { fetchImpl } = jwksServer([new Error('getaddrinfo ENOTFOUND')]);

    await expect(remoteSigningKeys({ fetch: fetchImpl }).keys(false)).rejects.toThrow('ENOTFOUND');
  });
});
