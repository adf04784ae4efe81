import { apiRequest } from '../../../lib/api-client';
import type { OfficePage } from '../../../lib/api-types';
import { useResource } from '../../../lib/use-resource';

export const TOP_ACCOUNTS_QUERY = { level: 'year', sort: 'EngagementScore', order: 'desc', pageSize: 10 } as const;

export function getTopAccounts(signal?: AbortSignal): Promise<OfficePage> {
  return apiRequest<OfficePage>('/api/results/office', { query: { ...TOP_ACCOUNTS_QUERY }, signal });
}

/** Fetched only once the overview shows there are results. */
export function useTopAccounts(enabled: boolean) {
  return useResource(enabled ? 'top-accounts' : null, getTopAccounts);
}
