/**
 * Customer datasets: streamed CSV upload, field mapping with a validation report, and the
 * `CustomerDataset` a configuration version points at. Uploaded tables are immutable; a
 * configuration refers to them by id with its own mapping. Each is stored on its own through
 * `DatasetStore` (api/src/store/file-dataset-store.ts) and read only when a mapping report, a
 * save or a run needs its rows; unused ones are pruned by `datasetsToPrune` after each upload.
 */
import { randomUUID } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { buildAccountDirectory, type DirectoryReport } from '../engagement/account-directory';
import type { AccountRecord, CustomerDataset } from '../engagement/types';
import { toAccounts, toContacts, type CsvTable } from '../enrichment/customer-csv';
import type { TenantGateway } from '../enrichment/ports';
import { AppError } from '../errors';
import type { Clock } from './clock';
import type { MappingBody } from '../contract/config';
import type { Logger } from './logger';
import type { AccountMappingConfig, AppState, ContactMappingConfig, DatasetMeta } from './state';
import type { DocumentStore } from '../store/document-store';
import { datasetNotFound, type DatasetRecord, type DatasetStore } from '../store/dataset-store';
import { importCsv, ImportSlots, type CsvImportOptions } from './csv-import';
import { rejectedReasonColumn } from './csv-import-rows';
import { CSV_DELIMITERS } from '../enrichment/customer-csv';
import { DEFAULT_PRUNE_POLICY, datasetsToPrune, IN_USE_AFTER_READ_MS, type PrunePolicy } from './dataset-prune';

export type DatasetKind = 'contacts' | 'accounts';

export interface DatasetUpload {
  datasetId: string;
  kind: DatasetKind;
  fileName: string;
  rows: number;
  columns: string[];
  /** The field separator detected in the file. */
  delimiter: CsvTable['delimiter'];
  preview: Record<string, string>[];
  /** Rows of the file set aside as unreadable (a partial import, `skipInvalid`); their CSV is GET /api/datasets/{id}/rejected.csv. */
  rejectedRows: number;
}

/** GET /api/datasets: the stored datasets, field by field. */
export interface DatasetListItem extends DatasetMeta {
  rejectedRows: number;
}

/** The wire `DatasetReport` (docs/api.md): counts the wizard shows, plus samples to act on. */
export interface DatasetReport {
  rows: number;
  contacts: number;
  accounts: number;
  rowsWithoutEmail: number;
  rowsWithoutAccount: number;
  invalidEmails: number;
  invalidEmailSamples: string[];
  multiAccountContacts: number;
  multiAccountContactSamples: DirectoryReport['multiAccountContacts'];
  ambiguousDomains: string[];
  ambiguousDomainDetails: DirectoryReport['ambiguousDomains'];
  freemailOnlyAccounts: number;
  freemailOnlyAccountIds: string[];
  /** False when the tenant's verified domains could not be read (before consent). */
  internalDomainsChecked: boolean;
}

export interface AccountPreview {
  accountId: string;
  name: string | null;
  contacts: number;
  domains: string[];
}

export interface DatasetServiceOptions extends Partial<PrunePolicy> {
  /** Largest accepted upload. @default 100 MiB */
  maxUploadBytes?: number;
  /** Where an upload is parsed (csv-import.ts). @default small ones inline, the rest in a worker thread */
  csvImport?: CsvImportOptions;
}

/** Uploads parsed at once; each holds its table in its worker's heap until it is written. */
const PARALLEL_IMPORTS = 2;

const SAMPLE = 20;
const PREVIEW_ACCOUNTS = 20;

export class DatasetService {
  readonly maxUploadBytes: number;
  private readonly prunePolicy: PrunePolicy;
  /** When each dataset's rows were last read: a wizard in progress keeps its dataset from pruning. */
  private readonly lastRead = new Map<string, number>();
  private readonly imports = new ImportSlots(PARALLEL_IMPORTS);
  private readonly csvImport: CsvImportOptions;

  constructor(
    private readonly deps: {
      datasets: DatasetStore;
      state: DocumentStore<AppState>;
      gateway: TenantGateway;
      clock: Clock;
      logger: Logger;
    },
    options: DatasetServiceOptions = {},
  ) {
    this.maxUploadBytes = options.maxUploadBytes ?? 100 * 1024 * 1024;
    this.prunePolicy = {
      keepUnreferenced: Math.max(1, options.keepUnreferenced ?? DEFAULT_PRUNE_POLICY.keepUnreferenced),
      maxUnreferencedBytes: options.maxUnreferencedBytes ?? DEFAULT_PRUNE_POLICY.maxUnreferencedBytes,
    };
    this.csvImport = options.csvImport ?? {};
  }

  /**
   * Parses the CSV as it streams in (a large one in a worker thread: csv-import.ts) into the
   * dataset's rows file; nothing is stored unless the whole file parses.
   */
  async upload(input: Readable, meta: { kind: DatasetKind; fileName: string; uploadedBy: string; skipInvalid?: boolean }): Promise<DatasetUpload> {
    const limited = input.pipe(byteLimit(this.maxUploadBytes, meta.fileName));
    input.on('error', (e) => limited.destroy(e));
    // A client that hangs up closes the request, often without an error: the upload ends there.
    input.on('close', () => {
      if (!input.readableEnded) limited.destroy();
    });
    // importCsv reads the stream's errors; while an upload waits for a slot they must not go unhandled.
    limited.on('error', () => undefined);
    const id = `ds_${randomUUID()}`;
    const header = { id, kind: meta.kind, fileName: meta.fileName, uploadedAt: this.deps.clock.now().toISOString(), uploadedBy: meta.uploadedBy };
    const record = await this.imports.run(() =>
      this.deps.datasets.createFromFile(header, (file, rejectedFile) =>
        importCsv(limited, { fileName: meta.fileName, file, rejectedFile, kind: meta.kind, skipInvalid: meta.skipInvalid ?? false }, this.csvImport),
      ),
    );
    this.deps.logger.info('dataset uploaded', { datasetId: id, kind: meta.kind, rows: record.rows, rejectedRows: record.rejectedRows ?? 0, bytes: record.bytes });
    await this.prune();
    return describe(record);
  }

  /** GET /api/datasets/{id}: what the upload answered, so a saved configuration can be edited without uploading again. */
  async get(id: string): Promise<DatasetUpload> {
    return describe(await this.record(id));
  }

  async list(): Promise<DatasetListItem[]> {
    // The wire shape of GET /api/datasets, field by field: the stored record holds more.
    return (await this.deps.datasets.list()).map((r) => ({
      id: r.id,
      kind: r.kind,
      fileName: r.fileName,
      rows: r.rows,
      rejectedRows: r.rejectedRows ?? 0,
      columns: r.columns,
      uploadedAt: r.uploadedAt,
      uploadedBy: r.uploadedBy,
    }));
  }

  /**
   * GET /api/datasets/{id}/rejected.csv: the rows a partial import set aside, with a Reason
   * column; just the header when none was.
   */
  async rejectedRows(id: string): Promise<{ fileName: string; csv: Readable }> {
    const record = await this.record(id);
    const fileName = `${record.fileName.replace(/\.csv$/i, '')}-rejected.csv`;
    const stored = await this.deps.datasets.openRejected(id);
    if (stored) return { fileName, csv: stored };
    const separator = CSV_DELIMITERS[record.delimiter];
    const header = [rejectedReasonColumn(record.columns), ...record.columns].map((c) => (/["\r\n]/.test(c) || c.includes(separator) ? `"${c.replaceAll('"', '""')}"` : c));
    return { fileName, csv: Readable.from([`\uFEFF${header.join(separator)}\r\n`]) };
  }

  async table(id: string, kind: DatasetKind, field: string): Promise<CsvTable> {
    const record = await this.record(id, field);
    if (record.kind !== kind) {
      throw new AppError('VALIDATION_FAILED', `${field}: dataset "${id}" (${record.fileName}) was uploaded as ${record.kind}, not ${kind}.`, {
        datasetId: id,
      });
    }
    this.lastRead.set(id, this.deps.clock.now().getTime());
    return { fileName: record.fileName, columns: record.columns, rows: await this.deps.datasets.readRows(id), delimiter: record.delimiter };
  }

  /** The dataset a configuration describes; throws a clear error when a column is missing. */
  async customerDataset(
    contacts: { datasetId: string; mapping: ContactMappingConfig },
    accounts?: { datasetId: string; mapping: AccountMappingConfig },
  ): Promise<{ dataset: CustomerDataset; rows: number; rowsWithoutAccount: number }> {
    const contactTable = await this.table(contacts.datasetId, 'contacts', 'contacts.datasetId');
    const mapped = toContacts(contactTable, contacts.mapping);
    let accountRecords: AccountRecord[] | undefined;
    if (accounts) {
      const accountTable = await this.table(accounts.datasetId, 'accounts', 'accounts.datasetId');
      accountRecords = toAccounts(accountTable, accounts.mapping);
    } else if (contacts.mapping.domain) {
      // A domain column on the contacts file describes the contact's account.
      accountRecords = toAccounts(contactTable, { accountId: contacts.mapping.accountId, name: contacts.mapping.accountName, domain: contacts.mapping.domain });
    }
    return {
      dataset: { contacts: mapped.contacts, ...(accountRecords ? { accounts: accountRecords } : {}) },
      rows: contactTable.rows.length,
      rowsWithoutAccount: mapped.rowsWithoutAccount,
    };
  }

  /** POST /api/datasets/{id}/mapping: what the mapping gives, before anything is saved. */
  async mappingReport(datasetId: string, body: MappingBody, extraInternalDomains: readonly string[] = []): Promise<{ report: DatasetReport; accountsPreview: AccountPreview[] }> {
    const accounts = body.accountsDatasetId
      ? {
          datasetId: body.accountsDatasetId,
          mapping: body.accountsMapping ?? (await this.defaultAccountsMapping(body)),
        }
      : undefined;
    const { dataset, rows, rowsWithoutAccount } = await this.customerDataset(
      { datasetId, mapping: { email: body.email, accountId: body.accountId, accountName: body.accountName, domain: body.domain } },
      accounts,
    );
    const internal = await this.verifiedDomains();
    const { directory, report } = buildAccountDirectory(dataset, [...(internal ?? []), ...extraInternalDomains]);
    const contactsPerAccount = new Map<string, number>();
    for (const c of dataset.contacts) contactsPerAccount.set(c.accountId, (contactsPerAccount.get(c.accountId) ?? 0) + 1);
    return {
      report: {
        rows,
        contacts: report.contacts,
        accounts: report.accounts,
        rowsWithoutEmail: report.rowsWithoutEmail,
        rowsWithoutAccount: rowsWithoutAccount + report.rowsWithoutAccount,
        invalidEmails: report.invalidEmailCount,
        invalidEmailSamples: report.invalidEmails.slice(0, SAMPLE),
        multiAccountContacts: report.multiAccountContacts.length,
        multiAccountContactSamples: report.multiAccountContacts.slice(0, SAMPLE),
        ambiguousDomains: report.ambiguousDomains.map((d) => d.domain),
        ambiguousDomainDetails: report.ambiguousDomains.slice(0, SAMPLE),
        freemailOnlyAccounts: report.freemailOnlyAccounts.length,
        freemailOnlyAccountIds: report.freemailOnlyAccounts.slice(0, SAMPLE),
        internalDomainsChecked: internal !== null,
      },
      accountsPreview: directory.accounts.slice(0, PREVIEW_ACCOUNTS).map((a) => ({
        accountId: a.accountId,
        name: a.name,
        contacts: contactsPerAccount.get(a.accountId) ?? 0,
        domains: [...directory.domainsOf(a.accountId)],
      })),
    };
  }

  /** Without an explicit accounts mapping, the accounts file uses the contacts mapping's column names where it has them. */
  private async defaultAccountsMapping(body: MappingBody): Promise<AccountMappingConfig> {
    const record = await this.record(body.accountsDatasetId!, 'accountsDatasetId');
    const has = (c: string | undefined): string | undefined => (c !== undefined && record.columns.includes(c) ? c : undefined);
    return { accountId: body.accountId, name: has(body.accountName), domain: has(body.domain) };
  }

  /** The tenant's verified domains, or null when the directory cannot be read yet (no consent). */
  private async verifiedDomains(): Promise<string[] | null> {
    try {
      return (await this.deps.gateway.newSource().organization()).verifiedDomains;
    } catch (e) {
      this.deps.logger.info('verified domains unavailable for the mapping report', { reason: (e as Error).message });
      return null;
    }
  }

  /** The stored record; NOT_FOUND (naming `field` when given) for an unknown or malformed id. */
  private async record(id: string, field?: string): Promise<DatasetRecord> {
    const record = await this.deps.datasets.get(id);
    if (!record) throw datasetNotFound(id, field);
    return record;
  }

  /**
   * Applies the pruning policy (dataset-prune.ts) after an upload. The upload is committed by
   * then, so a failure here is logged, not answered: the next upload tries again.
   */
  private async prune(): Promise<void> {
    try {
      const now = this.deps.clock.now().getTime();
      const inUse = referencedDatasetIds(await this.deps.state.read());
      for (const [id, at] of this.lastRead) {
        if (now - at < IN_USE_AFTER_READ_MS) inUse.add(id);
        else this.lastRead.delete(id);
      }
      const ids = datasetsToPrune(await this.deps.datasets.list(), inUse, this.prunePolicy);
      if (ids.length === 0) return;
      await this.deps.datasets.remove(ids);
      this.deps.logger.info('unused datasets pruned', { datasetIds: ids, policy: this.prunePolicy });
    } catch (e) {
      this.deps.logger.warn('pruning unused datasets failed; the next upload tries again', { error: (e as Error).message });
    }
  }
}

function describe(record: DatasetRecord): DatasetUpload {
  return {
    datasetId: record.id,
    kind: record.kind,
    fileName: record.fileName,
    rows: record.rows,
    columns: record.columns,
    delimiter: record.delimiter,
    preview: record.preview.map((row) => Object.fromEntries(record.columns.map((c, i) => [c, row[i] ?? '']))),
    rejectedRows: record.rejectedRows ?? 0,
  };
}

/**
 * GET /api/datasets/template.csv: a header and two rows of obviously made-up example.com data,
 * with the column names the wizard maps by itself. The two kinds share their account ids, so
 * both templates together make a working pair. CRLF and a BOM: Excel opens it as UTF-8.
 */
export function datasetTemplate(kind: DatasetKind): string {
  const lines =
    kind === 'contacts'
      ? [
          'Email,AccountId,AccountName,Domain',
          'ana.example@alpha.example.com,ACC-0001,Alpha Example Ltd,alpha.example.com',
          'budi.example@beta.example.com,ACC-0002,Beta Example Inc,beta.example.com',
        ]
      : ['AccountId,AccountName,Domain', 'ACC-0001,Alpha Example Ltd,alpha.example.com', 'ACC-0002,Beta Example Inc,beta.example.com'];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function referencedDatasetIds(state: AppState): Set<string> {
  const ids = new Set<string>();
  for (const v of state.configVersions) {
    ids.add(v.config.contacts.datasetId);
    if (v.config.accounts) ids.add(v.config.accounts.datasetId);
  }
  return ids;
}

/** Fails the stream with PAYLOAD_TOO_LARGE once more than `max` bytes went through. */
function byteLimit(max: number, fileName: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > max) {
        callback(new AppError('PAYLOAD_TOO_LARGE', `${fileName} is larger than ${Math.round(max / 1024 / 1024)} MB; split it or remove unused columns.`, { maxBytes: max }));
        return;
      }
      callback(null, chunk);
    },
  });
}
