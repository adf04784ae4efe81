/**
 * Datasets on disk, one pair of files each under `<DATA_DIR>/datasets/`:
 * - `<id>.ndjson`: the rows (dataset-rows-file.ts), written once, streamed in and out;
 * - `<id>.json`: the record (kind, file name, columns, row count, preview, size, SHA-256);
 * - `<id>.rejected.csv`, only after a partial import: the rows set aside, as the admin downloads
 *   them (written once, committed with the rest, removed with the rest).
 *
 * A dataset is committed when its record is renamed into place, after its rows file: a crash
 * before that leaves a temporary file or a rows file without a record, both deleted at the
 * next start (the upload was never answered). Records are read once at start and kept in
 * memory (a few kilobytes each); rows are read only when a mapping report, a configuration save
 * or a run needs them. A record or rows file that is damaged (unparseable, wrong shape, size or
 * checksum not as recorded) is reported with STORE_CORRUPT naming it, and both files are moved
 * aside as `<name>.corrupt-<time>`: never overwritten, never deleted.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../errors';
import { CSV_DELIMITERS, type CsvDelimiter } from '../enrichment/customer-csv';
import type { Logger } from '../services/logger';
import {
  checkNewDataset,
  datasetNotFound,
  isDatasetId,
  newestFirst,
  PREVIEW_ROWS,
  type DatasetRecord,
  type DatasetStore,
  type NewDataset,
  type NewDatasetHeader,
  type WrittenDataset,
} from './dataset-store';
import { readRowsFile, RowsFileDamage, writeRowsFile } from './dataset-rows-file';
import { migrateLegacyDatasets } from './legacy-datasets';
import { shapeProblem, storeCorrupt } from './lowdb-document';
import { moveAside } from './quarantine';

const RECORD_FORMAT = 'rapport.dataset/1';
/** Files being written start with this; any found at start belong to an interrupted write. */
const TEMP_PREFIX = '.tmp-';

const recordSchema = z.object({
  format: z.literal(RECORD_FORMAT),
  id: z.string().refine(isDatasetId, 'not a dataset id'),
  kind: z.enum(['contacts', 'accounts']),
  fileName: z.string().min(1),
  delimiter: z.enum(Object.keys(CSV_DELIMITERS) as [CsvDelimiter, ...CsvDelimiter[]]),
  columns: z.array(z.string()).min(1),
  rows: z.number().int().min(0),
  uploadedAt: z.string().min(1),
  uploadedBy: z.string(),
  preview: z.array(z.array(z.string())).max(PREVIEW_ROWS),
  bytes: z.number().int().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  // Records written before partial imports existed have neither.
  rejectedRows: z.number().int().min(0).default(0),
  rejectedBytes: z.number().int().min(0).default(0),
});
type StoredRecord = z.infer<typeof recordSchema>;

export interface FileDatasetStoreOptions {
  /** Receives what start-up cleaned, migrated or moved aside. @default silent */
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** The time in a moved-aside file's name. @default the system clock */
  now?: () => Date;
}

/**
 * Opens the dataset store of a data dir: `<dataDir>/datasets/`, after moving the datasets of a
 * legacy `<dataDir>/datasets.json` (one document holding every table) into it.
 */
export async function openDatasetStore(dataDir: string, options: FileDatasetStoreOptions = {}): Promise<FileDatasetStore> {
  const store = await FileDatasetStore.open(path.join(dataDir, 'datasets'), options);
  await migrateLegacyDatasets(path.join(dataDir, 'datasets.json'), store, options);
  return store;
}

export class FileDatasetStore implements DatasetStore {
  private readonly records = new Map<string, StoredRecord>();
  /** Datasets found damaged since start: asking for them again says so rather than "not found". */
  private readonly damaged = new Map<string, AppError>();
  private readonly logger: NonNullable<FileDatasetStoreOptions['logger']>;
  private readonly now: () => Date;

  private constructor(
    readonly dir: string,
    options: FileDatasetStoreOptions,
  ) {
    this.logger = options.logger ?? { info: () => {}, warn: () => {}, error: () => {} };
    this.now = options.now ?? (() => new Date());
  }

  static async open(dir: string, options: FileDatasetStoreOptions = {}): Promise<FileDatasetStore> {
    await mkdir(dir, { recursive: true });
    const store = new FileDatasetStore(dir, options);
    await store.load();
    return store;
  }

  list(): Promise<DatasetRecord[]> {
    return Promise.resolve([...this.records.values()].map(publicRecord).sort(newestFirst));
  }

  get(id: string): Promise<DatasetRecord | undefined> {
    if (!isDatasetId(id)) return Promise.resolve(undefined);
    const damaged = this.damaged.get(id);
    if (damaged) return Promise.reject(damaged);
    const record = this.records.get(id);
    return Promise.resolve(record ? publicRecord(record) : undefined);
  }

  async readRows(id: string): Promise<string[][]> {
    if (!isDatasetId(id)) throw datasetNotFound(id);
    const record = this.records.get(id);
    if (!record) throw this.damaged.get(id) ?? datasetNotFound(id);
    const file = this.rowsFile(id);
    try {
      return await readRowsFile(file, record);
    } catch (e) {
      if (e instanceof RowsFileDamage) throw await this.damage(id, file, e.reason);
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        // Removed by pruning while being read, or deleted by hand.
        if (!this.records.has(id)) throw this.damaged.get(id) ?? datasetNotFound(id);
        throw await this.damage(id, file, 'the rows file is missing');
      }
      throw storeCorrupt(file, (e as Error).message, e, { io: true });
    }
  }

  create(dataset: NewDataset, rows: Iterable<string[]> | AsyncIterable<string[]>): Promise<DatasetRecord> {
    checkNewDataset(dataset);
    return this.createFromFile(dataset, async (file) => ({
      columns: [...dataset.columns],
      delimiter: dataset.delimiter,
      ...(await writeRowsFile(file, dataset.columns, rows, PREVIEW_ROWS)),
    }));
  }

  async createFromFile(header: NewDatasetHeader, write: (file: string, rejectedFile: string) => Promise<WrittenDataset>): Promise<DatasetRecord> {
    checkNewDataset(header);
    if (this.records.has(header.id) || this.damaged.has(header.id)) throw new AppError('INTERNAL', `dataset ${header.id} exists already`);
    const temp = this.tempFile(header.id, 'ndjson');
    const rejectedTemp = this.tempFile(header.id, 'rejected.csv');
    const rowsFile = this.rowsFile(header.id);
    try {
      const written = await write(temp, rejectedTemp);
      const parsed = recordSchema.safeParse({
        format: RECORD_FORMAT,
        id: header.id,
        kind: header.kind,
        fileName: header.fileName,
        delimiter: written.delimiter,
        columns: written.columns,
        rows: written.rows,
        uploadedAt: header.uploadedAt,
        uploadedBy: header.uploadedBy,
        preview: written.preview,
        bytes: written.bytes,
        sha256: written.sha256,
        rejectedRows: written.rejectedRows ?? 0,
        rejectedBytes: written.rejectedBytes ?? 0,
      });
      if (!parsed.success) throw new AppError('INTERNAL', `dataset ${header.id}: ${shapeProblem(parsed.error.issues)}`);
      const size = (await stat(temp)).size;
      if (size !== written.bytes) throw new AppError('INTERNAL', `dataset ${header.id}: ${size} bytes were written, ${written.bytes} reported`);
      if (parsed.data.rejectedRows > 0) {
        const rejectedSize = (await stat(rejectedTemp)).size;
        if (rejectedSize !== parsed.data.rejectedBytes) throw new AppError('INTERNAL', `dataset ${header.id}: ${rejectedSize} bytes of rejected rows were written, ${parsed.data.rejectedBytes} reported`);
        await rename(rejectedTemp, this.rejectedFile(header.id));
      }
      await rename(temp, rowsFile);
      await this.writeRecord(parsed.data);
      this.records.set(header.id, parsed.data);
      return publicRecord(parsed.data);
    } catch (e) {
      await unlink(temp).catch(() => undefined);
      await unlink(rejectedTemp).catch(() => undefined);
      if (!this.records.has(header.id)) {
        await unlink(rowsFile).catch(() => undefined);
        await unlink(this.rejectedFile(header.id)).catch(() => undefined);
      }
      throw e;
    }
  }

  async openRejected(id: string): Promise<Readable | null> {
    const record = await this.get(id);
    if (!record) throw datasetNotFound(id);
    if (!record.rejectedRows) return null;
    const file = this.rejectedFile(id);
    const size = await stat(file).then(
      (s) => s.size,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return -1;
        throw storeCorrupt(file, e.message, e, { io: true });
      },
    );
    const expected = this.records.get(id)?.rejectedBytes;
    if (size !== expected) {
      // The kept rows are fine; only the file of the rows set aside is gone or altered.
      throw new AppError('STORE_CORRUPT', `The rejected rows of dataset ${id} cannot be read (<DATA_DIR>/datasets/${path.basename(file)} is ${size < 0 ? 'missing' : 'not the size recorded'}); upload the file again to get them.`, {
        datasetId: id,
      });
    }
    return createReadStream(file);
  }

  async remove(ids: Iterable<string>): Promise<void> {
    for (const id of ids) {
      if (!this.records.delete(id)) continue;
      // The record goes first: once it is gone the dataset is gone, even if the rows stay behind.
      await unlinkIfPresent(this.recordFile(id));
      await unlinkIfPresent(this.rowsFile(id));
      await unlinkIfPresent(this.rejectedFile(id));
    }
  }

  private rejectedFile(id: string): string {
    return path.join(this.dir, `${id}.rejected.csv`);
  }

  private recordFile(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  private rowsFile(id: string): string {
    return path.join(this.dir, `${id}.ndjson`);
  }

  private tempFile(id: string, extension: string): string {
    return path.join(this.dir, `${TEMP_PREFIX}${id}-${randomBytes(4).toString('hex')}.${extension}`);
  }

  /** Temporary file, flushed, then renamed over the name: a reader sees the old file or the new one. */
  private async writeRecord(record: StoredRecord): Promise<void> {
    const temp = this.tempFile(record.id, 'json');
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(`${JSON.stringify(record, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, this.recordFile(record.id));
    } catch (e) {
      await unlink(temp).catch(() => undefined);
      throw e;
    }
    await syncFolder(this.dir);
  }

  private async load(): Promise<void> {
    const names = await readdir(this.dir);
    const withRecord = new Set<string>();
    for (const name of names) {
      if (name.startsWith(TEMP_PREFIX)) {
        await unlinkIfPresent(path.join(this.dir, name));
        this.logger.info('removed the temporary file of an interrupted dataset write', { file: path.join(this.dir, name) });
        continue;
      }
      const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : '';
      if (!isDatasetId(id)) continue;
      withRecord.add(id);
      const record = await this.loadRecord(id);
      if (record) this.records.set(id, record);
    }
    for (const name of names) {
      const id = name.endsWith('.ndjson') ? name.slice(0, -'.ndjson'.length) : name.endsWith('.rejected.csv') ? name.slice(0, -'.rejected.csv'.length) : '';
      if (isDatasetId(id) && !withRecord.has(id)) {
        // Rows whose record was never written (or was removed first): never a committed dataset.
        await unlinkIfPresent(path.join(this.dir, name));
        this.logger.info('removed the rows of an uncommitted or removed dataset', { file: path.join(this.dir, name) });
      }
    }
  }

  private async loadRecord(id: string): Promise<StoredRecord | undefined> {
    const file = this.recordFile(id);
    let value: unknown;
    try {
      value = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      if (e instanceof SyntaxError) {
        await this.damage(id, file, `it is not valid JSON (${e.message})`);
        return undefined;
      }
      throw storeCorrupt(file, (e as Error).message, e, { io: true });
    }
    const parsed = recordSchema.safeParse(value);
    if (!parsed.success) {
      await this.damage(id, file, shapeProblem(parsed.error.issues));
      return undefined;
    }
    if (parsed.data.id !== id) {
      await this.damage(id, file, `it describes ${parsed.data.id}, not ${id}`);
      return undefined;
    }
    const size = await stat(this.rowsFile(id)).then(
      (s) => s.size,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return -1;
        throw storeCorrupt(this.rowsFile(id), e.message, e, { io: true });
      },
    );
    if (size !== parsed.data.bytes) {
      await this.damage(id, this.rowsFile(id), size < 0 ? 'the rows file is missing' : `it is ${size} bytes long, its record says ${parsed.data.bytes}`);
      return undefined;
    }
    return parsed.data;
  }

  /** Moves both files of a dataset aside and remembers why, once. */
  private async damage(id: string, file: string, reason: string): Promise<AppError> {
    const known = this.damaged.get(id);
    if (known) return known;
    this.records.delete(id);
    const movedTo: string[] = [];
    for (const f of [this.recordFile(id), this.rowsFile(id)]) {
      try {
        movedTo.push(await moveAside(f, this.now()));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.logger.error('a damaged dataset file could not be moved aside', { file: f, error: (e as Error).message });
      }
    }
    // The API answer names files inside the data dir, not the server's folder layout.
    const named = (f: string) => `<DATA_DIR>/datasets/${path.basename(f)}`;
    const error = new AppError(
      'STORE_CORRUPT',
      `The stored dataset ${id} cannot be read: ${named(file)}: ${reason}. Its files were moved aside (${movedTo.map(named).join(', ') || 'nothing left to move'}) and nothing was overwritten; upload the file again.`,
      { datasetId: id, file: named(file), movedTo: movedTo.map(named) },
    );
    this.damaged.set(id, error);
    this.logger.error('a damaged dataset was moved aside', { datasetId: id, file, reason, movedTo });
    return error;
  }
}

function publicRecord(record: StoredRecord): DatasetRecord {
  const { format: _format, sha256: _sha256, rejectedBytes: _rejectedBytes, ...rest } = record;
  return structuredClone(rest);
}

async function unlinkIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** Makes a rename durable. Best effort: some file systems cannot open or flush a folder. */
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // The rename itself is atomic either way.
  }
}
