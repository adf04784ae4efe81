import { act, render, screen } from '@testing-library/react';
import { useEffect } from 'react';
import { I18nProvider } from '../../i18n/i18n';
import type { Locale } from '../../i18n/locale';
import { apiRequest } from '../api-client';
import { FRESHNESS_INTERVAL_MS, ResultsFreshnessProvider, useResultsFreshness } from '../results-freshness';
import { useResource } from '../use-resource';
import { apiError, installFakeApi, json } from '../../testing/fake-api';

interface Figures {
  accounts: number;
}

/** A view as the dashboard is one: data through useResource, a skeleton while loading, an error. */
function View({ seen }: { seen: { loading: number; objects: Set<unknown> } }) {
  const figures = useResource('figures', (signal) => apiRequest<Figures>('/api/results/overview', { signal }));
  useEffect(() => {
    if (figures.data) seen.objects.add(figures.data);
  }, [figures.data, seen]);
  if (figures.loading) seen.loading += 1;
  if (figures.error) return <p>Failed</p>;
  if (figures.loading && !figures.data) return <p>Loading</p>;
  return <p>{`Accounts: ${figures.data?.accounts}`}</p>;
}

function CheckNow() {
  const { check } = useResultsFreshness();
  return (
    <button type="button" onClick={check}>
      Check
    </button>
  );
}

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** A fake API whose current results and overview the test moves on. */
function fakeService() {
  const service = { runId: 'run-1' as string | null, accounts: 100, overviewFails: false };
  const api = installFakeApi({
    'GET /api/runs': (req) => {
      expect(req.query.get('limit')).toBe('1');
      return json({ runs: [], current: service.runId ? { runId: service.runId, finishedAt: '2026-03-02T12:00:00.000Z' } : null });
    },
    'GET /api/results/overview': () => (service.overviewFails ? apiError(503, 'INTERNAL', 'Restarting.') : json({ accounts: service.accounts })),
  });
  const count = (path: string) => api.calls.filter((c) => c.path === path).length;
  return { service, count };
}

async function renderApp(locale: Locale = 'en-US') {
  const seen = { loading: 0, objects: new Set<unknown>() };
  render(
    <I18nProvider locale={locale}>
      <ResultsFreshnessProvider>
        <View seen={seen} />
        <CheckNow />
      </ResultsFreshnessProvider>
    </I18nProvider>,
  );
  expect(await screen.findByText('Accounts: 100')).toBeInTheDocument();
  return seen;
}

async function advance(ms: number) {
  await act(async () => {
    await jest.advanceTimersByTimeAsync(ms);
  });
}

describe('results freshness', () => {
  beforeEach(() => {
    jest.useFakeTimers({ advanceTimers: true });
    setVisibility('visible');
  });
  afterEach(() => {
    jest.useRealTimers();
    setVisibility('visible');
  });

  it('when a run commits new results, then open views fetch again in the background, keep their data meanwhile, and a polite status says so', async () => {
    const { service, count } = fakeService();
    const seen = await renderApp();
    const loadsBefore = seen.loading;
    expect(count('/api/runs')).toBe(1);

    // Nothing new: the watcher asks again, the view does not.
    await advance(FRESHNESS_INTERVAL_MS);
    expect(count('/api/runs')).toBe(2);
    expect(count('/api/results/overview')).toBe(1);

    // A run (started anywhere) commits: the next tick finds it.
    service.runId = 'run-2';
    service.accounts = 120;
    await advance(FRESHNESS_INTERVAL_MS);
    expect(await screen.findByText('Accounts: 120')).toBeInTheDocument();
    expect(count('/api/results/overview')).toBe(2);
    // No skeleton, no loading flag: the old figures stayed until the new ones came.
    expect(seen.loading).toBe(loadsBefore);
    expect(screen.queryByText('Loading')).not.toBeInTheDocument();
    expect(screen.getByTestId('results-freshness')).toHaveTextContent(/^Results updated at .+\.$/);
    expect(screen.getByTestId('results-freshness')).toHaveAttribute('aria-live', 'polite');
  });

  it('when the tab is hidden, then it does not poll, and it checks at once when shown again', async () => {
    const { service, count } = fakeService();
    await renderApp();
    setVisibility('hidden');
    service.runId = 'run-2';
    service.accounts = 130;
    await advance(5 * FRESHNESS_INTERVAL_MS);
    expect(count('/api/runs')).toBe(1);
    expect(screen.getByText('Accounts: 100')).toBeInTheDocument();

    act(() => setVisibility('visible'));
    expect(await screen.findByText('Accounts: 130')).toBeInTheDocument();
    expect(count('/api/runs')).toBe(2);
  });

  it('when the background fetch fails, then the view keeps its data and shows no error', async () => {
    const { service, count } = fakeService();
    await renderApp();
    service.runId = 'run-2';
    service.overviewFails = true;
    await advance(FRESHNESS_INTERVAL_MS);
    expect(count('/api/results/overview')).toBe(2);
    expect(screen.getByText('Accounts: 100')).toBeInTheDocument();
    expect(screen.queryByText('Failed')).not.toBeInTheDocument();
  });

  it('when the new answer equals what is shown, then the view keeps the same object', async () => {
    const { service, count } = fakeService();
    const seen = await renderApp();
    service.runId = 'run-2';
    await advance(FRESHNESS_INTERVAL_MS);
    expect(count('/api/results/overview')).toBe(2);
    expect(seen.objects.size).toBe(1);
  });

  it('when asked to check now (the run panel saw its run end), then it asks at once instead of at the next tick', async () => {
    const { service, count } = fakeService();
    await renderApp();
    service.runId = 'run-2';
    service.accounts = 140;
    act(() => screen.getByRole('button', { name: 'Check' }).click());
    expect(await screen.findByText('Accounts: 140')).toBeInTheDocument();
    expect(count('/api/runs')).toBe(2);
  });

  it('when the first results arrive after an empty start, then the views fetch them', async () => {
    const { service } = fakeService();
    service.runId = null;
    await renderApp();
    service.runId = 'run-1';
    service.accounts = 150;
    await advance(FRESHNESS_INTERVAL_MS);
    expect(await screen.findByText('Accounts: 150')).toBeInTheDocument();
  });

  it('when the UI is in Indonesian, then the status is too', async () => {
    const { service } = fakeService();
    await renderApp('id-ID');
    service.runId = 'run-2';
    service.accounts = 160;
    await advance(FRESHNESS_INTERVAL_MS);
    expect(await screen.findByText('Accounts: 160')).toBeInTheDocument();
    expect(screen.getByTestId('results-freshness')).toHaveTextContent(/^Hasil diperbarui pukul .+\.$/);
  });
});
