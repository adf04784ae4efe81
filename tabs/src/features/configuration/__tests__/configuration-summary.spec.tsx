import { screen, within } from '@testing-library/react';
import { ConfigurationSummary } from '../components/configuration-summary';
import { renderWithProviders } from '../../../testing/render';
import { apiError, installFakeApi, json } from '../../../testing/fake-api';
import type { ConfigState } from '../../../lib/api-types';

const CONFIG: ConfigState = {
  version: 3,
  updatedAt: '2026-11-20T10:00:00.000Z',
  updatedBy: 'Ann Lee',
  config: {
    name: 'Sales engagement',
    orgEntries: ['ussales@contoso.com', 'carol@contoso.com'],
    consentAccepted: true,
    consentStatement: { acceptedBy: 'u1', acceptedByName: 'Ann Lee', acceptedAt: '2026-11-20T10:00:00.000Z' },
    contacts: { datasetId: 'ds_1', mapping: { email: 'Email', accountId: 'AccountId', accountName: 'Company' } },
    accounts: { datasetId: 'ds_2', mapping: { accountId: 'Id', name: 'Name', domain: 'Website' } },
    schedule: { dayOfWeek: 1, hour: 6, minute: 30, timeZone: 'Europe/Amsterdam' },
    rules: { extraInternalDomains: ['fabrikam-sub.com'], exclusions: ['@spam.com', 'bot@x.com'], staleDays: 45, upcomingMeetingSuppressesStale: true, weights: { emails: 0.3, meetings: 0.3, breadth: 0.15, recency: 0.15, reciprocity: 0.1 }, minimumColleagues: 1 },
    mailboxCount: 15,
    tenantAdmin: { name: 'Ida Admin', email: 'ida@contoso.com' },
  },
};
const HISTORY = {
  versions: [
    { version: 3, savedAt: '2026-11-20T10:00:00.000Z', savedBy: { id: 'u1', name: 'Ann Lee' }, changed: ['schedule'], first: false },
    { version: 2, savedAt: '2026-11-10T10:00:00.000Z', savedBy: { id: 'u2', name: 'Bo Park' }, changed: ['name', 'tenantAdmin'], first: false },
    { version: 1, savedAt: '2026-11-01T10:00:00.000Z', savedBy: { id: 'u1', name: 'Ann Lee' }, changed: [], first: true },
  ],
};

describe('Configuration summary', () => {
  it('when a configuration is saved, then each part shows what is configured with an Edit action that opens just that part', async () => {
    installFakeApi({
      'GET /api/config': json(CONFIG),
      'GET /api/config/history': json(HISTORY),
      'GET /api/datasets/ds_1': json({ datasetId: 'ds_1', kind: 'contacts', fileName: 'crm-contacts.csv', rows: 1200, columns: [], preview: [] }),
      'GET /api/datasets/ds_2': apiError(404, 'NOT_FOUND', 'Dataset ds_2 was not found; upload the file again.'),
    });
    renderWithProviders(<ConfigurationSummary />);

    expect(await screen.findByText(/^Version 3, saved by Ann Lee on /)).toBeInTheDocument();
    const part = (name: string) => screen.getByRole('heading', { name }).closest('[aria-labelledby]') as HTMLElement;
    expect(within(part('Mailboxes and groups')).getByText('carol@contoso.com')).toBeInTheDocument();
    expect(within(part('Mailboxes and groups')).getByText('15 mailboxes when saved')).toBeInTheDocument();
    expect(await within(part('Customer data')).findByText('crm-contacts.csv · 1,200 rows')).toBeInTheDocument();
    expect(within(part('Customer data')).getByText('This file is no longer stored; upload it again with Edit.')).toBeInTheDocument();
    expect(within(part('Field mapping')).getByText('Domain or website (accounts file): Website')).toBeInTheDocument();
    expect(within(part('Tenant administrator')).getByText('Ida Admin · ida@contoso.com')).toBeInTheDocument();
    expect(within(part('Schedule')).getByText('Every Monday at 06:30 (Europe/Amsterdam)')).toBeInTheDocument();
    expect(within(part('Rules')).getByText('Stale: no email and no meeting for more than 45 days, unless a meeting is planned')).toBeInTheDocument();
    expect(within(part('Rules')).getByText('2 excluded addresses or domains')).toBeInTheDocument();

    expect(screen.getByRole('link', { name: 'Edit Mailboxes and groups' })).toHaveAttribute('href', '#/settings/configuration/mailboxes');
    expect(screen.getByRole('link', { name: 'Edit Customer data' })).toHaveAttribute('href', '#/settings/configuration/datasets');
    expect(screen.getByRole('link', { name: 'Edit Tenant administrator' })).toHaveAttribute('href', '#/settings/configuration/tenantAdmin');
    expect(screen.getByRole('link', { name: 'Edit Rules' })).toHaveAttribute('href', '#/settings');
    expect(screen.getByRole('link', { name: 'Edit Schedule' })).toHaveAttribute('href', '#/setup');
  });

  it('when the history is read, then each version names who saved it, when, and what it changed, newest first', async () => {
    installFakeApi({
      'GET /api/config': json(CONFIG),
      'GET /api/config/history': json(HISTORY),
      'GET /api/datasets/:id': json({ datasetId: 'x', kind: 'contacts', fileName: 'f.csv', rows: 1, columns: [], preview: [] }),
    });
    renderWithProviders(<ConfigurationSummary />);
    const list = await screen.findByRole('list', { name: 'Saved versions, newest first' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent(/^Version 3: Ann Lee, .+In useChanged: Schedule$/);
    expect(items[1]).toHaveTextContent(/^Version 2: Bo Park, .+Changed: Name, Tenant administrator$/);
    expect(items[2]).toHaveTextContent(/First version$/);
  });

  it('when nothing is configured, then the page says so and links to the setup', async () => {
    installFakeApi({ 'GET /api/config': json({ version: 0, config: null, updatedAt: null, updatedBy: null }), 'GET /api/config/history': json({ versions: [] }) });
    renderWithProviders(<ConfigurationSummary />, { locale: 'id-ID' });
    expect(await screen.findByRole('heading', { name: 'Belum ada yang dikonfigurasi.' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Mulai penyiapan' })).toHaveAttribute('href', '#/setup');
  });
});
