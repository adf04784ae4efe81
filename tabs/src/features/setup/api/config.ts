import { apiRequest } from '../../../lib/api-client';
import type { ConfigState, FieldMapping, Schedule } from '../../../lib/api-types';
import { useResource } from '../../../lib/use-resource';

export function getConfig(signal?: AbortSignal): Promise<ConfigState> {
  return apiRequest<ConfigState>('/api/config', { signal });
}
export function useConfig() {
  return useResource('config', getConfig);
}

export interface SaveConfigBody {
  name: string;
  orgEntries: string[];
  consentAccepted: true;
  contacts: { datasetId: string; mapping: FieldMapping };
  accounts?: { datasetId: string; mapping: Partial<FieldMapping> };
  schedule?: Schedule;
  /** Absent keeps the saved one; null removes it. */
  tenantAdmin?: { name: string; email: string } | null;
  expectedVersion?: number;
}
export function saveConfig(body: SaveConfigBody): Promise<ConfigState> {
  return apiRequest('/api/config', { method: 'PUT', body });
}
