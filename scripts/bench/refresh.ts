/**
 * `npm run bench` (Refresh part), recorded in docs/benchmarks.md: on one generated tenant whose
 * activity runs to NOW + 7 days, the cost of a weekly refresh against a full run at the same time.
 *
 *   1. a full run at NOW with --data-dir (builds the state; not compared);
 *   2. the refresh at NOW + 7 days on that data dir: measured;
 *   3. a full run at NOW + 7 days without state (the plain in-memory path): measured;
 *   and the Office rows of 2 and 3 are checked equal (score changes aside: 3 has no history).
 *
 * Both processes (simulator, enrich) run separately over loopback HTTP, as in the engine part.
 * Flags: --mailboxes 500 --accounts 400 --per-mailbox 1000 --seed 7 --no-write
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { child, folderBytes, measuredEnrich, recordSection, withSimulator, type Measured } from './common';

const NOW = '2026-11-01T00:00:00Z';
const LATER = '2026-11-08T00:00:00Z';

export interface RefreshBenchOptions {
  mailboxes: string;
  accounts: string;
  perMailbox: number;
  seed: string;
  write: boolean;
}

export async function runRefreshBench(o: RefreshBenchOptions): Promise<void> {
  const dir = path.join(os.tmpdir(), `rapport-bench-refresh-${o.mailboxes}x${o.accounts}-s${o.seed}-m${o.perMailbox}`);
  if (!existsSync(path.join(dir, 'tenant.json'))) {
    const r = await child([
      'api/src/simulator/cli-generate.ts',
      '--mailboxes', o.mailboxes, '--accounts', o.accounts, '--days', '372', '--seed', o.seed,
      '--messages-per-mailbox', String(o.perMailbox), '--now', LATER, '--out', dir,
    ]);
    if (r.code !== 0) throw new Error(`generation failed: ${r.lines.join('\n')}`);
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-bench-state-'));
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-bench-out-'));
  const measure = (url: string, env: NodeJS.ProcessEnv, extra: string[]): Promise<Measured> => measuredEnrich(url, env, dir, extra);
  const { initial, refresh, full } = await withSimulator(dir, async (url, env) => {
    console.log('refresh bench: initial full run at NOW with --data-dir…');
    const initial = await measure(url, env, ['--now', NOW, '--data-dir', dataDir]);
    console.log('refresh bench: refresh at NOW + 7 days…');
    const refresh = await measure(url, env, ['--now', LATER, '--data-dir', dataDir, '--out', path.join(outDir, 'refresh.json')]);
    console.log('refresh bench: full run at NOW + 7 days…');
    const full = await measure(url, env, ['--now', LATER, '--out', path.join(outDir, 'full.json')]);
    return { initial, refresh, full };
  });
  const rows = async (file: string) =>
    (JSON.parse(await readFile(path.join(outDir, file), 'utf8')).office as Record<string, unknown>[]).map((r) => ({ ...r, EngagementScoreChange: null }));
  const equal = JSON.stringify(await rows('refresh.json')) === JSON.stringify(await rows('full.json'));
  const stateBytes = await folderBytes(dataDir);
  await rm(outDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });

  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const line = (label: string, r: Measured) =>
    `| ${label} | ${fmt(r.messagesRead)} | ${fmt(r.eventsRead)} | ${fmt(r.graphRequests)} | ${(r.wallMs / 1000).toFixed(2)} s | ${r.maxRssMb} MB |`;
  const section = [
    '<!-- bench:refresh:start -->',
    `Recorded ${new Date().toISOString().slice(0, 10)} by \`npm run bench -- --mailboxes ${o.mailboxes} --accounts ${o.accounts} --per-mailbox ${o.perMailbox} --seed ${o.seed}\` on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}.`,
    '',
    `One tenant generated with activity up to ${LATER} (${full.mailboxes} mailboxes). State on disk after the initial run: ${(stateBytes / 1e6).toFixed(0)} MB.`,
    '',
    '| run | messages read | events read | Graph requests | wall time | peak RSS |',
    '|---|---|---|---|---|---|',
    line(`initial full run at ${NOW.slice(0, 10)} with --data-dir (builds the state)`, initial),
    line(`**refresh** at ${LATER.slice(0, 10)} (7 days later, same data dir)`, refresh),
    line(`**full run** at ${LATER.slice(0, 10)} (no state)`, full),
    `| refresh / full | ${pct(refresh.messagesRead, full.messagesRead)} | ${pct(refresh.eventsRead, full.eventsRead)} | **${pct(refresh.graphRequests, full.graphRequests)}** | **${pct(refresh.wallMs, full.wallMs)}** | |`,
    '',
    `Office rows of the refresh and the full run equal (score changes aside): **${equal ? 'yes' : 'NO'}**.`,
    '<!-- bench:refresh:end -->',
  ].join('\n');
  console.log(section);
  if (!equal) process.exitCode = 1;
  if (o.write) await recordSection('refresh', 'Refresh', section);
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      mailboxes: { type: 'string', default: '500' },
      accounts: { type: 'string', default: '400' },
      'per-mailbox': { type: 'string', default: '1000' },
      seed: { type: 'string', default: '7' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  runRefreshBench({ mailboxes: values.mailboxes!, accounts: values.accounts!, perMailbox: Number(values['per-mailbox']), seed: values.seed!, write: !values['no-write'] }).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
