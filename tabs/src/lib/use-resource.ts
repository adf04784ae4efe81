import { useCallback, useEffect, useRef, useState } from 'react';
import { useResultsFreshness } from './results-freshness';

export interface Resource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Fetches again with the same key. */
  reload: () => void;
}

/** Deep equality for JSON answers: an unchanged answer keeps the object on screen (no re-render downstream). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

/**
 * A small data hook: fetches whenever `key` changes (null = don't fetch), keeps the last data
 * while reloading, and ignores answers that arrive after the key moved on.
 *
 * It also fetches again, in the background, when newer results are committed (the results
 * epoch of `ResultsFreshnessProvider` goes up after any run, whoever started it). Such a refresh
 * keeps the data on screen: `loading` does not turn on, a failure keeps the old data (the next
 * change tries again), and an answer equal to what is shown keeps the same object, so a form
 * seeded from it is not reset.
 */
export function useResource<T>(key: string | null, fetcher: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const { epoch } = useResultsFreshness();
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: key !== null,
  });
  const [nonce, setNonce] = useState(0);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const last = useRef<{ key: string | null; nonce: number; epoch: number } | null>(null);

  useEffect(() => {
    const previous = last.current;
    last.current = { key, nonce, epoch };
    if (key === null) {
      setState((s) => ({ ...s, loading: false }));
      return;
    }
    // Only the epoch moved: the same request again, quietly.
    const background = previous !== null && previous.key === key && previous.nonce === nonce && previous.epoch !== epoch;
    const controller = new AbortController();
    if (!background) setState((s) => ({ data: s.data, error: undefined, loading: true }));
    fetcherRef.current(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return;
        setState((s) => {
          if (background && s.data !== undefined && sameJson(s.data, data)) return s.loading || s.error !== undefined ? { data: s.data, error: undefined, loading: false } : s;
          return { data, error: undefined, loading: false };
        });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((s) => (background && s.data !== undefined ? { ...s, loading: false } : { data: s.data, error, loading: false }));
      },
    );
    return () => controller.abort();
  }, [key, nonce, epoch]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { ...state, reload };
}
