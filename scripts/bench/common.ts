/** What the benchmark scripts share: child processes, the simulator as its own process, records. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';

export const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

/** Runs a TypeScript entry point with tsx; stdout is collected line by line, stderr passes through. */
export function child(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const p = spawn(tsx, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: string[] = [];
    readline.createInterface({ input: p.stdout }).on('line', (line) => lines.push(line));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? 1, lines }));
  });
}

/** What scripts/bench/enrich-with-stats.ts reports. */
export interface Measured {
  wallMs: number;
  maxRssMb: number;
  messagesRead: number;
  eventsRead: number;
  emailsProcessed?: number;
  meetingsProcessed?: number;
  graphRequests: number;
  mailboxes: number;
  accountsEnriched?: number;
  failures: number;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
export function processCpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, i.e. 12 and 13 after "(comm) ".
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ: 100 on Linux
  } catch {
    return null;
  }
}

/** The simulator's process, for what the benchmarks report about it. */
export interface SimulatorProcess {
  /** CPU seconds it has used so far (null where /proc is missing). */
  cpuSeconds(): number | null;
}

/**
 * Serves a generated tenant folder with the simulator in its own process (consent granted) and
 * hands the task the base URL and the environment that points `enrich --graph` at it. The
 * simulator runs as one node process (`node --import tsx`, not tsx's CLI, which forks), so its
 * CPU time can be read.
 */
export async function withSimulator<T>(
  dir: string,
  task: (url: string, env: NodeJS.ProcessEnv, sim: SimulatorProcess) => Promise<T>,
  simulatorArgs: string[] = [],
): Promise<T> {
  let url = '';
  const sim = spawn(process.execPath, ['--import', 'tsx', 'api/src/simulator/cli-serve.ts', '--tenant', dir, '--port', '0', '--consent-granted', ...simulatorArgs], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    readline.createInterface({ input: sim.stdout! }).on('line', (line) => {
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m && !url) {
        url = m[1]!;
        resolve();
      }
    });
    sim.on('close', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  try {
    const tenant = JSON.parse(await readFile(path.join(dir, 'tenant.json'), 'utf8'));
    return await task(
      url,
      { ...process.env, TENANT_ID: tenant.organization.id, CLIENT_ID: 'rapport-demo-client', CLIENT_SECRET: 'rapport-demo-secret', AUTHORITY_HOST: url },
      { cpuSeconds: () => processCpuSeconds(sim.pid) },
    );
  } finally {
    sim.kill('SIGTERM');
  }
}

/** The org entries of a generated tenant: every group with an address. */
export async function groupAddresses(dir: string): Promise<string[]> {
  const tenant = JSON.parse(await readFile(path.join(dir, 'tenant.json'), 'utf8'));
  return (tenant.groups as { mail?: string }[]).map((g) => g.mail).filter((m): m is string => Boolean(m));
}

/** `enrich --graph` against the simulator, in its own process, with its figures. */
export async function measuredEnrich(url: string, env: NodeJS.ProcessEnv, dir: string, extra: string[]): Promise<Measured> {
  const r = await child(
    ['scripts/bench/enrich-with-stats.ts', '--graph', `${url}/v1.0`, '--customers', path.join(dir, 'customers/contacts.csv'),
      '--email-column', 'email', '--account-column', 'account_id', '--account-name-column', 'account_name',
      '--org', (await groupAddresses(dir)).join(','), ...extra],
    env,
  );
  const line = r.lines.find((l) => l.startsWith('BENCH '));
  if (r.code !== 0 || !line) throw new Error(`enrich failed: ${r.lines.join('\n')}`);
  return JSON.parse(line.slice(6)) as Measured;
}

/** Replaces (or appends under `heading`) the `<!-- bench:NAME:start/end -->` block of docs/benchmarks.md. */
export async function recordSection(name: string, heading: string, section: string): Promise<void> {
  const file = path.join(root, 'docs/benchmarks.md');
  const text = existsSync(file) ? await readFile(file, 'utf8') : '# Benchmarks\n';
  const re = new RegExp(`<!-- bench:${name}:start -->[\\s\\S]*<!-- bench:${name}:end -->`);
  await writeFile(file, re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n## ${heading}\n\n${section}\n`);
  console.log(`recorded in ${file}`);
}

/** Bytes under a folder. */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}
