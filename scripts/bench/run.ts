/**
 * `npm run bench`: engine benchmarks, recorded in docs/benchmarks.md.
 *
 * (a) Aggregation throughput on one core: the same Graph pages are timed with JSON.parse alone
 *     and with JSON.parse + normalisation + reduction, and the ratio is reported.
 * (b) A full run through the simulator, as two processes (simulator, enrich) talking HTTP:
 *     wall time, Graph requests, requests per 1,000 messages, messages/s, peak RSS of the
 *     enrich process, at 1× and 4× the messages read. The generator's --messages-per-mailbox
 *     is mail sent per mailbox; copies, meeting messages and chats come on top, so 4× the messages
 *     read takes 5× that flag (--volume-factor).
 *
 * (c) Refresh (scripts/bench/refresh.ts): a refresh 7 days later against a full run on the same
 *     tenant, for the tenant shapes of DEFAULT_SHAPES.
 * (d) Server latency (scripts/bench/server-latency.ts): /api/health probed every 50 ms while ten
 *     50 MB datasets are uploaded in a row, and during a run over 3,000 accounts.
 *
 * Flags: --mailboxes 500 --accounts 400 --per-mailbox 1000 --volume-factor 5 --seed 7 --skip-4x --no-write
 *        --refresh-only (just (c)) --skip-refresh --server-only (just (d)) --skip-server
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchAggregation } from './aggregation';
import { child, measuredEnrich, recordSection, withSimulator, type Measured } from './common';
import { DEFAULT_SHAPES, runRefreshBench } from './refresh';
import { DEFAULT_SERVER_BENCH, runServerBench } from './server-latency';

const NOW = '2026-11-01T00:00:00Z';

const { values: flags } = parseArgs({
  options: {
    mailboxes: { type: 'string', default: '500' },
    accounts: { type: 'string', default: '400' },
    'per-mailbox': { type: 'string', default: '1000' },
    seed: { type: 'string', default: '7' },
    'skip-4x': { type: 'boolean', default: false },
    'volume-factor': { type: 'string', default: '5' },
    'no-write': { type: 'boolean', default: false },
    'refresh-only': { type: 'boolean', default: false },
    'skip-refresh': { type: 'boolean', default: false },
    'server-only': { type: 'boolean', default: false },
    'skip-server': { type: 'boolean', default: false },
  },
});

async function generate(dir: string, perMailbox: number): Promise<void> {
  if (existsSync(path.join(dir, 'tenant.json'))) return;
  const started = Date.now();
  const r = await child([
    'api/src/simulator/cli-generate.ts',
    '--mailboxes', flags.mailboxes!, '--accounts', flags.accounts!, '--days', '365', '--seed', flags.seed!,
    '--messages-per-mailbox', String(perMailbox), '--now', NOW, '--out', dir,
  ]);
  if (r.code !== 0) throw new Error(`generation failed: ${r.lines.join('\n')}`);
  console.log(`generated ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

type FullRun = Measured;

/** (b) A full run: the simulator and the enrich command as separate processes over HTTP. */
function benchFullRun(dir: string): Promise<FullRun> {
  return withSimulator(dir, (url, env) => measuredEnrich(url, env, dir, ['--now', NOW]));
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

async function main(): Promise<void> {
  const perMailbox = Number(flags['per-mailbox']);
  const refresh = () => runRefreshBench(DEFAULT_SHAPES, !flags['no-write']);
  const server = async () => {
    if (!(await runServerBench({ ...DEFAULT_SERVER_BENCH, write: !flags['no-write'] }))) process.exitCode = 1;
  };
  if (flags['refresh-only']) return refresh();
  if (flags['server-only']) return server();
  const base = path.join(os.tmpdir(), `rapport-bench-${flags.mailboxes}x${flags.accounts}-s${flags.seed}`);
  const dir1 = `${base}-m${perMailbox}`;
  const perMailbox4 = perMailbox * Number(flags['volume-factor']);
  const dir4 = `${base}-m${perMailbox4}`;
  await generate(dir1, perMailbox);
  console.log('(a) aggregation throughput…');
  const agg = await benchAggregation(dir1, NOW);
  console.log(agg);
  console.log('(b) full run at 1×…');
  const run1 = await benchFullRun(dir1);
  console.log(run1);
  let run4: FullRun | null = null;
  if (!flags['skip-4x']) {
    await generate(dir4, perMailbox4);
    console.log('(b) full run at 4× the messages…');
    run4 = await benchFullRun(dir4);
    console.log(run4);
  }

  const row = (label: string, r: FullRun) =>
    `| ${label} | ${r.mailboxes} | ${fmt(r.messagesRead)} | ${fmt(r.eventsRead)} | ${(r.wallMs / 1000).toFixed(1)} s | ${fmt(r.graphRequests)} | ${(
      (1000 * r.graphRequests) / r.messagesRead
    ).toFixed(2)} | ${fmt(r.messagesRead / (r.wallMs / 1000))} | ${r.maxRssMb} MB | ${r.failures} |`;
  const section = [
    `<!-- bench:engine:start -->`,
    `Recorded ${new Date().toISOString().slice(0, 10)} by \`npm run bench -- --mailboxes ${flags.mailboxes} --accounts ${flags.accounts} --per-mailbox ${perMailbox} --volume-factor ${flags['volume-factor']} --seed ${flags.seed}\` on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}.`,
    '',
    `**(a) Aggregation throughput, one core** (${fmt(agg.messages)} messages in ${agg.pages} Graph pages of up to 1,000, best of 5):`,
    '',
    '| work on the same pages | time | messages/s |',
    '|---|---|---|',
    `| \`JSON.parse\` alone (the floor) | ${agg.parseMs.toFixed(0)} ms | ${fmt(agg.parseMsgPerSec)} |`,
    `| \`JSON.parse\` + normalise + reduce | ${agg.aggregateMs.toFixed(0)} ms | ${fmt(agg.aggregateMsgPerSec)} |`,
    `| ratio | ${agg.ratio.toFixed(2)}× | |`,
    '',
    `**(b) Full run through the simulator** (two processes over loopback HTTP; RSS is the enrich process's peak):`,
    '',
    '| scale | mailboxes | messages read | events read | wall time | Graph requests | requests / 1,000 messages | messages/s | peak RSS | failed mailboxes |',
    '|---|---|---|---|---|---|---|---|---|---|',
    row('1×', run1),
    ...(run4 ? [row(`${(run4.messagesRead / run1.messagesRead).toFixed(2)}×`, run4)] : []),
    ...(run4
      ? [
          '',
          `Peak RSS grew **${(run4.maxRssMb / run1.maxRssMb).toFixed(2)}×** for ${(run4.messagesRead / run1.messagesRead).toFixed(2)}× the messages read (target ≤ 1.3× at 4×); aggregation costs **${agg.ratio.toFixed(2)}×** \`JSON.parse\` (target ≤ 2.0×).`,
        ]
      : []),
    `<!-- bench:engine:end -->`,
  ].join('\n');
  console.log(section);
  if (!flags['no-write']) await recordSection('engine', 'Engine', section);
  if (!flags['skip-refresh']) await refresh();
  if (!flags['skip-server']) await server();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
