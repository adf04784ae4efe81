import { apiRequest } from '../../../lib/api-client';
import type { ConfigState, SavedConfig } from '../../../lib/api-types';
import { useResource } from '../../../lib/use-resource';

export function getConfig(signal?: AbortSignal): Promise<ConfigState> {
  return apiRequest<ConfigState>('/api/config', { signal });
}
export function useConfig() {
  return useResource('settings:config', getConfig);
}

/** PUT /api/config/rules: a new configuration version; 409 CONFIG_VERSION_CONFLICT when `expectedVersion` is no longer the newest. */
export function saveRules(rules: SavedConfig['rules'], expectedVersion: number): Promise<ConfigState> {
  return apiRequest<ConfigState>('/api/config/rules', { method: 'PUT', body: { rules, expectedVersion } });
}
