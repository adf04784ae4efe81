/**
 * The adapter in the composition root that gives the bot its `EngagementPort` over the API's
 * real services: the API's refusals become the bot's refusal values, anything else stays an error.
 */
import type { Services } from '../../api/src';
import { runEnrichment } from '../../api/src/enrichment/run-enrichment';
import { AppError } from '../../api/src/errors';
import { createEngagementPort, deepLinkFor, runRefusalOf } from '../../server/src/bot-engagement';
import { demoConfig, productionConfig } from './support/config';
import request from 'supertest';
import { configBody, configure, consent, gatedEnrich, runNow, startHarness, uploadContacts, type Harness } from './support/harness';
import { CONTACTS_CSV } from './support/tenant';
import { ADMIN_OID } from './support/tokens';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('the bot engagement adapter', () => {
  it('when nothing is configured, then starting a run is refused as notConfigured and no run is recorded', async () => {
    h = await startHarness();
    const port = createEngagementPort(demoConfig(), h.services);

    const result = await port.startRun('someone');

    expect(result).toEqual({ started: false, reason: 'notConfigured' });
    expect(await h.services.runs.list()).toEqual([]);
  });

  it('when consent is missing, then starting a run is refused as consentRequired', async () => {
    h = await startHarness();
    await configure(h);
    const port = createEngagementPort(demoConfig(), h.services);

    expect(await port.startRun('someone')).toEqual({ started: false, reason: 'consentRequired' });
  });

  it('when a run is already running, then the first start succeeds and the second is refused as runInProgress', async () => {
    const gate = gatedEnrich(runEnrichment);
    h = await startHarness({ enrich: gate.enrich });
    await configure(h);
    await consent(h);
    const port = createEngagementPort(demoConfig(), h.services);

    const first = await port.startRun('someone');
    await gate.entered;
    const second = await port.startRun('someone');
    gate.open();
    await h.services.runs.whenIdle();

    expect(first).toMatchObject({ started: true, run: { trigger: 'manual', status: 'running' } });
    expect(second).toEqual({ started: false, reason: 'runInProgress' });
    expect(await h.services.runs.list()).toHaveLength(1);
  });

  it('when starting fails for another reason, then the error reaches the bot unchanged', async () => {
    const fault = new Error('disk full');
    const services = { runs: { start: () => Promise.reject(fault) } } as unknown as Services;
    const port = createEngagementPort(demoConfig(), services);

    await expect(port.startRun('someone')).rejects.toBe(fault);
  });

  it('when an account is unknown, then account() is null; after a run, it is the year row with its explanation', async () => {
    h = await startHarness();
    await configure(h);
    await consent(h);
    const port = createEngagementPort(demoConfig(), h.services);
    expect(await port.account('A')).toBeNull();

    await runNow(h);

    expect(await port.account('no-such-account')).toBeNull();
    const detail = await port.account('A');
    expect(detail).toMatchObject({ year: { AccountId: 'A', AggregationLevel: 'year' }, explanation: { score: detail!.year.EngagementScore } });
    expect(await port.lastRun()).toMatchObject({ trigger: 'manual', status: 'succeeded' });
  });

  it.each([
    ['demo', 'anyone', true],
    ['production', 'someone', false],
    ['production', ADMIN_OID, true],
  ] as const)('when the mode is %s and the sender is %s, then isAdmin is %s', async (mode, sender, admin) => {
    const config = mode === 'demo' ? demoConfig() : productionConfig();
    const port = createEngagementPort(config, {} as Services);

    expect(await port.isAdmin(sender)).toBe(admin);
  });

  it.each([
    ['AppError RUN_IN_PROGRESS', 'runInProgress', new AppError('RUN_IN_PROGRESS')],
    ['AppError CONSENT_REQUIRED', 'consentRequired', new AppError('CONSENT_REQUIRED')],
    ['AppError NOT_CONFIGURED', 'notConfigured', new AppError('NOT_CONFIGURED')],
    ['AppError FORBIDDEN', null, new AppError('FORBIDDEN')],
    ['a plain Error carrying code RUN_IN_PROGRESS', null, Object.assign(new Error('look-alike'), { code: 'RUN_IN_PROGRESS' })],
  ] as const)('when the API fails with %s, then the refusal is %p', (_label, refusal, error) => {
    expect(runRefusalOf(error)).toBe(refusal);
  });

  it.each([
    [demoConfig({ port: 3978 }), undefined, 'http://localhost:3978/#/'],
    [demoConfig({ publicUrl: 'https://demo.example' }), 'acc 1', 'https://demo.example/#/accounts/acc%201'],
    [productionConfig(), 'acc-1', `https://teams.microsoft.com/l/entity/00000000-0000-0000-0000-00000000a11c/rapport-dashboard?context=${encodeURIComponent('{"subEntityId":"acc-1"}')}`],
  ])('when a deep link is asked for (%#), then it points at the tab', (config, accountId, link) => {
    expect(deepLinkFor(config, accountId)).toBe(link);
  });

  it('when nothing is configured, then there are no account domains and no owner column', async () => {
    h = await startHarness();
    const port = createEngagementPort(demoConfig(), h.services);

    expect(await port.accountDomains!()).toEqual(new Map());
    expect(await port.accountsOwnedBy!('anyone@contoso.com')).toBeNull();
  });

  it('when configured, then each account has its contacts’ domains; shared and freemail domains are left out', async () => {
    h = await startHarness();
    const csv = [CONTACTS_CSV, 'joe@fabrikam.com,A,Fabrikam', 'ops@eu.fabrikam.com,A,Fabrikam', 'x@shared.example,B,Northwind Traders', 'y@shared.example,C,Tailspin Toys', 'z@gmail.com,D,Litware'].join('\n');
    await request(h.app).put('/api/config').send(configBody(await uploadContacts(h, csv))).expect(200);
    const port = createEngagementPort(demoConfig(), h.services);

    const domains = await port.accountDomains!();

    expect(domains.get('A')).toEqual(['eu.fabrikam.com', 'fabrikam.com']);
    expect(domains.get('B')).toEqual(['northwind.com']);
    expect(domains.get('D')).toEqual(['litware.com']);
    expect([...domains.values()].flat()).not.toContain('shared.example');
    expect([...domains.values()].flat()).not.toContain('gmail.com');
    // Read once per configuration: the same map answers until the configuration changes.
    expect(await port.accountDomains!()).toBe(domains);
  });

  it('when the owner column is mapped, then accountsOwnedBy gives the accounts of that address, case aside', async () => {
    h = await startHarness();
    const csv = ['Email,AccountId,AccountName,Owner', 'jane@fabrikam.com,A,Fabrikam,Avery@Contoso.com', 'tom@northwind.com,B,Northwind Traders,rita@contoso.com', 'kim@tailspin.com,C,Tailspin Toys,avery@contoso.com'].join('\n');
    const body = configBody(await uploadContacts(h, csv));
    const contacts = body.contacts as { datasetId: string; mapping: Record<string, string> };
    await request(h.app)
      .put('/api/config')
      .send({ ...body, contacts: { ...contacts, mapping: { ...contacts.mapping, owner: 'Owner' } } })
      .expect(200);
    const port = createEngagementPort(demoConfig(), h.services);

    expect([...(await port.accountsOwnedBy!('AVERY@contoso.com'))!].sort()).toEqual(['A', 'C']);
    expect(await port.accountsOwnedBy!('nobody@contoso.com')).toEqual(new Set());
  });
});
