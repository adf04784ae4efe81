import { apiRequest } from '../../../lib/api-client';
import type { Timeline } from '../../../lib/api-types';
import { useResource } from '../../../lib/use-resource';

export function getTimeline(mine: boolean, signal?: AbortSignal): Promise<Timeline> {
  return apiRequest<Timeline>('/api/results/timeline', { query: mine ? { owner: 'me' } : {}, signal });
}

export function useTimeline(enabled: boolean, mine: boolean) {
  return useResource(enabled ? `timeline:${mine ? 'mine' : 'all'}` : null, (signal) => getTimeline(mine, signal));
}
