import { apiRequest } from '../../../lib/api-client';
import type { AccountDetail } from '../../../lib/api-types';
import { useResource } from '../../../lib/use-resource';

export function getAccount(accountId: string, signal?: AbortSignal): Promise<AccountDetail> {
  return apiRequest<AccountDetail>(`/api/accounts/${encodeURIComponent(accountId)}`, { signal });
}

export function useAccount(accountId: string) {
  return useResource(`account:${accountId}`, (signal) => getAccount(accountId, signal));
}
