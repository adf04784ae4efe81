import { screen } from '@testing-library/react';
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
});
