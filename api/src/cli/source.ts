import { loadConfig } from '../config';
import { AppError } from '../errors';
import type { ActivitySource } from '../enrichment/ports';
import { startSimulator, type FaultOptions, type RunningSimulator } from '../simulator';
import { createProductionGateway, createSimulatorGateway } from '../bootstrap/tenant-gateway';

export type SourceSpec =
  | { kind: 'fixture'; path: string; faults?: FaultOptions }
  | { kind: 'graph'; baseUrl: string; env?: NodeJS.ProcessEnv };

export interface OpenedSource {
  source: ActivitySource;
  simulator?: RunningSimulator;
  close(): Promise<void>;
}

/**
 * `--tenant` serves the fixture with the simulator on a loopback port and reads it over HTTP,
 * exactly as a live tenant would be read; the fixture's admin consent is granted up front.
 * `--graph` reads a live Graph with the credentials from the environment.
 */
export async function openActivitySource(spec: SourceSpec): Promise<OpenedSource> {
  if (spec.kind === 'fixture') {
    const simulator = await startSimulator({ tenant: spec.path, consent: { granted: true }, ...(spec.faults ? { faults: spec.faults } : {}) });
    return { source: createSimulatorGateway(simulator).newSource(), simulator, close: () => simulator.close() };
  }
  const config = loadConfig({ ...(spec.env ?? process.env), GRAPH_BASE_URL: spec.baseUrl }, 'graph');
  if (config.mode !== 'production') {
    throw new AppError('USAGE', '--graph needs TENANT_ID, CLIENT_ID and one of CLIENT_SECRET, CLIENT_CERTIFICATE_PATH or MANAGED_IDENTITY_CLIENT_ID (in Azure) in the environment.');
  }
  return { source: createProductionGateway(config).newSource(), close: async () => undefined };
}
