/**
 * Parallel ranges give the same Office rows as sequential paging: on the default generated tenant,
 * and on the live-mailbox churn tenant (items deleted, moved and arriving between pages, which
 * never changes what is counted). Through the simulator over HTTP, with its 4-per-mailbox limit.
 */
import type { OfficeRow } from '../engagement/types';
import { defaultRules } from '../engagement';
import { defaultMailboxConcurrency, runEnrichment } from '../enrichment/run-enrichment';
import { DEMO_CLIENT, type RunningSimulator, type TenantFixture, startSimulator } from '../simulator';
import { generateTenant } from '../simulator/generator';
import { createCredential } from './credentials';
import { createGraphActivitySource } from './graph-activity-source';

const T = '2026-03-02T12:00:00.000Z';
const generated = generateTenant({ mailboxes: 6, accounts: 30, seed: 31, now: T, messagesPerMailbox: 2400, meetingsPerMailbox: 30 });
const dataset = { contacts: generated.contacts.map((c) => ({ email: c.email, accountId: c.account_id, accountName: c.account_name })) };

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ tenant: generated.fixture as TenantFixture, consent: { granted: true } });
});
afterAll(() => sim?.close());

async function officeRows(mailboxRanges: number): Promise<{ rows: string[]; maxConcurrency: number; throttled: number }> {
  sim.resetStats();
  const source = createGraphActivitySource({
    credential: createCredential({ tenantId: sim.tenantId, clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret, authorityHost: sim.url }),
    baseUrl: sim.graphBaseUrl,
    mailboxRanges,
  });
  const outcome = await runEnrichment(source, { orgEntries: generated.suggestedOrg, dataset, rules: defaultRules(), now: new Date(T) });
  const stats = sim.stats();
  return {
    rows: outcome.office.map((r: OfficeRow) => JSON.stringify(r)).sort(),
    maxConcurrency: stats.maxMailboxConcurrency,
    throttled: stats.byStatus[429] ?? 0,
  };
}

describe('parallel ranges against the simulator', () => {
  it('when the generated tenant is read in 4 ranges per mailbox, then the Office rows equal sequential paging’s, within Graph’s 4 per mailbox', async () => {
    const sequential = await officeRows(1);
    const parallel = await officeRows(4);
    expect(sequential.rows.length).toBeGreaterThan(0);
    expect(parallel.rows).toEqual(sequential.rows);
    expect(parallel.throttled).toBe(0);
    expect(parallel.maxConcurrency).toBeLessThanOrEqual(4);
  }, 120_000);

  it('when mailboxes churn between pages, then the rows still equal the quiet read’s', async () => {
    const quiet = await officeRows(1);
    sim.setFaults({ seed: 4, churnRate: 0.05 });
    try {
      const churned = await officeRows(4);
      expect(sim.stats().faultsInjected.churn).toBeGreaterThan(0);
      expect(churned.rows).toEqual(quiet.rows);
    } finally {
      sim.setFaults({});
    }
  }, 120_000);
});

describe('defaultMailboxConcurrency', () => {
  const source = (global: number, perMailbox = 4) => ({ concurrency: () => ({ global, perMailbox }) }) as never;
  it.each([
    [16, 8],
    [64, 32],
    [256, 128],
    [4, 8],
  ])('when the global cap is %i, then %i mailboxes are collected at once', (global, expected) => {
    expect(defaultMailboxConcurrency(source(global))).toBe(expected);
  });
  it('when the source says nothing of its limits, then 8', () => {
    expect(defaultMailboxConcurrency({} as never)).toBe(8);
  });
});
