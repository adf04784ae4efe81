/**
 * Data freshness: after a run commits new results (whoever started it: the run panel, the weekly
 * schedule, the bot, the API), every open view shows them without a reload.
 *
 * One watcher polls `GET /api/runs?limit=1` while the tab is visible and compares `current.runId`,
 * the run whose results every view reads. When it changes, the results epoch goes up; every
 * resource loaded through `useResource` fetches again in the background, keeping its data on
 * screen until the new data is in (no skeleton, no flicker), and a polite live region says
 * "Results updated". A hidden tab does not poll (Page Visibility API); it checks at once when it
 * is shown again.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { apiRequest } from './api-client';
import type { RunList } from './api-types';
import { useI18n } from '../i18n/i18n';
import { VisuallyHidden } from '../components/visually-hidden';

/** How often the watcher asks while the tab is visible. */
export const FRESHNESS_INTERVAL_MS = 20_000;

export interface ResultsFreshness {
  /** Goes up by one each time newer results are committed; `useResource` refetches on a change. */
  epoch: number;
  /** Asks now instead of at the next tick (e.g. when the run panel saw its run end). */
  check: () => void;
}

const FreshnessContext = createContext<ResultsFreshness>({ epoch: 0, check: () => undefined });

export function useResultsFreshness(): ResultsFreshness {
  return useContext(FreshnessContext);
}

/** The results version: which run's results are current (null before the first commit). */
async function currentResultsRun(signal: AbortSignal): Promise<string | null> {
  const list = await apiRequest<RunList>('/api/runs', { query: { limit: 1 }, signal });
  return list.current?.runId ?? null;
}

function isVisible(): boolean {
  return typeof document === 'undefined' || document.visibilityState !== 'hidden';
}

export function ResultsFreshnessProvider({ children, intervalMs = FRESHNESS_INTERVAL_MS }: { children: ReactNode; intervalMs?: number }) {
  const { t, locale } = useI18n();
  const [epoch, setEpoch] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  /** undefined until the first answer: the first answer is the baseline, not a change. */
  const known = useRef<string | null | undefined>(undefined);
  const lastAsked = useRef(0);
  const inFlight = useRef<AbortController | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const live = useRef(true);
  const messages = useRef({ t, locale });
  messages.current = { t, locale };

  /** Set when a check is asked for while one is on the wire: that answer may predate the commit. */
  const again = useRef(false);

  const ask = useCallback(async (): Promise<void> => {
    if (inFlight.current) {
      again.current = true;
      return;
    }
    const controller = new AbortController();
    inFlight.current = controller;
    lastAsked.current = Date.now();
    try {
      const runId = await currentResultsRun(controller.signal);
      if (!live.current || controller.signal.aborted) return;
      if (known.current !== undefined && runId !== known.current) {
        setEpoch((e) => e + 1);
        const time = new Intl.DateTimeFormat(messages.current.locale, { hour: 'numeric', minute: '2-digit' }).format(new Date());
        setAnnouncement(messages.current.t.freshness.updated(time));
      }
      known.current = runId;
    } catch {
      // Offline or the service restarting: the next tick asks again; views keep what they show.
    } finally {
      if (inFlight.current === controller) inFlight.current = null;
    }
    if (again.current && live.current) {
      again.current = false;
      await ask();
    }
  }, []);

  const schedule = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = undefined;
    if (!live.current || !isVisible()) return;
    const wait = Math.max(0, lastAsked.current + intervalMs - Date.now());
    timer.current = setTimeout(() => {
      void ask().finally(schedule);
    }, wait);
  }, [ask, intervalMs]);

  const check = useCallback(() => {
    void ask().finally(schedule);
  }, [ask, schedule]);

  useEffect(() => {
    live.current = true;
    check();
    const onVisibility = () => {
      if (!isVisible()) {
        clearTimeout(timer.current);
        timer.current = undefined;
        return;
      }
      // Back in view: ask at once if the last answer is older than one interval.
      if (Date.now() - lastAsked.current >= intervalMs) check();
      else schedule();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      live.current = false;
      clearTimeout(timer.current);
      inFlight.current?.abort();
      inFlight.current = null;
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [check, schedule, intervalMs]);

  const value = useMemo<ResultsFreshness>(() => ({ epoch, check }), [epoch, check]);
  return (
    <FreshnessContext.Provider value={value}>
      {children}
      <VisuallyHidden>
        <span role="status" aria-live="polite" data-testid="results-freshness">
          {announcement}
        </span>
      </VisuallyHidden>
    </FreshnessContext.Provider>
  );
}
