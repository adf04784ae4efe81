import { apiRequest } from '../../../lib/api-client';
import type { RunList, RunProgress, RunSummary } from '../../../lib/api-types';
import { useResource } from '../../../lib/use-resource';

export function getRuns(signal?: AbortSignal): Promise<RunList> {
  return apiRequest<RunList>('/api/runs', { signal });
}
export function useRuns() {
  return useResource('runs', getRuns);
}

export function getRun(id: string, signal?: AbortSignal): Promise<RunSummary> {
  return apiRequest<RunSummary>(`/api/runs/${encodeURIComponent(id)}`, { signal });
}

/** 202 with the new run; 409 RUN_IN_PROGRESS; 412 CONSENT_REQUIRED / NOT_CONFIGURED. */
export function startRun(full: boolean): Promise<RunSummary> {
  return apiRequest<RunSummary>('/api/runs', { method: 'POST', body: full ? { full: true } : {} });
}

/**
 * The run once it has stopped (`cancelled`), or still `running` with `cancelledBy` set if it is
 * finishing a step; 409 RUN_NOT_RUNNING when it already ended or is saving its results.
 */
export function cancelRun(id: string): Promise<RunSummary> {
  return apiRequest<RunSummary>(`/api/runs/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
}

export interface RunListener {
  onProgress: (progress: RunProgress) => void;
  /** The run ended (succeeded, partial, failed or cancelled); `summary` is null when only the SSE `failed` event said so. */
  onFinished: (summary: RunSummary | null) => void;
}

export const POLL_INTERVAL_MS = 2000;

/**
 * Follows a run live: SSE from GET /api/runs/{id}/events, falling back to polling
 * GET /api/runs/{id} every 2 s when SSE fails or cannot be used (EventSource cannot send the
 * Teams SSO bearer token, so inside Teams the tab polls). Returns a function that stops.
 */
export function followRun(runId: string, listener: RunListener, options: { sse: boolean }): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let source: EventSource | undefined;

  const finish = (summary: RunSummary | null) => {
    if (stopped) return;
    stop();
    listener.onFinished(summary);
  };

  const poll = async () => {
    if (stopped) return;
    try {
      const run = await getRun(runId);
      if (stopped) return;
      listener.onProgress(run.progress);
      if (run.status !== 'running') return finish(run);
    } catch {
      // A failed poll is retried on the next tick.
    }
    if (!stopped) timer = setTimeout(() => void poll(), POLL_INTERVAL_MS);
  };

  const stop = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    source?.close();
  };

  if (options.sse && typeof EventSource !== 'undefined') {
    source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
    source.addEventListener('progress', (event) => listener.onProgress(JSON.parse((event as MessageEvent<string>).data) as RunProgress));
    source.addEventListener('done', (event) => finish(JSON.parse((event as MessageEvent<string>).data) as RunSummary));
    source.addEventListener('cancelled', (event) => finish(JSON.parse((event as MessageEvent<string>).data) as RunSummary));
    source.addEventListener('failed', (event) => {
      const data = safeParse((event as MessageEvent<string>).data);
      finish(data && typeof data === 'object' && 'status' in data ? (data as RunSummary) : null);
    });
    source.onerror = () => {
      if (stopped) return;
      source?.close();
      source = undefined;
      void poll();
    };
  } else {
    void poll();
  }
  return stop;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
