/**
 * Who may post to /api/messages. With a bot id, every request needs a Bot Framework token for
 * that bot, signed by an endorsed key, naming the activity's service URL, whatever mode the app
 * runs in. The keys are local here (the real ones are published at login.botframework.com).
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { MemoryDocument } from '../../api/src/store/document-store';
import { createBot, defaultBotState, type BotFrameworkJwk, type BotState, type SigningKeySource } from '../../bot/src';
import { mapBounded } from '../../api/src/lib/map-bounded';
import { installPersonal, personalMessage } from './activities';
import { FakeEngagement, FakeMessageExtensions } from './fakes';
import { NOW, startHarness, type Harness } from './harness';

const BOT_ID = '00000000-0000-0000-0000-00000000b0b0';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let privateKey: PrivateKey;
let otherKey: PrivateKey;
let jwks: BotFrameworkJwk[];

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey;
  otherKey = other.privateKey;
  jwks = [
    { ...(await exportJWK(pair.publicKey)), kid: 'bf-key', endorsements: ['msteams'] },
    { ...(await exportJWK(other.publicKey)), kid: 'webchat-only', endorsements: ['webchat'] },
  ];
});

const keys: SigningKeySource = { keys: () => Promise.resolve(jwks) };

interface TokenOptions {
  audience?: string;
  issuer?: string;
  serviceUrl?: string | null;
  kid?: string;
  key?: PrivateKey;
  expiresAt?: Date;
}

function token(serviceUrl: string, o: TokenOptions = {}): Promise<string> {
  const claims = o.serviceUrl === null ? {} : { serviceurl: o.serviceUrl ?? serviceUrl };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? 'bf-key' })
    .setIssuer(o.issuer ?? 'https://api.botframework.com')
    .setAudience(o.audience ?? BOT_ID)
    .setIssuedAt(Math.floor(NOW.getTime() / 1000) - 60)
    .setExpirationTime(Math.floor((o.expiresAt ?? new Date(NOW.getTime() + 3600_000)).getTime() / 1000))
    .sign(o.key ?? privateKey);
}

/** An unsigned token (alg "none") that claims everything a real one would. */
function forged(serviceUrl: string): string {
  const part = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: 'https://api.botframework.com', aud: BOT_ID, serviceurl: serviceUrl, exp: 4102444800 })}.`;
}

/** The message extension answers in the invoke response itself: a request that passes auth needs no outgoing token. */
function searchInvoke(serviceUrl: string, query = 'Adatum') {
  const base = personalMessage(serviceUrl, '');
  return { ...base, type: 'invoke', name: 'composeExtension/query', text: undefined, value: { commandId: 'searchAccounts', parameters: [{ name: 'query', value: query }], queryOptions: { skip: 0, count: 25 } } };
}

describe('POST /api/messages authentication', () => {
  let h: Harness;
  /** The bot's store, to count writes (none may happen for a refused request). */
  let store: MemoryDocument<BotState>;
  beforeEach(() => {
    store = new MemoryDocument<BotState>(defaultBotState());
  });
  afterEach(() => h?.close());

  /** BOT_ID and BOT_PASSWORD set, no Graph credentials: the app runs in demo mode, yet the bot must authenticate. */
  async function demoWithBotId() {
    h = await startHarness({ store, auth: { production: false, botId: BOT_ID, botPassword: 'not-a-real-secret', signingKeys: keys } });
    return h;
  }

  test('when a forged, unsigned run activity arrives in demo mode with a bot id set, then it gets 401, no run starts and nothing is sent anywhere', async () => {
    await demoWithBotId();
    const activity = personalMessage(h.serviceUrl, 'run');

    const res = await h.post(activity).set('Authorization', `Bearer ${forged(h.serviceUrl)}`);

    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'The Bot Framework token is not valid.', details: { reason: 'invalid' } } });
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="Rapport", error="invalid_token"/);
    expect(h.engagement.runsStartedBy).toEqual([]);
    expect(h.connector.received).toEqual([]);
    expect(store.writes).toBe(0);
  });

  test('when the request has no token, then it gets 401 with a plain challenge and is not processed', async () => {
    await demoWithBotId();

    const res = await h.post(installPersonal(h.serviceUrl));

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="Rapport"');
    expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'missing' } });
    expect(h.connector.received).toEqual([]);
    expect(store.writes).toBe(0);
  });

  test('when a signed token for this bot names the activity service URL, then the activity is processed', async () => {
    await demoWithBotId();

    const res = await h.post(searchInvoke(h.serviceUrl)).set('Authorization', `Bearer ${await token(h.serviceUrl)}`);

    expect(res.status).toBe(200);
    expect(res.body.composeExtension.attachments).toHaveLength(1);
    expect(h.extensions.searches).toEqual([{ query: 'Adatum', locale: 'en-US', limit: 25 }]);
  });

  test.each<[string, (serviceUrl: string) => TokenOptions, string]>([
    ['issued for another bot', () => ({ audience: '11111111-2222-3333-4444-555555555555' }), 'audience'],
    ['not issued by the Bot Framework', () => ({ issuer: 'https://login.example.com' }), 'issuer'],
    ['expired', () => ({ expiresAt: new Date(NOW.getTime() - 600_000) }), 'expired'],
    ['for another service URL than the activity names', () => ({ serviceUrl: 'https://smba.trafficmanager.net/emea/' }), 'serviceUrl'],
    ['without a service URL claim', () => ({ serviceUrl: null }), 'serviceUrl'],
    ['signed by a key not endorsed for Teams', () => ({ kid: 'webchat-only', key: otherKey }), 'endorsement'],
    ['signed by an unknown key', () => ({ kid: 'bf-key', key: otherKey }), 'invalid'],
  ])('when the token is %s, then it gets 401 and nothing is processed', async (_, options, reason) => {
    await demoWithBotId();

    const res = await h.post(searchInvoke(h.serviceUrl)).set('Authorization', `Bearer ${await token(h.serviceUrl, options(h.serviceUrl))}`);

    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', details: { reason } });
    expect(h.extensions.searches).toEqual([]);
  });

  test('when a valid token for one service URL comes with an activity naming another, then the bot never calls that other URL', async () => {
    await demoWithBotId();
    const attacker = 'http://127.0.0.1:9/';
    const activity = personalMessage(attacker, 'help');

    const res = await h.post(activity).set('Authorization', `Bearer ${await token(h.serviceUrl)}`);

    expect(res.status).toBe(401);
    expect(res.body.error.details).toEqual({ reason: 'serviceUrl' });
    expect(h.connector.received).toEqual([]);
  });

  test('when the signing keys cannot be fetched, then the 401 says so without quoting the internal error', async () => {
    h = await startHarness({
      auth: { production: true, botId: BOT_ID, botPassword: 'not-a-real-secret', signingKeys: { keys: () => Promise.reject(new Error('getaddrinfo ENOTFOUND login.botframework.com')) } },
    });

    const res = await h.post(searchInvoke(h.serviceUrl)).set('Authorization', `Bearer ${await token(h.serviceUrl)}`);

    expect(res.status).toBe(401);
    expect(JSON.stringify(res.body)).not.toMatch(/ENOTFOUND|getaddrinfo|botframework\.com/);
    expect(res.body.error.details).toEqual({ reason: 'keysUnavailable' });
  });

  test('when production gets a malformed token, then it answers 401', async () => {
    h = await startHarness({ store, auth: { production: true, botId: BOT_ID, botPassword: 'not-a-real-secret', signingKeys: keys } });

    const res = await h.post(personalMessage('http://127.0.0.1:9/', 'help')).set('Authorization', 'Bearer not.a.jwt');

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="Rapport", error="invalid_token"/);
    expect(store.writes).toBe(0);
  });

  test.each([
    ['production without a bot id or password', { production: true }],
    ['a bot id without its password', { production: false, botId: BOT_ID }],
  ])('when the bot is configured with %s, then createBot refuses to start', (_, auth) => {
    expect(() =>
      createBot({
        auth,
        store: new MemoryDocument<BotState>(defaultBotState()),
        engagement: new FakeEngagement(),
        logger: silent,
        mapBounded,
        messageExtensions: () => new FakeMessageExtensions(),
      }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  test('when demo mode has no bot id and gets a request without a token, then it is processed anonymously and replies carry no token', async () => {
    h = await startHarness();

    const res = await h.post(personalMessage(h.serviceUrl, 'help'));

    expect(res.status).toBe(200);
    expect(h.connector.received).toHaveLength(1);
    expect(h.connector.received[0]!.authorization).toBeUndefined();
  });
});
