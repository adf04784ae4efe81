/**
 * `npm run worker`: serves the mailbox tasks of distributed runs from an Azure Storage queue
 * until stopped (docs/architecture.md "Distributed run"). SIGTERM or SIGINT stops taking tasks
 * and puts the ones under way back on the queue at once, so another worker takes them without
 * waiting out their visibility timeout. Bad input exits 2 with one line saying what to fix.
 */
import { parseFlags, usage } from './flags';
import { loadConfig } from '../config';
import { AppError, isAppError } from '../errors';
import { createProductionGateway, createSimulatorGateway } from '../bootstrap/tenant-gateway';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_TASKS, DEFAULT_VISIBILITY_TIMEOUT_S, openDistributedStorage, runWorker, type WorkerLogEntry } from '../distributed';
import type { TenantGateway } from '../enrichment/ports';
import { createLogger, type Logger } from '../services/logger';
import { startSimulator } from '../simulator';

export const WORKER_USAGE = `Usage: npm run worker -- --queue <connection string or storage account name> (--tenant <fixture> | --graph <base url>)
  [--tasks <n, default ${DEFAULT_TASKS}>] [--visibility-timeout <seconds, default ${DEFAULT_VISIBILITY_TIMEOUT_S}>]
  [--max-attempts <n, default ${DEFAULT_MAX_ATTEMPTS}>] [--queue-name <name>] [--container <name>]
  [--latency <ms>] (with --tenant: the simulator answers each request after this delay, as Graph would)
  --queue defaults to AZURE_STORAGE_CONNECTION_STRING. --graph reads TENANT_ID, CLIENT_ID and
  CLIENT_SECRET (or CLIENT_CERTIFICATE_PATH) from the environment; GRAPH_CONCURRENCY caps the
  Graph requests of this process.`;

export interface WorkerArgs {
  queue: string;
  tenant?: string;
  graph?: string;
  tasks: number;
  visibilityTimeout: number;
  maxAttempts: number;
  queueName?: string;
  container?: string;
  /** With --tenant: the simulator's delay before each answer. */
  latencyMs: number;
}


function wholeNumber(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw usage(`--${flag} "${value}" must be a whole number from ${min} to ${max}.`);
  return n;
}

/** Parses the command line; null means --help was asked for. */
export function parseWorkerArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): WorkerArgs | null {
  const values = parseFlags(argv, {
    queue: { type: 'string' },
    tenant: { type: 'string' },
    graph: { type: 'string' },
    tasks: { type: 'string' },
    'visibility-timeout': { type: 'string' },
    'max-attempts': { type: 'string' },
    'queue-name': { type: 'string' },
    container: { type: 'string' },
    latency: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (values.help) return null;
  const queue = values.queue ?? env.AZURE_STORAGE_CONNECTION_STRING;
  if (!queue) throw usage('--queue <connection string> is required (or set AZURE_STORAGE_CONNECTION_STRING).');
  if (!values.tenant === !values.graph) throw usage('Give exactly one of --tenant and --graph.');
  if (values.graph !== undefined && !/^https?:\/\//.test(values.graph)) throw usage(`--graph "${values.graph}" is not an http(s) URL.`);
  if (values.latency !== undefined && !values.tenant) throw usage('--latency applies to the simulator: use it with --tenant.');
  return {
    queue,
    tenant: values.tenant,
    graph: values.graph,
    tasks: wholeNumber('tasks', values.tasks, DEFAULT_TASKS, 1, 64),
    visibilityTimeout: wholeNumber('visibility-timeout', values['visibility-timeout'], DEFAULT_VISIBILITY_TIMEOUT_S, 1, 7 * 24 * 3600),
    maxAttempts: wholeNumber('max-attempts', values['max-attempts'], DEFAULT_MAX_ATTEMPTS, 1, 1000),
    queueName: values['queue-name'],
    container: values.container,
    latencyMs: wholeNumber('latency', values.latency, 0, 0, 60_000),
  };
}

function logEntry(logger: Logger, entry: WorkerLogEntry): void {
  switch (entry.kind) {
    case 'taskDone':
      logger.info(entry.outcome === 'ok' ? 'mailbox collected' : 'mailbox failed', {
        run: entry.runId,
        mailbox: entry.mailbox,
        ms: entry.ms,
        messages: entry.messages,
        events: entry.events,
        attempt: entry.attempt,
      });
      return;
    case 'taskTaken':
      logger.debug('task taken', { run: entry.runId, mailbox: entry.mailbox, attempt: entry.attempt });
      return;
    case 'taskReturned':
      logger.info('task put back on the queue (stopping)', { run: entry.runId, mailbox: entry.mailbox });
      return;
    case 'taskDropped':
      logger.info(
        entry.reason === 'malformed' ? 'dropped a message that is not a Rapport task' : entry.reason === 'runGone' ? 'dropped a task of a run that has ended' : 'dropped a task already done',
        entry.runId ? { run: entry.runId, mailbox: entry.mailbox } : {},
      );
      return;
    case 'taskAbandoned':
      logger.warn('mailbox failed: its task was taken too often without finishing', { run: entry.runId, mailbox: entry.mailbox, attempts: entry.attempts });
      return;
    case 'storageFault':
      logger.warn(entry.message);
      return;
  }
}

async function openGateway(args: WorkerArgs, tasks: number): Promise<{ gateway: TenantGateway; close(): Promise<void> }> {
  // Each task gets its own source (its stats are the task's requests); the process's cap on
  // Graph requests is shared out between them, never below Graph's 4 per mailbox.
  const concurrency = (total: number): number => Math.max(4, Math.floor(total / tasks));
  if (args.tenant) {
    const simulator = await startSimulator({ tenant: args.tenant, consent: { granted: true }, ...(args.latencyMs > 0 ? { faults: { latencyMs: args.latencyMs } } : {}) });
    return { gateway: createSimulatorGateway(simulator, { concurrency: concurrency(16) }), close: () => simulator.close() };
  }
  const config = loadConfig({ ...process.env, GRAPH_BASE_URL: args.graph }, 'graph');
  if (config.mode !== 'production') {
    throw new AppError('USAGE', '--graph needs TENANT_ID, CLIENT_ID and CLIENT_SECRET (or CLIENT_CERTIFICATE_PATH) in the environment.');
  }
  return { gateway: createProductionGateway(config, { concurrency: concurrency(config.graph.concurrency) }), close: async () => undefined };
}

async function main(): Promise<void> {
  const args = parseWorkerArgs(process.argv.slice(2));
  if (args === null) {
    console.log(WORKER_USAGE);
    return;
  }
  const level = process.env.LOG_LEVEL;
  const logger = createLogger({
    format: process.stdout.isTTY ? 'text' : 'json',
    level: level === 'debug' || level === 'warn' || level === 'error' || level === 'silent' ? level : 'info',
  });
  const storage = openDistributedStorage(args.queue, { queue: args.queueName, container: args.container });
  const { gateway, close } = await openGateway(args, args.tasks);
  const stop = new AbortController();
  let stoppingSince = 0;
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.on(sig, () => {
      // Ctrl-C reaches npm, tsx and this process alike, and the first two relay it: the same
      // signal arrives two or three times at once. Only a repeat seconds later forces the exit.
      if (stoppingSince) {
        if (Date.now() - stoppingSince < 2_000) return;
        logger.warn(`${sig} again: exiting now; the tasks under way come back after their visibility timeout`);
        process.exit(1);
      }
      stoppingSince = Date.now();
      logger.info(`${sig}: putting the tasks under way back on the queue, then stopping`);
      stop.abort(new AppError('INTERNAL', `stopped by ${sig}`));
    });
  }
  logger.info('worker serving tasks', { queue: storage.queue.url, tasks: args.tasks, visibilityTimeoutSeconds: args.visibilityTimeout, tenant: args.tenant ?? args.graph });
  try {
    const summary = await runWorker({
      storage,
      newSource: () => gateway.newSource(),
      signal: stop.signal,
      tasks: args.tasks,
      visibilityTimeoutSeconds: args.visibilityTimeout,
      maxAttempts: args.maxAttempts,
      log: (entry) => logEntry(logger, entry),
    });
    logger.info('worker stopped', { tasksDone: summary.tasksDone, tasksReturned: summary.tasksReturned });
  } finally {
    await close();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    if (isAppError(e)) {
      console.error(`worker: ${e.message}`);
      process.exitCode = e.code === 'USAGE' || e.status < 500 ? 2 : 1;
    } else {
      console.error(`worker: unexpected error: ${(e as Error)?.stack ?? String(e)}`);
      process.exitCode = 1;
    }
  });
}
