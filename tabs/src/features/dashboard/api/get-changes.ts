import { apiRequest } from '../../../lib/api-client';
import type { Changes } from '../../../lib/api-types';
import { useResource } from '../../../lib/use-resource';

/** Accounts per list of "This week". */
export const CHANGES_LIMIT = 5;

export function getChanges(mine: boolean, signal?: AbortSignal): Promise<Changes> {
  return apiRequest<Changes>('/api/results/changes', { query: { limit: String(CHANGES_LIMIT), ...(mine ? { owner: 'me' } : {}) }, signal });
}

export function useChanges(enabled: boolean, mine: boolean) {
  return useResource(enabled ? `changes:${mine ? 'mine' : 'all'}` : null, (signal) => getChanges(mine, signal));
}
