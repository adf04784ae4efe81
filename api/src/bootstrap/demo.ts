/**
 * Demo mode (shared/DESIGN.md §1): a synthetic tenant served by the simulator on a loopback
 * port, a demo enrichment, consent granted through the simulator's consent page, a first run.
 */
import { Readable } from 'node:stream';
import type { AppConfig } from '../config';
import { isAppError } from '../errors';
import { startOfUtcDay } from '../engagement';
import { csvLine } from '../enrichment/office-csv';
import type { TenantGateway } from '../enrichment/ports';
import { startSimulator, type RunningSimulator, type TenantFixture } from '../simulator';
import { generateTenant } from '../simulator/generator';
import type { Services } from '../services';
import { DEMO_IDENTITY, DEMO_SELLER } from '../services/identity';
import type { Logger } from '../services/logger';

export interface DemoTenant {
  simulator: RunningSimulator;
  orgEntries: string[];
  contactsCsv: string;
}

/** Traffic and seed of the generated demo tenant; its size comes from the config. */
export const DEMO_TRAFFIC = { seed: 42, messagesPerMailbox: 1200, meetingsPerMailbox: 120 } as const;

export async function startDemoTenant(config: AppConfig, now: Date): Promise<DemoTenant> {
  // DEMO_FAULTS: mailboxes that fail, so a partial run and its failures in words can be seen.
  const faults = config.demoFaults ? { faults: config.demoFaults } : {};
  if (config.demoTenant) {
    const simulator = await startSimulator({ tenant: config.demoTenant, ...faults });
    const orgEntries = simulator.store.groups.map((g) => g.mail).filter((m): m is string => Boolean(m));
    return { simulator, orgEntries, contactsCsv: '' };
  }
  const today = new Date(startOfUtcDay(now.getTime()));
  // The demo's user is the first seller, so the owner column gives them accounts ("My accounts").
  const generated = generateTenant({ ...DEMO_TRAFFIC, ...config.demoSize, now: today, firstSeller: { name: DEMO_SELLER.name, address: DEMO_SELLER.email } });
  const fixture = generated.fixture as TenantFixture;
  const simulator = await startSimulator({ tenant: fixture, ...faults });
  const contactsCsv =
    csvLine(['email', 'account_id', 'account_name', 'owner']) + generated.contacts.map((c) => csvLine([c.email, c.account_id, c.account_name, c.owner])).join('');
  // The sales groups, and the team's shared mailbox named directly (it is read only that way).
  return { simulator, orgEntries: generated.suggestedOrg, contactsCsv };
}

/**
 * Sets up the demo enrichment once (a fresh data dir) and grants consent through the simulator's
 * consent page; the scheduler then starts the first run at once. A data dir that already holds a
 * configuration is left as it is; consent is granted again because the simulator starts fresh.
 */
export async function bootstrapDemo(demo: DemoTenant, services: Services, gateway: TenantGateway, config: AppConfig, logger: Logger): Promise<void> {
  const existing = await services.config.current();
  if (!existing && demo.contactsCsv) {
    const upload = await services.datasets.upload(Readable.from([demo.contactsCsv]), {
      kind: 'contacts',
      fileName: 'demo-contacts.csv',
      uploadedBy: DEMO_IDENTITY.id,
    });
    await services.config.save(
      {
        name: 'Demo enrichment',
        orgEntries: demo.orgEntries,
        consentAccepted: true,
        contacts: { datasetId: upload.datasetId, mapping: { email: 'email', accountId: 'account_id', accountName: 'account_name', domain: undefined, owner: 'owner' } },
      },
      DEMO_IDENTITY,
    );
    logger.info('demo enrichment configured', { orgEntries: demo.orgEntries, contacts: upload.rows });
  }
  const origin = config.publicUrl ?? `http://localhost:${config.port}`;
  const { url } = await services.consent.request(DEMO_IDENTITY, origin);
  const callback = new URL(await gateway.simulateAdminConsent!(url, 'accept'));
  const outcome = await services.consent.handleCallback(Object.fromEntries(callback.searchParams));
  logger.info('demo consent answered through the simulator consent page', { outcome: outcome.outcome, missing: outcome.consent.missingPermissions });
  // The first run follows from consent: the scheduler's first slot is consent + 0 h in demo mode.
  // Demo mode keeps no run state to resume from (its tenant is made again at every start), so a
  // start stopped before its first run finished leaves that run failed and the first slot spent:
  // the dashboard would stay empty until next week's run. With runs behind it and no results
  // committed, run again now.
  const runs = await services.runs.list();
  if (runs.length > 0 && runs.every((r) => r.status !== 'running') && !(await services.runs.currentResults())) {
    try {
      const run = await services.runs.start('demo', DEMO_IDENTITY);
      logger.info('demo: no results yet from an earlier start; enriching again', { runId: run.id });
    } catch (e) {
      // The scheduler got there first: that run fills the dashboard.
      if (!isAppError(e) || e.code !== 'RUN_IN_PROGRESS') throw e;
    }
  }
}
