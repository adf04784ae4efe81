import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Dashboard } from '../components/dashboard';
import { renderWithProviders } from '../../../testing/render';
import { apiError, installFakeApi, json } from '../../../testing/fake-api';
import { officeRow, overview } from '../../../testing/fixtures';

describe('Dashboard', () => {
  it('when results exist, then the KPI cards show the overview numbers and the top accounts', async () => {
    // Arrange
    const api = installFakeApi({
      'GET /api/results/overview': overview(),
      'GET /api/results/office': { rows: [officeRow(), officeRow({ AccountId: 'A-002', AccountName: 'Contoso', EngagementScore: 75 })], total: 2, page: 1, pageSize: 10, level: 'year', buckets: [] },
    });

    // Act
    renderWithProviders(<Dashboard />);

    // Assert
    const kpis = await screen.findByRole('list', { name: 'Key figures' });
    const items = within(kpis).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      'Customers enriched287of 300 accounts',
      'Emails processed12,345',
      'Meetings processed678',
      'Days covered365',
    ]);
    const top = await screen.findByRole('table', { name: 'Top accounts' });
    expect(within(top).getByRole('link', { name: 'Contoso' })).toHaveAttribute('href', '#/accounts/A-002');
    expect(screen.getByRole('link', { name: 'See more' })).toHaveAttribute('href', '#/office');
    const topQuery = api.calls.find((c) => c.path === '/api/results/office')?.query;
    expect(Object.fromEntries(topQuery ?? [])).toEqual({ level: 'year', sort: 'EngagementScore', order: 'desc', pageSize: '10' });
    expect(screen.getByRole('figure', { name: /latest run enriched 287 customers/ })).toBeInTheDocument();
  });

  it('when no run has happened yet, then an empty state guides admins to setup', async () => {
    installFakeApi({ 'GET /api/results/overview': overview({ lastRun: null, accountsEnriched: 0, history: [] }) });

    renderWithProviders(<Dashboard />, { host: { isAdmin: true } });

    expect(await screen.findByRole('heading', { name: 'No results yet' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open setup' })).toHaveAttribute('href', '#/setup');
    expect(screen.queryByRole('list', { name: 'Key figures' })).not.toBeInTheDocument();
  });

  it('when the API fails, then its message shows with a Retry that fetches again', async () => {
    let calls = 0;
    installFakeApi({
      'GET /api/results/overview': () => (++calls === 1 ? apiError(500, 'STORE_CORRUPT', 'The data file cannot be read; it was kept aside untouched.') : json(overview())),
      'GET /api/results/office': { rows: [], total: 0, page: 1, pageSize: 10, level: 'year', buckets: [] },
    });
    renderWithProviders(<Dashboard />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The data file cannot be read');
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));

    expect(await screen.findByRole('list', { name: 'Key figures' })).toBeInTheDocument();
    expect(calls).toBe(2);
  });
});
