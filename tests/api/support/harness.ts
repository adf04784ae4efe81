/**
 * The integration harness: the real simulator on a loopback port, the real simulator
 * gateway, fresh in-memory documents, a fake clock and timer, and the app from createApp.
 */
import request from 'supertest';
import type { Express } from 'express';
import type { AppConfig } from '../../../api/src/config';
import type { TenantGateway } from '../../../api/src/enrichment/ports';
import { createApp, servicesOf } from '../../../api/src/http/app';
import { createEntraTokenVerifier, type TokenVerifier } from '../../../api/src/http/auth';
import type { RateLimitOptions } from '../../../api/src/http/security';
import type { Logger } from '../../../api/src/services/logger';
import type { Services } from '../../../api/src/services';
import type { Enricher } from '../../../api/src/services/run-service';
import type { RunStateStore } from '../../../api/src/enrichment/run-state';
import { emptyAppState, type AppState } from '../../../api/src/services/state';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../../api/src/simulator';
import { MemoryDatasetStore, type DatasetStore } from '../../../api/src/store/dataset-store';
import { MemoryDocument } from '../../../api/src/store/document-store';
import { MemoryResultsStore, type ResultsStore } from '../../../api/src/store/results-store';
import { createSimulatorGateway } from '../../../api/src/bootstrap/tenant-gateway';
import { demoConfig, productionConfig } from './config';
import { FakeTime } from './fake-time';
import { CONTACTS_CSV, handMadeTenant, T } from './tenant';
import { SSO_AUDIENCE, TENANT, type LocalIssuer } from './tokens';

export interface Harness {
  app: Express;
  services: Services;
  stores: { state: MemoryDocument<AppState>; results: ResultsStore; datasets: DatasetStore };
  time: FakeTime;
  simulator: RunningSimulator;
  gateway: TenantGateway;
  close(): Promise<void>;
}

export interface HarnessOptions {
  config?: AppConfig;
  enrich?: Enricher;
  tokenVerifier?: TokenVerifier;
  simulator?: Partial<SimulatorOptions>;
  /** A simulator shared by a test file (it is not closed with the harness). */
  sharedSimulator?: RunningSimulator;
  now?: string;
  maxUploadBytes?: number;
  rateLimit?: RateLimitOptions;
  /** Where the app logs (e.g. a recording logger). @default silent */
  logger?: Logger;
  /** Documents of an earlier harness: a restarted service on the same data. */
  stores?: Harness['stores'];
  /** The dataset store when `stores` is not given (e.g. a FileDatasetStore in a temp dir). @default in memory */
  datasets?: DatasetStore;
  runState?: RunStateStore;
}

export function startSharedSimulator(options: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  return startSimulator({ tenant: handMadeTenant(), ...options });
}

/**
 * A production-mode harness on a shared simulator whose Teams SSO tokens are checked against
 * `issuer`'s keys. The verifier reads the fake clock, so expiry is judged at the test's "now".
 */
export async function startSsoHarness(simulator: RunningSimulator, issuer: LocalIssuer): Promise<Harness> {
  const h: Harness = await startHarness({
    config: productionConfig(),
    sharedSimulator: simulator,
    tokenVerifier: createEntraTokenVerifier({ tenantId: TENANT, audience: SSO_AUDIENCE, keys: issuer.keys, clock: { now: () => h.time.now() } }),
  });
  return h;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const simulator = options.sharedSimulator ?? (await startSimulator({ tenant: handMadeTenant(), ...options.simulator }));
  const gateway = createSimulatorGateway(simulator, { sleep: () => Promise.resolve() });
  const time = new FakeTime(options.now ?? T);
  const stores = options.stores ?? {
    state: new MemoryDocument<AppState>(emptyAppState()),
    results: new MemoryResultsStore(),
    datasets: options.datasets ?? new MemoryDatasetStore(),
  };
  const app = createApp({
    config: options.config ?? demoConfig(),
    gateway,
    stores,
    clock: time,
    timer: time,
    ...(options.enrich ? { enrich: options.enrich } : {}),
    ...(options.runState ? { runState: options.runState } : {}),
    ...(options.tokenVerifier ? { tokenVerifier: options.tokenVerifier } : {}),
    ...(options.maxUploadBytes ? { datasets: { maxUploadBytes: options.maxUploadBytes } } : {}),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const services = servicesOf(app);
  return {
    app,
    services,
    stores,
    time,
    simulator,
    gateway,
    async close() {
      services.scheduler.stop();
      await services.runs.whenIdle();
      if (!options.sharedSimulator) await simulator.close();
    },
  };
}

/** Uploads the hand-made contacts and returns the dataset id. */
export async function uploadContacts(h: Harness, csv = CONTACTS_CSV): Promise<string> {
  const res = await request(h.app).post('/api/datasets?kind=contacts&fileName=contacts.csv').set('Content-Type', 'text/csv').send(csv);
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.datasetId as string;
}

export function configBody(datasetId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Sales engagement',
    orgEntries: ['sales@contoso.com'],
    consentAccepted: true,
    contacts: { datasetId, mapping: { email: 'Email', accountId: 'AccountId', accountName: 'AccountName' } },
    ...extra,
  };
}

/** Upload + save: the wizard's happy path. */
export async function configure(h: Harness, extra: Record<string, unknown> = {}): Promise<void> {
  const datasetId = await uploadContacts(h);
  const res = await request(h.app).put('/api/config').send(configBody(datasetId, extra));
  if (res.status !== 200) throw new Error(`config failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** The consent round trip through the simulator's consent page; returns the callback response. */
export async function consent(h: Harness, decision: 'accept' | 'cancel' = 'accept'): Promise<request.Response> {
  const { body } = await request(h.app).post('/api/consent/request').expect(200);
  const location = await h.gateway.simulateAdminConsent!(body.url as string, decision);
  const callback = new URL(location);
  return request(h.app).get(`${callback.pathname}${callback.search}`);
}

/** Starts a run with "Run now" and waits until it has finished. */
export async function runNow(h: Harness): Promise<Record<string, unknown>> {
  const started = await request(h.app).post('/api/runs').send({});
  if (started.status !== 202) throw new Error(`run failed to start: ${started.status} ${JSON.stringify(started.body)}`);
  await h.services.runs.whenIdle();
  return (await request(h.app).get(`/api/runs/${started.body.id}`)).body;
}

/** A gate that holds a run open until the test opens it. */
export function gatedEnrich(inner: Enricher): { enrich: Enricher; open: () => void; entered: Promise<void> } {
  let open!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const enteredPromise = new Promise<void>((resolve) => (entered = resolve));
  return {
    enrich: async (source, input, opts) => {
      entered();
      await gate;
      return inner(source, input, opts);
    },
    open,
    entered: enteredPromise,
  };
}
