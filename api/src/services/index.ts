/**
 * The API's services, built once from their dependencies. `createApp` builds them when it is
 * not handed a set; the composition root builds them first to start the scheduler and hook
 * the bot notifier into `runs.onRunFinished`.
 */
import type { AppConfig } from '../config';
import type { TenantGateway } from '../enrichment/ports';
import type { RunStateStore } from '../enrichment/run-state';
import { systemClock, systemTimer, type Clock, type Timer } from './clock';
import { ConfigService } from './config-service';
import { ConsentService } from './consent-service';
import { DatasetService, type DatasetServiceOptions } from './dataset-service';
import { silentLogger, type Logger } from './logger';
import { ResultsService } from './results-service';
import { RunScheduler } from './run-scheduler';
import { RunService, type Enricher } from './run-service';
import { SegmentService } from './segment-service';
import type { Stores } from './state';

export interface ServiceDeps {
  config: AppConfig;
  gateway: TenantGateway;
  stores: Stores;
  /** @default the system clock */
  clock?: Clock;
  /** @default the system timer (unref'd) */
  timer?: Timer;
  /** @default silent */
  logger?: Logger;
  /** @default runEnrichment */
  enrich?: Enricher;
  /** Incremental run state (server/src/main.ts: <DATA_DIR>/runs); absent in tests that want full runs. */
  runState?: RunStateStore;
  datasets?: DatasetServiceOptions;
}

export interface Services {
  config: ConfigService;
  datasets: DatasetService;
  consent: ConsentService;
  runs: RunService;
  scheduler: RunScheduler;
  results: ResultsService;
  segments: SegmentService;
}

export function createServices(deps: ServiceDeps): Services {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const { state, results: resultsDoc, datasets: datasetsDoc } = deps.stores;
  const datasets = new DatasetService({ datasets: datasetsDoc, state, gateway: deps.gateway, clock, logger }, { ...deps.config.datasets, ...deps.datasets });
  const config = new ConfigService({ state, gateway: deps.gateway, datasets, clock, logger });
  const consent = new ConsentService({ state, gateway: deps.gateway, clock, logger, publicUrl: deps.config.publicUrl });
  const runs = new RunService({ state, results: resultsDoc, config, consent, datasets, gateway: deps.gateway, clock, logger, enrich: deps.enrich, runState: deps.runState });
  const scheduler = new RunScheduler({
    state,
    runs,
    config,
    consent,
    clock,
    timer: deps.timer ?? systemTimer,
    logger,
    firstRunDelayHours: deps.config.firstRunDelayHours,
  });
  const results = new ResultsService({ state, results: resultsDoc, datasets, clock });
  const segments = new SegmentService({ state, results, clock });
  return { config, datasets, consent, runs, scheduler, results, segments };
}

export type { Clock, Timer } from './clock';
export type { Logger } from './logger';
export type { RunEvent, RunProgress, RunSummary, RunTrigger } from './run-types';
export type { Stores } from './state';
export { emptyAppState } from './state';
export { createLogger, silentLogger, withFields, type LoggerOptions, type LogLevel } from './logger';
export { systemClock, systemTimer } from './clock';
