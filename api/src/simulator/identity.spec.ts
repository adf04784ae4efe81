import { GRAPH_AUDIENCE, Identity } from './identity';

describe('Identity.verify', () => {
  let identity: Identity;
  beforeAll(async () => {
    identity = await Identity.create('tenant-1', () => 'http://127.0.0.1:1');
  });
  afterEach(() => jest.restoreAllMocks());

  it('when a token is verified again, then only its lifetime is checked again: it expires on time', async () => {
    const token = await identity.issue({ clientId: 'app', roles: ['Mail.ReadBasic.All'], expiresInSeconds: 60 });
    const first = await identity.verify(`Bearer ${token}`);
    expect(first).toMatchObject({ ok: true, claims: { appid: 'app', roles: ['Mail.ReadBasic.All'] } });
    expect(await identity.verify(`Bearer ${token}`)).toEqual(first);
    const exp = (first as { claims: { exp: number } }).claims.exp;
    jest.spyOn(Date, 'now').mockReturnValue(exp * 1000);
    expect(await identity.verify(`Bearer ${token}`)).toEqual({ ok: false, message: 'Lifetime validation failed, the token is expired.' });
    jest.spyOn(Date, 'now').mockReturnValue((exp - 120) * 1000);
    expect(await identity.verify(`Bearer ${token}`)).toEqual({ ok: false, message: 'Access token validation failure. Invalid nbf.' });
  });

  it.each([
    ['expired', { expiresInSeconds: 0 }, 'Lifetime validation failed, the token is expired.'],
    ['for another audience', { expiresInSeconds: 60, audience: 'https://example.com' }, 'Access token validation failure. Invalid aud.'],
  ])('when the token is %s, then it fails every time', async (_name, opts, message) => {
    const token = await identity.issue({ clientId: 'app', roles: [], ...opts });
    expect(await identity.verify(`Bearer ${token}`)).toEqual({ ok: false, message });
    expect(await identity.verify(`Bearer ${token}`)).toEqual({ ok: false, message });
  });

  it('when a verified token is altered, then the signature check fails', async () => {
    const token = await identity.issue({ clientId: 'app', roles: [], expiresInSeconds: 60 });
    expect((await identity.verify(`Bearer ${token}`)).ok).toBe(true);
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ aud: GRAPH_AUDIENCE, appid: 'evil', exp: 9e9 })).toString('base64url')}.${s}`;
    expect(await identity.verify(`Bearer ${forged}`)).toEqual({ ok: false, message: 'IDX10511: Signature validation failed.' });
  });
});
