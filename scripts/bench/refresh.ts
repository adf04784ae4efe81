/**
 * `npm run bench` (Refresh part), recorded in docs/benchmarks.md: on generated tenants whose
 * activity runs to NOW + 7 days, the cost of a weekly refresh against a full run at the same time.
 *
 *   1. a full run at NOW with --data-dir (builds the state; not compared);
 *   2. the refresh at NOW + 7 days on that data dir: measured;
 *   3. a full run at NOW + 7 days without state (the plain in-memory path): measured;
 *   and the Office rows of 2 and 3 are checked equal (score changes aside: 3 has no history).
 *
 * Both processes (simulator, enrich) run separately over loopback HTTP, as in the engine part.
 * Tenant shapes: DEFAULT_SHAPES, or one given by --mailboxes N --per-mailbox N [--accounts N --seed S].
 * --no-write prints the section without recording it.
 */
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { child, folderBytes, measuredEnrich, recordSection, withSimulator, type Measured } from './common';

const NOW = '2026-11-01T00:00:00Z';
const LATER = '2026-11-08T00:00:00Z';
/** Refreshes measured per tenant (each on a copy of the same state): the median is recorded. */
const REFRESH_REPEATS = 3;

/** One generated tenant shape. */
export interface TenantShape {
  mailboxes: string;
  accounts: string;
  perMailbox: number;
  seed: string;
}

/**
 * The shapes `npm run bench` measures: many small mailboxes (the engine part's tenant: ~5 message
 * copies per working day), and 60 mailboxes at ~23k, ~34k and ~45k copies per mailbox-year, i.e.
 * ~90, ~135 and ~180 sent and received per working day (250 a year).
 */
export const DEFAULT_SHAPES: TenantShape[] = [
  { mailboxes: '500', accounts: '400', perMailbox: 1000, seed: '7' },
  { mailboxes: '60', accounts: '400', perMailbox: 20000, seed: '9' },
  { mailboxes: '60', accounts: '400', perMailbox: 30000, seed: '9' },
  { mailboxes: '60', accounts: '400', perMailbox: 40000, seed: '9' },
];

interface ShapeResult {
  shape: TenantShape;
  initial: Measured;
  /** The median of REFRESH_REPEATS refreshes by wall time, and their fastest and slowest. */
  refresh: Measured;
  refreshRange: [number, number];
  full: Measured;
  equal: boolean;
  stateBytes: number;
  copiesPerMailboxYear: number;
}

async function measureShape(o: TenantShape): Promise<ShapeResult> {
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
  const label = `${o.mailboxes} mailboxes × ${o.perMailbox}`;
  const { initial, refreshes, full } = await withSimulator(dir, async (url, env) => {
    console.log(`refresh bench (${label}): initial full run at NOW with --data-dir…`);
    const initial = await measure(url, env, ['--now', NOW, '--data-dir', dataDir]);
    // Each refresh starts from a copy of the same state: a second refresh on one dir would be
    // a no-op week.
    const refreshes: Measured[] = [];
    for (let k = 0; k < REFRESH_REPEATS; k++) {
      console.log(`refresh bench (${label}): refresh ${k + 1} of ${REFRESH_REPEATS} at NOW + 7 days…`);
      const copy = path.join(outDir, `state-${k}`);
      await cp(dataDir, copy, { recursive: true });
      refreshes.push(await measure(url, env, ['--now', LATER, '--data-dir', copy, '--out', path.join(outDir, `refresh-${k}.json`)]));
    }
    console.log(`refresh bench (${label}): full run at NOW + 7 days…`);
    const full = await measure(url, env, ['--now', LATER, '--out', path.join(outDir, 'full.json')]);
    return { initial, refreshes, full };
  });
  const rows = async (file: string) =>
    JSON.stringify((JSON.parse(await readFile(path.join(outDir, file), 'utf8')).office as Record<string, unknown>[]).map((r) => ({ ...r, EngagementScoreChange: null })));
  const expected = await rows('full.json');
  let equal = true;
  for (let k = 0; k < REFRESH_REPEATS; k++) equal &&= (await rows(`refresh-${k}.json`)) === expected;
  const stateBytes = await folderBytes(path.join(outDir, 'state-0'));
  await rm(outDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
  const byTime = [...refreshes].sort((a, b) => a.wallMs - b.wallMs);
  const refresh = byTime[Math.floor(byTime.length / 2)]!;
  return { shape: o, initial, refresh, refreshRange: [byTime[0]!.wallMs, byTime[byTime.length - 1]!.wallMs], full, equal, stateBytes, copiesPerMailboxYear: full.messagesRead / full.mailboxes };
}

export async function runRefreshBench(shapes: TenantShape[], write: boolean): Promise<void> {
  const results: ShapeResult[] = [];
  for (const shape of shapes) results.push(await measureShape(shape));

  const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const secs = (r: Measured) => `${(r.wallMs / 1000).toFixed(2)} s`;
  const flagsOf = (s: TenantShape) => `--mailboxes ${s.mailboxes} --accounts ${s.accounts} --per-mailbox ${s.perMailbox} --seed ${s.seed}`;
  const section = [
    '<!-- bench:refresh:start -->',
    `Recorded ${new Date().toISOString().slice(0, 10)} by \`npx tsx scripts/bench/refresh.ts\` (\`npm run bench\` runs it too) on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}. Each tenant: generated with activity to ${LATER.slice(0, 10)}; a full run at ${NOW.slice(0, 10)} with \`--data-dir\` builds the state; then, measured, the **refresh** at ${LATER.slice(0, 10)} on that data dir (${REFRESH_REPEATS} times, each on a copy of it) and a **full run** at ${LATER.slice(0, 10)} without state.`,
    '',
    '| tenant (generator flags) | mailboxes | message copies per mailbox-year | full run: requests, wall time | refresh: requests, wall time (median of 3; range) | requests refresh / full | time refresh / full | messages read refresh / full | state on disk | refresh peak RSS | rows equal |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| \`${flagsOf(r.shape)}\` | ${r.full.mailboxes} | ${fmt(r.copiesPerMailboxYear)} | ${fmt(r.full.graphRequests)}, ${secs(r.full)} | ${fmt(r.refresh.graphRequests)}, ${secs(r.refresh)} (${(r.refreshRange[0] / 1000).toFixed(2)}–${(r.refreshRange[1] / 1000).toFixed(2)}) | **${pct(r.refresh.graphRequests, r.full.graphRequests)}** | **${pct(r.refresh.wallMs, r.full.wallMs)}** | ${pct(r.refresh.messagesRead, r.full.messagesRead)} | ${(r.stateBytes / 1e6).toFixed(0)} MB | ${r.refresh.maxRssMb} MB | ${r.equal ? 'yes' : '**NO**'} |`,
    ),
    '',
    'Initial runs (they build the state; not compared): ' +
      results.map((r) => `${r.full.mailboxes} × ${fmt(r.copiesPerMailboxYear)}: ${fmt(r.initial.graphRequests)} requests, ${secs(r.initial)}, ${r.initial.maxRssMb} MB`).join('; ') +
      '. "Rows equal": the refresh\'s Office rows equal the full run\'s, score changes aside (the full run has no previous scores).',
    '<!-- bench:refresh:end -->',
  ].join('\n');
  console.log(section);
  if (results.some((r) => !r.equal)) process.exitCode = 1;
  if (write) await recordSection('refresh', 'Refresh', section);
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      mailboxes: { type: 'string' },
      accounts: { type: 'string', default: '400' },
      'per-mailbox': { type: 'string' },
      seed: { type: 'string', default: '7' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  // One shape when --mailboxes and --per-mailbox are given, else the default shapes.
  const shapes =
    values.mailboxes && values['per-mailbox']
      ? [{ mailboxes: values.mailboxes, accounts: values.accounts!, perMailbox: Number(values['per-mailbox']), seed: values.seed! }]
      : DEFAULT_SHAPES;
  runRefreshBench(shapes, !values['no-write']).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
