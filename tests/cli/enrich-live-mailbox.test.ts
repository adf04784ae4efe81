/**
 * Issue 11, "Done when": `npm run enrich -- --graph <simulator url> …` against
 * `npm run simulator -- … --fault-churn 0.05` gives exactly the rows of a clean run, on mailboxes
 * of more than 5,000 items each, on a generated tenant with every kind of item a real mailbox
 * holds (meeting messages, Teams chats, attendee copies, a shared mailbox, groups with contacts).
 *
 * Both programs run as child processes, as a person would run them; they talk HTTP on loopback.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { generateTenant } from '../../api/src/simulator/generator';
import { DEMO_CLIENT } from '../../api/src/simulator';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const NOW = '2026-11-01T00:00:00Z';

interface EnrichOutput {
  run: { failures: unknown[]; mailboxes: number };
  office: Record<string, unknown>[];
  officeUserTable: { ObjectId: string }[];
}

let dir: string;
let simulator: ChildProcessWithoutNullStreams | undefined;

async function enrich(args: string[], env: NodeJS.ProcessEnv = {}): Promise<EnrichOutput> {
  const out = path.join(dir, `out-${Math.random().toString(36).slice(2)}.json`);
  const customers = path.join(dir, 'tenant/customers/contacts.csv');
  await run(
    tsx,
    ['api/src/cli/enrich.ts', ...args, '--customers', customers, '--email-column', 'email', '--account-column', 'account_id', '--now', NOW, '--out', out, '--org', 'ussales@contoso.com,eusales@contoso.com,sales-team@contoso.com'],
    { cwd: root, env: { ...process.env, CI: 'true', ...env }, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(await readFile(out, 'utf8')) as EnrichOutput;
}

/** `npm run simulator` as a child process; resolves with its base URL once it listens. */
function startSimulatorProcess(args: string[]): Promise<{ url: string; tenantId: string; output: () => string }> {
  const child = spawn(tsx, ['api/src/simulator/cli-serve.ts', ...args], { cwd: root, env: { ...process.env, CI: 'true' } });
  simulator = child;
  let output = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const url = /base URL:\s+(\S+)/.exec(output)?.[1];
      const tenantId = /tenant id:\s+(\S+)/.exec(output)?.[1];
      if (url && tenantId) resolve({ url, tenantId, output: () => output });
    });
    child.on('exit', (code) => reject(new Error(`the simulator exited with ${code}: ${output}`)));
  });
}

function stopSimulator(): Promise<void> {
  const child = simulator;
  simulator = undefined;
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-live-'));
  generateTenant({ mailboxes: 5, accounts: 60, messagesPerMailbox: 4000, seed: 5, now: NOW, out: path.join(dir, 'tenant') });
});

afterAll(async () => {
  await stopSimulator();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * A copy of the tenant without what is not email: meeting messages (`@odata.type`), and items in
 * Conversation History, hidden folders and their subfolders. Returns how many items it removed.
 */
async function withoutNonMail(from: string, to: string): Promise<number> {
  await cp(from, to, { recursive: true });
  let removed = 0;
  const mailboxDir = path.join(to, 'mailboxes');
  for (const id of await readdir(mailboxDir)) {
    const folders = JSON.parse(await readFile(path.join(mailboxDir, id, 'mailFolders.json'), 'utf8')) as { id: string; parentFolderId?: string | null; isHidden?: boolean; wellKnownName?: string }[];
    const byId = new Map(folders.map((f) => [f.id, f]));
    const chatFolder = (folderId: string | null | undefined): boolean => {
      for (let f = folderId ? byId.get(folderId) : undefined; f; f = f.parentFolderId ? byId.get(f.parentFolderId) : undefined) {
        if (f.isHidden || f.wellKnownName === 'conversationhistory') return true;
      }
      return false;
    };
    const file = path.join(mailboxDir, id, 'messages.ndjson');
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    const kept = lines.filter((line) => {
      const m = JSON.parse(line) as { '@odata.type'?: string; parentFolderId?: string };
      return !(m['@odata.type'] ?? '').startsWith('#microsoft.graph.eventMessage') && !chatFolder(m.parentFolderId);
    });
    removed += lines.length - kept.length;
    await writeFile(file, kept.map((l) => `${l}\n`).join(''));
  }
  return removed;
}

describe('what a real mailbox lists besides email', () => {
  it('when every meeting message and Teams chat item is removed from the tenant, then no row changes', async () => {
    const removed = await withoutNonMail(path.join(dir, 'tenant'), path.join(dir, 'mail-only'));
    expect(removed).toBeGreaterThan(1000);
    const [full, mailOnly] = await Promise.all([enrich(['--tenant', path.join(dir, 'tenant')]), enrich(['--tenant', path.join(dir, 'mail-only')])]);
    expect(full.office.some((r) => Number(r.NoOfEmails_FromAccount) > 0 && Number(r.NoOfMeetings_ToAccount) > 0)).toBe(true);
    expect(full.office).toEqual(mailOnly.office);
  }, 120_000);
});

describe('reading mailboxes that change while they are read', () => {
  it('when the simulator churns 5 % of a page between pages, then enrich --graph gives exactly the rows of a clean run', async () => {
    // Arrange: the tenant's sellers each hold more than 5,000 items.
    const mailboxDir = path.join(dir, 'tenant/mailboxes');
    const sizes = await Promise.all(
      (await readdir(mailboxDir)).map(async (id) => (await readFile(path.join(mailboxDir, id, 'messages.ndjson'), 'utf8')).split('\n').filter(Boolean).length),
    );
    expect(Math.max(...sizes)).toBeGreaterThan(5000);
    const clean = await enrich(['--tenant', path.join(dir, 'tenant')]);
    const sim = await startSimulatorProcess(['--tenant', path.join(dir, 'tenant'), '--port', '0', '--consent-granted', '--fault-churn', '0.05', '--seed', '11']);

    // Act
    const live = await enrich(['--graph', `${sim.url}/v1.0`], {
      TENANT_ID: sim.tenantId,
      CLIENT_ID: DEMO_CLIENT.clientId,
      CLIENT_SECRET: DEMO_CLIENT.clientSecret,
      AUTHORITY_HOST: sim.url,
    });
    await stopSimulator();

    // Assert: the mailboxes did change under the reader, and no number moved.
    const churned = Number(/"churn":(\d+)/.exec(sim.output())?.[1] ?? 0);
    expect(churned).toBeGreaterThan(100);
    expect(live.run.failures).toEqual([]);
    expect(clean.run.mailboxes).toBe(live.run.mailboxes);
    // The shared mailbox (sign-in disabled) named in --org is read; the groups came through the advanced query.
    const tenant = JSON.parse(await readFile(path.join(dir, 'tenant/tenant.json'), 'utf8')) as { users: { id: string; mail?: string; accountEnabled?: boolean }[] };
    const shared = tenant.users.find((u) => u.mail === 'sales-team@contoso.com');
    expect(shared?.accountEnabled).toBe(false);
    expect(live.officeUserTable.map((r) => r.ObjectId)).toContain(shared!.id);
    expect(live.office.length).toBeGreaterThan(60);
    expect(live.office).toEqual(clean.office);
  }, 180_000);
});
