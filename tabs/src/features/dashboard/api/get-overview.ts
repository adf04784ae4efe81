import { apiRequest } from '../../../lib/api-client';
import type { Overview } from '../../../lib/api-types';
import { useResource } from '../../../lib/use-resource';

export function getOverview(signal?: AbortSignal): Promise<Overview> {
  return apiRequest<Overview>('/api/results/overview', { signal });
}

export function useOverview() {
  return useResource('overview', getOverview);
}
