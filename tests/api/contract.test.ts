/**
 * The contract test (issue 14): every route in the contract's route table (api/src/contract/
 * routes.ts) is called on the real app, and its answer is checked against the table's schema,
 * with no field the schema does not know. The served OpenAPI document is the one generated
 * from the same table, and the tab's types are inferred from the same schemas, so the
 * document, the server and the tab agree on every route.
 *
 * Two callers: the Demo Admin (demo mode), and a seller with a Teams SSO token (production
 * mode on the same stores), for whom rows under the privacy threshold are hidden and admin
 * routes answer 403.
 */
import request from 'supertest';
import type { z } from 'zod';
import { errorBodySchema, openApiDocument, ROUTES, type RouteSpec } from '../../api/src/contract';
import { createEntraTokenVerifier } from '../../api/src/http/auth';
import type { RunningSimulator } from '../../api/src/simulator';
import { productionConfig } from './support/config';
import { configBody, consent, runNow, startHarness, startSharedSimulator, uploadContacts, type Harness } from './support/harness';
import { CONTACTS_CSV, T } from './support/tenant';
import { LocalIssuer, SSO_AUDIENCE, TENANT, USER_OID } from './support/tokens';

type Call = (method: RouteSpec['method'], path: string) => request.Test;
interface Ctx {
  call: Call;
  datasetId: string;
  runId: string;
  accountId: string;
  /** The admin's consent round trip through the simulator's consent page, ending at the callback. */
  consentRoundTrip: () => Promise<request.Response>;
}

const RULE = { kind: 'group', op: 'and', children: [{ kind: 'condition', column: 'EngagementScore', operator: '>=', value: 0 }] };
const createSegment = async (ctx: Ctx, name: string): Promise<string> => {
  const res = await ctx.call('post', '/api/segments').send({ name, rule: RULE });
  if (res.status !== 201) throw new Error(`segment not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
};
let segmentNo = 0;

/** How to call each operation with a request it accepts. */
const CALLS: Record<string, (ctx: Ctx) => Promise<request.Response> | request.Test> = {
  getHealth: (c) => c.call('get', '/api/health'),
  // Ready once the scheduler runs, as the composition root starts it (the harness does not).
  getReady: async (c) => {
    await admin.services.scheduler.start();
    return c.call('get', '/api/ready');
  },
  getOpenApiDocument: (c) => c.call('get', '/api/openapi.json'),
  getMe: (c) => c.call('get', '/api/me'),
  createDownloadLink: (c) => c.call('post', '/api/downloads').send({ path: '/api/results/office.csv?level=year' }),
  getConfig: (c) => c.call('get', '/api/config'),
  saveConfig: (c) => c.call('put', '/api/config').send(configBody(c.datasetId, { rules: { minimumColleagues: 2 } })),
  saveRules: async (c) => {
    const { version } = (await c.call('get', '/api/config')).body as { version: number };
    return c.call('put', '/api/config/rules').send({ expectedVersion: version, rules: { staleDays: 45, minimumColleagues: 2 } });
  },
  listConfigVersions: (c) => c.call('get', '/api/config/versions'),
  getConfigHistory: (c) => c.call('get', '/api/config/history'),
  resolveOrgEntries: (c) => c.call('post', '/api/config/org/resolve').send({ entries: ['sales@contoso.com', 'nobody@contoso.com'] }),
  listDatasets: (c) => c.call('get', '/api/datasets'),
  uploadDataset: (c) => c.call('post', '/api/datasets?kind=contacts&fileName=contacts.csv').set('Content-Type', 'text/csv').send(CONTACTS_CSV),
  getDataset: (c) => c.call('get', `/api/datasets/${c.datasetId}`),
  getDatasetTemplate: (c) => c.call('get', '/api/datasets/template.csv?kind=contacts'),
  getRejectedRows: (c) => c.call('get', `/api/datasets/${c.datasetId}/rejected.csv`),
  checkDatasetMapping: (c) => c.call('post', `/api/datasets/${c.datasetId}/mapping`).send({ email: 'Email', accountId: 'AccountId', accountName: 'AccountName' }),
  getConsent: (c) => c.call('get', '/api/consent'),
  requestConsent: (c) => c.call('post', '/api/consent/request'),
  checkConsent: (c) => c.call('post', '/api/consent/check'),
  listConsentAdminRequests: (c) => c.call('get', '/api/consent/requests'),
  askTenantAdmin: async (c) => {
    await c.call('put', '/api/config').send(configBody(c.datasetId, { rules: { minimumColleagues: 2 }, tenantAdmin: { name: 'Ida Admin', email: 'ida@contoso.com' } }));
    return c.call('post', '/api/consent/requests').send({ channel: 'teams' });
  },
  completeConsent: (c) => c.consentRoundTrip(),
  getSchedule: (c) => c.call('get', '/api/schedule'),
  setSchedule: (c) => c.call('put', '/api/schedule').send({ dayOfWeek: 1, hour: 6, minute: 30, timeZone: 'Europe/Amsterdam' }),
  listRuns: (c) => c.call('get', '/api/runs'),
  startRun: (c) => c.call('post', '/api/runs').send({}),
  getRun: (c) => c.call('get', `/api/runs/${c.runId}`),
  // A run of the hand-made tenant may finish before the cancel lands (then 409): start another.
  cancelRun: async (c) => {
    let res!: request.Response;
    for (let attempt = 0; attempt < 10; attempt++) {
      const started = await c.call('post', '/api/runs').send({});
      res = await c.call('post', `/api/runs/${started.body.id ?? c.runId}/cancel`);
      if (res.status !== 409) break;
    }
    return res;
  },
  streamRunEvents: (c) => c.call('get', `/api/runs/${c.runId}/events`),
  getOverview: (c) => c.call('get', '/api/results/overview'),
  getOfficePage: (c) => c.call('get', '/api/results/office?level=week&pageSize=500'),
  getChanges: (c) => c.call('get', '/api/results/changes?days=31'),
  getTimeline: (c) => c.call('get', '/api/results/timeline'),
  exportOfficeCsv: (c) => c.call('get', '/api/results/office.csv?level=month'),
  exportOfficeJson: (c) => c.call('get', '/api/results/office.json?level=month'),
  getUserTable: (c) => c.call('get', '/api/results/user-table'),
  searchAccounts: (c) => c.call('get', '/api/accounts?q=fab'),
  getAccountCard: (c) => c.call('get', `/api/accounts/${encodeURIComponent(c.accountId)}`),
  listSegments: (c) => c.call('get', '/api/segments'),
  createSegment: (c) => c.call('post', '/api/segments').send({ name: `Segment ${++segmentNo}`, rule: RULE }),
  previewSegment: (c) => c.call('post', '/api/segments/preview').send({ rule: RULE }),
  getSegment: (c) => c.call('get', '/api/segments/stale'),
  updateSegment: async (c) => c.call('put', `/api/segments/${await createSegment(c, `Segment ${++segmentNo}`)}`).send({ name: `Segment ${++segmentNo}`, rule: RULE }),
  deleteSegment: async (c) => c.call('delete', `/api/segments/${await createSegment(c, `Segment ${++segmentNo}`)}`),
  getSegmentMembers: (c) => c.call('get', '/api/segments/stale/members'),
  computeMeasure: (c) => c.call('post', '/api/measures').send({ fn: 'avg', column: 'EngagementScore', byMonth: true }),
};
/** Mounted only when the composition root hands createApp a bot (server/src/main.ts); tests/api/static-and-bot.test.ts covers it. */
const NOT_MOUNTED = new Set(['receiveBotActivity']);

/** The body must match the schema, and carry no field the schema does not describe. */
function expectMatches(schema: z.ZodType, body: unknown, what: string): void {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new Error(`${what}: the answer does not match the contract:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  // z.object drops unknown keys: an answer with a field the contract lacks differs from its parse.
  expect({ [what]: parsed.data }).toEqual({ [what]: body });
}

function expectAnswer(route: RouteSpec, res: request.Response): void {
  const what = `${route.method.toUpperCase()} ${route.path}`;
  expect({ what, status: res.status, body: res.status === route.ok.status ? undefined : res.body }).toEqual({ what, status: route.ok.status, body: undefined });
  const type = (res.headers['content-type'] as string | undefined)?.split(';')[0];
  if (route.ok.status === 204) return;
  if (route.ok.schema && type === 'application/json') return expectMatches(route.ok.schema, res.body, what);
  expect(route.ok.text?.type).toBe(type);
}

let simulator: RunningSimulator;
let issuer: LocalIssuer;
let admin: Harness;
let production: Harness;
let adminCtx: Ctx;
let sellerCtx: Ctx;

beforeAll(async () => {
  simulator = await startSharedSimulator({ consent: { granted: true } });
  issuer = await LocalIssuer.create();
  admin = await startHarness({ sharedSimulator: simulator });
  const datasetId = await uploadContacts(admin);
  await request(admin.app).put('/api/config').send(configBody(datasetId, { rules: { minimumColleagues: 2 } })).expect(200);
  await consent(admin);
  const run = await runNow(admin);
  const office = await request(admin.app).get('/api/results/office?level=year').expect(200);
  const accountId = (office.body.rows as { AccountId: string }[])[0]!.AccountId;
  adminCtx = { call: (method, path) => request(admin.app)[method](path), datasetId, runId: run.id as string, accountId, consentRoundTrip: () => consent(admin) };

  production = await startHarness({
    config: productionConfig(),
    sharedSimulator: simulator,
    stores: admin.stores,
    tokenVerifier: createEntraTokenVerifier({ tenantId: TENANT, audience: SSO_AUDIENCE, keys: issuer.keys, clock: { now: () => new Date(T) } }),
  });
  const seller = await issuer.sign(new Date(T), { oid: USER_OID, name: 'Rita Seller' });
  sellerCtx = { ...adminCtx, call: (method, path) => request(production.app)[method](path).set('Authorization', `Bearer ${seller}`) };
});
afterAll(async () => {
  await production?.close();
  await admin?.close();
  await simulator?.close();
});

describe('the contract', () => {
  it('when the route table is read, then every operation has a request here and operationIds are unique', () => {
    const ids = ROUTES.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !CALLS[id] && !NOT_MOUNTED.has(id))).toEqual([]);
    expect(Object.keys(CALLS).filter((id) => !ids.includes(id))).toEqual([]);
  });

  it('when the OpenAPI document is served, then it is the one generated from the route table', async () => {
    const res = await adminCtx.call('get', '/api/openapi.json').expect(200);
    expect(res.body).toEqual(openApiDocument(res.body.info.version));
    for (const route of ROUTES) {
      const operation = res.body.paths[route.path][route.method];
      expect({ id: operation.operationId, ok: Object.keys(operation.responses)[0] }).toEqual({ id: route.operationId, ok: String(route.ok.status) });
    }
  });

  it.each(ROUTES.filter((r) => !NOT_MOUNTED.has(r.operationId)).map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    'when the admin calls %s, then the answer matches the contract',
    async (_name, route) => {
      const res = await CALLS[route.operationId]!(adminCtx);
      expectAnswer(route, res);
      if (route.operationId === 'startRun') await admin.services.runs.whenIdle();
    },
  );

  it.each(ROUTES.filter((r) => !NOT_MOUNTED.has(r.operationId) && r.access !== 'public').map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    'when a seller (not an admin) calls %s, then the answer matches the contract (403 on admin routes)',
    async (_name, route) => {
      const res = await CALLS[route.operationId]!(sellerCtx);
      if (route.access === 'admin') {
        expect(res.status).toBe(403);
        expectMatches(errorBodySchema, res.body, route.path);
        return;
      }
      expectAnswer(route, res);
    },
  );

  it('when a seller reads the Office table under the privacy threshold, then hidden rows also match the contract', async () => {
    const res = await sellerCtx.call('get', '/api/results/office?level=week&pageSize=500').expect(200);
    expect((res.body.rows as { privacy?: unknown }[]).some((r) => r.privacy)).toBe(true);
    expectMatches(ROUTES.find((r) => r.operationId === 'getOfficePage')!.ok.schema!, res.body, 'office');
  });

  it('when a request breaks the contract, then the answer is a VALIDATION_FAILED error of the contract', async () => {
    const res = await adminCtx.call('post', '/api/measures').send({ fn: 'median' });
    expect(res.status).toBe(400);
    expectMatches(errorBodySchema, res.body, 'error');
  });
});
