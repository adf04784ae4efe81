import { apiRequest } from '../../../lib/api-client';
import type { DatasetUpload, FieldMapping, MappingResult } from '../../../lib/api-types';

/** Sends the CSV file as the request body (`text/csv`), as docs/api.md asks. */
export function uploadDataset(kind: 'contacts' | 'accounts', file: File): Promise<DatasetUpload> {
  return apiRequest<DatasetUpload>('/api/datasets', {
    method: 'POST',
    query: { kind, fileName: file.name },
    body: file,
    contentType: 'text/csv',
  });
}

export function mapDataset(datasetId: string, mapping: FieldMapping): Promise<MappingResult> {
  return apiRequest<MappingResult>(`/api/datasets/${encodeURIComponent(datasetId)}/mapping`, { method: 'POST', body: mapping });
}

/** An uploaded dataset as its upload answered (to edit a saved configuration without uploading again). */
export function getDataset(datasetId: string): Promise<DatasetUpload> {
  return apiRequest<DatasetUpload>(`/api/datasets/${encodeURIComponent(datasetId)}`);
}
