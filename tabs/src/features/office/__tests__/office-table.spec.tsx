import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { OfficePage } from '../../../lib/api-types';
import { OfficeTable } from '../components/office-table';
import { renderWithProviders } from '../../../testing/render';
import { apiError, installFakeApi, json, type FakeRequest } from '../../../testing/fake-api';
import { hiddenRow, officeRow } from '../../../testing/fixtures';

/** A fake Office endpoint over 120 year rows and a few month rows, honouring sort and paging. */
function officeHandler(request: FakeRequest) {
  const q = request.query;
  const level = (q.get('level') ?? 'year') as OfficePage['level'];
  let rows =
    level === 'year'
      ? Array.from({ length: 120 }, (_, i) => officeRow({ AccountId: `A-${String(i).padStart(3, '0')}`, AccountName: `Account ${i}`, EngagementScore: i % 101 }))
      : [officeRow({ AccountId: 'A-001', AccountName: 'Monthly One', AggregationLevel: 'month', AggregationStartdate: '2026-01-01T00:00:00.000Z' })];
  const sort = q.get('sort') as keyof ReturnType<typeof officeRow> | null;
  if (sort) {
    const dir = q.get('order') === 'asc' ? 1 : -1;
    rows = [...rows].sort((a, b) => (a[sort] as number) > (b[sort] as number) ? dir : (a[sort] as number) < (b[sort] as number) ? -dir : 0);
  }
  const page = Number(q.get('page') ?? 1);
  const pageSize = Number(q.get('pageSize') ?? 50);
  return json({
    rows: rows.slice((page - 1) * pageSize, page * pageSize),
    total: rows.length,
    page,
    pageSize,
    level,
    buckets: level === 'year' ? [] : ['2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
  });
}

const firstDataRow = () => within(screen.getByRole('table', { name: 'Office table rows' })).getAllByRole('row')[1] as HTMLElement;


describe('Office table', () => {
  it('when a column header is selected, then the rows are sorted by it and the header says so', async () => {
    const api = installFakeApi({ 'GET /api/results/office': officeHandler });
    renderWithProviders(<OfficeTable initialQuery={new URLSearchParams()} />);
    await screen.findByText('120 rows');
    const scoreHeader = screen.getByRole('columnheader', { name: 'Engagement score' });
    expect(scoreHeader).toHaveAttribute('aria-sort', 'descending');

    await userEvent.click(within(scoreHeader).getByRole('button', { name: 'Engagement score' }));

    await waitFor(() => expect(scoreHeader).toHaveAttribute('aria-sort', 'ascending'));
    await waitFor(() => expect(within(firstDataRow()).getAllByRole('cell')[2]).toHaveTextContent(/^0$/));
    expect(api.calls.at(-1)?.query.get('order')).toBe('asc');
    expect(api.calls.at(-1)?.query.get('sort')).toBe('EngagementScore');
  });

  it('when Next page is selected, then page 2 is requested and shown', async () => {
    const api = installFakeApi({ 'GET /api/results/office': officeHandler });
    renderWithProviders(<OfficeTable initialQuery={new URLSearchParams()} />);
    expect(await screen.findByText('Page 1 of 3')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous page' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));

    expect(await screen.findByText('Page 2 of 3')).toBeInTheDocument();
    expect(api.calls.at(-1)?.query.get('page')).toBe('2');
    expect(api.calls.at(-1)?.query.get('pageSize')).toBe('50');
  });

  it('when the level switches to month, then month rows load, a period picker appears and the CSV link follows', async () => {
    const api = installFakeApi({ 'GET /api/results/office': officeHandler });
    renderWithProviders(<OfficeTable initialQuery={new URLSearchParams('band=High')} />);
    await screen.findByText('120 rows');
    expect(screen.queryByLabelText('Period')).not.toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText('Aggregation level'), 'month');

    expect(await screen.findByRole('link', { name: 'Monthly One' })).toBeInTheDocument();
    const period = screen.getByLabelText('Period');
    expect(within(period).getAllByRole('option').map((o) => o.textContent)).toEqual(['All periods', 'Dec 2025', 'Jan 2026']);
    await userEvent.selectOptions(period, '2026-01-01T00:00:00.000Z');
    await waitFor(() => expect(api.calls.at(-1)?.query.get('bucket')).toBe('2026-01-01T00:00:00.000Z'));
    expect(api.calls.at(-1)?.query.get('level')).toBe('month');
    expect(api.calls.at(-1)?.query.get('band')).toBe('High');
    const csv = screen.getByRole('link', { name: 'Export CSV' }).getAttribute('href') ?? '';
    expect(csv.startsWith('/api/results/office.csv?')).toBe(true);
    expect(Object.fromEntries(new URLSearchParams(csv.split('?')[1]))).toEqual({
      level: 'month',
      bucket: '2026-01-01T00:00:00.000Z',
      band: 'High',
      sort: 'EngagementScore',
      order: 'desc',
    });
  });
});

describe('Office table export', () => {
  it('when Export CSV is selected, then a signed link for the current query is asked for and opened', async () => {
    const api = installFakeApi({
      'GET /api/results/office': officeHandler,
      'POST /api/downloads': () => json({ url: '/api/results/office.csv?level=year&dl_sig=abc', expiresAt: '2026-01-01T00:05:00.000Z' }),
    });
    const clicked: string[] = [];
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.getAttribute('href') ?? '');
    });
    renderWithProviders(<OfficeTable initialQuery={new URLSearchParams()} />);
    await screen.findByText('120 rows');

    await userEvent.click(screen.getByRole('link', { name: 'Export CSV' }));

    await waitFor(() => expect(clicked).toEqual(['/api/results/office.csv?level=year&dl_sig=abc']));
    const request = api.calls.find((c) => c.method === 'POST' && c.path === '/api/downloads');
    expect(request?.body).toMatchObject({ path: expect.stringMatching(/^\/api\/results\/office\.csv\?/) });
    click.mockRestore();
  });

  it('when the signed link cannot be had, then the error is shown with a retry', async () => {
    installFakeApi({
      'GET /api/results/office': officeHandler,
      'POST /api/downloads': () => apiError(401, 'UNAUTHENTICATED', 'Sign in again.'),
    });
    renderWithProviders(<OfficeTable initialQuery={new URLSearchParams()} />);
    await screen.findByText('120 rows');
    await userEvent.click(screen.getByRole('link', { name: 'Export CSV' }));
    expect(await screen.findByText(/Sign in again/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Retry|Try again/ })).toBeInTheDocument();
  });
});

describe('Office table and the privacy threshold', () => {
  const page = (rows: ReturnType<typeof officeRow>[]) => json({ rows, total: rows.length, page: 1, pageSize: 50, level: 'year', buckets: [] });
  const rowOf = (name: string) => screen.getByRole('link', { name }).closest('tr') as HTMLElement;

  it('when a row is hidden, then it shows its score and band, "Hidden" for its activity, and one sentence says why', async () => {
    installFakeApi({
      'GET /api/results/office': () =>
        page([officeRow({ AccountName: 'Fabrikam' }), hiddenRow({ AccountId: 'B-002', AccountName: 'Litware', EngagementScore: 14, EngagementBand: 'Low' }, 2)]),
    });

    renderWithProviders(<OfficeTable initialQuery={new URLSearchParams()} />);

    expect(await screen.findByText('Activity details are hidden on rows marked “Hidden” because fewer than 2 colleagues work with those accounts in that period (privacy setting).')).toBeInTheDocument();
    const litware = within(rowOf('Litware'));
    expect(litware.getByText('14')).toBeInTheDocument();
    expect(litware.getByText('Low')).toBeInTheDocument();
    // The 16 activity columns; the kept ones (name, score, band, change, period, level) are shown.
    expect(litware.getAllByText('Hidden')).toHaveLength(16);
    expect(within(rowOf('Fabrikam')).queryByText('Hidden')).not.toBeInTheDocument();
  });

  it('when no row is hidden (an admin, or the default threshold), then there is no sentence and no "Hidden" cell', async () => {
    installFakeApi({ 'GET /api/results/office': () => page([officeRow({ AccountName: 'Fabrikam', DaysSinceLastMeeting: null })]) });

    renderWithProviders(<OfficeTable initialQuery={new URLSearchParams()} />);

    expect(await screen.findByText('1 row')).toBeInTheDocument();
    expect(screen.queryByText(/privacy setting/)).not.toBeInTheDocument();
    expect(screen.queryByText('Hidden')).not.toBeInTheDocument();
    // A null on a visible row still reads as no value.
    expect(within(rowOf('Fabrikam')).getAllByText('—').length).toBeGreaterThan(0);
  });
});
