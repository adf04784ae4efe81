/**
 * Result sets in files, one folder per committed run, read page by page (docs/architecture.md,
 * "Stored data"):
 *
 *   <dir>/current.json              { format, folder }: the pointer; replacing it commits a set
 *   <dir>/<folder>/manifest.json    run id, version, totals, every file's size, bucket byte ranges
 *   <dir>/<folder>/year.ndjson      year rows by AccountId (held in memory while current)
 *   <dir>/<folder>/month.ndjson     month rows, bucket by bucket, each bucket by AccountId
 *   <dir>/<folder>/week.ndjson      week rows, the same way
 *   <dir>/<folder>/cards.ndjson     per account: its month and week rows and score explanation
 *   <dir>/<folder>/cards-index.json where each account's card starts
 *   <dir>/<folder>/user-table.json  the Office_UserTable
 *   <dir>/<folder>/previous-scores.ndjson  the replaced set's scores (when there was one)
 *
 * A commit writes a new folder (each file flushed to disk, the manifest last), then replaces the
 * pointer atomically (a temporary file, flushed, renamed): a crash at any point leaves the old
 * pointer and the old folder, whole. Folders other than the current and the one before it (kept
 * for readers still paging through it) are deleted after the switch; folders a crash left
 * unreferenced are deleted when the store opens. Rows are serialised one at a time into 256 kB
 * chunks with a turn of the event loop between chunks, so a commit never stalls the server.
 *
 * Damage is never overwritten: a pointer or folder that fails its checks is moved aside
 * (`.corrupt-<time>`), logged, and the store starts without results (the next run rebuilds them).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { AggregationLevel, OfficeRow, OfficeUserRow } from '../engagement/types';
import { isAppError } from '../errors';
import type { Logger } from '../services/logger';
import { Mutex } from './document-store';
import { parseStored, readJsonFile, shapeProblem, storeCorrupt } from './lowdb-document';
import { ChunkedFileWriter, readLines, yieldToEventLoop } from './ndjson';
import { fileStamp, moveAside } from './quarantine';
import {
  cardSchema,
  cardsIndexSchema,
  legacyResultsSchema,
  manifestSchema,
  officeRowSchema,
  pointerSchema,
  RESULT_SET_FORMAT,
  RESULTS_POINTER_FORMAT,
  scoreEntrySchema,
  userTableSchema,
  type CardsIndex,
  type ResultSetManifest,
} from './results-schemas';
import { byAccount, byStart, type AccountDetail, type ResultSet, type ResultSetHeader, type ResultsStore, type StoredResultSet } from './results-store';

const POINTER = 'current.json';
const MANIFEST = 'manifest.json';
const DATA_FILES = {
  year: 'year.ndjson',
  month: 'month.ndjson',
  week: 'week.ndjson',
  cards: 'cards.ndjson',
  cardsIndex: 'cards-index.json',
  userTable: 'user-table.json',
  previousScores: 'previous-scores.ndjson',
} as const;
const CORRUPT_MARK = '.corrupt-';

export interface FileResultsStoreOptions {
  /** Where damaged files are reported. @default silent */
  logger?: Pick<Logger, 'warn' | 'info'>;
  /** @default the system clock (folder names, the names of moved-aside copies) */
  now?: () => Date;
  /** results.json of earlier versions (rapport.results/1): migrated into a folder once, then renamed `.migrated-<time>`. */
  legacyFile?: string;
  /**
   * Runs after the new folder is complete and before the pointer is switched. Tests use it to
   * stand for a crash at the worst moment.
   */
  beforeSwitch?: () => void | Promise<void>;
}

export class FileResultsStore implements ResultsStore {
  private readonly mutex = new Mutex();

  private constructor(
    readonly dir: string,
    private committed: FileResultSet | null,
    private readonly options: FileResultsStoreOptions,
  ) {}

  /**
   * Opens the store in `dir` (created when missing): the pointed-to set is checked and its year
   * rows read; unreferenced folders are deleted; a legacy results.json is migrated once.
   */
  static async open(dir: string, options: FileResultsStoreOptions = {}): Promise<FileResultsStore> {
    await mkdir(dir, { recursive: true });
    const now = options.now ?? (() => new Date());
    const { pointer, damaged } = await readPointer(dir, options, now);
    let committed: FileResultSet | null = null;
    if (pointer) {
      const folder = path.join(dir, pointer.folder);
      try {
        committed = await FileResultSet.open(folder);
      } catch (e) {
        if (!isAppError(e) || e.code !== 'STORE_CORRUPT' || e.details?.io === true) throw e;
        // The set is rebuilt by the next run; the damaged folder is kept for inspection.
        const movedTo = await moveAside(folder, now()).catch(() => null);
        await unlink(path.join(dir, POINTER));
        options.logger?.warn('the stored results are damaged and were moved aside; the next run rebuilds them', {
          folder,
          movedTo,
          reason: e.details?.reason ?? e.message,
        });
      }
    }
    const store = new FileResultsStore(dir, committed, options);
    // With the pointer damaged, nothing says which folder was current: they stay for inspection
    // until the next commit.
    if (!damaged) await store.prune(new Set(committed ? [committed.folderName] : []));
    if (!pointer && !damaged && options.legacyFile) await store.migrate(options.legacyFile);
    return store;
  }

  async current(): Promise<StoredResultSet | null> {
    return this.committed;
  }

  commit(set: ResultSet, previousScores: ReadonlyMap<string, number> | null): Promise<void> {
    return this.mutex.run(async () => {
      const now = this.options.now?.() ?? new Date();
      // Sortable by time, readable by run, and unique even for two commits of one run in one millisecond.
      const folderName = `${fileStamp(now)}-${set.runId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80)}-${randomBytes(3).toString('hex')}`;
      const folder = path.join(this.dir, folderName);
      await mkdir(folder); // fails rather than reuse a folder
      let next: FileResultSet;
      try {
        next = await writeResultSet(folder, set, previousScores);
        await syncFolder(this.dir);
        await this.options.beforeSwitch?.();
      } catch (e) {
        // Nothing points at the half-written folder; it goes now (or at the next open).
        await rm(folder, { recursive: true, force: true }).catch(() => undefined);
        throw e;
      }
      await this.writePointer(folderName);
      const before = this.committed;
      this.committed = next;
      // The set before stays one more commit: a request may still be paging through it.
      await this.prune(new Set([folderName, ...(before ? [before.folderName] : [])])).catch((e: unknown) => {
        this.options.logger?.warn('old result folders could not be deleted', { dir: this.dir, error: (e as Error).message });
      });
    });
  }

  /** Atomic: a temporary file, flushed, renamed over the pointer, and the rename flushed. */
  private async writePointer(folder: string): Promise<void> {
    const file = path.join(this.dir, POINTER);
    const temp = path.join(this.dir, `.${POINTER}.${process.pid}.tmp`);
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(JSON.stringify({ format: RESULTS_POINTER_FORMAT, folder }));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
    await syncFolder(this.dir);
  }

  /** Deletes result folders and temporary files other than `keep`; moved-aside copies stay. */
  private async prune(keep: ReadonlySet<string>): Promise<void> {
    for (const entry of await readdir(this.dir, { withFileTypes: true })) {
      if (keep.has(entry.name) || entry.name.includes(CORRUPT_MARK) || entry.name === POINTER) continue;
      if (entry.isDirectory() || (entry.name.startsWith(`.${POINTER}.`) && entry.name.endsWith('.tmp'))) {
        await rm(path.join(this.dir, entry.name), { recursive: true, force: true });
      }
    }
  }

  /** results.json (rapport.results/1) into a folder, once; the old file is renamed, never deleted. */
  private async migrate(legacyFile: string): Promise<void> {
    const now = this.options.now ?? (() => new Date());
    let legacy;
    try {
      const raw = await readJsonFile(legacyFile);
      if (raw === null) return;
      legacy = parseStored(legacyFile, legacyResultsSchema, raw);
    } catch (e) {
      if (!isAppError(e) || e.code !== 'STORE_CORRUPT' || e.details?.io === true) throw e;
      const movedTo = await moveAside(legacyFile, now());
      this.options.logger?.warn('the results file of an earlier version is damaged and was moved aside; the next run rebuilds the results', {
        file: legacyFile,
        movedTo,
        reason: e.details?.reason ?? e.message,
      });
      return;
    }
    if (legacy.current) await this.commit(legacy.current, legacy.previousScores ? new Map(legacy.previousScores) : null);
    const movedTo = `${legacyFile}.migrated-${fileStamp(now())}`;
    await rename(legacyFile, movedTo);
    this.options.logger?.info('results.json was migrated to per-run result files', { from: legacyFile, keptAs: movedTo, runId: legacy.current?.runId ?? null });
  }
}

async function readPointer(dir: string, options: FileResultsStoreOptions, now: () => Date): Promise<{ pointer: { folder: string } | null; damaged: boolean }> {
  const file = path.join(dir, POINTER);
  try {
    const raw = await readJsonFile(file);
    return { pointer: raw === null ? null : parseStored(file, pointerSchema, raw), damaged: false };
  } catch (e) {
    if (!isAppError(e) || e.code !== 'STORE_CORRUPT' || e.details?.io === true) throw e;
    const movedTo = await moveAside(file, now());
    options.logger?.warn('the results pointer is damaged and was moved aside; the next run rebuilds the results', {
      file,
      movedTo,
      reason: e.details?.reason ?? e.message,
    });
    return { pointer: null, damaged: true };
  }
}

/** Flushes a folder's entries (new files, renames) on systems that allow it; elsewhere a no-op. */
async function syncFolder(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (e) {
    // Windows cannot open folders; some file systems refuse fsync on them. Nothing more can be done.
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    await handle?.close();
  }
}

/** Writes every file of a set into the new, empty `folder` and returns it, opened. */
async function writeResultSet(folder: string, set: ResultSet, previousScores: ReadonlyMap<string, number> | null): Promise<FileResultSet> {
  const files: ResultSetManifest['files'] = {};
  const record = async (name: string, writer: ChunkedFileWriter, rows: number): Promise<void> => {
    files[name] = { bytes: await writer.close(), rows };
  };

  // Grouped in one pass; sorted a bucket or an account at a time, between writes.
  const years: OfficeRow[] = [];
  const buckets: Record<'month' | 'week', Map<string, OfficeRow[]>> = { month: new Map(), week: new Map() };
  const details = new Map<string, { months: OfficeRow[]; weeks: OfficeRow[] }>();
  const detailOf = (id: string) => {
    let d = details.get(id);
    if (!d) details.set(id, (d = { months: [], weeks: [] }));
    return d;
  };
  for (const row of set.office) {
    if (row.AggregationLevel === 'year') {
      years.push(row);
      detailOf(row.AccountId);
      continue;
    }
    const level = row.AggregationLevel;
    const list = buckets[level].get(row.AggregationStartdate);
    if (list) list.push(row);
    else buckets[level].set(row.AggregationStartdate, [row]);
    (level === 'month' ? detailOf(row.AccountId).months : detailOf(row.AccountId).weeks).push(row);
  }
  years.sort(byAccount);

  const year = await ChunkedFileWriter.create(path.join(folder, DATA_FILES.year));
  for (const row of years) await year.writeLine(row);
  await record(DATA_FILES.year, year, years.length);

  const bucketRanges: ResultSetManifest['buckets'] = { month: [], week: [] };
  for (const level of ['month', 'week'] as const) {
    const writer = await ChunkedFileWriter.create(path.join(folder, DATA_FILES[level]));
    let rows = 0;
    for (const bucket of [...buckets[level].keys()].sort()) {
      const inBucket = buckets[level].get(bucket)!.sort(byAccount);
      const offset = writer.offset;
      for (const row of inBucket) await writer.writeLine(row);
      bucketRanges[level].push({ bucket, offset, bytes: writer.offset - offset, rows: inBucket.length });
      rows += inBucket.length;
      await yieldToEventLoop();
    }
    await record(DATA_FILES[level], writer, rows);
  }

  const index: CardsIndex = { accounts: [...details.keys()].sort(), offsets: [] };
  const cards = await ChunkedFileWriter.create(path.join(folder, DATA_FILES.cards));
  for (const id of index.accounts) {
    const d = details.get(id)!;
    const explanation = Object.hasOwn(set.explanations, id) ? set.explanations[id]! : null;
    index.offsets.push(cards.offset);
    await cards.writeLine({ months: d.months.sort(byStart), weeks: d.weeks.sort(byStart), explanation });
  }
  index.offsets.push(cards.offset);
  await record(DATA_FILES.cards, cards, index.accounts.length);
  await writeSmall(folder, DATA_FILES.cardsIndex, index, files);
  await writeSmall(folder, DATA_FILES.userTable, set.officeUserTable, files, set.officeUserTable.length);

  if (previousScores) {
    const writer = await ChunkedFileWriter.create(path.join(folder, DATA_FILES.previousScores));
    for (const entry of previousScores) await writer.writeLine(entry);
    await record(DATA_FILES.previousScores, writer, previousScores.size);
  }

  const manifest: ResultSetManifest = {
    format: RESULT_SET_FORMAT,
    runId: set.runId,
    configVersion: set.configVersion,
    finishedAt: set.finishedAt,
    totals: set.totals,
    files,
    buckets: bucketRanges,
    previousScores: previousScores !== null,
  };
  // Last: a folder with a manifest is complete.
  await writeSmall(folder, MANIFEST, manifest);
  return new FileResultSet(folder, manifest, years, index);
}

/** A small JSON file, written in chunks like the rest and recorded in `files` when given. */
async function writeSmall(folder: string, name: string, value: unknown, files?: ResultSetManifest['files'], rows = 1): Promise<void> {
  const writer = await ChunkedFileWriter.create(path.join(folder, name));
  await writer.write(JSON.stringify(value));
  const bytes = await writer.close();
  if (files) files[name] = { bytes, rows };
}

/** One committed folder. Its files never change once written. */
class FileResultSet implements StoredResultSet {
  readonly header: ResultSetHeader;
  private readonly yearIndex: Map<string, OfficeRow>;
  private readonly cardPositions: Map<string, number>;

  constructor(
    readonly folder: string,
    private readonly manifest: ResultSetManifest,
    readonly yearRows: readonly OfficeRow[],
    private readonly cards: CardsIndex,
  ) {
    const { runId, configVersion, finishedAt, totals } = manifest;
    this.header = { runId, configVersion, finishedAt, totals };
    this.yearIndex = new Map(yearRows.map((r) => [r.AccountId, r]));
    this.cardPositions = new Map(cards.accounts.map((id, i) => [id, i]));
  }

  get folderName(): string {
    return path.basename(this.folder);
  }

  /** Opens and checks a folder: manifest shape, every file's size, the cards index, every year row. */
  static async open(folder: string): Promise<FileResultSet> {
    const manifestFile = path.join(folder, MANIFEST);
    const raw = await readJsonFile(manifestFile);
    if (raw === null) throw storeCorrupt(folder, 'it has no manifest.json (it was never completed, or was emptied)');
    const manifest = parseStored(manifestFile, manifestSchema, raw);
    const required: string[] = [DATA_FILES.year, DATA_FILES.month, DATA_FILES.week, DATA_FILES.cards, DATA_FILES.cardsIndex, DATA_FILES.userTable];
    if (manifest.previousScores) required.push(DATA_FILES.previousScores);
    for (const name of required) if (!manifest.files[name]) throw storeCorrupt(manifestFile, `it does not list ${name}`);
    for (const [name, expected] of Object.entries(manifest.files)) {
      const file = path.join(folder, name);
      const size = await stat(file).then(
        (s) => s.size,
        () => null,
      );
      if (size === null) throw storeCorrupt(file, 'it is missing');
      if (size !== expected.bytes) throw storeCorrupt(file, `it is ${size} bytes long where the manifest says ${expected.bytes}`);
    }
    const indexFile = path.join(folder, DATA_FILES.cardsIndex);
    const cards = parseStored(indexFile, cardsIndexSchema, await readJsonFile(indexFile));
    if (cards.offsets.at(-1) !== manifest.files[DATA_FILES.cards]!.bytes) throw storeCorrupt(indexFile, 'its offsets do not end where cards.ndjson ends');
    const yearFile = path.join(folder, DATA_FILES.year);
    const years: OfficeRow[] = [];
    for await (const batch of readLines(yearFile, 0, manifest.files[DATA_FILES.year]!.bytes, rowParser(yearFile))) years.push(...batch);
    return new FileResultSet(folder, manifest, years, cards);
  }

  buckets(level: AggregationLevel): readonly string[] {
    if (level === 'year') return [...new Set(this.yearRows.map((r) => r.AggregationStartdate))];
    return this.manifest.buckets[level].map((b) => b.bucket);
  }

  async *scan(level: AggregationLevel, inBucket?: (bucket: string) => boolean): AsyncIterable<readonly OfficeRow[]> {
    if (level === 'year') {
      yield inBucket ? this.yearRows.filter((r) => inBucket(r.AggregationStartdate)) : this.yearRows;
      return;
    }
    const file = path.join(this.folder, DATA_FILES[level]);
    const parse = rowParser(file);
    // Adjacent accepted buckets are one read.
    const ranges: { offset: number; bytes: number }[] = [];
    for (const b of this.manifest.buckets[level]) {
      if (inBucket && !inBucket(b.bucket)) continue;
      const last = ranges.at(-1);
      if (last && last.offset + last.bytes === b.offset) last.bytes += b.bytes;
      else ranges.push({ offset: b.offset, bytes: b.bytes });
    }
    for (const range of ranges) yield* readLines(file, range.offset, range.bytes, parse);
  }

  async account(accountId: string): Promise<AccountDetail | null> {
    const i = this.cardPositions.get(accountId);
    if (i === undefined) return null;
    const file = path.join(this.folder, DATA_FILES.cards);
    const start = this.cards.offsets[i]!;
    const length = this.cards.offsets[i + 1]! - start - 1; // without the newline
    const handle = await open(file, 'r');
    let text: string;
    try {
      const buffer = Buffer.alloc(Math.max(0, length));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
      if (bytesRead !== buffer.length) throw storeCorrupt(file, 'it is shorter than its index says');
      text = buffer.toString('utf8');
    } finally {
      await handle.close();
    }
    return parseLine(file, text, cardSchema);
  }

  yearRow(accountId: string): OfficeRow | undefined {
    return this.yearIndex.get(accountId);
  }

  async userTable(): Promise<OfficeUserRow[]> {
    const file = path.join(this.folder, DATA_FILES.userTable);
    return parseStored(file, userTableSchema, await readJsonFile(file));
  }

  async previousScores(): Promise<Map<string, number> | null> {
    if (!this.manifest.previousScores) return null;
    const file = path.join(this.folder, DATA_FILES.previousScores);
    const scores = new Map<string, number>();
    const parse = (line: string) => parseLine(file, line, scoreEntrySchema);
    for await (const batch of readLines(file, 0, this.manifest.files[DATA_FILES.previousScores]!.bytes, parse)) for (const [k, v] of batch) scores.set(k, v);
    return scores;
  }
}

function rowParser(file: string): (line: string) => OfficeRow {
  return (line) => parseLine(file, line, officeRowSchema);
}

/** One stored line: JSON, then its shape; anything else is STORE_CORRUPT naming the file. */
function parseLine<T>(file: string, line: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }): T {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    throw storeCorrupt(file, `a line is not valid JSON (${(e as Error).message})`, e);
  }
  const result = schema.safeParse(value);
  if (!result.success) throw storeCorrupt(file, shapeProblem(result.error.issues));
  return result.data;
}
