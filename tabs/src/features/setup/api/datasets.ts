import type { UploadProblem } from '../../../../../api/src/contract';
import { ApiError, apiRequest } from '../../../lib/api-client';
import type { DatasetUpload, FieldMapping, MappingResult } from '../../../lib/api-types';

/** How the server split the file into columns (docs/api.md: POST /api/datasets). */
export type CsvDelimiter = 'comma' | 'semicolon' | 'tab';
/**
 * The upload answer with the detected delimiter. Declared here until the wire types are
 * generated from the API's contract (issue 14 item 4); absent from answers of older servers.
 */
export type UploadedDataset = DatasetUpload & { delimiter?: CsvDelimiter };

/**
 * Sends the CSV file as the request body (`text/csv`), as docs/api.md asks. `skipInvalid`
 * imports the rows that can be read and sets the others aside (docs/api.md, “Uploads”).
 */
export function uploadDataset(kind: 'contacts' | 'accounts', file: File, options: { skipInvalid?: boolean } = {}): Promise<UploadedDataset> {
  return apiRequest<UploadedDataset>('/api/datasets', {
    method: 'POST',
    query: { kind, fileName: file.name, skipInvalid: options.skipInvalid ? 'true' : undefined },
    body: file,
    contentType: 'text/csv',
  });
}

/** Why an upload was refused, as the API describes it (`UploadProblem` in api/src/contract/datasets.ts). */
export function uploadProblemOf(error: unknown): UploadProblem | null {
  if (!(error instanceof ApiError) || !['CSV_MALFORMED', 'CSV_MISSING_COLUMN', 'ENCODING_INVALID'].includes(error.code)) return null;
  // Type-only import of the contract: the tab does not ship its schemas, so the shape is checked by hand.
  const details = error.details as Partial<UploadProblem> | undefined;
  return typeof details?.problem === 'string' && typeof details.fileName === 'string' ? (details as UploadProblem) : null;
}

/** GET /api/datasets/template.csv: a template, downloaded through a signed link (lib/use-export.ts). */
export function templatePath(kind: 'contacts' | 'accounts'): string {
  return `/api/datasets/template.csv?${new URLSearchParams({ kind }).toString()}`;
}

/** GET /api/datasets/{id}/rejected.csv: the rows a partial import set aside, with their reasons, through a signed link. */
export function rejectedRowsPath(datasetId: string): string {
  return `/api/datasets/${encodeURIComponent(datasetId)}/rejected.csv`;
}

export function mapDataset(datasetId: string, mapping: FieldMapping): Promise<MappingResult> {
  return apiRequest<MappingResult>(`/api/datasets/${encodeURIComponent(datasetId)}/mapping`, { method: 'POST', body: mapping });
}

/** An uploaded dataset as its upload answered (to edit a saved configuration without uploading again). */
export function getDataset(datasetId: string): Promise<UploadedDataset> {
  return apiRequest<UploadedDataset>(`/api/datasets/${encodeURIComponent(datasetId)}`);
}
