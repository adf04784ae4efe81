import { apiRequest, ApiError } from '../../../lib/api-client';
import type { ConfigState } from '../../../lib/api-types';
import { useResource } from '../../../lib/use-resource';
import type { ConfigHistory, ConfigPart } from '../../../../../api/src/contract';

export type { ConfigHistory, ConfigPart };

export function getConfiguration(signal?: AbortSignal): Promise<ConfigState> {
  return apiRequest<ConfigState>('/api/config', { signal });
}
export function useConfiguration() {
  return useResource('configuration', getConfiguration);
}

export function getConfigHistory(signal?: AbortSignal): Promise<ConfigHistory> {
  return apiRequest<ConfigHistory>('/api/config/history', { signal });
}
export function useConfigHistory() {
  return useResource('configuration-history', getConfigHistory);
}

export interface DatasetInfo {
  fileName: string;
  rows: number;
}

/** A configured file's name and row count; null when it is no longer stored (pruned, or a new data folder). */
export async function getDatasetInfo(datasetId: string, signal?: AbortSignal): Promise<DatasetInfo | null> {
  try {
    const { fileName, rows } = await apiRequest<DatasetInfo>(`/api/datasets/${encodeURIComponent(datasetId)}`, { signal });
    return { fileName, rows };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}
export function useDatasetInfo(datasetId: string | null) {
  return useResource(datasetId ? `dataset-info:${datasetId}` : null, (signal) => getDatasetInfo(datasetId ?? '', signal));
}
