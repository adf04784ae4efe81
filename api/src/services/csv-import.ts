/**
 * A CSV upload becomes a dataset rows file (store/dataset-rows-file.ts) without the server's
 * event loop doing the parsing. Measured before this existed (docs/benchmarks.md, "Server
 * latency"): parsing a 50 MB upload on the main thread held `/api/health` for up to 260 ms at a
 * time, because bytes arriving in bursts from the socket run through the whole stream chain
 * and csv-parse synchronously, and 600,000 rows kept on the main heap make every collection
 * walk them. So a large upload is parsed in a worker thread (csv-import-worker.ts): the main
 * thread only forwards the request's bytes, one chunk per request from the worker (so a slow
 * parse slows the socket, not memory), and receives a few numbers back. The worker parses with
 * the row reader of csv-import-rows.ts (the delimiter detection and UTF-8 checks of
 * `readCsvTable`, but a bad row is named and set aside rather than failing the file) and writes
 * the rows file itself, and the rejected rows' CSV when there are any; its heap, the table in
 * it, goes when it exits.
 *
 * A small upload (all of it within `inlineBytes`) is parsed where it is: a few milliseconds of
 * work does not pay for starting a thread.
 */
import { Readable } from 'node:stream';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { open, unlink } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { AppError, ERROR_CATALOGUE, type ErrorCode } from '../errors';
import { utf8CsvInput } from '../enrichment/customer-csv';
import { PREVIEW_ROWS, type WrittenDataset } from '../store/dataset-store';
import { writeRowsFile } from '../store/dataset-rows-file';
import { CsvRowReader, describeRejectedRow, fileError, rejectedRowsCsv, type CsvRows, type RejectedRow } from './csv-import-rows';

export interface CsvImportOptions {
  /** Uploads that end within this many bytes are parsed on the calling thread. @default 1 MiB */
  inlineBytes?: number;
}

/** What the worker is started with. */
export interface CsvImportJob {
  fileName: string;
  /** Where the kept rows go (must not exist). */
  file: string;
  /** Where the rejected rows' CSV goes, when there are any (must not exist). */
  rejectedFile: string;
  kind: 'contacts' | 'accounts';
  /** Keep the rows that can be read and set the others aside; otherwise any bad row fails the upload. */
  skipInvalid: boolean;
}

/** Rejected rows described in a 4xx answer's details (all of them are in the rejected rows' CSV). */
const REJECTED_SAMPLES = 20;

/** Messages between the two threads. */
export type ToWorker = { type: 'chunk'; bytes: Uint8Array } | { type: 'end' };
export type FromWorker =
  | { type: 'pull' }
  | { type: 'done'; written: WrittenDataset }
  | { type: 'failed'; error: { code?: string; message: string; details?: Record<string, unknown> } };

/** Reads a CSV stream (first record: the header) row by row, checking its bytes are UTF-8. */
export async function readCsvRows(input: Readable, fileName: string, maxRows?: number): Promise<CsvRows> {
  const guard = utf8CsvInput(input, fileName);
  const decoder = new StringDecoder('utf8');
  const reader = new CsvRowReader(fileName, maxRows);
  try {
    for await (const chunk of guard as AsyncIterable<Buffer>) reader.push(decoder.write(chunk));
    reader.push(decoder.end());
    return reader.end();
  } catch (e) {
    // Stop reading: the guard holds the rest of the input.
    guard.destroy();
    throw e;
  }
}

/**
 * Whether the table can be stored as the job asks: a file whose every row was rejected, a
 * contacts file without a single email address, or (unless `skipInvalid`) any rejected row is
 * answered with a 4xx that names the first bad row and what to fix.
 */
export function checkRows(table: CsvRows, job: Pick<CsvImportJob, 'fileName' | 'kind' | 'skipInvalid'>): void {
  const { fileName } = job;
  const { rows, rejected, columns, delimiter } = table;
  const total = rows.length + rejected.length;
  if (rows.length === 0) {
    const first = rejected[0]!;
    const sameCount = rejected.every((r) => r.problem === 'tooManyValues' || r.problem === 'tooFewValues');
    throw new AppError(
      'CSV_MALFORMED',
      `${fileName}: none of its ${plural(total, 'row')} can be read. The first: ${describeRejectedRow(first, columns, delimiter)}${
        sameCount ? ' If every row looks wrong, check that the header and the rows use the same separator (comma, semicolon or tab).' : ''
      }`,
      rowDetails('noValidRows', table, fileName),
    );
  }
  if (job.kind === 'contacts' && !table.hasEmailValues) {
    throw fileError(
      'noEmailColumn',
      `${fileName} has no column of email addresses: no value in its columns (${columns.join(', ')}) looks like name@company.com. Add a column with each contact’s email address, or upload the file as the accounts file if it lists accounts.`,
      fileName,
      { columns },
    );
  }
  if (rejected.length > 0 && !job.skipInvalid) {
    throw new AppError(
      'CSV_MALFORMED',
      `${fileName}, ${describeRejectedRow(rejected[0]!, columns, delimiter)} ${plural(rejected.length, 'row')} of ${total} cannot be read; to import the ${plural(rows.length, 'valid row')} and set the others aside, send the file again with skipInvalid=true.`,
      rowDetails('rowsRejected', table, fileName),
    );
  }
}

function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** The structured details of a row problem, which the tab words in the admin's language. */
function rowDetails(problem: 'noValidRows' | 'rowsRejected', table: CsvRows, fileName: string): Record<string, unknown> {
  const first = table.rejected[0]!;
  const sample = (r: RejectedRow) => ({
    row: r.row,
    line: r.line,
    problem: r.problem,
    ...(r.column !== undefined ? { column: table.columns[r.column] ?? null, columnNumber: r.column + 1 } : {}),
    ...(r.found !== undefined ? { found: r.found } : {}),
  });
  return {
    fileName,
    ...sample(first),
    problem,
    rowProblem: first.problem,
    expected: table.columns.length,
    delimiter: table.delimiter,
    validRows: table.rows.length,
    rejectedRows: table.rejected.length,
    rejected: table.rejected.slice(0, REJECTED_SAMPLES).map(sample),
  };
}

/** Reads a CSV stream, checks it (`checkRows`) and writes the dataset's rows file and, when rows were set aside, the rejected rows' CSV. */
export async function writeCsvRows(input: Readable, job: CsvImportJob): Promise<WrittenDataset> {
  const table = await readCsvRows(input, job.fileName);
  checkRows(table, job);
  const written = await writeRowsFile(job.file, table.columns, table.rows, PREVIEW_ROWS);
  let rejectedBytes = 0;
  if (table.rejected.length > 0) {
    try {
      rejectedBytes = await writeNewFile(job.rejectedFile, rejectedRowsCsv(table.columns, table.delimiter, table.rejected));
    } catch (e) {
      await unlink(job.file).catch(() => undefined);
      throw e;
    }
  }
  return { columns: table.columns, delimiter: table.delimiter, ...written, rejectedRows: table.rejected.length, rejectedBytes };
}

/** Writes `text` to a file that must not exist and flushes it; answers its size. */
async function writeNewFile(file: string, text: string): Promise<number> {
  const bytes = Buffer.from(text, 'utf8');
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await unlink(file).catch(() => undefined);
    throw e;
  }
  await handle.close();
  return bytes.length;
}

/** Reads `input` to its end, parses it as CSV and writes the files of `job`. */
export async function importCsv(input: Readable, job: CsvImportJob, options: CsvImportOptions = {}): Promise<WrittenDataset> {
  // An upload may wait for a slot: its stream can have failed or closed before anyone listened.
  const gone = streamGone(input);
  if (gone) throw gone;
  // Until the worker listens: an error between the two listeners must not go unheard.
  let early: unknown = null;
  const hold = (e: unknown) => void (early ??= e);
  input.on('error', hold);
  try {
    const head = await readHead(input, options.inlineBytes ?? 1024 * 1024);
    if (head.ended) return await writeCsvRows(Readable.from(head.chunks), job);
    if (early) throw early;
    return await importInWorker(input, head.chunks, job);
  } finally {
    input.off('error', hold);
  }
}

/** Why `input` will never deliver its end, or null while it may. */
function streamGone(input: Readable): Error | null {
  if (input.errored) return input.errored;
  if (input.destroyed && !input.readableEnded) return interrupted();
  return null;
}

function interrupted(): AppError {
  return new AppError('VALIDATION_FAILED', 'The upload was interrupted before the end of the file; send the file again.');
}

/** At most `size` imports run at once; the others wait with their bytes unread (the socket holds them). */
export class ImportSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

/** The first chunks of `input`, up to just over `limit` bytes; the stream is left paused. */
function readHead(input: Readable, limit: number): Promise<{ chunks: Buffer[]; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const detach = () => input.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size <= limit) return;
      detach();
      input.pause();
      resolve({ chunks, ended: false });
    };
    const onEnd = () => {
      detach();
      resolve({ chunks, ended: true });
    };
    const onError = (e: unknown) => {
      detach();
      reject(e);
    };
    // Destroyed without an error (a client that hung up): there will be no 'end'.
    const onClose = () => {
      detach();
      reject(streamGone(input) ?? interrupted());
    };
    input.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/**
 * Nearly everything a parse allocates survives until the rows are written (it is the table), so
 * a large young generation only adds copying and memory: 8 MB gave the same speed and 130 MB
 * less peak RSS than V8's default on a 50 MB upload (docs/benchmarks.md, "Server latency").
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

/** The worker's entry: compiled JavaScript next to this file, or TypeScript through tsx (tests, the dev server). */
function startWorker(job: CsvImportJob): Worker {
  const extension = path.extname(__filename);
  const entry = path.join(__dirname, `csv-import-worker${extension}`);
  if (extension === '.js') return new Worker(entry, { workerData: job, resourceLimits: WORKER_LIMITS });
  const boot = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(entry)});`;
  return new Worker(boot, { eval: true, workerData: job, resourceLimits: WORKER_LIMITS });
}

function importInWorker(input: Readable, head: Buffer[], job: CsvImportJob): Promise<WrittenDataset> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(job);
    const queue = [...head];
    // The stream may have ended while nobody listened, between reading the head and now.
    let ended = input.readableEnded;
    let endSent = false;
    let wanted = false;
    let settled = false;

    const finish = (error: unknown, written?: WrittenDataset) => {
      if (settled) return;
      settled = true;
      input.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      // The worker may still be writing: it is stopped before the caller deletes its file.
      void worker.terminate().then(() => (error ? reject(error) : resolve(written!)));
    };
    // One chunk per pull: the worker's own stream decides the pace, and at most a few chunks wait here.
    const send = () => {
      if (!wanted) return;
      const chunk = queue.shift();
      if (chunk) {
        wanted = false;
        // A copy of exactly this chunk, moved (not cloned) across: a socket's chunk may be a
        // view into a larger buffer, which cloning would copy whole.
        const bytes = new Uint8Array(chunk);
        worker.postMessage({ type: 'chunk', bytes } satisfies ToWorker, [bytes.buffer]);
      } else if (ended && !endSent) {
        wanted = false;
        endSent = true;
        worker.postMessage({ type: 'end' } satisfies ToWorker);
      }
      if (queue.length < 4 && !ended) input.resume();
    };
    const onData = (chunk: Buffer) => {
      queue.push(chunk);
      if (queue.length >= 8) input.pause();
      send();
    };
    const onEnd = () => {
      ended = true;
      send();
    };
    const onError = (e: unknown) => finish(e);
    const onClose = () => {
      if (!ended) finish(streamGone(input) ?? interrupted());
    };

    worker.on('message', (m: FromWorker) => {
      if (m.type === 'pull') {
        wanted = true;
        send();
      } else if (m.type === 'done') {
        finish(null, m.written);
      } else {
        finish(fromWorker(m.error));
      }
    });
    worker.on('error', (e) => finish(e));
    worker.on('exit', (code) => finish(new Error(`the CSV import worker stopped (exit code ${code}) before it answered`)));
    input.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
    input.resume();
  });
}

/** An AppError thrown in the worker arrives as plain data; it becomes the same AppError here. */
function fromWorker(error: { code?: string; message: string; details?: Record<string, unknown> }): Error {
  if (error.code !== undefined && error.code in ERROR_CATALOGUE) return new AppError(error.code as ErrorCode, error.message, error.details);
  return new Error(`CSV import worker: ${error.message}`);
}
