import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Dashboard } from '../components/dashboard';
import { renderWithProviders } from '../../../testing/render';
import { apiError, installFakeApi } from '../../../testing/fake-api';
import { overview } from '../../../testing/fixtures';

const office = { rows: [], total: 0, page: 1, pageSize: 10, level: 'year', buckets: [] };
// The other panels of the dashboard are not under test here: they answer with an error and show it.
const others = {
  'GET /api/results/changes': apiError(503, 'UNAVAILABLE', 'not under test'),
  'GET /api/results/timeline': apiError(503, 'UNAVAILABLE', 'not under test'),
};

describe('Dashboard: the stale line', () => {
  it('when some stale accounts were never contacted, then the line splits the count and each part opens its own member list', async () => {
    installFakeApi({
      'GET /api/results/overview': overview({ staleCount: 101, staleGoneQuietCount: 38, staleNeverContactedCount: 63, staleDays: 45 }),
      'GET /api/results/office': office,
      ...others,
    });
    renderWithProviders(<Dashboard />);

    expect(await screen.findByRole('link', { name: '101 stale accounts' })).toHaveAttribute('href', '#/segments?open=stale');
    expect(screen.getByRole('link', { name: '38 gone quiet' })).toHaveAttribute('href', '#/segments?open=stale-gone-quiet');
    expect(screen.getByRole('link', { name: '63 never contacted' })).toHaveAttribute('href', '#/segments?open=stale-never-contacted');
    expect(screen.getByText('No email and no meeting for more than 45 days.')).toBeInTheDocument();
    expect(screen.queryByText(/to reactivate/)).not.toBeInTheDocument();
  });

  it('when the UI is Indonesian and one account is stale, then the counts read in Indonesian', async () => {
    installFakeApi({
      'GET /api/results/overview': overview({ staleCount: 1, staleGoneQuietCount: 0, staleNeverContactedCount: 1, staleDays: 60 }),
      'GET /api/results/office': office,
      ...others,
    });
    renderWithProviders(<Dashboard />, { locale: 'id-ID' });
    expect(await screen.findByRole('link', { name: '1 akun tidak aktif' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '1 belum pernah dihubungi' })).toBeInTheDocument();
  });

  describe('under "My accounts"', () => {
    beforeEach(() => window.localStorage.clear());
    const mine = { ownerColumnMapped: true, email: 'rita@contoso.com', totalAccounts: 12, accountsEnriched: 9, bands: { High: 2, Medium: 4, Low: 6 }, staleCount: 5, staleNeverContactedCount: 2 };

    it('when the owner column is mapped, then the line counts my stale accounts, and the switch to all accounts brings back the team counts with their lists', async () => {
      installFakeApi({
        'GET /api/results/overview': overview({ staleCount: 101, staleGoneQuietCount: 38, staleNeverContactedCount: 63, staleDays: 45, mine }),
        'GET /api/results/office': office,
        ...others,
      });
      renderWithProviders(<Dashboard />);

      const line = (await screen.findByText(/5 of your accounts are stale/)).closest('p')!;
      expect(line).toHaveTextContent('5 of your accounts are stale: 3 gone quiet, 2 never contacted. All 101 stale accounts, yours and others’No email and no meeting for more than 45 days.');
      // The lists are everyone's: only the link that says so opens one.
      expect(within(line).getAllByRole('link').map((a) => [a.textContent, a.getAttribute('href')])).toEqual([['All 101 stale accounts, yours and others’', '#/segments?open=stale']]);
      expect(screen.getByRole('list', { name: '12 accounts by band: 2 high, 4 medium, 6 low.' })).toBeInTheDocument();

      await userEvent.click(screen.getByRole('radio', { name: 'All accounts' }));
      expect(await screen.findByRole('link', { name: '101 stale accounts' })).toHaveAttribute('href', '#/segments?open=stale');
      expect(screen.getByRole('link', { name: '38 gone quiet' })).toBeInTheDocument();
      expect(screen.queryByText(/of your accounts/)).not.toBeInTheDocument();
    });

    it('when one of my accounts is stale in Indonesian, then the line and the band summary read in Indonesian', async () => {
      installFakeApi({
        'GET /api/results/overview': overview({ staleCount: 7, staleGoneQuietCount: 4, staleNeverContactedCount: 3, mine: { ...mine, totalAccounts: 1, bands: { High: 1, Medium: 0, Low: 0 }, staleCount: 1, staleNeverContactedCount: 0 } }),
        'GET /api/results/office': office,
        ...others,
      });
      renderWithProviders(<Dashboard />, { locale: 'id-ID' });
      expect(await screen.findByText(/1 akun Anda tidak aktif: 1 sudah lama sepi, 0 belum pernah dihubungi\./)).toBeInTheDocument();
      expect(screen.getByRole('link', { name: 'Semua 7 akun tidak aktif, milik Anda dan orang lain' })).toHaveAttribute('href', '#/segments?open=stale');
      expect(screen.getByRole('list', { name: '1 akun menurut tingkat: 1 tinggi, 0 sedang, 0 rendah.' })).toBeInTheDocument();
    });
  });

  it('when one account is in all, then the band summary says "1 account", not "1 accounts"', async () => {
    installFakeApi({
      'GET /api/results/overview': overview({ bands: { High: 0, Medium: 1, Low: 0 } }),
      'GET /api/results/office': office,
      ...others,
    });
    renderWithProviders(<Dashboard />);
    expect(await screen.findByRole('list', { name: '1 account by band: 0 high, 1 medium, 0 low.' })).toBeInTheDocument();
  });
});
