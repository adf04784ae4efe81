/**
 * `npm run bench:scale`: a full run's wall time against Graph's throttling bound, through the
 * simulator with a per-request latency, parallel ranges vs today's sequential paging.
 *
 * bound = max( max over mailboxes of ceil(requests_m / 4) · latency , total requests · latency / globalCap )
 * computed from the same run's request counts (counted at the fetch, retries included): no run
 * that keeps Graph's 4 per mailbox and the global cap can be faster.
 *
 * Tenants: generated folders (scripts/bench/run.ts and refresh.ts make them; made here if absent).
 * Flags: --latency 300,1000 --global 64 --shapes 500x20000,60x20000 --skip-sequential --no-write
 *        --sequential-max-mailboxes 100 (larger tenants get the sequential time from its model:
 *        ⌈mailboxes / 8⌉ × mean requests per mailbox × latency; measuring it takes an hour at 1 s)
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { child, groupAddresses, recordSection, withSimulator } from './common';

const { values: flags } = parseArgs({
  options: {
    latency: { type: 'string', default: '300,1000' },
    global: { type: 'string', default: '64' },
    shapes: { type: 'string', default: '500x20000,60x20000' },
    'skip-sequential': { type: 'boolean', default: false },
    'sequential-max-mailboxes': { type: 'string', default: '100' },
    'no-write': { type: 'boolean', default: false },
  },
});

interface Shape {
  mailboxes: number;
  perMailbox: number;
  seed: number;
  dir: string;
}

const NOW = '2026-11-08T00:00:00Z';

function shapeOf(spec: string): Shape {
  const [mailboxes, perMailbox] = spec.split('x').map(Number) as [number, number];
  const seed = mailboxes >= 100 ? 7 : 9;
  // The same folders as the refresh bench, so a machine generates each tenant once.
  return { mailboxes, perMailbox, seed, dir: path.join(os.tmpdir(), `rapport-bench-refresh-${mailboxes}x400-s${seed}-m${perMailbox}`) };
}

async function ensureTenant(s: Shape): Promise<void> {
  if (existsSync(path.join(s.dir, 'tenant.json'))) return;
  const r = await child(['api/src/simulator/cli-generate.ts', '--mailboxes', String(s.mailboxes), '--accounts', '400', '--days', '372', '--seed', String(s.seed),
    '--messages-per-mailbox', String(s.perMailbox), '--now', NOW, '--out', s.dir]);
  if (r.code !== 0) throw new Error(`generation failed: ${r.lines.join('\n')}`);
}

interface Measured {
  wallMs: number;
  /** When collection ended and aggregation began. */
  collectedAtMs: number | null;
  /** CPU seconds of the run's process, and of the simulator during the run. */
  cpuSeconds: number;
  simulatorCpuSeconds: number | null;
  maxRssMb: number;
  graphRequests: number;
  fetches: number;
  perMailboxMax: number;
  perMailbox: number[];
  mailboxes: number;
  messagesRead: number;
  throttleWaits: number;
  failures: number;
  firstEta: { atMs: number; etaSeconds: number } | null;
  officeDigest: string;
}

async function measure(s: Shape, latencyMs: number, global: number, ranges: number, mailboxConcurrency?: number): Promise<Measured> {
  const org = (await groupAddresses(s.dir)).join(',');
  return withSimulator(
    s.dir,
    async (url, env, sim) => {
      const simBefore = sim.cpuSeconds();
      const r = await child(
        ['scripts/bench/scale-run.ts', '--graph', `${url}/v1.0`, '--customers', path.join(s.dir, 'customers/contacts.csv'), '--org', org, '--now', NOW,
          '--global', String(global), '--ranges', String(ranges), ...(mailboxConcurrency ? ['--mailbox-concurrency', String(mailboxConcurrency)] : [])],
        env,
      );
      const line = r.lines.find((l) => l.startsWith('BENCH '));
      if (r.code !== 0 || !line) throw new Error(`run failed: ${r.lines.join('\n')}`);
      const simAfter = sim.cpuSeconds();
      return { ...(JSON.parse(line.slice(6)) as Measured), simulatorCpuSeconds: simBefore === null || simAfter === null ? null : simAfter - simBefore };
    },
    ['--latency-ms', String(latencyMs)],
  );
}

/** The throttling bound of a run, in ms. */
function boundMs(m: Measured, latencyMs: number, global: number): number {
  const perMailbox = Math.max(0, ...m.perMailbox.map((n) => Math.ceil(n / 4))) * latencyMs;
  return Math.max(perMailbox, (m.fetches * latencyMs) / global);
}

const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const global = Number(flags.global);
  const latencies = flags.latency!.split(',').map(Number);
  const shapes = flags.shapes!.split(',').map(shapeOf);
  const rows: string[] = [];
  let worst = 0;
  for (const s of shapes) {
    await ensureTenant(s);
    for (const latency of latencies) {
      console.log(`${s.mailboxes} mailboxes × ${s.perMailbox} messages, ${latency} ms per request: parallel ranges, cap ${global}…`);
      const par = await measure(s, latency, global, 4);
      console.log(JSON.stringify({ ...par, perMailbox: undefined }));
      const bound = boundMs(par, latency, global);
      const ratio = par.wallMs / bound;
      worst = Math.max(worst, ratio);
      let seqCell = 'skipped';
      let same = '';
      if (!flags['skip-sequential'] && s.mailboxes > Number(flags['sequential-max-mailboxes'])) {
        // One chain per mailbox, 8 mailboxes at once: each mailbox's requests one after another.
        const meanRequests = par.perMailbox.reduce((a, b) => a + b, 0) / Math.max(1, par.perMailbox.length);
        const modelMs = Math.ceil(par.mailboxes / 8) * meanRequests * latency;
        seqCell = `~${sec(modelMs)} (${(modelMs / bound).toFixed(1)}×; model, not run)`;
      } else if (!flags['skip-sequential']) {
        console.log('  sequential paging (ranges 1, cap 16, 8 mailboxes at once: the previous defaults)…');
        const seq = await measure(s, latency, 16, 1, 8);
        console.log(JSON.stringify({ ...seq, perMailbox: undefined }));
        seqCell = `${sec(seq.wallMs)} (${(seq.wallMs / bound).toFixed(2)}×; ${seq.fetches.toLocaleString('en-US')} requests)`;
        same = seq.officeDigest === par.officeDigest ? 'yes' : 'NO';
      }
      const eta = par.firstEta ? `${par.firstEta.etaSeconds} s left at ${sec(par.firstEta.atMs)} (really ${sec(par.wallMs - par.firstEta.atMs)})` : '—';
      // What the two processes needed of this machine's cores: a run cannot beat it, whatever Graph allows.
      const cpuFloorMs = ((par.cpuSeconds + (par.simulatorCpuSeconds ?? 0)) * 1000) / os.cpus().length;
      const cpu = `${par.cpuSeconds.toFixed(0)} s + ${par.simulatorCpuSeconds?.toFixed(0) ?? '?'} s (${(cpuFloorMs / bound).toFixed(2)}× the bound)`;
      rows.push(
        `| ${s.mailboxes} × ${s.perMailbox.toLocaleString('en-US')} | ${par.messagesRead.toLocaleString('en-US')} | ${latency} ms | ${par.fetches.toLocaleString('en-US')} (max ${par.perMailboxMax} per mailbox) | ${sec(bound)} | ${sec(par.wallMs)}${par.collectedAtMs !== null ? ` (collected at ${sec(par.collectedAtMs)}: ${(par.collectedAtMs / bound).toFixed(2)}×)` : ''} | **${ratio.toFixed(2)}×** | ${seqCell} | ${same} | ${cpu} | ${par.throttleWaits} | ${par.maxRssMb} MB | ${eta} |`,
      );
    }
  }
  const section = [
    '<!-- bench:scale:start -->',
    `Recorded ${new Date().toISOString().slice(0, 10)} by \`npm run bench:scale -- --latency ${flags.latency} --global ${global} --shapes ${flags.shapes}\` on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}; simulator and run are separate processes on the same (shared) machine.`,
    '',
    `Bound = max(max over mailboxes ⌈requests_m / 4⌉ · latency, total requests · latency / ${global}), from the parallel run's own request counts (directory, folders, mail, calendar; retries included). "Sequential" is the previous behaviour: one keyset chain per mailbox, cap 16, 8 mailboxes at once; its ratio is to the same bound. "Same rows": the Office rows of both runs are identical (SHA-256 of the sorted rows).`,
    '',
    '| tenant (generator: mailboxes × messages/yr) | messages read | latency | requests | bound | parallel ranges | ratio | sequential | same rows | CPU: run + simulator (their floor on these cores, vs the bound) | 429 waits | peak RSS | ETA check |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '<!-- bench:scale:end -->',
  ].join('\n');
  console.log(section);
  if (!flags['no-write']) await recordSection('scale', 'Scale: the throttling bound', section);
  console.log(`worst ratio ${worst.toFixed(2)}× (target ≤ 1.2×)`);
  if (worst > 1.2) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
