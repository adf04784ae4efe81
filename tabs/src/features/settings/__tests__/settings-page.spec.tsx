import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SettingsPage } from '../components/settings-page';
import { renderWithProviders } from '../../../testing/render';
import { apiError, installFakeApi, json } from '../../../testing/fake-api';
import type { ConfigState, SavedConfig } from '../../../lib/api-types';

const RULES: SavedConfig['rules'] = {
  staleDays: 60,
  upcomingMeetingSuppressesStale: true,
  weights: { emails: 0.3, meetings: 0.3, breadth: 0.15, recency: 0.15, reciprocity: 0.1 },
  extraInternalDomains: [],
  exclusions: ['@news.example.com'],
  minimumColleagues: 1,
};

function configState(version: number, rules: SavedConfig['rules'] = RULES): ConfigState {
  return {
    version,
    updatedAt: '2026-01-26T08:00:00.000Z',
    updatedBy: 'Ada Admin',
    config: {
      name: 'Sales',
      orgEntries: ['sales@contoso.com'],
      consentAccepted: true,
      consentStatement: { acceptedBy: 'u-1', acceptedByName: 'Ada Admin', acceptedAt: '2026-01-26T08:00:00.000Z' },
      contacts: { datasetId: 'ds_1', mapping: { email: 'Email', accountId: 'AccountId' } },
      rules,
      mailboxCount: 12,
    },
  };
}

describe('Settings', () => {
  it('when an admin changes the threshold, the weights and the domains, then each is checked in words and the save sends exactly them with the version read', async () => {
    // Arrange
    const api = installFakeApi({
      'GET /api/config': configState(4),
      'PUT /api/config/rules': (req) => json(configState(5, (req.body as { rules: SavedConfig['rules'] }).rules)),
    });
    renderWithProviders(<SettingsPage />);
    const days = await screen.findByLabelText(/Days without contact/);
    expect(screen.getByText('Version 4, saved by Ada Admin on Jan 26, 2026, 8:00 AM.', { exact: false })).toBeInTheDocument();
    expect(screen.getByText('An account is stale when it has had no email and no meeting for more than 60 days.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save settings' })).toBeDisabled();

    // Act: a new threshold, weights that no longer add up, a bad domain line.
    await userEvent.clear(days);
    await userEvent.type(days, '45');
    await userEvent.click(screen.getByRole('switch', { name: /upcoming meeting keeps/ }));
    const emails = screen.getByLabelText(/^Emails/);
    await userEvent.clear(emails);
    await userEvent.type(emails, '40');
    await userEvent.type(screen.getByLabelText(/Internal domains, one per line/), 'contoso-sub.com{enter}not a domain');
    await userEvent.tab();

    // Assert: live words, live sum, the bad line by number; Save refuses and names every problem.
    expect(screen.getByText('An account is stale when it has had no email and no meeting for more than 45 days.')).toBeInTheDocument();
    expect(screen.getByText(/Off: planned meetings do not matter/)).toBeInTheDocument();
    expect(screen.getByText('Total: 110 %. Make the five weights add up to 100 %.')).toBeInTheDocument();
    expect(screen.getByText('Line 2: “not a domain” is not a domain. Write a domain such as fabrikam.com.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));
    const alert = await screen.findByRole('alert', { name: 'Fix 2 problems before saving:' });
    expect(within(alert).getAllByRole('button').map((b) => b.textContent)).toEqual([
      'Total: 110 %. Make the five weights add up to 100 %.',
      'Extra internal domains: Line 2: “not a domain” is not a domain. Write a domain such as fabrikam.com.',
    ]);
    expect(emails).toHaveFocus();
    expect(api.calls.some((c) => c.method === 'PUT')).toBe(false);

    // Act: fix both, save.
    await userEvent.clear(screen.getByLabelText(/^Meetings/));
    await userEvent.type(screen.getByLabelText(/^Meetings/), '20');
    expect(screen.getByText('Total: 100 %.')).toBeInTheDocument();
    const domains = screen.getByLabelText(/Internal domains, one per line/);
    await userEvent.clear(domains);
    await userEvent.type(domains, 'contoso-sub.com');
    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));

    // Assert
    await screen.findByText('Saved as version 5. The stale rule applies now; the other settings apply from the next run.');
    expect(api.calls.find((c) => c.method === 'PUT')?.body).toEqual({
      expectedVersion: 4,
      rules: { ...RULES, staleDays: 45, upcomingMeetingSuppressesStale: false, weights: { ...RULES.weights, emails: 0.4, meetings: 0.2 }, extraInternalDomains: ['contoso-sub.com'] },
    });
    expect(screen.getAllByRole('link', { name: 'Run now' })[0]).toHaveAttribute('href', '#/setup');
    expect(screen.getByText(/Version 5, saved by Ada Admin/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save settings' })).toBeDisabled();
  });

  it('when someone else saved meanwhile, then 409 says so and the latest settings load on request', async () => {
    let version = 4;
    const api = installFakeApi({
      'GET /api/config': () => json(configState(version, version === 4 ? RULES : { ...RULES, staleDays: 90 })),
      'PUT /api/config/rules': () => apiError(409, 'CONFIG_VERSION_CONFLICT', 'The configuration is at version 5, not 4; reload it and save again.'),
    });
    renderWithProviders(<SettingsPage />);
    const days = await screen.findByLabelText(/Days without contact/);
    await userEvent.clear(days);
    await userEvent.type(days, '30');
    version = 5;

    await userEvent.click(screen.getByRole('button', { name: 'Save settings' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Someone else saved the configuration meanwhile');
    expect(alert).toHaveTextContent('The configuration is at version 5, not 4');
    expect(screen.queryByText(/Saved as version/)).not.toBeInTheDocument();
    await userEvent.click(within(alert).getByRole('button', { name: 'Load the latest settings' }));
    await waitFor(() => expect(screen.getByLabelText(/Days without contact/)).toHaveValue(90));
    expect(api.calls.filter((c) => c.method === 'GET' && c.path === '/api/config')).toHaveLength(2);
  });

  it('when a seller opens the settings, then every rule reads in words but nothing can be changed', async () => {
    installFakeApi({ 'GET /api/config': configState(4) });
    renderWithProviders(<SettingsPage />, { host: { isAdmin: false } });

    expect(await screen.findByText('Only Rapport admins can change these settings. You can read them here.')).toBeInTheDocument();
    expect(screen.getByLabelText(/Days without contact/)).toHaveAttribute('readonly');
    expect(screen.getByLabelText(/Excluded addresses/)).toHaveValue('@news.example.com');
    expect(screen.getByRole('switch', { name: /upcoming meeting keeps/ })).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Save settings' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Run now' })).not.toBeInTheDocument();
  });

  it('when nothing is configured yet, then the page says so and sends an admin to the setup', async () => {
    installFakeApi({ 'GET /api/config': { version: 0, config: null, updatedAt: null, updatedBy: null } });
    renderWithProviders(<SettingsPage />);
    expect(await screen.findByRole('heading', { name: 'Nothing to set yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open setup' })).toHaveAttribute('href', '#/setup');
  });

  it('when the UI is in Indonesian, then the rules are explained in Indonesian', async () => {
    installFakeApi({ 'GET /api/config': configState(4) });
    renderWithProviders(<SettingsPage />, { locale: 'id-ID' });
    expect(await screen.findByText('Sebuah akun dianggap tidak aktif jika tidak ada email dan tidak ada rapat selama lebih dari 60 hari.')).toBeInTheDocument();
    expect(screen.getByText('Jumlah: 100 %.')).toBeInTheDocument();
  });
});
