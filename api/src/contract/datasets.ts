/** Customer datasets on the wire: the CSV upload, its stored form and the mapping report. */
import { z } from 'zod';
import { isoDateTime } from './common';

export const DATASET_KINDS = ['contacts', 'accounts'] as const;

export const uploadQuerySchema = z.object({
  kind: z.enum(DATASET_KINDS, { message: 'must be "contacts" or "accounts"' }).default('contacts'),
  fileName: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^/\\\0]+$/, 'must be a plain file name')
    .default('upload.csv')
    .describe('The file’s name as the person chose it (shown in the wizard).'),
  skipInvalid: z
    .enum(['true', 'false'], { message: 'must be "true" or "false"' })
    .default('false')
    .transform((v) => v === 'true')
    .describe(
      'false (the default): a file with any unreadable row is refused (400 CSV_MALFORMED naming the first one). true: the readable rows are stored and the others set aside, with their reasons, in GET /api/datasets/{id}/rejected.csv.',
    ),
});

export const templateQuerySchema = z.object({
  kind: z.enum(DATASET_KINDS, { message: 'must be "contacts" or "accounts"' }).default('contacts'),
});

/** Why a row was set aside (docs/api.md, “Uploads”). */
export const ROW_PROBLEMS = ['tooManyValues', 'tooFewValues', 'strayQuote', 'textAfterQuote', 'unclosedQuote'] as const;

const rejectedRowSchema = z.object({
  row: z.number().int().min(2).describe('The row as Excel numbers it: the header is row 1.'),
  line: z.number().int().min(1).describe('The physical line the row starts on.'),
  problem: z.enum(ROW_PROBLEMS),
  column: z.string().nullable().optional().describe('The column of a quote problem (null past the last column).'),
  columnNumber: z.number().int().min(1).optional(),
  found: z.number().int().min(0).optional().describe('How many values the row has (tooManyValues, tooFewValues).'),
});

/**
 * The `details` of a refused upload (400 CSV_MALFORMED, CSV_MISSING_COLUMN or ENCODING_INVALID),
 * from which a client words the problem in its own language. `problem` says what kind; the row
 * fields describe the first rejected row when rows are the problem.
 */
export const uploadProblemSchema = z
  .object({
    fileName: z.string(),
    problem: z.enum(['empty', 'headerOnly', 'headerQuote', 'duplicateColumn', 'emptyColumnName', 'tooManyRows', 'noEmailColumn', 'noValidRows', 'rowsRejected', 'encoding']),
    row: z.number().int().min(1).optional(),
    line: z.number().int().min(1).optional(),
    rowProblem: z.enum(ROW_PROBLEMS).optional(),
    column: z.union([z.string(), z.number()]).nullable().optional().describe('A column name, or the 1-based number of an unnamed header column.'),
    columnNumber: z.number().int().min(1).optional(),
    found: z.number().int().min(0).optional(),
    expected: z.number().int().min(1).optional().describe('How many columns the header has.'),
    delimiter: z.enum(['comma', 'semicolon', 'tab']).optional(),
    validRows: z.number().int().min(0).optional(),
    rejectedRows: z.number().int().min(0).optional(),
    rejected: z.array(rejectedRowSchema).optional().describe('The first 20 rejected rows.'),
    columns: z.array(z.string()).optional(),
    maxRows: z.number().int().min(1).optional(),
    byteOffset: z.number().int().min(0).optional(),
  })
  .meta({ id: 'UploadProblem' });
export type UploadProblem = z.infer<typeof uploadProblemSchema>;
// Any text: an id the server never handed out is answered 404 by the dataset service
// (isDatasetId in store/dataset-store.ts), the same way as one that was pruned.
export const datasetParamsSchema = z.object({ id: z.string().describe('The datasetId the upload answered.') });

export const datasetUploadSchema = z
  .object({
    datasetId: z.string(),
    kind: z.enum(DATASET_KINDS),
    fileName: z.string(),
    rows: z.number().int().min(0),
    columns: z.array(z.string()).describe('The header row.'),
    delimiter: z.enum(['comma', 'semicolon', 'tab']).describe('The field separator detected on the header and first rows.'),
    preview: z.array(z.record(z.string(), z.string())).describe('The first rows, keyed by column.'),
    rejectedRows: z.number().int().min(0).describe('Rows set aside by a partial import (skipInvalid=true); GET /api/datasets/{id}/rejected.csv lists them with a Reason.'),
  })
  .meta({ id: 'DatasetUpload' });
export type DatasetUpload = z.infer<typeof datasetUploadSchema>;

export const datasetListSchema = z.object({
  datasets: z.array(
    z
      .object({
        id: z.string(),
        kind: z.enum(DATASET_KINDS),
        fileName: z.string(),
        rows: z.number().int().min(0),
        rejectedRows: z.number().int().min(0).describe('Rows set aside by a partial import.'),
        columns: z.array(z.string()),
        uploadedAt: isoDateTime('When it was uploaded'),
        uploadedBy: z.string().describe('Object id of the admin who uploaded it.'),
      })
      .meta({ id: 'DatasetMeta' }),
  ),
});

export const datasetReportSchema = z
  .object({
    rows: z.number().int().min(0),
    contacts: z.number().int().min(0),
    accounts: z.number().int().min(0),
    rowsWithoutEmail: z.number().int().min(0),
    rowsWithoutAccount: z.number().int().min(0),
    invalidEmails: z.number().int().min(0),
    invalidEmailSamples: z.array(z.string()).describe('The first 20.'),
    multiAccountContacts: z.number().int().min(0).describe('Contacts listed under more than one account; the first is kept.'),
    multiAccountContactSamples: z.array(z.object({ email: z.string(), accountIds: z.array(z.string()), chosen: z.string() })),
    ambiguousDomains: z.array(z.string()).describe('Domains shared by several accounts: mail from them is not attributed by domain.'),
    ambiguousDomainDetails: z.array(z.object({ domain: z.string(), accountIds: z.array(z.string()) })),
    freemailOnlyAccounts: z.number().int().min(0),
    freemailOnlyAccountIds: z.array(z.string()),
    internalDomainsChecked: z.boolean().describe('False when the tenant’s verified domains could not be read (before consent).'),
  })
  .meta({ id: 'DatasetReport' });
export type DatasetReport = z.infer<typeof datasetReportSchema>;

export const mappingResultSchema = z
  .object({
    report: datasetReportSchema,
    accountsPreview: z.array(z.object({ accountId: z.string(), name: z.string().nullable(), contacts: z.number().int().min(0), domains: z.array(z.string()) })),
  })
  .meta({ id: 'MappingResult' });
export type MappingResult = z.infer<typeof mappingResultSchema>;
