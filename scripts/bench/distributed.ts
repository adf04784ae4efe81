/**
 * `npm run bench:distributed`: wall time of one full run in-process and through Azure Storage
 * (Azurite) with 1, 2 and 4 worker processes, against one simulator process that answers every
 * request after a Graph-like latency. Every distributed run's Office rows are checked equal to
 * the in-process run's. Recorded in docs/benchmarks.md ("Distributed run").
 *
 *   npm run bench:distributed -- [--mailboxes 40] [--messages 2000] [--latency-ms 300] [--tasks 4]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs, isDeepStrictEqual } from 'node:util';
import { enrich, parseEnrichArgs } from '../../api/src/cli/enrich';
import type { EnrichmentOutcome } from '../../api/src/enrichment/run-enrichment';
import { generateTenant } from '../../api/src/simulator/generator';
import { startAzurite } from '../../tests/distributed/azurite';
import { root, withSimulator } from './common';

const NOW = '2026-11-01T00:00:00Z';

function startWorker(queue: string, url: string, tasks: number, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/cli/worker.ts', '--queue', queue, '--graph', url, '--tasks', String(tasks)], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('worker serving tasks')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`a worker exited with ${code} before serving`)));
  });
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.exitCode !== null) return resolve();
          w.once('exit', () => resolve());
          w.kill('SIGTERM');
        }),
    ),
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      mailboxes: { type: 'string', default: '40' },
      messages: { type: 'string', default: '2000' },
      'latency-ms': { type: 'string', default: '300' },
      tasks: { type: 'string', default: '4' },
    },
  });
  const mailboxes = Number(values.mailboxes);
  const messages = Number(values.messages);
  const latency = Number(values['latency-ms']);
  const tasks = Number(values.tasks);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-bench-distributed-'));
  const azurite = await startAzurite();
  try {
    // The folder form, as `npm run tenant:generate` writes it: the simulator process serves it.
    const generated = generateTenant({ out: dir, mailboxes, accounts: Math.max(40, mailboxes * 4), seed: 7, now: NOW, messagesPerMailbox: messages, meetingsPerMailbox: Math.round(messages / 20) });
    const org = generated.suggestedOrg.join(',');

    await withSimulator(
      dir,
      async (origin, env) => {
        const url = `${origin}/v1.0`;
        // enrich --graph reads the app's credentials from the environment, as a deployment does.
        Object.assign(process.env, { TENANT_ID: env.TENANT_ID, CLIENT_ID: env.CLIENT_ID, CLIENT_SECRET: env.CLIENT_SECRET, AUTHORITY_HOST: env.AUTHORITY_HOST });
        const base = ['--graph', url, '--customers', path.join(dir, 'customers/contacts.csv'), '--email-column', 'email', '--account-column', 'account_id', '--account-name-column', 'account_name', '--org', org, '--now', NOW];
        const timed = async (extra: string[]): Promise<{ ms: number; outcome: EnrichmentOutcome }> => {
          const started = performance.now();
          const outcome = await enrich(parseEnrichArgs([...base, ...extra])!, { log: () => undefined }, { pollMs: 200 });
          return { ms: performance.now() - started, outcome };
        };
        const inProcess = await timed([]);
        const t = inProcess.outcome.totals;
        console.log(`tenant: ${t.mailboxes} mailboxes, ${t.messagesRead} message copies, ${t.eventsRead} calendar instances, ${t.graphRequests} Graph requests; simulator latency ${latency} ms per request`);
        console.log(`in-process (8 mailboxes at once, GRAPH_CONCURRENCY 16): ${(inProcess.ms / 1000).toFixed(1)} s`);
        for (const count of [1, 2, 4]) {
          const workers = await Promise.all(Array.from({ length: count }, () => startWorker(azurite.connectionString, url, tasks, env)));
          try {
            const run = await timed(['--queue', azurite.connectionString]);
            const equal = isDeepStrictEqual(run.outcome.office, inProcess.outcome.office);
            console.log(
              `${count} worker${count === 1 ? ' ' : 's'} × ${tasks} tasks: ${(run.ms / 1000).toFixed(1)} s (${(inProcess.ms / run.ms).toFixed(2)}× in-process), Office rows ${equal ? 'equal' : 'DIFFER'}, ${run.outcome.totals.graphRequests} Graph requests`,
            );
            if (!equal) process.exitCode = 1;
          } finally {
            await stopWorkers(workers);
          }
        }
      },
      ['--latency-ms', String(latency)],
    );
  } finally {
    await azurite.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
