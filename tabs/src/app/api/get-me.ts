import { apiRequest } from '../../lib/api-client';
import type { Me } from '../../lib/api-types';
import { useResource } from '../../lib/use-resource';

export function getMe(signal?: AbortSignal): Promise<Me> {
  return apiRequest<Me>('/api/me', { signal });
}

export function useMe() {
  return useResource('me', getMe);
}
