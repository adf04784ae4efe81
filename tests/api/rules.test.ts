/**
 * PUT /api/config/rules: the settings page saves the rules as a new configuration version, with
 * the version it read, and the stale threshold changes the stale counts at once.
 */
import request from 'supertest';
import type { RunningSimulator } from '../../api/src/simulator';
import { configure, runNow, startHarness, startSharedSimulator, startSsoHarness, type Harness } from './support/harness';
import { STALE_AT_20_WITHOUT_SUPPRESSION, STALE_AT_DEFAULTS } from './support/tenant';
import { LocalIssuer, USER_OID } from './support/tokens';

let simulator: RunningSimulator;
let h: Harness;
beforeAll(async () => {
  simulator = await startSharedSimulator({ consent: { granted: true } });
});
afterAll(() => simulator.close());

const DEFAULT_WEIGHTS = { emails: 0.3, meetings: 0.3, breadth: 0.15, recency: 0.15, reciprocity: 0.1 };
const rules = (overrides: Record<string, unknown> = {}) => ({
  staleDays: 60,
  upcomingMeetingSuppressesStale: true,
  weights: DEFAULT_WEIGHTS,
  extraInternalDomains: [],
  exclusions: [],
  minimumColleagues: 1,
  ...overrides,
});

describe('PUT /api/config/rules', () => {
  beforeEach(async () => {
    h = await startHarness({ sharedSimulator: simulator });
  });
  afterEach(() => h.close());

  it('when the rules are saved with the version read, then a new version keeps every other part and the stale counts follow at once', async () => {
    // Arrange
    await configure(h, { schedule: { dayOfWeek: 2, hour: 7, minute: 0, timeZone: 'UTC' } });
    await request(h.app).post('/api/consent/check').expect(200);
    await runNow(h);
    const before = (await request(h.app).get('/api/config')).body;
    expect((await request(h.app).get('/api/results/overview')).body.staleCount).toBe(STALE_AT_DEFAULTS.length);

    // Act
    const res = await request(h.app)
      .put('/api/config/rules')
      .send({
        expectedVersion: before.version,
        rules: rules({ staleDays: 20, upcomingMeetingSuppressesStale: false, extraInternalDomains: ['@Contoso-Sub.com'], exclusions: ['noise@fabrikam.com'] }),
      });

    // Assert: a new version, the rules replaced, the rest as it was.
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: before.version + 1, updatedBy: 'Demo Admin' });
    expect(res.body.config.rules).toEqual(
      rules({ staleDays: 20, upcomingMeetingSuppressesStale: false, extraInternalDomains: ['contoso-sub.com'], exclusions: ['noise@fabrikam.com'] }),
    );
    const { rules: _old, ...rest } = before.config;
    const { rules: _new, ...kept } = res.body.config;
    expect(kept).toEqual(rest);
    expect((await request(h.app).get('/api/config')).body.version).toBe(before.version + 1);
    const overview = (await request(h.app).get('/api/results/overview')).body;
    expect(overview).toMatchObject({ staleCount: STALE_AT_20_WITHOUT_SUPPRESSION.length, staleDays: 20 });
    const stale = (await request(h.app).get('/api/segments/stale')).body;
    expect(JSON.stringify(stale.rule)).toContain('"value":20');
  });

  it('when the version read is no longer the newest, then 409 says so in words and nothing is stored', async () => {
    await configure(h);
    const { version } = (await request(h.app).get('/api/config')).body;
    expect((await request(h.app).put('/api/config/rules').send({ expectedVersion: version, rules: rules({ staleDays: 30 }) })).status).toBe(200);
    const before = structuredClone(await h.stores.state.read());

    // A second editor still holds the old version.
    const res = await request(h.app).put('/api/config/rules').send({ expectedVersion: version, rules: rules({ staleDays: 90 }) });

    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CONFIG_VERSION_CONFLICT', message: `The configuration is at version ${version + 1}, not ${version}; reload it and save again.` });
    expect(await h.stores.state.read()).toEqual(before);
  });

  it.each([
    ['weights that add up to 90 %', { weights: { ...DEFAULT_WEIGHTS, emails: 0.2 } }, 'body.rules.weights: the five weights must add up to 1 (100 %)'],
    ['a negative weight', { weights: { ...DEFAULT_WEIGHTS, emails: -0.1, meetings: 0.7 } }, 'body.rules.weights.emails: must be 0 or more'],
    ['a threshold of 0 days', { staleDays: 0 }, 'body.rules.staleDays: must be at least 1 day'],
    ['a threshold of 400 days', { staleDays: 400 }, 'body.rules.staleDays: must be at most 365 days'],
    ['a fractional threshold', { staleDays: 12.5 }, 'body.rules.staleDays: must be a whole number of days'],
    ['a domain with a space (third line)', { extraInternalDomains: ['a.com', 'b.com', 'not a domain'] }, 'body.rules.extraInternalDomains.2: must be a domain such as fabrikam.com'],
    ['an exclusion that is no address', { exclusions: ['someone'] }, 'body.rules.exclusions.0: must be an address (a@b.com) or a domain (@b.com)'],
    ['a privacy threshold of 0', { minimumColleagues: 0 }, 'body.rules.minimumColleagues: must be at least 1'],
  ])('when the rules have %s, then 400 names the field and what to fix, and nothing is stored', async (_, overrides, message) => {
    await configure(h);
    const { version } = (await request(h.app).get('/api/config')).body;
    const before = structuredClone(await h.stores.state.read());

    const res = await request(h.app).put('/api/config/rules').send({ expectedVersion: version, rules: rules(overrides) });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain(message);
    expect(await h.stores.state.read()).toEqual(before);
  });

  it('when the version is left out, then 400 asks for it', async () => {
    await configure(h);
    const res = await request(h.app).put('/api/config/rules').send({ rules: rules() });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('body.expectedVersion: send the configuration version the settings were read from');
  });

  it('when nothing is configured yet, then 412 points to the setup wizard', async () => {
    const res = await request(h.app).put('/api/config/rules').send({ expectedVersion: 1, rules: rules() });
    expect(res.status).toBe(412);
    expect(res.body.error).toMatchObject({ code: 'NOT_CONFIGURED', message: expect.stringContaining('setup wizard') });
  });
});

describe('PUT /api/config/rules for someone who is not an admin', () => {
  let issuer: LocalIssuer;
  beforeAll(async () => {
    issuer = await LocalIssuer.create();
  });
  beforeEach(async () => {
    h = await startSsoHarness(simulator, issuer);
  });
  afterEach(() => h.close());

  it('when a seller saves rules, then 403 and nothing is stored', async () => {
    const token = await issuer.sign(h.time.now(), { oid: USER_OID });
    const before = structuredClone(await h.stores.state.read());
    const res = await request(h.app).put('/api/config/rules').set('Authorization', `Bearer ${token}`).send({ expectedVersion: 1, rules: rules() });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect(await h.stores.state.read()).toEqual(before);
  });
});
