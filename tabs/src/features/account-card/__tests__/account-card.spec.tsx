import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AccountCard } from '../components/account-card';
import { renderWithProviders } from '../../../testing/render';
import { apiError, installFakeApi } from '../../../testing/fake-api';
import { canGoBack, trackHistory } from '../../../lib/router';
import { hiddenRow, officeRow } from '../../../testing/fixtures';

const detail = {
  account: { accountId: 'A-001', name: 'Fabrikam' },
  year: officeRow({ EngagementScore: 82, EngagementScoreChange: -3, NoOfEmails_ToAccount: 40, NoOfEmails_FromAccount: 35, NoOfMeetings_ToAccount: 9, NoOfMeetings_FromAccount: 3 }),
  months: [
    officeRow({ AggregationLevel: 'month', AggregationStartdate: '2026-01-01T00:00:00.000Z', NoOfEmails_ToAccount: 5, NoOfEmails_FromAccount: 4, NoOfMeetings_ToAccount: 2, NoOfMeetings_FromAccount: 0 }),
    officeRow({ AggregationLevel: 'month', AggregationStartdate: '2025-12-01T00:00:00.000Z', NoOfEmails_ToAccount: 3, NoOfEmails_FromAccount: 1, NoOfMeetings_ToAccount: 1, NoOfMeetings_FromAccount: 1 }),
  ],
  weeks: [officeRow({ AggregationLevel: 'week', AggregationStartdate: '2026-01-19T00:00:00.000Z', NoOfEmails_ToAccount: 2, NoOfEmails_FromAccount: 1, NoOfMeetings_ToAccount: 1, NoOfMeetings_FromAccount: 0 })],
  explanation: {
    score: 82,
    signals: [
      { signal: 'emails', value: 75, percentile: 0.9, weight: 0.3, points: 27 },
      { signal: 'meetings', value: 12, percentile: 0.8, weight: 0.3, points: 24 },
      { signal: 'breadth', value: 22, percentile: 0.7, weight: 0.15, points: 10.5 },
      { signal: 'recency', value: -3, percentile: 0.95, weight: 0.15, points: 14.3 },
      { signal: 'reciprocity', value: 0.875, percentile: 0.6, weight: 0.1, points: 8.8 },
    ],
  },
  stale: false,
};

describe('Customer card', () => {
  it('when the card loads, then it shows the score, change, totals and each signal of the explanation', async () => {
    const api = installFakeApi({ 'GET /api/accounts/:id': detail });

    renderWithProviders(<AccountCard accountId="A-001" />);

    expect(await screen.findByRole('heading', { level: 1, name: 'Fabrikam' })).toBeInTheDocument();
    expect(api.calls[0]?.params.id).toBe('A-001');
    expect(screen.getByLabelText('Engagement score: 82')).toBeInTheDocument();
    expect(screen.getByLabelText('down 3 points since the last run')).toHaveTextContent('▼ 3');
    expect(screen.getByText('Emails, last year').nextSibling).toHaveTextContent('75');
    expect(screen.getByText('Meetings, last year').nextSibling).toHaveTextContent('12');

    const meters = screen.getAllByRole('meter');
    expect(meters.map((m) => m.getAttribute('aria-label'))).toEqual([
      'Emails: 27 points',
      'Meetings: 24 points',
      'People involved: 10.5 points',
      'Recency: 14.3 points',
      'Reciprocity: 8.8 points',
    ]);
    expect(screen.getByText('27 points · weight 30% · percentile 90%')).toBeInTheDocument();
    expect(screen.getByText('Active')).toBeInTheDocument();
  });

  it('when the history switches to weeks, then the chart summary and data table follow', async () => {
    installFakeApi({ 'GET /api/accounts/:id': detail });
    renderWithProviders(<AccountCard accountId="A-001" />);
    expect(await screen.findByRole('figure', { name: 'Email and meeting history over 2 periods: 13 emails and 4 meetings.' })).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Chart data: Email and meeting history' });
    expect(within(table).getAllByRole('row').map((r) => r.textContent)).toEqual(['PeriodEmailsMeetings', 'Dec 202542', 'Jan 202692']);

    await userEvent.click(screen.getByRole('tab', { name: 'By week' }));

    expect(screen.getByRole('figure', { name: 'Email and meeting history over 1 period: 3 emails and 1 meeting.' })).toBeInTheDocument();
  });
});

describe('Customer card of an account hidden by the privacy threshold', () => {
  const hidden = {
    account: { accountId: 'B-002', name: 'Litware' },
    year: hiddenRow({ AccountId: 'B-002', AccountName: 'Litware', EngagementScore: 14, EngagementBand: 'Low', EngagementScoreChange: -2 }),
    months: [hiddenRow({ AccountId: 'B-002', AggregationLevel: 'month', AggregationStartdate: '2026-01-01T00:00:00.000Z' })],
    weeks: [],
    explanation: { score: 14, signals: [] },
    stale: false,
  };

  it('when a seller opens it, then the score, band and change show with the sentence saying why, and no activity, explanation, history or badge', async () => {
    installFakeApi({ 'GET /api/accounts/:id': hidden });

    renderWithProviders(<AccountCard accountId="B-002" />);

    expect(await screen.findByRole('heading', { level: 1, name: 'Litware' })).toBeInTheDocument();
    expect(screen.getByLabelText('Engagement score: 14')).toBeInTheDocument();
    expect(screen.getByText('Low')).toBeInTheDocument();
    expect(screen.getByLabelText('down 2 points since the last run')).toBeInTheDocument();
    expect(screen.getByText('Activity details are hidden because fewer than 3 colleagues work with this account (privacy setting).')).toBeInTheDocument();
    for (const absent of ['Emails, last year', 'Why this score', 'Recent touchpoints', 'Email and meeting history', 'Active', 'Stale', 'Never']) {
      expect(screen.queryByText(absent)).not.toBeInTheDocument();
    }
  });

  it('when the tab is in Indonesian, then the sentence is too', async () => {
    installFakeApi({ 'GET /api/accounts/:id': hidden });

    renderWithProviders(<AccountCard accountId="B-002" />, { locale: 'id-ID' });

    expect(await screen.findByText('Detail aktivitas disembunyikan karena kurang dari 3 rekan kerja yang bekerja dengan akun ini (pengaturan privasi).')).toBeInTheDocument();
  });

  it('when only some periods of a visible account are hidden, then the history leaves them out and says why', async () => {
    installFakeApi({
      'GET /api/accounts/:id': {
        ...detail,
        months: [detail.months[0]!, hiddenRow({ AggregationLevel: 'month', AggregationStartdate: '2025-12-01T00:00:00.000Z' }, 2)],
      },
    });

    renderWithProviders(<AccountCard accountId="A-001" />);

    expect(await screen.findByRole('figure', { name: 'Email and meeting history over 1 period: 9 emails and 2 meetings.' })).toBeInTheDocument();
    expect(screen.getByText('Periods in which fewer than 2 colleagues worked with this account are left out (privacy setting).')).toBeInTheDocument();
    expect(screen.getByText('Emails, last year').nextSibling).toHaveTextContent('75');
  });
});

describe('Customer card navigation', () => {
  afterEach(() => {
    window.history.replaceState(null, '', '#/');
  });

  it('when the account is not in the results, then it says so with Back and no pointless Retry', async () => {
    installFakeApi({ 'GET /api/accounts/:id': apiError(404, 'NOT_FOUND', 'There is no account "ZZZ" in the results.') });

    renderWithProviders(<AccountCard accountId="ZZZ" />);

    expect(await screen.findByRole('heading', { name: 'Account not found' })).toBeInTheDocument();
    expect(screen.getByText(/There is no account “ZZZ” in the latest results/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Retry' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Look for it in the Office table' })).toHaveAttribute('href', '#/office?q=ZZZ');
    expect(document.title).toBe('Account not found · Rapport');
  });

  it('when another error happens, then Retry is offered beside Back', async () => {
    installFakeApi({ 'GET /api/accounts/:id': apiError(500, 'INTERNAL', 'Something went wrong.') });
    renderWithProviders(<AccountCard accountId="A-001" />);
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Back' })).toBeInTheDocument();
  });

  it('when the card was opened directly (a deep link), then Back goes to the dashboard', async () => {
    installFakeApi({ 'GET /api/accounts/:id': detail });
    window.history.replaceState(null, '', '#/accounts/A-001');
    const stop = trackHistory();
    renderWithProviders(<AccountCard accountId="A-001" />);
    await screen.findByRole('heading', { level: 1, name: 'Fabrikam' });
    expect(document.title).toBe('Fabrikam · Rapport');

    await userEvent.click(screen.getByRole('button', { name: 'Back' }));

    expect(window.location.hash).toBe('#/');
    stop();
  });

  it('when the card was opened from a page of the tab, then Back returns there through history', async () => {
    installFakeApi({ 'GET /api/accounts/:id': detail });
    window.history.replaceState(null, '', '#/office?band=High');
    const stop = trackHistory();
    window.location.hash = '/accounts/A-001';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(canGoBack()).toBe(true);
    const back = jest.spyOn(window.history, 'back').mockImplementation(() => undefined);
    renderWithProviders(<AccountCard accountId="A-001" />);
    await screen.findByRole('heading', { level: 1, name: 'Fabrikam' });

    await userEvent.click(screen.getByRole('button', { name: 'Back' }));

    expect(back).toHaveBeenCalledTimes(1);
    back.mockRestore();
    stop();
  });
});
