import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RunPanel } from '../components/run-panel';
import { renderWithProviders } from '../../../testing/render';
import { apiError, installFakeApi, json } from '../../../testing/fake-api';
import { progress, runSummary } from '../../../testing/fixtures';

const schedule = { schedule: { dayOfWeek: 1, hour: 6, minute: 30, timeZone: 'UTC' }, nextRunAt: '2026-02-02T06:30:00.000Z' };

describe('Run panel', () => {
  it('when Run now is refused because consent is missing, then the reason is shown clearly', async () => {
    installFakeApi({
      'GET /api/runs': { runs: [] },
      'GET /api/schedule': schedule,
      'POST /api/runs': apiError(412, 'CONSENT_REQUIRED', 'Ask the tenant administrator to grant consent first.'),
    });
    renderWithProviders(<RunPanel />);
    expect(await screen.findByText('No runs yet.')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Run now' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The tenant administrator has not granted consent yet.');
    expect(alert).toHaveTextContent('Ask the tenant administrator to grant consent first.');
  });

  it('when a run starts and SSE is not available, then progress is polled every 2 s until it finishes', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    try {
      let polls = 0;
      const api = installFakeApi({
        'GET /api/runs': { runs: [] },
        'GET /api/schedule': schedule,
        'POST /api/runs': json(runSummary({ status: 'running', finishedAt: null, progress: progress({ phase: 'queued', percent: 0 }) }), 202),
        'GET /api/runs/:id': () =>
          ++polls < 2
            ? json(runSummary({ status: 'running', finishedAt: null, progress: progress({ errors: [{ mailbox: 'bob@contoso.com', code: 'GRAPH_MAILBOX_UNAVAILABLE', message: 'MailboxNotEnabledForRESTAPI' }] }) }))
            : json(runSummary({ status: 'partial' })),
      });
      renderWithProviders(<RunPanel />, { host: { inTeams: true } });
      await screen.findByText('No runs yet.');

      await userEvent.click(screen.getByRole('button', { name: 'Run now' }));

      const pane = screen.getByRole('region', { name: 'Progress details' });
      expect(await within(pane).findByText('Phase: Collecting mail and meetings')).toBeInTheDocument();
      expect(within(pane).getByRole('progressbar', { name: 'Phase: Collecting mail and meetings' })).toBeInTheDocument();
      expect(within(pane).getByText('12 of 30')).toBeInTheDocument();
      expect(within(pane).getByText('5,120')).toBeInTheDocument();
      const failures = within(pane).getByRole('region', { name: 'Mailboxes that could not be read' });
      expect(within(failures).getByRole('heading', { name: 'No Exchange Online mailbox (1 mailbox)' })).toBeInTheDocument();
      expect(failures).toHaveTextContent('This user has no Exchange Online mailbox that Microsoft Graph can read');
      expect(within(failures).getByRole('list', { name: 'Mailboxes' })).toHaveTextContent('bob@contoso.com');
      expect(within(pane).getByRole('status')).toHaveTextContent('Collecting mail and meetings, 40%');

      await act(async () => {
        await jest.advanceTimersByTimeAsync(2000);
      });

      expect(await within(pane).findByText('Phase: Done')).toBeInTheDocument();
      expect(api.calls.filter((c) => c.path === '/api/runs/run-1')).toHaveLength(2);
      expect(screen.getByRole('button', { name: 'Run now' })).toBeEnabled();
    } finally {
      jest.useRealTimers();
    }
  });

  it('when the page opens after a partial run, then the last run shows each failing mailbox with the Graph error in words and what to do', async () => {
    const denied = Array.from({ length: 7 }, (_, i) => ({
      mailbox: `seller${i + 1}@contoso.com`,
      code: 'ErrorAccessDenied',
      message: `seller${i + 1}@contoso.com is outside the mailboxes this app may read (Exchange RBAC for Applications or an application access policy).`,
    }));
    const failures = [...denied, { mailbox: 'carol@contoso.com', code: 'MailboxNotEnabledForRESTAPI', message: 'Microsoft Graph answered 404 MailboxNotEnabledForRESTAPI' }];
    installFakeApi({
      'GET /api/runs': { runs: [runSummary({ status: 'partial', failures, progress: progress({ phase: 'done', percent: 100, mailboxesDone: 30, errors: failures }) })], current: { runId: 'run-1', finishedAt: '2026-01-26T08:05:00.000Z' } },
      'GET /api/schedule': schedule,
    });
    renderWithProviders(<RunPanel />);

    const pane = await screen.findByRole('region', { name: 'Progress details' });
    expect(await within(pane).findByText(/^Last run: Partial, /)).toBeInTheDocument();
    const region = within(pane).getByRole('region', { name: 'Mailboxes that could not be read' });
    expect(region).toHaveTextContent('8 mailboxes could not be read.');
    // Access denied first (the table's order), its words and action once for all seven.
    const headings = within(region).getAllByRole('heading', { level: 5 }).map((h) => h.textContent);
    expect(headings).toEqual(['Access denied by Exchange (7 mailboxes)', 'No Exchange Online mailbox (1 mailbox)']);
    expect(region).toHaveTextContent('Rapport may not read this mailbox: an application access policy or an Exchange RBAC for Applications scope excludes it');
    expect(region).toHaveTextContent('Ask the Exchange admin to add these mailboxes to the group the policy or management scope names');
    const [deniedList] = within(region).getAllByRole('list', { name: 'Mailboxes' });
    expect(within(deniedList!).getAllByRole('listitem')).toHaveLength(5);
    expect(within(deniedList!).getAllByText('ErrorAccessDenied')).toHaveLength(5);

    const showAll = within(region).getByRole('button', { name: 'Show all 7' });
    expect(showAll).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(showAll);
    expect(within(deniedList!).getAllByRole('listitem')).toHaveLength(7);
    expect(within(region).getByRole('button', { name: 'Show fewer' })).toHaveAttribute('aria-expanded', 'true');
  });

  it('when the admin cancels a running run and confirms, then the run stops and the panel says so', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    try {
      const running = runSummary({ status: 'running', finishedAt: null, progress: progress() });
      const cancelled = runSummary({ status: 'cancelled', cancelledBy: 'Demo Admin', finishedAt: '2026-01-26T08:02:00.000Z', progress: progress({ phase: 'cancelled' }) });
      let state = running;
      const api = installFakeApi({
        'GET /api/runs': () => json({ runs: [state], current: null }),
        'GET /api/schedule': schedule,
        'GET /api/runs/:id': () => json(state),
        'POST /api/runs/:id/cancel': () => {
          state = cancelled;
          return json(cancelled);
        },
      });
      renderWithProviders(<RunPanel />, { host: { inTeams: true } });
      const cancel = await screen.findByRole('button', { name: 'Cancel run' });

      // Keep running: the dialog closes and nothing is sent.
      await userEvent.click(cancel);
      const dialog = await screen.findByRole('alertdialog', { name: 'Cancel this run?' });
      expect(dialog).toHaveTextContent('saves nothing from this run');
      await userEvent.click(within(dialog).getByRole('button', { name: 'Keep running' }));
      await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
      expect(api.calls.filter((c) => c.method === 'POST')).toHaveLength(0);

      // Confirm: the run is cancelled.
      await userEvent.click(screen.getByRole('button', { name: 'Cancel run' }));
      await userEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Cancel run' }));

      expect(await screen.findByText(/^Run cancelled by Demo Admin at .*Every view still shows the results of the last finished run\.$/)).toBeInTheDocument();
      expect(api.calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual(['/api/runs/run-1/cancel']);
      const pane = screen.getByRole('region', { name: 'Progress details' });
      expect(within(pane).getByText('Phase: Cancelled')).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Cancel run' })).not.toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Run now' })).toBeEnabled();
    } finally {
      jest.useRealTimers();
    }
  });

  it('when the run ended before the cancel arrived, then the API’s words say so', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    try {
      const running = runSummary({ status: 'running', finishedAt: null, progress: progress() });
      installFakeApi({
        'GET /api/runs': { runs: [running], current: null },
        'GET /api/schedule': schedule,
        'GET /api/runs/:id': running,
        'POST /api/runs/:id/cancel': apiError(409, 'RUN_NOT_RUNNING', 'Run run-1 already finished at 2026-01-26T08:05:00.000Z; its results are current. There is nothing to cancel.'),
      });
      renderWithProviders(<RunPanel />, { host: { inTeams: true } });
      await userEvent.click(await screen.findByRole('button', { name: 'Cancel run' }));
      await userEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Cancel run' }));

      const alert = await screen.findByRole('alert');
      expect(alert).toHaveTextContent('That run is not running, so there is nothing to cancel.');
      expect(alert).toHaveTextContent('its results are current');
    } finally {
      jest.useRealTimers();
    }
  });

  it('when the UI is in Indonesian, then the failures are worded in Indonesian', async () => {
    const failures = [{ mailbox: 'bob@contoso.com', code: 'ErrorAccessDenied', message: 'denied' }];
    installFakeApi({
      'GET /api/runs': { runs: [runSummary({ status: 'partial', failures, progress: progress({ phase: 'done', percent: 100, errors: failures }) })], current: null },
      'GET /api/schedule': schedule,
    });
    renderWithProviders(<RunPanel />, { locale: 'id-ID' });
    const region = await screen.findByRole('region', { name: 'Kotak surat yang tidak dapat dibaca' });
    expect(within(region).getByRole('heading', { name: 'Akses ditolak oleh Exchange (1 kotak surat)' })).toBeInTheDocument();
    expect(region).toHaveTextContent('Minta admin Exchange menambahkan kotak surat ini');
  });
});
