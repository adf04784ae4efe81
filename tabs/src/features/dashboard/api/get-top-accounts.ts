import { apiRequest } from '../../../lib/api-client';
import type { OfficePage } from '../../../lib/api-types';
import { useResource } from '../../../lib/use-resource';

export const TOP_ACCOUNTS_QUERY = { level: 'year', sort: 'EngagementScore', order: 'desc', pageSize: 10 } as const;

export function getTopAccounts(mine: boolean, signal?: AbortSignal): Promise<OfficePage> {
  return apiRequest<OfficePage>('/api/results/office', { query: { ...TOP_ACCOUNTS_QUERY, ...(mine ? { owner: 'me' } : {}) }, signal });
}

/** Fetched only once the overview shows there are results; `mine`: the caller's own accounts. */
export function useTopAccounts(enabled: boolean, mine = false) {
  return useResource(enabled ? `top-accounts:${mine ? 'mine' : 'all'}` : null, (signal) => getTopAccounts(mine, signal));
}
