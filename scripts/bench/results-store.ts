/**
 * Result storage (issue 14): how long committing a run's result set stalls the event loop, the
 * one-document way (a lowdb `results.json`, as before) and per run in files (FileResultsStore),
 * and what reading pages back costs. Recorded in docs/benchmarks.md ("Result storage").
 *
 * The result sets are synthetic (tests/support/synthetic-results.ts: every column filled, ~11
 * rows per account, the density of issue 14's 27 MB at 3,000 accounts), so the figures are the
 * store's alone; a real run adds its aggregation, which does not touch the store.
 *
 *   npx tsx scripts/bench/results-store.ts [--accounts 3000,10000] [--no-write]
 *
 * A stall is measured as a 5 ms ticker's worst lateness while the operation runs (the longest
 * time the event loop could not run a timer), and by perf_hooks' monitorEventLoopDelay (max).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ResultsService } from '../../api/src/services/results-service';
import { emptyAppState } from '../../api/src/services/state';
import { MemoryDocument } from '../../api/src/store/document-store';
import { FileResultsStore } from '../../api/src/store/file-results-store';
import { LowdbDocument } from '../../api/src/store/lowdb-document';
import { syntheticResultSet } from '../../tests/support/synthetic-results';
import { folderBytes, recordSection } from './common';

const { values: flags } = parseArgs({ options: { accounts: { type: 'string', default: '3000,10000' }, 'no-write': { type: 'boolean', default: false } } });

interface Timed {
  ms: number;
  stallMs: number;
  loopMaxMs: number;
}

async function timed(task: () => Promise<unknown>): Promise<Timed> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let worst = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  histogram.enable();
  // Both clocks tick once first: a stall that starts at once would otherwise be missed.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const started = performance.now();
  await task();
  const ms = performance.now() - started;
  histogram.disable();
  clearInterval(ticker);
  return { ms, stallMs: Math.max(0, worst), loopMaxMs: histogram.max / 1e6 };
}

const f = (x: number) => `${Math.round(x)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function measure(accounts: number): Promise<string[]> {
  const set = syntheticResultSet({ accounts, runId: 'run_bench' });
  const previous = new Map(set.office.map((r) => [`${r.AccountId}|${r.AggregationLevel}|${r.AggregationStartdate}`, r.EngagementScore]));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-bench-results-'));
  try {
    // The document as results.json held it before (rapport.results/1).
    const legacy = await LowdbDocument.open<{ format: string; current: unknown; previousScores: [string, number][] | null }>(path.join(dir, 'results.json'), () => ({
      format: 'rapport.results/1',
      current: null,
      previousScores: null,
    }));
    const before = await timed(() => legacy.replace({ format: 'rapport.results/1', current: set, previousScores: [...previous] }));
    const legacyBytes = (await stat(path.join(dir, 'results.json'))).size;
    const store = await FileResultsStore.open(path.join(dir, 'results'));
    await store.commit(set, previous); // warm-up: the first commit also compiles the code paths
    const after = await timed(() => store.commit(set, previous));
    const folderSize = await folderBytes(path.join(dir, 'results'));
    const reopened = await FileResultsStore.open(path.join(dir, 'results'));
    const service = new ResultsService({ state: new MemoryDocument(emptyAppState()), results: reopened });
    const week = (await reopened.current())!.buckets('week')[20]!;
    const reads = {
      open: await timed(() => FileResultsStore.open(path.join(dir, 'results'))),
      weeks: await timed(() => service.office({ level: 'week', page: 1, pageSize: 50 })),
      oneWeek: await timed(() => service.office({ level: 'week', bucket: week, page: 2, pageSize: 50 })),
      card: await timed(() => service.account('ACC-000123')),
    };
    console.log(`${accounts} accounts: before ${f(before.stallMs)} stall, after ${f(after.stallMs)}`);
    return [
      `| ${accounts.toLocaleString('en-US')} | ${set.office.length.toLocaleString('en-US')} | one lowdb document (${mb(legacyBytes)}), before | ${f(before.ms)} | **${f(before.stallMs)}** | ${f(before.loopMaxMs)} |`,
      `| ${accounts.toLocaleString('en-US')} | ${set.office.length.toLocaleString('en-US')} | a folder per run (${mb(folderSize / 2)}), after | ${f(after.ms)} | **${f(after.stallMs)}** | ${f(after.loopMaxMs)} |`,
      `| ${accounts.toLocaleString('en-US')} | | reads after: open ${f(reads.open.ms)} (stall ${f(reads.open.stallMs)}); week page 1 of all weeks ${f(reads.weeks.ms)} (${f(reads.weeks.stallMs)}); a page of one week ${f(reads.oneWeek.ms)} (${f(reads.oneWeek.stallMs)}); a customer card ${f(reads.card.ms)} | | | |`,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows: string[] = [];
  for (const n of flags.accounts!.split(',').map(Number)) rows.push(...(await measure(n)));
  const section = [
    '<!-- bench:results-store:start -->',
    `Recorded ${new Date().toISOString().slice(0, 10)} by \`npx tsx scripts/bench/results-store.ts --accounts ${flags.accounts}\` on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}. Committing one synthetic result set (every column filled, previous scores included); "stall" is the longest time a 5 ms timer could not run during the commit, "loop max" perf_hooks' monitorEventLoopDelay maximum.`,
    '',
    '| accounts | rows | store | commit | **longest stall** | loop max |',
    '|---|---|---|---|---|---|',
    ...rows,
    '<!-- bench:results-store:end -->',
  ].join('\n');
  console.log(section);
  if (!flags['no-write']) await recordSection('results-store', 'Result storage', section);
}

void main();
