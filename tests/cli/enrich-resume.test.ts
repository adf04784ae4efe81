/**
 * The enrich command as a real child process with --data-dir: killed with SIGKILL at random
 * points of a run, several times, it resumes and ends with exactly the results of an
 * uninterrupted run; a corrupt data file stops it with one clear line and is left untouched.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { mulberry32 } from '../../api/src/simulator';
import { generateTenant } from '../../api/src/simulator/generator';

const exec = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const NOW = '2026-11-01T00:00:00Z';

let dir: string;
let base: string[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-resume-'));
  const generated = generateTenant({ mailboxes: 12, accounts: 40, seed: 5, now: NOW, messagesPerMailbox: 1500, meetingsPerMailbox: 60 });
  await writeFile(path.join(dir, 'tenant.json'), JSON.stringify(generated.fixture));
  const lines = ['email,account_id,account_name', ...generated.contacts.map((c) => `${c.email},${c.account_id},"${c.account_name}"`)];
  await writeFile(path.join(dir, 'contacts.csv'), lines.join('\n') + '\n');
  const fixture = generated.fixture as { groups: { mail?: string | null }[] };
  const org = fixture.groups.map((g) => g.mail).filter(Boolean).join(',');
  base = ['api/src/cli/enrich.ts', '--tenant', path.join(dir, 'tenant.json'), '--customers', path.join(dir, 'contacts.csv'), '--email-column', 'email', '--account-column', 'account_id', '--account-name-column', 'account_name', '--org', org, '--now', NOW];
}, 60_000);

async function runToEnd(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(tsx, [...base, ...args], { cwd: root, env: { ...process.env, CI: 'true' }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/**
 * Starts a run and SIGKILLs it when `checkpoints` more mailbox checkpoints exist than at its
 * start, plus `jitterMs` (so the kill lands anywhere: mid-read, mid-write, between mailboxes).
 */
function killAfter(args: string[], stateDir: string, checkpoints: number, jitterMs: number): Promise<{ killed: boolean; checkpoints: number }> {
  const count = async () => (await readdir(path.join(stateDir, 'mailboxes')).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).length;
  return new Promise((resolve, reject) => {
    void count().then((initial) => {
      // tsx runs the command in a child node process: the kill goes to the whole process group.
      const child = spawn(tsx, [...base, ...args], { cwd: root, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'ignore', 'ignore'], detached: true });
      let fired = false;
      const poll = setInterval(() => {
        void count().then((n) => {
          if (fired || n < Math.min(initial + checkpoints, 13)) return;
          fired = true;
          setTimeout(() => {
            if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
          }, jitterMs);
        });
      }, 3);
      child.on('error', reject);
      child.on('close', async (_code, signal) => {
        clearInterval(poll);
        resolve({ killed: signal === 'SIGKILL', checkpoints: await count() });
      });
    });
  });
}

describe('npm run enrich --data-dir', () => {
  it('when a run is SIGKILLed at random points several times, then the resumed run ends with exactly the uninterrupted results', async () => {
    // Arrange: the uninterrupted run.
    const cleanDir = path.join(dir, 'clean');
    const clean = await runToEnd(['--data-dir', cleanDir, '--out', path.join(dir, 'clean.json')]);
    expect(clean.code).toBe(0);

    // Act: kill at seeded random points of the collection, then let it finish.
    const random = mulberry32(20261101);
    const killedDir = path.join(dir, 'killed');
    const kills: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await killAfter(['--data-dir', killedDir, '--out', path.join(dir, 'killed.json')], killedDir, 1 + Math.floor(random() * 3), Math.floor(random() * 40));
      if (r.killed) kills.push(r.checkpoints);
    }
    const final = await runToEnd(['--data-dir', killedDir, '--out', path.join(dir, 'killed.json')]);

    // Assert
    expect(kills.length).toBeGreaterThanOrEqual(3);
    expect(final.code).toBe(0);
    expect(final.stdout).toMatch(/state:\s+full, resumed|state:\s+incremental, resumed/);
    expect(final.stdout).toMatch(/[1-9]\d* already done/);
    const a = JSON.parse(await readFile(path.join(dir, 'clean.json'), 'utf8'));
    const b = JSON.parse(await readFile(path.join(dir, 'killed.json'), 'utf8'));
    expect(b.office.length).toBeGreaterThan(0);
    expect(b.office).toEqual(a.office);
    expect(b.run).toMatchObject({ accountsEnriched: a.run.accountsEnriched, emailsProcessed: a.run.emailsProcessed, meetingsProcessed: a.run.meetingsProcessed });
    // Nothing half-written is left behind.
    expect((await readdir(path.join(killedDir, 'mailboxes'))).filter((n) => !n.endsWith('.json'))).toEqual([]);
  }, 240_000);

  it('when the same data dir is enriched again, then it is an incremental refresh with the same results, and --full reads everything again', async () => {
    const d = path.join(dir, 'again');
    expect((await runToEnd(['--data-dir', d, '--out', path.join(dir, 'again-1.json')])).code).toBe(0);
    const second = await runToEnd(['--data-dir', d, '--out', path.join(dir, 'again-2.json')]);
    const full = await runToEnd(['--data-dir', d, '--full', '--out', path.join(dir, 'again-3.json')]);
    expect(second.stdout).toMatch(/state:\s+incremental: 13 mailboxes refreshed, 0 read in full/);
    expect(full.stdout).toMatch(/state:\s+full: 0 mailboxes refreshed, 13 read in full/);
    const [r1, r2, r3] = await Promise.all([1, 2, 3].map(async (n) => JSON.parse(await readFile(path.join(dir, `again-${n}.json`), 'utf8'))));
    const requests = (r: { run: { graphRequests: number } }) => r.run.graphRequests;
    expect(requests(r2)).toBeLessThan(requests(r1) / 2);
    const withoutChange = (rows: { EngagementScoreChange: unknown }[]) => rows.map((r) => ({ ...r, EngagementScoreChange: null }));
    expect(withoutChange(r2.office)).toEqual(withoutChange(r1.office));
    expect(withoutChange(r3.office)).toEqual(withoutChange(r1.office));
    expect(r2.office.filter((r: { AggregationLevel: string }) => r.AggregationLevel === 'year').every((r: { EngagementScoreChange: unknown }) => r.EngagementScoreChange === 0)).toBe(true);
  }, 240_000);

  it.each([
    ['state.json', 'state.json'],
    ['a mailbox checkpoint', 'mailbox'],
    ['settled.bin', 'settled.bin'],
  ])('when %s is corrupt, then the command stops with one line naming the file and leaves it untouched', async (_label, which) => {
    // Arrange: a data dir with state, then one file damaged.
    const d = await mkdtemp(path.join(dir, 'corrupt-'));
    expect((await runToEnd(['--data-dir', d])).code).toBe(0);
    const file = which === 'mailbox' ? path.join(d, 'mailboxes', (await readdir(path.join(d, 'mailboxes')))[0]!) : path.join(d, which);
    const damaged = (await readFile(file)).subarray(0, 40);
    await writeFile(file, damaged);

    // Act
    const r = await runToEnd(['--data-dir', d, '--out', path.join(d, 'out.json')]);

    // Assert
    expect(r.code).not.toBe(0);
    const errorLines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('progress '));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain(`enrich: The data file ${file} cannot be read`);
    expect(errorLines[0]).toMatch(/left untouched/);
    expect(await readFile(file)).toEqual(damaged);
    expect(await readdir(d)).not.toContain('out.json');
  }, 120_000);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});
