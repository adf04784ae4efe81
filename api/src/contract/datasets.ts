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
});
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
