/**
 * Input hardening at the API's edges (issue 14): what reaches the schemas, who is rate-limited
 * before sign-in, the 401 challenge, CSV bytes and delimiters, and characters in names. Every
 * refusal is a 4xx that says what to fix, and the stored data reads back unchanged.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Logger } from '../../api/src/services/logger';
import type { RunningSimulator } from '../../api/src/simulator';
import { configBody, startHarness, startSharedSimulator, uploadContacts, type Harness, type HarnessOptions } from './support/harness';
import { productionConfig } from './support/config';
import { createEntraTokenVerifier } from '../../api/src/http/auth';
import { LocalIssuer, SSO_AUDIENCE, TENANT, USER_OID } from './support/tokens';

let simulator: RunningSimulator;
beforeAll(async () => {
  simulator = await startSharedSimulator();
});
afterAll(() => simulator.close());

/** A logger that keeps what it is given, to prove that nothing was logged as an error. */
function recordingLogger(): Logger & { errors: unknown[] } {
  const errors: unknown[] = [];
  return { errors, debug: () => {}, info: () => {}, warn: () => {}, error: (message, fields) => errors.push({ message, fields }) };
}

const rule = (depth: number): Record<string, unknown> => {
  let group: Record<string, unknown> = { kind: 'group', op: 'and', children: [{ kind: 'condition', column: 'EngagementScore', operator: '>', value: 1 }] };
  for (let i = 1; i < depth; i += 1) group = { kind: 'group', op: 'or', children: [group] };
  return group;
};

describe('JSON bodies, before any schema sees them (demo mode)', () => {
  let h: Harness;
  let logger: ReturnType<typeof recordingLogger>;
  beforeEach(async () => {
    logger = recordingLogger();
    h = await startHarness({ sharedSimulator: simulator, logger });
  });
  afterEach(() => h.close());

  /** The bytes as given: superagent would serialize a Buffer to JSON when the type is JSON. */
  const rawJson = (path: string, body: Buffer, type = 'application/json') =>
    request(h.app)
      .post(path)
      .set('Content-Type', type)
      .serialize((b: unknown) => b as string)
      .send(body as unknown as string);

  it('when a segment rule nests 1,000 levels deep, then 400 JSON_TOO_DEEP says how deep may go, nothing is logged and nothing is stored', async () => {
    const before = structuredClone(await h.stores.state.read());
    // Built as text: JSON.stringify itself recurses and cannot build what an attacker can type.
    const body = `{"name":"Deep","rule":${'{"kind":"group","op":"or","children":['.repeat(1000)}${']}'.repeat(1000)}}`;
    const res = await request(h.app).post('/api/segments').set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'JSON_TOO_DEEP', message: expect.stringMatching(/nests deeper than 32 levels .*send a flatter document/) });
    expect(logger.errors).toEqual([]);
    expect(await h.stores.state.read()).toEqual(before);
  });

  it('when a rule nests 7 groups (inside the JSON limit), then the schema answers 400 with the 6-level rule', async () => {
    const before = structuredClone(await h.stores.state.read());
    const res = await request(h.app).post('/api/segments').send({ name: 'Seven', rule: rule(7) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: 'body.rule: groups nest at most 6 deep and this rule nests 7; flatten it' });
    expect(await h.stores.state.read()).toEqual(before);
    expect((await request(h.app).post('/api/segments').send({ name: 'Six', rule: rule(6) })).status).toBe(201);
  });

  it('when a segment body is larger than its route takes, then 413 names the limit before the body is parsed', async () => {
    const before = structuredClone(await h.stores.state.read());
    const res = await request(h.app)
      .post('/api/segments')
      .send({ name: 'Big', rule: rule(1), padding: 'x'.repeat(300 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'body: POST /api/segments takes at most 256 kB of JSON; send a smaller document.' });
    expect(await h.stores.state.read()).toEqual(before);
  });

  it('when the configuration is larger than other bodies may be, then its own 1 MB limit applies', async () => {
    const datasetId = await uploadContacts(h);
    const exclusions = Array.from({ length: 2000 }, (_, i) => `someone.with.a.rather.long.address.number.${i}.${'x'.repeat(64)}@excluded-${i}.example.com`);
    const body = configBody(datasetId, { rules: { exclusions } });
    expect(JSON.stringify(body).length).toBeGreaterThan(256 * 1024);
    const res = await request(h.app).put('/api/config').send(body);
    expect(res.status).toBe(200);
  });

  it('when the JSON is not UTF-8, then 400 ENCODING_INVALID names the byte, and nothing is stored', async () => {
    const before = structuredClone(await h.stores.state.read());
    const body = Buffer.concat([Buffer.from('{"name":"Caf'), Buffer.from([0xe9]), Buffer.from(`","rule":${JSON.stringify(rule(1))}}`)]);
    const res = await rawJson('/api/segments', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'ENCODING_INVALID', message: 'body: the JSON is not valid UTF-8 at byte 12; send it as UTF-8.', details: { byteOffset: 12 } });
    expect(await h.stores.state.read()).toEqual(before);
  });

  it('when the JSON declares another charset, then 400 asks for UTF-8', async () => {
    const res = await rawJson('/api/segments', Buffer.from(JSON.stringify({ name: 'x', rule: rule(1) }), 'utf16le'), 'application/json; charset=utf-16le');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'ENCODING_INVALID', message: expect.stringContaining('UTF-8') });
  });
});

describe('names without control or bidi characters (demo mode)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ sharedSimulator: simulator });
  });
  afterEach(() => h.close());

  it.each([
    ['a right-to-left override', 'Renewals\u202Eexe.', 'U+202E (right-to-left override) at position 9'],
    ['a NUL', 'Renewals\u0000', 'U+0000 (NUL) at position 9'],
    ['a right-to-left isolate', '\u2067Renewals', 'U+2067 (right-to-left isolate) at position 1'],
    ['an escape sequence', 'Renewals\u001b[2J', 'U+001B (control character) at position 9'],
    ['a C1 control', 'Renewals\u0085', 'U+0085 (control character) at position 9'],
  ])('when a segment name holds %s, then 400 names the character and its position, and nothing is stored', async (_label, name, where) => {
    const before = structuredClone(await h.stores.state.read());
    const res = await request(h.app).post('/api/segments').send({ name, rule: rule(1) });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: `body.name: the character ${where} is not allowed in a name; remove it` });
    expect(await h.stores.state.read()).toEqual(before);
  });

  it('when a saved segment is renamed with a bidi mark, then 400 and the old name stays', async () => {
    const created = await request(h.app).post('/api/segments').send({ name: 'Renewals', rule: rule(1) });
    expect(created.status).toBe(201);
    const before = structuredClone(await h.stores.state.read());
    const res = await request(h.app).put(`/api/segments/${created.body.id}`).send({ name: 'Renewals\u200F', rule: rule(1) });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('U+200F (right-to-left mark) at position 9');
    expect(await h.stores.state.read()).toEqual(before);
    expect((await request(h.app).get(`/api/segments/${created.body.id}`)).body.name).toBe('Renewals');
  });

  it('when names use accents, other scripts and emoji, then they are kept as sent', async () => {
    const res = await request(h.app).post('/api/segments').send({ name: 'Pelanggan Jakarta — 東京 ✓ مرحبا', rule: rule(1) });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('Pelanggan Jakarta — 東京 ✓ مرحبا');
  });

  it('when the enrichment name holds a line feed, then the configuration is refused and no version is saved', async () => {
    const datasetId = await uploadContacts(h);
    const res = await request(h.app)
      .put('/api/config')
      .send(configBody(datasetId, { name: 'Sales\nengagement' }));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('body.name: the character U+000A (line feed) at position 6 is not allowed in a name; remove it');
    expect((await request(h.app).get('/api/config/versions')).body.versions).toEqual([]);
  });

  it('when an uploaded file name holds a right-to-left override, then 400 and no dataset is kept', async () => {
    const res = await request(h.app)
      .post(`/api/datasets?kind=contacts&fileName=${encodeURIComponent('contacts\u202Evsc.exe')}`)
      .set('Content-Type', 'text/csv')
      .send('Email,AccountId\na@fabrikam.com,A\n');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('U+202E (right-to-left override) at position 9 is not allowed in a file name');
    expect((await request(h.app).get('/api/datasets')).body.datasets).toEqual([]);
  });
});

describe('CSV uploads: delimiter and encoding (demo mode)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ sharedSimulator: simulator });
  });
  afterEach(() => h.close());

  const upload = (body: string | Buffer, fileName = 'contacts.csv') =>
    request(h.app).post(`/api/datasets?kind=contacts&fileName=${fileName}`).set('Content-Type', 'text/csv').send(body);

  it.each([
    ['semicolon', 'Email;AccountId;AccountName\r\nbob@fabrikam.com;A;"Fabrikam, Inc"\r\n'],
    ['tab', 'Email\tAccountId\tAccountName\nbob@fabrikam.com\tA\tFabrikam, Inc\n'],
    ['comma', '\uFEFFEmail,AccountId,AccountName\nbob@fabrikam.com,A,"Fabrikam, Inc"\n'],
  ])('when a %s-separated file is uploaded, then the answer names the delimiter and the columns are split on it', async (delimiter, csv) => {
    const res = await upload(csv);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ delimiter, columns: ['Email', 'AccountId', 'AccountName'], preview: [{ Email: 'bob@fabrikam.com', AccountId: 'A', AccountName: 'Fabrikam, Inc' }] });
    expect((await request(h.app).get(`/api/datasets/${res.body.datasetId}`)).body.delimiter).toBe(delimiter);
  });

  it('when a Latin-1 file is uploaded, then 400 ENCODING_INVALID gives the byte offset and how to fix it, and no dataset is kept', async () => {
    const csv = Buffer.from('Email,AccountId,AccountName\nbob@fabrikam.com,A,Caf\u00e9 Fabrikam\n', 'latin1');
    const res = await upload(csv);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'ENCODING_INVALID',
      message: 'contacts.csv: the file is not valid UTF-8 at byte 50 (line 2); save it as UTF-8 and upload it again.',
      details: { byteOffset: 50, line: 2 },
    });
    expect((await request(h.app).get('/api/datasets')).body.datasets).toEqual([]);
  });
});

describe('before and at sign-in (production mode)', () => {
  let issuer: LocalIssuer;
  let h: Harness;
  beforeAll(async () => {
    issuer = await LocalIssuer.create();
  });
  afterEach(() => h?.close());

  async function production(options: HarnessOptions = {}): Promise<Harness> {
    const harness: Harness = await startHarness({
      config: productionConfig(),
      sharedSimulator: simulator,
      tokenVerifier: createEntraTokenVerifier({ tenantId: TENANT, audience: SSO_AUDIENCE, keys: issuer.keys, clock: { now: () => harness.time.now() } }),
      ...options,
    });
    return harness;
  }

  describe('WWW-Authenticate on every 401 (RFC 6750)', () => {
    beforeEach(async () => {
      h = await production();
    });

    it('when no token is sent, then the challenge names the realm only', async () => {
      const res = await request(h.app).get('/api/me');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="Rapport"');
    });

    it('when another scheme is sent, then it is treated as no token', async () => {
      const res = await request(h.app).get('/api/me').set('Authorization', 'Basic dXNlcjpwYXNz');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="Rapport"');
    });

    it('when the token has expired, then the challenge says invalid_token and why', async () => {
      const token = await issuer.sign(new Date(h.time.now().getTime() - 2 * 3_600_000), { expiresIn: 3600 });
      const res = await request(h.app).get('/api/me').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="Rapport", error="invalid_token", error_description="Sign in again: the token has expired."');
    });

    it('when a claim is wrong, then the description stays a valid quoted string (no double quotes inside)', async () => {
      const token = await issuer.sign(h.time.now(), { aud: 'api://someone-else.example.com/11111111-2222-3333-4444-555555555555' });
      const header = (await request(h.app).get('/api/me').set('Authorization', `Bearer ${token}`)).headers['www-authenticate'] as string;
      expect(header).toMatch(/^Bearer realm="Rapport", error="invalid_token", error_description="[\x20\x21\x23-\x5b\x5d-\x7e]+"$/);
    });

    it('when a download link is tampered with, then the 401 carries the challenge too', async () => {
      const res = await request(h.app).get('/api/results/office.csv?level=year&dl_exp=1&dl_sub=x&dl_tid=y&dl_adm=1&dl_sig=forged');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="Rapport", error="invalid_token", error_description="This download link is not valid/);
    });
  });

  describe('rate limit before authentication', () => {
    it('when one address sends more requests without a valid token than the limit, then 429 with Retry-After and the error JSON', async () => {
      h = await production({ rateLimit: { anonymousLimit: 5 } });
      for (let i = 0; i < 5; i += 1) expect((await request(h.app).get('/api/me')).status).toBe(401);
      const res = await request(h.app).get('/api/me').set('Authorization', 'Bearer not-a-jwt');
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(res.body.error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/without a valid sign-in .* wait \d+ seconds/) });
      expect((await request(h.app).get('/api/health')).status).toBe(200);
    });

    it('when requests carry a valid token, then they never spend the budget of their address', async () => {
      h = await production({ rateLimit: { anonymousLimit: 3 } });
      const token = await issuer.sign(h.time.now(), { oid: USER_OID });
      for (let i = 0; i < 10; i += 1) expect((await request(h.app).get('/api/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
      for (let i = 0; i < 3; i += 1) expect((await request(h.app).get('/api/me')).status).toBe(401);
      expect((await request(h.app).get('/api/me')).status).toBe(429);
    });

    it('when public endpoints are called without a token, then they count too, except health', async () => {
      h = await production({ rateLimit: { anonymousLimit: 2 } });
      for (let i = 0; i < 5; i += 1) expect((await request(h.app).get('/api/health')).status).toBe(200);
      expect((await request(h.app).get('/api/openapi.json')).status).toBe(200);
      expect((await request(h.app).get('/api/openapi.json')).status).toBe(200);
      expect((await request(h.app).get('/api/openapi.json')).status).toBe(429);
    });

    it('when the default applies, then request 601 of a minute without a token is refused', async () => {
      h = await production();
      const server = http.createServer(h.app).listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 600; i += 1) statuses.push((await fetch(`${base}/api/me`)).status);
        expect(new Set(statuses)).toEqual(new Set([401]));
        const refused = await fetch(`${base}/api/me`);
        expect(refused.status).toBe(429);
        expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    }, 30_000);
  });
});

describe('rate limit before authentication (demo mode has no tokens)', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('when the demo identity makes many requests, then the address limit never applies to them', async () => {
    h = await startHarness({ sharedSimulator: simulator, rateLimit: { anonymousLimit: 3 } });
    for (let i = 0; i < 10; i += 1) expect((await request(h.app).get('/api/me')).status).toBe(200);
  });
});
