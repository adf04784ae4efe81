/**
 * Server latency under load (issue 14), recorded in docs/benchmarks.md ("Server latency"):
 * (a) ten 50 MB contact CSVs uploaded in a row through `POST /api/datasets`;
 * (b) a "Run now" (`POST /api/runs`) over a generated tenant of 3,000 accounts;
 * each while an open-loop probe GETs `/api/health` every 50 ms. A probe's latency counts from
 * when it was due, not from when it was sent, so a stalled event loop shows up in full (no
 * coordinated omission). The server is the real one (`startRapport`, demo mode, port 0) in a
 * process of its own (server-child.ts), so the probe measures its event loop, not ours.
 *
 * It runs what `npm start` runs: the server compiled by tsc (into dist/bench-server/), not
 * TypeScript through tsx, whose compiler and caches would add to the memory measured.
 *
 * `npm run bench` runs it after the engine and refresh parts; alone:
 *   npx tsx scripts/bench/server-latency.ts [--uploads 10] [--mb 50] [--accounts 3000] [--mailboxes 36]
 *     [--period-ms 50] [--server-module <file>] [--skip-uploads] [--skip-run] [--no-write]
 * `--server-module` names another composition root (a .js file: compiled, a .ts file: through
 * tsx), e.g. another checkout's, to compare before and after.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, rmSync } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { recordSection, root } from './common';

export interface ServerBenchOptions {
  uploads: number;
  mb: number;
  accounts: number;
  mailboxes: number;
  periodMs: number;
  /** The module exporting startRapport; absent: the compiled server/src/main.ts. */
  serverModule?: string;
  skipUploads: boolean;
  skipRun: boolean;
  write: boolean;
}

export const DEFAULT_SERVER_BENCH: ServerBenchOptions = {
  uploads: 10,
  mb: 50,
  accounts: 3000,
  mailboxes: 36,
  periodMs: 50,
  skipUploads: false,
  skipRun: false,
  write: true,
};

/** The server in its own process; see server-child.ts for the protocol. */
class ServerProcess {
  private readonly waiters: { prefix: string; resolve: (line: string) => void }[] = [];
  private exited: Promise<number>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    lines: readline.Interface,
  ) {
    lines.on('line', (line) => {
      const i = this.waiters.findIndex((w) => line.startsWith(w.prefix));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(line);
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  }

  static async start(env: NodeJS.ProcessEnv, serverModule: string): Promise<ServerProcess> {
    const compiled = serverModule.endsWith('.js');
    const args = compiled
      ? [path.join(BUILD_DIR, 'scripts/bench/server-child.js'), serverModule]
      : ['--import', 'tsx', path.join(root, 'scripts/bench/server-child.ts'), serverModule];
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = readline.createInterface({ input: child.stdout! });
    const url = await new Promise<string>((resolve, reject) => {
      const onLine = (line: string) => {
        const m = /^READY (http:\/\/\S+)/.exec(line);
        if (!m) return;
        lines.off('line', onLine);
        // Loopback by address: "localhost" may resolve to ::1 first, or through a slow resolver.
        resolve(m[1]!.replace('//localhost:', '//127.0.0.1:'));
      };
      lines.on('line', onLine);
      child.once('exit', (code) => reject(new Error(`the server exited with ${code} before it listened`)));
    });
    return new ServerProcess(child, url, lines);
  }

  private request(command: string, prefix: string): Promise<string> {
    const answer = new Promise<string>((resolve) => this.waiters.push({ prefix, resolve }));
    this.child.stdin!.write(`${command}\n`);
    return answer;
  }

  async stats(): Promise<{ maxRssMb: number; rssMb: number }> {
    return JSON.parse((await this.request('stats', 'STATS ')).slice(6)) as { maxRssMb: number; rssMb: number };
  }

  async stop(): Promise<void> {
    this.child.stdin!.write('stop\n');
    const timeout = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(timeout);
  }
}

interface ProbeResult {
  latencies: number[];
  /** Probes not answered 200, by status or error code. */
  failures: Map<string, number>;
}

/**
 * GETs /api/health every `periodMs`, on schedule whatever the answers do (open loop). Each
 * latency is answer time minus due time: a probe held up behind a stalled event loop counts
 * the whole wait.
 */
function startProbe(url: string, periodMs: number): { stop(): Promise<ProbeResult> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  const failures = new Map<string, number>();
  const fail = (why: string) => failures.set(why, (failures.get(why) ?? 0) + 1);
  let n = 0;
  let timer: NodeJS.Timeout | undefined;
  const t0 = performance.now();
  const fire = (due: number) => {
    const done = new Promise<void>((resolve) => {
      const req = http.get(`${url}/api/health`, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) latencies.push(performance.now() - due);
          else fail(String(res.statusCode));
          resolve();
        });
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        fail(e.code ?? e.message);
        resolve();
      });
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  const schedule = () => {
    const due = t0 + n * periodMs;
    n += 1;
    timer = setTimeout(() => {
      fire(due);
      schedule();
    }, Math.max(0, due - performance.now()));
  };
  schedule();
  return {
    async stop() {
      clearTimeout(timer);
      await Promise.all(inFlight);
      agent.destroy();
      return { latencies, failures };
    },
  };
}

function get<T>(url: string): Promise<T> {
  return fetch(url).then((r) => r.json() as Promise<T>);
}

function postFile(url: string, file: string, size: number, fileName: string): Promise<{ status: number; body: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      `${url}/api/datasets?kind=contacts&fileName=${encodeURIComponent(fileName)}`,
      { method: 'POST', headers: { 'content-type': 'text/csv', 'content-length': size } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
      },
    );
    req.on('error', reject);
    createReadStream(file).pipe(req);
  });
}

interface RunView {
  id: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  accountsEnriched: number;
}

/** Until the demo's first run (started by the scheduler right after consent) has finished. */
async function firstRunFinished(url: string): Promise<RunView> {
  for (let i = 0; i < 3600; i += 1) {
    const { runs } = await get<{ runs: RunView[] }>(`${url}/api/runs`);
    if (runs.length > 0 && runs.every((r) => r.status !== 'running')) return runs[0]!;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the demo run did not finish within 30 minutes');
}

/** A contacts file of about `mb` MiB (3 columns, 20,000 accounts), written once and reused. */
async function contactsFile(mb: number): Promise<{ file: string; size: number; rows: number }> {
  const file = path.join(os.tmpdir(), `rapport-bench-contacts-${mb}mb.csv`);
  if (existsSync(file)) return { file, size: (await stat(file)).size, rows: await countRows(file) };
  const out = createWriteStream(`${file}.tmp`);
  let size = 0;
  let n = 0;
  let chunk = 'email,account_id,account_name\n';
  while (size + chunk.length < mb * 1024 * 1024) {
    n += 1;
    const a = n % 20000;
    chunk += `firstname${n}.lastname@customer${a}.example.com,ACC-${String(a).padStart(6, '0')},Customer Company ${a} Ltd\n`;
    if (chunk.length > 64 * 1024) {
      size += chunk.length;
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise<void>((r) => out.once('close', () => r()));
  await rename(`${file}.tmp`, file);
  return { file, size: (await stat(file)).size, rows: n };
}

async function countRows(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) for (const b of chunk) if (b === 10) lines += 1;
  return lines - 1;
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

interface PhaseResult {
  label: string;
  work: string;
  probe: ProbeResult;
  maxRssMb: number;
  outcome: string;
  ok: boolean;
}

async function uploadPhase(o: ServerBenchOptions & { serverModule: string }): Promise<PhaseResult> {
  const csv = await contactsFile(o.mb);
  console.log(`uploads: ${o.uploads} × ${(csv.size / 1024 / 1024).toFixed(1)} MB (${csv.rows.toLocaleString('en-US')} rows each)`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-bench-server-'));
  const server = await ServerProcess.start({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, o.serverModule);
  try {
    await firstRunFinished(server.url);
    const probe = startProbe(server.url, o.periodMs);
    const answers: { status: number; ms: number; rows?: number; error?: string }[] = [];
    for (let i = 1; i <= o.uploads; i += 1) {
      const r = await postFile(server.url, csv.file, csv.size, `contacts-${i}.csv`);
      const body = JSON.parse(r.body || '{}') as { rows?: number; error?: { message?: string } };
      answers.push({ status: r.status, ms: r.ms, rows: body.rows, ...(body.error?.message ? { error: body.error.message } : {}) });
      console.log(`  upload ${i}: ${r.status} in ${(r.ms / 1000).toFixed(1)} s${body.error ? ` (${body.error.message})` : ''}`);
    }
    const result = await probe.stop();
    const { maxRssMb } = await server.stats();
    const ok = answers.filter((a) => a.status === 201 && a.rows === csv.rows).length;
    const times = answers.map((a) => a.ms).sort((a, b) => a - b);
    return {
      label: 'uploads',
      work: `${o.uploads} × ${Math.round(csv.size / 1024 / 1024)} MB contact CSV (${csv.rows.toLocaleString('en-US')} rows each), one after another`,
      probe: result,
      maxRssMb,
      outcome: `${ok}/${o.uploads} answered 201 with every row; ${(percentile(times, 0.5) / 1000).toFixed(1)} s each (median; ${(times[0]! / 1000).toFixed(1)}–${(times[times.length - 1]! / 1000).toFixed(1)} s)`,
      ok: ok === o.uploads,
    };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function runPhase(o: ServerBenchOptions & { serverModule: string }): Promise<PhaseResult> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-bench-server-'));
  console.log(`run: generating and enriching a demo tenant of ${o.accounts} accounts, ${o.mailboxes} mailboxes…`);
  const server = await ServerProcess.start(
    { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', DEMO_ACCOUNTS: String(o.accounts), DEMO_MAILBOXES: String(o.mailboxes) },
    o.serverModule,
  );
  try {
    const first = await firstRunFinished(server.url);
    console.log(`  the demo's first run: ${first.status}, ${first.accountsEnriched} accounts enriched; now "Run now", measured`);
    const probe = startProbe(server.url, o.periodMs);
    const started = await fetch(`${server.url}/api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { id } = (await started.json()) as { id: string };
    let run: RunView;
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      run = await get<RunView>(`${server.url}/api/runs/${id}`);
      if (run.status !== 'running') break;
    }
    const result = await probe.stop();
    const { maxRssMb } = await server.stats();
    const seconds = (Date.parse(run.finishedAt!) - Date.parse(run.startedAt)) / 1000;
    return {
      label: 'run',
      work: `"Run now" over a demo tenant of ${o.accounts.toLocaleString('en-US')} accounts, ${o.mailboxes} mailboxes (full run, results committed)`,
      probe: result,
      maxRssMb,
      outcome: `${run.status}, ${run.accountsEnriched.toLocaleString('en-US')} accounts enriched in ${seconds.toFixed(1)} s`,
      ok: run.status === 'succeeded',
    };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Where the benchmark compiles the server (dist/ is ignored by git). */
const BUILD_DIR = path.join(root, 'dist/bench-server');

/** The server as `npm start` runs it: compiled. tsc emits even when some file has a type error. */
function buildServer(): string {
  console.log(`compiling the server into ${path.relative(root, BUILD_DIR)}…`);
  // From scratch: a file left by a module since moved (contract.js beside contract/) would shadow it.
  rmSync(BUILD_DIR, { recursive: true, force: true });
  try {
    execFileSync(path.join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', BUILD_DIR], { cwd: root, stdio: 'pipe' });
  } catch (e) {
    console.warn(`tsc reported errors (the output was still written):\n${String((e as { stdout?: Buffer }).stdout ?? e).slice(0, 2000)}`);
  }
  return path.join(BUILD_DIR, 'server/src/main.js');
}

export async function runServerBench(options: ServerBenchOptions): Promise<boolean> {
  // The child script is always the compiled one when the server is; build before anything else.
  const built = options.serverModule === undefined || options.serverModule.endsWith('.js') ? buildServer() : null;
  const o = { ...options, serverModule: path.resolve(root, options.serverModule ?? built!) };
  const phases: PhaseResult[] = [];
  if (!o.skipUploads) phases.push(await uploadPhase(o));
  if (!o.skipRun) phases.push(await runPhase(o));
  const ms = (x: number) => `${Math.round(x)} ms`;
  const row = (p: PhaseResult) => {
    const sorted = [...p.probe.latencies].sort((a, b) => a - b);
    const slow = sorted.filter((x) => x > 100).length;
    const failed = [...p.probe.failures].map(([why, n]) => `${n} × ${why}`).join(', ');
    return `| ${p.label} | ${p.work} | ${sorted.length}${failed ? ` (not answered 200: ${failed})` : ''} | ${ms(percentile(sorted, 0.5))} | **${ms(percentile(sorted, 0.99))}** | ${ms(sorted[sorted.length - 1] ?? NaN)} | ${slow} | **${p.maxRssMb} MB** | ${p.outcome} |`;
  };
  const flags = [
    o.uploads !== DEFAULT_SERVER_BENCH.uploads ? `--uploads ${o.uploads}` : '',
    o.mb !== DEFAULT_SERVER_BENCH.mb ? `--mb ${o.mb}` : '',
    o.accounts !== DEFAULT_SERVER_BENCH.accounts ? `--accounts ${o.accounts}` : '',
    o.mailboxes !== DEFAULT_SERVER_BENCH.mailboxes ? `--mailboxes ${o.mailboxes}` : '',
    options.serverModule ? `--server-module ${options.serverModule}` : '',
  ].filter(Boolean);
  const section = [
    '<!-- bench:server:start -->',
    `Recorded ${new Date().toISOString().slice(0, 10)} by \`npx tsx scripts/bench/server-latency.ts${flags.length ? ` ${flags.join(' ')}` : ''}\` (\`npm run bench\` runs it too) on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}. The server is \`startRapport\` (\`${path.relative(root, o.serverModule)}\`) in demo mode, in a process of its own; an open-loop probe GETs \`/api/health\` every ${o.periodMs} ms from the benchmark's process, and each probe's latency counts from when it was due. Targets (issue 14): every upload succeeds, server peak RSS < 1 GB, health p99 < 100 ms.`,
    '',
    '| phase | work | probes | health p50 | health p99 | health max | probes > 100 ms | server peak RSS | outcome |',
    '|---|---|---|---|---|---|---|---|---|',
    ...phases.map(row),
    '<!-- bench:server:end -->',
  ].join('\n');
  console.log(section);
  if (o.write) await recordSection('server', 'Server latency', section);
  return phases.every((p) => p.ok);
}

export function serverBenchOptions(args: string[]): ServerBenchOptions {
  const { values } = parseArgs({
    args,
    options: {
      uploads: { type: 'string' },
      mb: { type: 'string' },
      accounts: { type: 'string' },
      mailboxes: { type: 'string' },
      'period-ms': { type: 'string' },
      'server-module': { type: 'string' },
      'skip-uploads': { type: 'boolean', default: false },
      'skip-run': { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
    },
  });
  const d = DEFAULT_SERVER_BENCH;
  const num = (v: string | undefined, fallback: number, name: string) => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number (was ${v})`);
    return n;
  };
  return {
    uploads: num(values.uploads, d.uploads, 'uploads'),
    mb: num(values.mb, d.mb, 'mb'),
    accounts: num(values.accounts, d.accounts, 'accounts'),
    mailboxes: num(values.mailboxes, d.mailboxes, 'mailboxes'),
    periodMs: num(values['period-ms'], d.periodMs, 'period-ms'),
    ...(values['server-module'] ? { serverModule: values['server-module'] } : {}),
    skipUploads: values['skip-uploads']!,
    skipRun: values['skip-run']!,
    write: !values['no-write'],
  };
}

if (require.main === module) {
  runServerBench(serverBenchOptions(process.argv.slice(2))).then(
    (ok) => {
      if (!ok) process.exitCode = 1;
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
