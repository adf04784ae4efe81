/**
 * `npm run simulator -- --tenant <fixture file or folder> [--port 0] [--fault-429 0.2 --fault-503 0.05
 *   --fault-504 0 --fault-drop 0.01 --fault-churn 0.05 --latency-ms 5 --seed 1 --retry-after 1
 *   --mailbox-not-enabled a@x,b@x --mailbox-access-denied c@x --rbac-scope a@x,b@x
 *   --consent-granted --validate]`
 * Serves the Graph-compatible simulator until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { AppError, isAppError } from '../errors';
import { loadFixture, validateAllMailboxes } from './fixture';
import type { FaultOptions } from './faults';
import { startSimulator, type SimulatorOptions } from './server';

export interface ServeArgs {
  tenant: string;
  port: number;
  faults: FaultOptions;
  consentGranted: boolean;
  /** Mailboxes granted through RBAC for Applications in Exchange Online instead of token roles. */
  rbacScope?: string[];
  validate: boolean;
}

const USAGE =
  'Usage: npm run simulator -- --tenant <fixture file or folder> [--port 0] [--fault-429 r] [--fault-503 r] [--fault-504 r] [--fault-drop r] [--fault-churn r] [--latency-ms n] [--seed n] [--retry-after s] [--mailbox-not-enabled a,b] [--mailbox-access-denied a,b] [--rbac-scope a,b] [--consent-granted] [--validate]';

function list(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseServeArgs(argv: string[]): ServeArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        tenant: { type: 'string' },
        port: { type: 'string' },
        'fault-429': { type: 'string' },
        'fault-503': { type: 'string' },
        'fault-504': { type: 'string' },
        'fault-drop': { type: 'string' },
        'fault-churn': { type: 'string' },
        'latency-ms': { type: 'string' },
        seed: { type: 'string' },
        'retry-after': { type: 'string' },
        'mailbox-not-enabled': { type: 'string' },
        'mailbox-access-denied': { type: 'string' },
        'rbac-scope': { type: 'string' },
        'consent-granted': { type: 'boolean' },
        validate: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new AppError('USAGE', `${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) throw new AppError('USAGE', USAGE);
  if (typeof values.tenant !== 'string' || values.tenant === '') throw new AppError('USAGE', `--tenant is required.\n${USAGE}`);
  const num = (name: string, min: number, max: number, integer = false): number | undefined => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      throw new AppError('USAGE', `--${name} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got "${String(raw)}"`);
    }
    return n;
  };
  const faults: FaultOptions = {};
  const assign = <K extends keyof FaultOptions>(k: K, v: FaultOptions[K] | undefined): void => {
    if (v !== undefined) faults[k] = v;
  };
  assign('rate429', num('fault-429', 0, 1));
  assign('rate503', num('fault-503', 0, 1));
  assign('rate504', num('fault-504', 0, 1));
  assign('rateDrop', num('fault-drop', 0, 1));
  assign('churnRate', num('fault-churn', 0, 1));
  assign('latencyMs', num('latency-ms', 0, 60_000));
  assign('seed', num('seed', 0, 2 ** 31 - 1, true));
  const retryAfter = num('retry-after', 0, 3600);
  if (retryAfter !== undefined) {
    faults.retryAfterSeconds = retryAfter;
    faults.retryAfter503Seconds = retryAfter;
  }
  if (typeof values['mailbox-not-enabled'] === 'string') faults.mailboxNotEnabled = list(values['mailbox-not-enabled']);
  if (typeof values['mailbox-access-denied'] === 'string') faults.mailboxAccessDenied = list(values['mailbox-access-denied']);
  const rbacScope = typeof values['rbac-scope'] === 'string' ? list(values['rbac-scope']) : undefined;
  if (rbacScope?.length === 0) throw new AppError('USAGE', `--rbac-scope needs at least one mailbox.\n${USAGE}`);
  if ((faults.rate429 ?? 0) + (faults.rate503 ?? 0) + (faults.rate504 ?? 0) + (faults.rateDrop ?? 0) > 1) {
    throw new AppError('USAGE', 'The --fault-* rates add up to more than 1.');
  }
  return {
    tenant: values.tenant,
    port: num('port', 0, 65535, true) ?? 0,
    faults,
    consentGranted: values['consent-granted'] === true,
    ...(rbacScope ? { rbacScope } : {}),
    validate: values.validate === true,
  };
}

async function main(): Promise<void> {
  const args = parseServeArgs(process.argv.slice(2));
  const store = loadFixture(args.tenant);
  if (args.validate) await validateAllMailboxes(store);
  const opts: SimulatorOptions = { tenant: store, port: args.port, faults: args.faults };
  if (args.consentGranted || args.rbacScope) {
    opts.consent = { granted: args.consentGranted, ...(args.rbacScope ? { exchangeRbacScope: args.rbacScope } : {}) };
  }
  const sim = await startSimulator(opts);
  const client = sim.clients[0]!;
  console.log(`Graph simulator for ${store.organization.displayName} (${store.mailboxIds().length} mailboxes) from ${args.tenant}`);
  console.log(`  base URL:      ${sim.url}`);
  console.log(`  Graph:         ${sim.graphBaseUrl}`);
  console.log(`  tenant id:     ${sim.tenantId}`);
  console.log(`  token:         POST ${sim.tokenUrl}`);
  console.log(`  client id:     ${client.clientId}`);
  console.log(`  client secret: ${client.clientSecret}`);
  console.log(`  admin consent: ${sim.url}/${sim.tenantId}/adminconsent?client_id=${client.clientId}&redirect_uri=<url>&state=<state>`);
  console.log(`  consent:       ${sim.consent.granted ? 'granted' : 'not granted yet (tokens carry no roles until accepted)'}`);
  if (args.rbacScope) console.log(`  Exchange RBAC: mail and calendars of ${args.rbacScope.join(', ')} only (tokens carry no Mail/Calendars roles)`);
  if (Object.keys(args.faults).length > 0) console.log(`  faults:        ${JSON.stringify(args.faults)}`);
  const stop = (signal: string): void => {
    const s = sim.stats();
    const injected = Object.fromEntries(Object.entries(s.faultsInjected).filter(([, n]) => n > 0));
    console.log(`\n${signal}: stopping after ${s.requests} Graph requests (${JSON.stringify(s.byStatus)}); faults injected: ${JSON.stringify(injected)}`);
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(isAppError(e) ? e.message : e);
    process.exit(isAppError(e) && e.code === 'USAGE' ? 2 : 1);
  });
}
