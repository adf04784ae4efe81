/**
 * Whole runs through the real HTTP path (Graph client → simulator): faults do not change the
 * numbers, a broken mailbox is named and isolated, and no subject or body ever leaks.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { defaultRules } from '../../api/src/engagement';
import { runEnrichment, type EnrichmentOutcome } from '../../api/src/enrichment/run-enrichment';
import { startSimulator, type FaultOptions, type TenantFixture } from '../../api/src/simulator';
import { generateTenant } from '../../api/src/simulator/generator';
import { createSimulatorGateway } from '../../api/src/bootstrap/tenant-gateway';

const NOW = new Date('2026-11-01T00:00:00Z');
const generated = generateTenant({ mailboxes: 6, accounts: 24, seed: 11, now: NOW, messagesPerMailbox: 400, meetingsPerMailbox: 40 });
const fixture = generated.fixture as TenantFixture;
const orgEntries = fixture.groups.map((g) => g.mail).filter((m): m is string => Boolean(m));
const dataset = { contacts: generated.contacts.map((c) => ({ email: c.email, accountId: c.account_id, accountName: c.account_name })) };

async function runWith(faults?: FaultOptions): Promise<EnrichmentOutcome> {
  const simulator = await startSimulator({ tenant: fixture, consent: { granted: true }, ...(faults ? { faults } : {}) });
  try {
    return await runEnrichment(createSimulatorGateway(simulator).newSource(), { orgEntries, dataset, rules: defaultRules(), now: NOW });
  } finally {
    await simulator.close();
  }
}

describe('a run through the simulator', () => {
  let clean: EnrichmentOutcome;
  beforeAll(async () => {
    clean = await runWith();
  }, 60_000);

  it('when the tenant is clean, then every mailbox is read and accounts are enriched at three levels', () => {
    expect(clean.totals.failures).toEqual([]);
    expect(clean.totals.accountsEnriched).toBeGreaterThan(5);
    expect(new Set(clean.office.map((r) => r.AggregationLevel))).toEqual(new Set(['year', 'month', 'week']));
  });

  it('when 20% of requests get 429 with Retry-After, 5% get 503 and 2% are dropped, then the results are identical', async () => {
    const faulty = await runWith({ seed: 5, rate429: 0.2, retryAfterSeconds: 0.01, rate503: 0.05, retryAfter503Seconds: 0.01, rateDrop: 0.02 });
    expect(faulty.totals.failures).toEqual([]);
    expect(faulty.totals.throttleWaits).toBeGreaterThan(0);
    expect(faulty.totals.graphRequests).toBeGreaterThan(clean.totals.graphRequests);
    expect(faulty.office).toEqual(clean.office);
    expect(faulty.officeUserTable).toEqual(clean.officeUserTable);
  }, 120_000);

  it('when one mailbox answers MailboxNotEnabledForRESTAPI, then it is named with the code and the rest completes', async () => {
    const broken = clean.resolution.mailboxes[0]!;
    const outcome = await runWith({ mailboxNotEnabled: [broken.id] });
    expect(outcome.totals.failures).toEqual([{ mailbox: broken.mail, code: 'MailboxNotEnabledForRESTAPI', message: expect.stringContaining(broken.mail) }]);
    expect(outcome.totals.mailboxes).toBe(clean.totals.mailboxes);
    expect(outcome.totals.accountsEnriched).toBeGreaterThan(0);
    expect(outcome.totals.messagesRead).toBeLessThan(clean.totals.messagesRead);
  }, 60_000);
});

describe('privacy', () => {
  it('when the enrich command runs on a fixture with subjects and bodies, then none of them reaches the output, the store or the logs', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-privacy-'));
    await writeFile(path.join(dir, 'tenant.json'), JSON.stringify(fixture));
    await writeFile(path.join(dir, 'contacts.csv'), 'email,account_id,account_name\n' + generated.contacts.map((c) => `${c.email},${c.account_id},"${c.account_name}"`).join('\n') + '\n');
    // Secrets of every kind of item a real mailbox lists: mail, meeting messages, Teams chats, event copies.
    const secrets = new Set<string>();
    const kinds = { meetingMessage: 0, chat: 0, event: 0 };
    for (const mailbox of Object.values(fixture.mailboxes ?? {})) {
      for (const m of mailbox.messages ?? []) {
        const raw = m as Record<string, unknown>;
        if (typeof raw.subject === 'string' && raw.subject.length > 8) secrets.add(raw.subject);
        if (raw['@odata.type'] && typeof raw.subject === 'string' && raw.subject.length > 8) kinds.meetingMessage++;
        const body = raw.body as { content?: string } | undefined;
        if (body?.content && body.content.length > 8) {
          secrets.add(body.content);
          kinds.chat++;
        }
      }
      for (const e of mailbox.events ?? []) {
        const subject = (e as Record<string, unknown>).subject;
        if (typeof subject === 'string' && subject.length > 8) {
          secrets.add(subject);
          kinds.event++;
        }
      }
    }
    expect(secrets.size).toBeGreaterThan(10);
    expect(Object.values(kinds).every((n) => n > 0)).toBe(true);

    const tsx = path.resolve(__dirname, '../../node_modules/.bin/tsx');
    const { stdout, stderr } = await promisify(execFile)(
      tsx,
      ['api/src/cli/enrich.ts', '--tenant', path.join(dir, 'tenant.json'), '--customers', path.join(dir, 'contacts.csv'), '--email-column', 'email',
        '--account-column', 'account_id', '--account-name-column', 'account_name', '--org', orgEntries.join(','), '--now', NOW.toISOString(),
        '--out', path.join(dir, 'out', 'r.json'), '--csv', path.join(dir, 'out', 'r.csv'), '--data-dir', path.join(dir, 'state')],
      { cwd: path.resolve(__dirname, '../..'), maxBuffer: 64 * 1024 * 1024 },
    );
    const written = [stdout, stderr];
    for (const sub of ['out', 'state']) {
      for (const f of await readdir(path.join(dir, sub), { recursive: true, withFileTypes: true })) {
        if (f.isFile()) written.push(await readFile(path.join(f.parentPath, f.name), 'utf8'));
      }
    }
    const everything = written.join('\n');
    expect(everything).toContain('EngagementScore');
    const leaked = [...secrets].filter((s) => everything.includes(s));
    expect(leaked).toEqual([]);
    await rm(dir, { recursive: true, force: true }); // kept for inspection when the test fails
  }, 120_000);
});
