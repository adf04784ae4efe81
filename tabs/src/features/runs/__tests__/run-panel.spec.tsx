import { act, screen, within } from '@testing-library/react';
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
      expect(within(pane).getByRole('table', { name: 'Mailbox errors' })).toHaveTextContent('bob@contoso.com');
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
});
