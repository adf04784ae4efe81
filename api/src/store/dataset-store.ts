/**
 * Uploaded customer tables, each stored on its own (shared/DESIGN.md §8: "large data has files
 * of its own"). `DatasetService` talks to this role; `FileDatasetStore` (file-dataset-store.ts)
 * keeps one rows file and one small record per dataset under `<DATA_DIR>/datasets/`,
 * `MemoryDatasetStore` (below) keeps them in memory for tests. Records are small (columns, counts, a 5-row preview), so listing and
 * describing a dataset never touch its rows.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { AppError } from '../errors';
import type { CsvDelimiter } from '../enrichment/customer-csv';
import type { DatasetMeta } from '../services/state';
import { checkRow, readRowsFile, rowsFileHeader } from './dataset-rows-file';

/**
 * Ids the server hands out: `ds_` and a lowercase UUID. Anything else cannot name a stored
 * dataset, so it is answered NOT_FOUND before it is used as a key or in a file name.
 */
const DATASET_ID = /^ds_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isDatasetId(id: unknown): id is string {
  return typeof id === 'string' && DATASET_ID.test(id);
}

/** Rows shown by the upload answer and by GET /api/datasets/{id}. */
export const PREVIEW_ROWS = 5;

/** Who sent what, and when: known before the rows are read. */
export interface NewDatasetHeader {
  id: string;
  kind: DatasetMeta['kind'];
  fileName: string;
  uploadedAt: string;
  uploadedBy: string;
}

/** A new dataset whose columns are known; counts, size and checksum are worked out while writing. */
export interface NewDataset extends NewDatasetHeader {
  columns: string[];
  delimiter: CsvDelimiter;
}

/** What writing a rows file produced (`writeRowsFile` in dataset-rows-file.ts, plus the columns it was given). */
export interface WrittenDataset {
  columns: string[];
  delimiter: CsvDelimiter;
  rows: number;
  bytes: number;
  sha256: string;
  preview: string[][];
  /** Rows set aside by a partial import (their CSV was written next to the rows file). @default 0 */
  rejectedRows?: number;
  /** Size of the rejected rows' CSV. */
  rejectedBytes?: number;
}

/** A committed dataset, without its rows. */
export interface DatasetRecord extends DatasetMeta {
  delimiter: CsvDelimiter;
  /** The first rows, as stored. */
  preview: string[][];
  /** Size of the rows file: what the pruning policy's byte cap counts. */
  bytes: number;
  /** Rows of the upload set aside as unreadable (a partial import); 0 or absent when none. */
  rejectedRows?: number;
}

export interface DatasetStore {
  /** Every committed dataset, newest upload first. */
  list(): Promise<DatasetRecord[]>;
  /**
   * The record of a committed dataset; undefined when there is none (any id not shaped like
   * one the server hands out included). A dataset found damaged is STORE_CORRUPT naming its file.
   */
  get(id: string): Promise<DatasetRecord | undefined>;
  /** All rows of a committed dataset, read without blocking the event loop for long. */
  readRows(id: string): Promise<string[][]>;
  /**
   * Stores a new dataset. Rows are written as they come; the dataset becomes visible only when
   * all of it is on disk, and nothing is left behind when `rows` throws or the write fails.
   */
  create(dataset: NewDataset, rows: Iterable<string[]> | AsyncIterable<string[]>): Promise<DatasetRecord>;
  /**
   * Stores a new dataset whose rows file someone else writes: `write` is given a path that does
   * not exist yet, writes the rows there with `writeRowsFile` (in a worker thread, for an
   * upload) and says what it wrote. Committed as `create` is; when `write` rejects, the file is
   * deleted and nothing is stored.
   */
  createFromFile(header: NewDatasetHeader, write: (file: string, rejectedFile: string) => Promise<WrittenDataset>): Promise<DatasetRecord>;
  /** The rejected rows' CSV of a partial import, as written; null when the upload set no row aside. */
  openRejected(id: string): Promise<Readable | null>;
  /** Deletes datasets; ids that are not stored are ignored. */
  remove(ids: Iterable<string>): Promise<void>;
}

export function datasetNotFound(id: string, field?: string): AppError {
  // The id is the caller's input: quote it, and only its start.
  const quoted = JSON.stringify(id.length > 60 ? `${id.slice(0, 60)}…` : id);
  const shape = isDatasetId(id) ? '' : ' (dataset ids look like ds_ followed by a UUID, as the upload answered)';
  return new AppError('NOT_FOUND', `${field ? `${field}: t` : 'T'}here is no uploaded dataset ${quoted}${shape}; upload the file again.`, {
    datasetId: id.slice(0, 100),
  });
}

/** Checks what `create`/`createFromFile` are given, the same way for every implementation. */
export function checkNewDataset(dataset: NewDatasetHeader & { columns?: string[] }): void {
  if (!isDatasetId(dataset.id)) throw new AppError('INTERNAL', `not a dataset id: ${dataset.id}`);
  if (dataset.columns?.length === 0) throw new AppError('INTERNAL', `dataset ${dataset.id} has no columns`);
}

/** Newest upload first; ids break ties so the order never depends on the file system. */
export function newestFirst(a: DatasetRecord, b: DatasetRecord): number {
  if (a.uploadedAt !== b.uploadedAt) return a.uploadedAt < b.uploadedAt ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Datasets kept in memory, for unit and API tests; it behaves as FileDatasetStore does. */
export class MemoryDatasetStore implements DatasetStore {
  private readonly datasets = new Map<string, { record: DatasetRecord; rows: string[][]; rejected?: Buffer }>();
  /** Number of commits (creates and removals), so tests can assert that a failed request stored nothing. */
  writes = 0;

  list(): Promise<DatasetRecord[]> {
    return Promise.resolve([...this.datasets.values()].map((d) => structuredClone(d.record)).sort(newestFirst));
  }

  get(id: string): Promise<DatasetRecord | undefined> {
    const found = isDatasetId(id) ? this.datasets.get(id) : undefined;
    return Promise.resolve(found ? structuredClone(found.record) : undefined);
  }

  readRows(id: string): Promise<string[][]> {
    const found = isDatasetId(id) ? this.datasets.get(id) : undefined;
    if (!found) return Promise.reject(datasetNotFound(id));
    return Promise.resolve(found.rows.map((row) => [...row]));
  }

  async create(dataset: NewDataset, rows: Iterable<string[]> | AsyncIterable<string[]>): Promise<DatasetRecord> {
    checkNewDataset(dataset);
    const copied: string[][] = [];
    // Counted as the rows file would be, so the byte cap prunes the same datasets in tests.
    let bytes = Buffer.byteLength(rowsFileHeader(dataset.columns));
    for await (const row of rows) {
      if (!checkRow(row, dataset.columns.length)) throw new AppError('INTERNAL', `dataset ${dataset.id}: row ${copied.length + 1} does not have ${dataset.columns.length} text cells`);
      copied.push([...row]);
      bytes += Buffer.byteLength(JSON.stringify(row)) + 1;
    }
    return this.commit({ ...dataset, columns: [...dataset.columns], rows: copied.length, preview: copied.slice(0, PREVIEW_ROWS), bytes }, copied);
  }

  /** The rows file is written to a temporary folder, read back, and deleted. */
  async createFromFile(header: NewDatasetHeader, write: (file: string, rejectedFile: string) => Promise<WrittenDataset>): Promise<DatasetRecord> {
    checkNewDataset(header);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-memory-dataset-'));
    try {
      const written = await write(path.join(dir, 'rows.ndjson'), path.join(dir, 'rejected.csv'));
      const rows = await readRowsFile(path.join(dir, 'rows.ndjson'), written);
      const rejected = written.rejectedRows ? await readFile(path.join(dir, 'rejected.csv')) : undefined;
      const { sha256: _sha256, rejectedBytes: _rejectedBytes, ...described } = written;
      return this.commit({ ...header, ...described }, rows, rejected);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  openRejected(id: string): Promise<Readable | null> {
    const found = isDatasetId(id) ? this.datasets.get(id) : undefined;
    if (!found) return Promise.reject(datasetNotFound(id));
    return Promise.resolve(found.rejected ? Readable.from([found.rejected]) : null);
  }

  remove(ids: Iterable<string>): Promise<void> {
    for (const id of ids) if (this.datasets.delete(id)) this.writes += 1;
    return Promise.resolve();
  }

  private commit(record: DatasetRecord, rows: string[][], rejected?: Buffer): DatasetRecord {
    if (this.datasets.has(record.id)) throw new AppError('INTERNAL', `dataset ${record.id} exists already`);
    this.datasets.set(record.id, { record, rows, ...(rejected ? { rejected } : {}) });
    this.writes += 1;
    return structuredClone(record);
  }
}
