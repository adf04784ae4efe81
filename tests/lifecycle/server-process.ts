/**
 * The real server (server/src/main.ts, through tsx) as a child process in production mode,
 * pointed at a simulator the test runs: Graph at its /v1.0, Entra at its origin (tokens,
 * consent, the JWKS that checks Teams SSO tokens). Signals reach it as they would from App
 * Service. Its JSON log lines are kept, so a test can read what it did.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { DEMO_CLIENT, type RunningSimulator } from '../../api/src/simulator';

const root = path.resolve(__dirname, '../..');
export const ADMIN = 'aaaaaaaa-0000-0000-0000-0000000000ad';
export const SSO_AUDIENCE = 'api://127.0.0.1/0b7f0e3c-2c37-4c4f-9f0a-3c0d1b0e5a11';

/** A loopback port free right now: the server needs its PUBLIC_URL (the consent redirect) before it listens. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export class ServerProcess {
  readonly logs: Record<string, unknown>[] = [];
  readonly exited: Promise<{ code: number | null; at: number }>;

  private constructor(
    readonly child: ChildProcess,
    readonly url: string,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve({ code, at: Date.now() })));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not a log entry (e.g. a banner): not needed.
      }
    });
  }

  static async start(simulator: RunningSimulator, dataDir: string, port: number, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
    const url = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      GRAPH_BASE_URL: simulator.graphBaseUrl,
      AUTHORITY_HOST: simulator.url,
      TENANT_ID: simulator.tenantId,
      CLIENT_ID: DEMO_CLIENT.clientId,
      CLIENT_SECRET: DEMO_CLIENT.clientSecret,
      BOT_ID: '00000000-0000-0000-0000-0000000b0700',
      BOT_PASSWORD: 'not-used-by-this-test',
      SSO_AUDIENCE,
      PUBLIC_URL: url,
      ADMIN_OBJECT_IDS: ADMIN,
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      ...extraEnv,
    };
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/src/main.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const server = new ServerProcess(child, url);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before it listened:\n${stderr}`);
      const ok = await fetch(`${url}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return server;
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the server did not listen within 60 s:\n${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** SIGTERM, as App Service sends it; resolves with the exit code and how long the exit took. */
  async terminate(): Promise<{ code: number | null; ms: number }> {
    const sentAt = Date.now();
    this.child.kill('SIGTERM');
    const { code, at } = await this.exited;
    return { code, ms: at - sentAt };
  }

  /** Cleanup after a failed test: no process outlives the test file. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  logged(message: string): boolean {
    return this.logs.some((l) => l.msg === message || l.message === message);
  }
}
