import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Dashboard } from '../components/dashboard';
import { renderWithProviders } from '../../../testing/render';
import { apiError, installFakeApi, json } from '../../../testing/fake-api';
import { officeRow, overview } from '../../../testing/fixtures';
import type { ChangeAccount, Changes, MyAccounts, Timeline } from '../../../lib/api-types';
import { effectiveScope, readScopePreference } from '../components/accounts-scope';
import { weekTicks } from '../components/weekly-timeline';

const emptyChanges: Changes = {
  resultsRunId: 'run-1',
  runAt: '2026-01-26T08:05:00.000Z',
  comparedWithPreviousRun: true,
  staleDays: 60,
  days: 7,
  gains: [],
  drops: [],
  becameStale: [],
  upcomingMeetings: [],
  totals: { gains: 0, drops: 0, becameStale: 0, upcomingMeetings: 0 },
};
const item = (overrides: Partial<ChangeAccount>): ChangeAccount => ({
  accountId: 'A-001',
  name: 'Fabrikam',
  score: 70,
  band: 'High',
  change: null,
  daysSinceLastContact: 3,
  becameStaleDaysAgo: null,
  nextMeetingDate: null,
  ...overrides,
});
const timeline: Timeline = {
  weeks: Array.from({ length: 53 }, (_, i) => ({ weekStart: new Date(Date.UTC(2025, 0, 27) + i * 7 * 86_400_000).toISOString(), accounts: i % 5 })),
  runs: [{ finishedAt: '2026-01-26T08:05:00.000Z', accountsEnriched: 287 }],
};
const page = (rows = [officeRow()]) => ({ rows, total: rows.length, page: 1, pageSize: 10, level: 'year', buckets: [] });
/** The dashboard's reads besides the overview. */
const results = { 'GET /api/results/changes': emptyChanges, 'GET /api/results/timeline': timeline };
const mineMapped: MyAccounts = { ownerColumnMapped: true, email: 'rita@contoso.com', totalAccounts: 12, accountsEnriched: 9, bands: { High: 2, Medium: 4, Low: 6 }, staleCount: 3, staleNeverContactedCount: 1 };

beforeEach(() => window.localStorage.clear());

describe('Dashboard', () => {
  it('when results exist, then the KPI cards show the overview numbers and the top accounts', async () => {
    // Arrange
    const api = installFakeApi({
      'GET /api/results/overview': overview(),
      'GET /api/results/office': { rows: [officeRow(), officeRow({ AccountId: 'A-002', AccountName: 'Contoso', EngagementScore: 75 })], total: 2, page: 1, pageSize: 10, level: 'year', buckets: [] },
      ...results,
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
    expect(await screen.findByRole('figure', { name: /each of the last 53 weeks: 2 customers in the latest week, at most 4 customers in a week/ })).toBeInTheDocument();
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
      ...results,
    });
    renderWithProviders(<Dashboard />);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The data file cannot be read');
    await userEvent.click(within(alert).getByRole('button', { name: 'Retry' }));

    expect(await screen.findByRole('list', { name: 'Key figures' })).toBeInTheDocument();
    expect(calls).toBe(2);
  });
});

describe('Dashboard: My accounts', () => {
  it('when the owner column is mapped, then my accounts come first and the switch to all accounts is remembered', async () => {
    const api = installFakeApi({ 'GET /api/results/overview': overview({ mine: mineMapped }), 'GET /api/results/office': page(), ...results });

    renderWithProviders(<Dashboard />);

    const scope = await screen.findByRole('radiogroup', { name: 'Accounts to show' });
    expect(within(scope).getByRole('radio', { name: 'My accounts' })).toBeChecked();
    expect(await screen.findByRole('heading', { name: 'Your 12 accounts' })).toBeInTheDocument();
    expect(screen.getByText('of your 12 accounts')).toBeInTheDocument();
    await screen.findByRole('table', { name: 'Top accounts' });
    const mineCalls = api.calls.filter((c) => c.path !== '/api/results/overview');
    expect(mineCalls.map((c) => [c.path, c.query.get('owner')]).sort()).toEqual([
      ['/api/results/changes', 'me'],
      ['/api/results/office', 'me'],
      ['/api/results/timeline', 'me'],
    ]);
    expect(screen.getByRole('link', { name: 'See more' })).toHaveAttribute('href', '#/office?owner=me');

    await userEvent.click(within(scope).getByRole('radio', { name: 'All accounts' }));

    expect(await screen.findByRole('heading', { name: 'Top accounts' })).toBeInTheDocument();
    expect(screen.getByText('of 300 accounts')).toBeInTheDocument();
    const last = api.calls.filter((c) => c.path === '/api/results/office').at(-1);
    expect(last?.query.get('owner')).toBeNull();
    expect(window.localStorage.getItem('rapport.dashboard.scope')).toBe('all');
  });

  it('when no owner column is mapped, then it says so, shows all accounts and offers no switch', async () => {
    const api = installFakeApi({ 'GET /api/results/overview': overview(), 'GET /api/results/office': page(), ...results });

    renderWithProviders(<Dashboard />);

    expect(await screen.findByText(/no owner column is mapped in the customer dataset, so all accounts are shown/)).toBeInTheDocument();
    expect(screen.queryByRole('radiogroup')).not.toBeInTheDocument();
    await screen.findByRole('table', { name: 'Top accounts' });
    expect(api.calls.every((c) => c.query.get('owner') === null)).toBe(true);
  });

  it.each<[string, 'mine' | 'all', Partial<MyAccounts> | null, string, string | null]>([
    ['owners mapped, mine preferred', 'mine', {}, 'mine', null],
    ['owners mapped, all preferred', 'all', {}, 'all', null],
    ['no owner column', 'mine', { ownerColumnMapped: false }, 'all', 'noOwnerColumn'],
    ['no overview yet', 'mine', null, 'all', 'noOwnerColumn'],
    ['a sign-in without email', 'mine', { email: null }, 'all', 'noEmail'],
    ['a caller who owns nothing', 'mine', { totalAccounts: 0 }, 'all', 'noneOwned'],
    ['a caller who owns nothing but chose all', 'all', { totalAccounts: 0 }, 'all', null],
  ])('effectiveScope: when %s, then the scope is as expected', (_, preference, mine, scope, fallback) => {
    expect(effectiveScope(preference, mine === null ? undefined : { ...mineMapped, ...mine })).toEqual({ scope, fallback });
  });

  it.each([
    [null, 'mine'],
    ['all', 'all'],
    ['mine', 'mine'],
    ['garbage', 'mine'],
  ])('readScopePreference: when storage holds %p, then the preference is %s', (stored, expected) => {
    expect(readScopePreference({ getItem: () => stored })).toBe(expected);
  });

  it('readScopePreference: when storage throws (a locked-down iframe), then my accounts are the default', () => {
    expect(
      readScopePreference({
        getItem: () => {
          throw new Error('denied');
        },
      }),
    ).toBe('mine');
  });
});

describe('Dashboard: This week', () => {
  it('when scores moved, accounts went quiet and meetings are coming, then each list links to the account card', async () => {
    const changes: Changes = {
      ...emptyChanges,
      gains: [item({ accountId: 'G-1', name: 'Contoso', change: 12 })],
      drops: [item({ accountId: 'D-1', name: 'Litware', change: -8 })],
      becameStale: [item({ accountId: 'S-1', name: 'Wingtip', band: 'Low', daysSinceLastContact: 61, becameStaleDaysAgo: 1 })],
      upcomingMeetings: [item({ accountId: 'M-1', name: 'Tailspin', nextMeetingDate: '2026-01-28T09:00:00.000Z' })],
      totals: { gains: 7, drops: 1, becameStale: 1, upcomingMeetings: 1 },
    };
    installFakeApi({ 'GET /api/results/overview': overview(), 'GET /api/results/office': page(), 'GET /api/results/changes': changes, 'GET /api/results/timeline': timeline });

    renderWithProviders(<Dashboard />);

    const section = await screen.findByRole('region', { name: 'This week' });
    const gains = await within(section).findByRole('list', { name: 'Biggest score gains' });
    expect(within(gains).getByRole('link', { name: 'Contoso' })).toHaveAttribute('href', '#/accounts/G-1');
    expect(within(gains).getByLabelText('up 12 points since the last run')).toBeInTheDocument();
    expect(within(section).getByText('and 6 more')).toBeInTheDocument();
    const drops = within(section).getByRole('list', { name: 'Biggest score drops' });
    expect(within(drops).getByRole('link', { name: 'Litware' })).toHaveAttribute('href', '#/accounts/D-1');
    const stale = within(section).getByRole('list', { name: 'Gone quiet this week' });
    expect(within(stale).getByText('Last contact 61 days ago')).toBeInTheDocument();
    const meetings = within(section).getByRole('list', { name: 'Meetings in the next 7 days' });
    expect(within(meetings).getByRole('link', { name: 'Tailspin' })).toHaveAttribute('href', '#/accounts/M-1');
  });

  it('when it is the first run, then the score lists say changes come after the second run', async () => {
    installFakeApi({ 'GET /api/results/overview': overview(), 'GET /api/results/office': page(), 'GET /api/results/changes': { ...emptyChanges, comparedWithPreviousRun: false }, 'GET /api/results/timeline': timeline });

    renderWithProviders(<Dashboard />);

    expect(await screen.findAllByText('Score changes appear after the second run.')).toHaveLength(2);
    expect(screen.getByText('No account went quiet this week.')).toBeInTheDocument();
    expect(screen.getByText('No customer meeting in the next 7 days.')).toBeInTheDocument();
  });

  it('when the tab is in Indonesian, then the section is too', async () => {
    installFakeApi({ 'GET /api/results/overview': overview(), 'GET /api/results/office': page(), 'GET /api/results/changes': { ...emptyChanges, comparedWithPreviousRun: false }, 'GET /api/results/timeline': timeline });
    renderWithProviders(<Dashboard />, { locale: 'id-ID' });
    expect(await screen.findByRole('region', { name: 'Minggu ini' })).toBeInTheDocument();
    expect(await screen.findAllByText('Perubahan skor muncul setelah proses kedua.')).toHaveLength(2);
  });
});

describe('Dashboard: enriched customers over time', () => {
  it('when there is a year of weeks, then the chart is hidden from assistive technology and not focusable, with a table alternative', async () => {
    installFakeApi({ 'GET /api/results/overview': overview(), 'GET /api/results/office': page(), ...results });

    renderWithProviders(<Dashboard />);

    const figure = await screen.findByRole('figure', { name: /each of the last 53 weeks/ });
    const chart = within(figure).getByTestId('chart');
    expect(chart).toHaveAttribute('aria-hidden', 'true');
    expect(chart).toHaveAttribute('inert');
    const hiddenTable = within(figure).getByRole('table', { name: 'Chart data: Enriched customers over time' });
    expect(within(hiddenTable).getAllByRole('row')).toHaveLength(54);
    expect(within(hiddenTable).getAllByRole('row')[1]).toHaveTextContent('Jan 27, 20250');

    await userEvent.click(within(figure).getByRole('button', { name: 'Show as table' }));

    expect(within(figure).queryByTestId('chart')).not.toBeInTheDocument();
    expect(within(figure).getByRole('region', { name: 'Chart data: Enriched customers over time' })).toBeInTheDocument();
    expect(within(figure).getByRole('button', { name: 'Show as chart' })).toHaveAttribute('aria-pressed', 'true');
  });

  it.each<[string, Timeline, string]>([
    ['no weeks yet', { weeks: [], runs: [] }, 'The chart appears after the first run.'],
    ['one week', { weeks: [{ weekStart: '2026-01-26T00:00:00.000Z', accounts: 4 }], runs: [] }, 'Only one week of history so far: 4 customers with an email or a meeting. The line fills in week by week.'],
  ])('when there are %s, then a sentence replaces the chart', async (_, data, sentence) => {
    installFakeApi({ 'GET /api/results/overview': overview(), 'GET /api/results/office': page(), 'GET /api/results/changes': emptyChanges, 'GET /api/results/timeline': data });
    renderWithProviders(<Dashboard />);
    expect(await screen.findByText(sentence)).toBeInTheDocument();
    expect(screen.queryByRole('figure')).not.toBeInTheDocument();
  });

  it.each<[number, number, number]>([
    [0, 8, 0],
    [1, 8, 1],
    [8, 8, 8],
    [9, 8, 5],
    [53, 8, 8],
    [54, 8, 8],
  ])('weekTicks: when there are %i weeks and at most %i ticks, then %i are labelled, the latest always', (n, max, expected) => {
    const weeks = Array.from({ length: n }, (_, i) => `w${i}`);
    const ticks = weekTicks(weeks, max);
    expect(ticks).toHaveLength(expected);
    if (n > 0) expect(ticks.at(-1)).toBe(`w${n - 1}`);
  });
});
