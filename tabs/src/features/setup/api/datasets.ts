import { apiRequest } from '../../../lib/api-client';
import type { DatasetUpload, FieldMapping, MappingResult } from '../../../lib/api-types';

/** How the server split the file into columns (docs/api.md: POST /api/datasets). */
export type CsvDelimiter = 'comma' | 'semicolon' | 'tab';
/**
 * The upload answer with the detected delimiter. Declared here until the wire types are
 * generated from the API's contract (issue 14 item 4); absent from answers of older servers.
 */
export type UploadedDataset = DatasetUpload & { delimiter?: CsvDelimiter };

/** Sends the CSV file as the request body (`text/csv`), as docs/api.md asks. */
export function uploadDataset(kind: 'contacts' | 'accounts', file: File): Promise<UploadedDataset> {
  return apiRequest<UploadedDataset>('/api/datasets', {
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
export function getDataset(datasetId: string): Promise<UploadedDataset> {
  return apiRequest<UploadedDataset>(`/api/datasets/${encodeURIComponent(datasetId)}`);
}
