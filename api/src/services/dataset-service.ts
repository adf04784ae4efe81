/**
 * Customer datasets: streamed CSV upload, field mapping with a validation report, and the
 * `CustomerDataset` a configuration version points at. Uploaded tables are immutable; a
 * configuration refers to them by id with its own mapping.
 */
import { randomUUID } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { buildAccountDirectory, type DirectoryReport } from '../engagement/account-directory';
import type { AccountRecord, CustomerDataset } from '../engagement/types';
import { readCsvTable, toAccounts, toContacts, type CsvTable } from '../enrichment/customer-csv';
import type { TenantGateway } from '../enrichment/ports';
import { AppError } from '../errors';
import type { Clock } from './clock';
import type { MappingBody } from './config-schemas';
import type { Logger } from './logger';
import type { AccountMappingConfig, AppState, ContactMappingConfig, DatasetMeta, DatasetsDocument, StoredDataset } from './state';
import type { DocumentStore } from '../store/document-store';

export type DatasetKind = 'contacts' | 'accounts';

export interface DatasetUpload {
  datasetId: string;
  kind: DatasetKind;
  fileName: string;
  rows: number;
  columns: string[];
  preview: Record<string, string>[];
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

export interface DatasetServiceOptions {
  /** Largest accepted upload. @default 100 MiB */
  maxUploadBytes?: number;
  /** Unreferenced uploads kept besides those a configuration uses. @default 10 */
  keepUnreferenced?: number;
}

const SAMPLE = 20;
const PREVIEW_ACCOUNTS = 20;

export class DatasetService {
  readonly maxUploadBytes: number;
  private readonly keepUnreferenced: number;

  constructor(
    private readonly deps: {
      datasets: DocumentStore<DatasetsDocument>;
      state: DocumentStore<AppState>;
      gateway: TenantGateway;
      clock: Clock;
      logger: Logger;
    },
    options: DatasetServiceOptions = {},
  ) {
    this.maxUploadBytes = options.maxUploadBytes ?? 100 * 1024 * 1024;
    this.keepUnreferenced = options.keepUnreferenced ?? 10;
  }

  /** Parses the CSV as it streams in; nothing is stored unless the whole file parses. */
  async upload(input: Readable, meta: { kind: DatasetKind; fileName: string; uploadedBy: string }): Promise<DatasetUpload> {
    const limited = input.pipe(byteLimit(this.maxUploadBytes, meta.fileName));
    input.on('error', (e) => limited.destroy(e));
    const table = await readCsvTable(limited, meta.fileName);
    if (table.rows.length === 0) {
      throw new AppError('CSV_MALFORMED', `${meta.fileName}: the file has a header but no rows.`, { fileName: meta.fileName });
    }
    const id = `ds_${randomUUID()}`;
    const stored: StoredDataset = {
      meta: {
        id,
        kind: meta.kind,
        fileName: meta.fileName,
        rows: table.rows.length,
        columns: table.columns,
        uploadedAt: this.deps.clock.now().toISOString(),
        uploadedBy: meta.uploadedBy,
      },
      rows: table.rows,
    };
    const referenced = referencedDatasetIds(await this.deps.state.read());
    await this.deps.datasets.update((doc) => {
      doc.datasets[id] = stored;
      this.prune(doc, referenced);
    });
    this.deps.logger.info('dataset uploaded', { datasetId: id, kind: meta.kind, rows: table.rows.length });
    return describe(stored);
  }

  /** GET /api/datasets/{id}: what the upload answered, so a saved configuration can be edited without uploading again. */
  async get(id: string): Promise<DatasetUpload> {
    const stored = (await this.deps.datasets.read()).datasets[id];
    if (!stored) throw new AppError('NOT_FOUND', `There is no uploaded dataset "${id}"; upload the file again.`, { datasetId: id });
    return describe(stored);
  }

  async list(): Promise<DatasetMeta[]> {
    const doc = await this.deps.datasets.read();
    return Object.values(doc.datasets)
      .map((d) => d.meta)
      .sort((a, b) => (a.uploadedAt < b.uploadedAt ? 1 : -1));
  }

  async table(id: string, kind: DatasetKind, field: string): Promise<CsvTable> {
    const doc = await this.deps.datasets.read();
    const stored = doc.datasets[id];
    if (!stored) {
      throw new AppError('NOT_FOUND', `${field}: there is no uploaded dataset "${id}"; upload the file again.`, { datasetId: id });
    }
    if (stored.meta.kind !== kind) {
      throw new AppError('VALIDATION_FAILED', `${field}: dataset "${id}" (${stored.meta.fileName}) was uploaded as ${stored.meta.kind}, not ${kind}.`, {
        datasetId: id,
      });
    }
    return { fileName: stored.meta.fileName, columns: stored.meta.columns, rows: stored.rows };
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
    const table = await this.table(body.accountsDatasetId!, 'accounts', 'accountsDatasetId');
    const has = (c: string | undefined): string | undefined => (c !== undefined && table.columns.includes(c) ? c : undefined);
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

  private prune(doc: DatasetsDocument, referenced: Set<string>): void {
    const unreferenced = Object.values(doc.datasets)
      .filter((d) => !referenced.has(d.meta.id))
      .sort((a, b) => (a.meta.uploadedAt < b.meta.uploadedAt ? 1 : a.meta.uploadedAt > b.meta.uploadedAt ? -1 : 0));
    for (const old of unreferenced.slice(this.keepUnreferenced)) delete doc.datasets[old.meta.id];
  }
}

function describe(stored: StoredDataset): DatasetUpload {
  const { meta, rows } = stored;
  return {
    datasetId: meta.id,
    kind: meta.kind,
    fileName: meta.fileName,
    rows: rows.length,
    columns: meta.columns,
    preview: rows.slice(0, 5).map((row) => Object.fromEntries(meta.columns.map((c, i) => [c, row[i] ?? '']))),
  };
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
