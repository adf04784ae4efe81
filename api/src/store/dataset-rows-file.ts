/**
 * The rows file of one dataset: NDJSON, a header line `{"format","columns"}`, then one JSON
 * array of strings per row. Why not the CSV as uploaded: the upload was parsed once with the
 * rules of that day (delimiter detection, trimming, UTF-8 checks), and reading JSON lines back
 * cannot disagree with that parse; `JSON.parse` of a short line is also several times faster
 * than parsing CSV again. JSON escapes line breaks inside strings, so every `\n` ends a row.
 *
 * Both directions work chunk by chunk (64 KiB, about a millisecond of work each) with real
 * I/O between chunks, so a 100 MB dataset never holds the event loop for long and is never
 * one string. The SHA-256 and size of the file are worked out while writing and checked while
 * reading, so a truncated or altered file is found, not half read.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

export const ROWS_FORMAT = 'rapport.dataset-rows/1';

/** The first line of a rows file. */
export function rowsFileHeader(columns: string[]): string {
  return `${JSON.stringify({ format: ROWS_FORMAT, columns })}\n`;
}

/** One text cell per column. */
export function checkRow(row: unknown, columns: number): row is string[] {
  if (!Array.isArray(row) || row.length !== columns) return false;
  for (const cell of row) if (typeof cell !== 'string') return false;
  return true;
}
const CHUNK_BYTES = 64 * 1024;

export interface WrittenRows {
  rows: number;
  bytes: number;
  sha256: string;
  /** The first `previewRows` rows. */
  preview: string[][];
}

export interface ExpectedRows {
  columns: string[];
  rows: number;
  bytes: number;
  sha256: string;
}

/** The content of a rows file is not what its record says; `reason` says how. */
export class RowsFileDamage extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'RowsFileDamage';
  }
}

/**
 * Writes `rows` to a new file (it must not exist) and flushes it to disk. On any failure the
 * file is closed and deleted before the error is rethrown.
 */
export async function writeRowsFile(
  file: string,
  columns: string[],
  rows: Iterable<string[]> | AsyncIterable<string[]>,
  previewRows: number,
): Promise<WrittenRows> {
  const handle = await open(file, 'wx');
  const hash = createHash('sha256');
  const preview: string[][] = [];
  let bytes = 0;
  let count = 0;
  let pending = rowsFileHeader(columns);
  const flush = async () => {
    const buffer = Buffer.from(pending, 'utf8');
    pending = '';
    hash.update(buffer);
    bytes += buffer.length;
    // Each write goes to the thread pool: the event loop serves other requests meanwhile.
    for (let offset = 0; offset < buffer.length; ) offset += (await handle.write(buffer, offset)).bytesWritten;
  };
  try {
    const add = async (row: string[]) => {
      if (!checkRow(row, columns.length)) throw new Error(`row ${count + 1} does not have ${columns.length} text cells`);
      if (preview.length < previewRows) preview.push([...row]);
      count += 1;
      pending += `${JSON.stringify(row)}\n`;
      if (pending.length >= CHUNK_BYTES) await flush();
    };
    // An array is walked without `for await`, which would cost a promise per row.
    if (Array.isArray(rows)) for (const row of rows as string[][]) await add(row);
    else for await (const row of rows) await add(row);
    if (pending.length > 0) await flush();
    await handle.sync();
    await handle.close();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await unlink(file).catch(() => undefined);
    throw e;
  }
  return { rows: count, bytes, sha256: hash.digest('hex'), preview };
}

/**
 * Reads a rows file back, checking every line, the row count, the size and the checksum
 * against `expected`. Content problems throw `RowsFileDamage`; I/O errors are rethrown as
 * they are (a missing file is ENOENT).
 */
export async function readRowsFile(file: string, expected: ExpectedRows): Promise<string[][]> {
  const hash = createHash('sha256');
  const decoder = new StringDecoder('utf8');
  const rows: string[][] = [];
  let bytes = 0;
  let line = 0;
  let carry = '';
  const take = (text: string) => {
    line += 1;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new RowsFileDamage(`line ${line} is not valid JSON`);
    }
    if (line === 1) {
      const header = value as { format?: unknown; columns?: unknown };
      if (header?.format !== ROWS_FORMAT) throw new RowsFileDamage(`line 1 is not a ${ROWS_FORMAT} header`);
      if (JSON.stringify(header.columns) !== JSON.stringify(expected.columns)) throw new RowsFileDamage('its columns differ from its record');
      return;
    }
    if (!checkRow(value, expected.columns.length)) throw new RowsFileDamage(`line ${line} is not a row of ${expected.columns.length} text cells`);
    rows.push(value);
  };
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    const text = carry + decoder.write(chunk);
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      take(text.slice(start, end));
      start = end + 1;
    }
    carry = text.slice(start);
  }
  carry += decoder.end();
  if (carry !== '') throw new RowsFileDamage(`it ends in the middle of line ${line + 1}`);
  if (line === 0) throw new RowsFileDamage('it is empty');
  if (rows.length !== expected.rows) throw new RowsFileDamage(`it holds ${rows.length} rows, its record says ${expected.rows}`);
  if (bytes !== expected.bytes) throw new RowsFileDamage(`it is ${bytes} bytes long, its record says ${expected.bytes}`);
  if (hash.digest('hex') !== expected.sha256) throw new RowsFileDamage('its checksum differs from its record');
  return rows;
}
