import { apiRequest } from '../../../lib/api-client';
import type { OfficeUserRow } from '../../../lib/api-types';
import { useResource } from '../../../lib/use-resource';

export function getUserTable(signal?: AbortSignal): Promise<{ rows: OfficeUserRow[] }> {
  return apiRequest<{ rows: OfficeUserRow[] }>('/api/results/user-table', { signal });
}

export function useUserTable() {
  return useResource('user-table', getUserTable);
}
