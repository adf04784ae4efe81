import { DEFAULT_RULES } from '../contract/config';
import { changedParts } from './config-service';
import type { EnrichmentConfig } from './state';

const BASE: EnrichmentConfig = {
  name: 'Sales engagement',
  orgEntries: ['sales@contoso.com'],
  consentAccepted: true,
  consentStatement: { acceptedBy: 'u1', acceptedByName: 'Ann', acceptedAt: '2026-11-01T00:00:00.000Z' },
  contacts: { datasetId: 'ds_1', mapping: { email: 'Email', accountId: 'AccountId' } },
  rules: structuredClone(DEFAULT_RULES),
  mailboxCount: 14,
};

describe('changedParts', () => {
  type Row = [string, (c: EnrichmentConfig) => void, string[]];
  it.each<Row>([
    ['nothing but the consent statement (accepted again on every save)', (c) => (c.consentStatement.acceptedAt = '2026-12-01T00:00:00.000Z'), []],
    ['the name', (c) => (c.name = 'Renamed'), ['name']],
    ['an org entry', (c) => c.orgEntries.push('alice@contoso.com'), ['mailboxes']],
    ['the contacts file', (c) => (c.contacts.datasetId = 'ds_2'), ['datasets']],
    ['an accounts file added with its mapping', (c) => (c.accounts = { datasetId: 'ds_3', mapping: { accountId: 'Id' } }), ['datasets', 'mapping']],
    ['a mapped column', (c) => (c.contacts.mapping.accountName = 'Company'), ['mapping']],
    ['the tenant administrator', (c) => (c.tenantAdmin = { name: 'Ida', email: 'ida@contoso.com' }), ['tenantAdmin']],
    ['the schedule', (c) => (c.schedule = { dayOfWeek: 1, hour: 6, minute: 0, timeZone: 'UTC' }), ['schedule']],
    ['the stale threshold', (c) => (c.rules.staleDays = 30), ['rules']],
    [
      'several parts, listed in the summary page’s order',
      (c) => {
        c.rules.exclusions = ['@spam.com'];
        c.name = 'X';
        c.orgEntries = ['a@contoso.com', 'b@contoso.com'];
      },
      ['name', 'mailboxes', 'rules'],
    ],
  ])('when %s changes, then the changed parts are %j', (_what, change, parts) => {
    const after = structuredClone(BASE);
    change(after);
    expect(changedParts(BASE, after)).toEqual(parts);
  });
});
