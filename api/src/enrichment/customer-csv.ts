/**
 * Customer datasets arrive as CSV. Parsing is streamed (csv-parse), so a 200,000-contact
 * upload is never buffered whole as text. Errors name the file, the line and the column.
 *
 * Before the parser sees a byte: the bytes must be UTF-8 (a BOM is fine; the first bad byte
 * is named by offset), and the delimiter is detected on the first lines, because Excel writes
 * semicolons where the decimal separator is a comma (Dutch, German, Indonesian locales).
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { AppError } from '../errors';
import type { AccountRecord, ContactRecord } from '../engagement/types';
import { describeForbiddenCharacter, forbiddenCharacterIn } from './name-characters';
import { Utf8Guard } from './utf8';

/** The field separators a customer file may use; the name is what the upload answer reports. */
export const CSV_DELIMITERS = { comma: ',', semicolon: ';', tab: '\t' } as const;
export type CsvDelimiter = keyof typeof CSV_DELIMITERS;

export interface CsvTable {
  fileName: string;
  columns: string[];
  rows: string[][];
  /** The separator detected on the header line(s) when the file was read. */
  delimiter: CsvDelimiter;
}

export interface ContactMapping {
  email: string;
  accountId: string;
  accountName?: string;
}
export interface AccountMapping {
  accountId: string;
  name?: string;
  domain?: string;
}

/** How much of the file's start the delimiter is detected on. */
export const SNIFF_BYTES = 64 * 1024;
/** The header and this many rows are looked at (fewer when the file or SNIFF_BYTES ends first). */
export const SNIFF_ROWS = 20;

/** The lines of `text`, splitting only on line breaks outside double quotes; blank lines dropped. */
function lines(text: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) {
      out.push(text.slice(start, i));
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out.filter((l) => l.trim() !== '');
}

function countOutsideQuotes(line: string, char: string): number {
  let quoted = false;
  let n = 0;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === char) n += 1;
  }
  return n;
}

/**
 * The delimiter of a CSV that starts with `head` (whole lines): among the candidates found in
 * the header line, those found exactly as often in every following row win over the others
 * (a semicolon file with decimal commas, "Acme;1,5" then "Contoso;12", is not a comma file),
 * then the one found most often. Ties go comma, then semicolon, then tab; a header with none
 * of them is a one-column file, read as comma-separated.
 */
export function detectDelimiter(head: string): CsvDelimiter {
  const [header = '', ...rows] = lines(head.replace(/^\uFEFF/, '')).slice(0, SNIFF_ROWS + 1);
  const candidates = (Object.keys(CSV_DELIMITERS) as CsvDelimiter[]).map((name) => {
    const inHeader = countOutsideQuotes(header, CSV_DELIMITERS[name]);
    const consistent = rows.every((row) => countOutsideQuotes(row, CSV_DELIMITERS[name]) === inHeader);
    return { name, inHeader, consistent };
  });
  const found = candidates.filter((c) => c.inHeader > 0);
  const pool = found.some((c) => c.consistent) ? found.filter((c) => c.consistent) : found;
  let best: (typeof candidates)[number] | undefined;
  for (const c of pool) if (!best || c.inHeader > best.inHeader) best = c;
  return best?.name ?? 'comma';
}

/**
 * Reads the start of `source` (whole lines, for detection); `rest` replays those bytes
 * followed by the remainder, so the parser sees the stream exactly as it came.
 */
async function sniff(source: Readable): Promise<{ head: string; rest: Readable }> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let size = 0;
  let breaks = 0;
  let done = false;
  while (size < SNIFF_BYTES && breaks <= SNIFF_ROWS) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    chunks.push(next.value);
    size += next.value.length;
    for (let i = next.value.indexOf(0x0a); i >= 0; i = next.value.indexOf(0x0a, i + 1)) breaks += 1;
  }
  const bytes = Buffer.concat(chunks);
  // A line cut off by the sample's end would look inconsistent: keep whole lines only.
  const lastBreak = bytes.lastIndexOf(0x0a);
  const head = (done || lastBreak < 0 ? bytes : bytes.subarray(0, lastBreak + 1)).toString('utf8');
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      if (bytes.length > 0) yield bytes;
      while (!done) {
        const next = await iterator.next();
        done = next.done === true;
        if (!done) yield next.value;
      }
    } finally {
      // The parser stopped early (a bad row): release the source.
      if (!done) await iterator.return?.();
    }
  }
  return { head, rest: Readable.from(replay(), { objectMode: false }) };
}

/**
 * The checks every CSV read starts with: a file name safe to echo (no control or bidi
 * characters), and a stream of bytes that must be UTF-8 (the error names byte and line).
 */
export function utf8CsvInput(input: Readable, fileName: string): Utf8Guard {
  const bad = forbiddenCharacterIn(fileName);
  if (bad) {
    // The name itself is left out of the message: it is what cannot be shown safely.
    throw new AppError('VALIDATION_FAILED', `fileName: ${describeForbiddenCharacter(bad, 'a file name')}; rename the file without it.`, { ...bad });
  }
  const guard = new Utf8Guard(
    ({ byteOffset, line }) =>
      new AppError('ENCODING_INVALID', `${fileName}: the file is not valid UTF-8 at byte ${byteOffset} (line ${line}); save it as UTF-8 and upload it again.`, {
        fileName,
        byteOffset,
        line,
        problem: 'encoding',
      }),
  );
  input.on('error', (e) => guard.destroy(e));
  input.pipe(guard);
  return guard;
}

/**
 * Parses a CSV stream whose first record is the header. `fileName` is echoed in messages and
 * stored with the dataset, so it must not hold control or bidi characters.
 */
export async function readCsvTable(input: Readable, fileName: string, maxRows = 1_000_000): Promise<CsvTable> {
  const guard = utf8CsvInput(input, fileName);
  let columns: string[] | null = null;
  const rows: string[][] = [];
  let delimiter: CsvDelimiter = 'comma';
  try {
    const { head, rest } = await sniff(guard);
    delimiter = detectDelimiter(head);
    const parser = rest.pipe(
      parse({ bom: true, trim: true, skip_empty_lines: true, relax_quotes: false, relax_column_count: false, delimiter: CSV_DELIMITERS[delimiter] }),
    );
    rest.on('error', (e) => parser.destroy(e));
    for await (const record of parser as AsyncIterable<string[]>) {
      if (columns === null) {
        columns = record;
        const dupe = columns.find((c, i) => columns!.indexOf(c) !== i);
        if (dupe !== undefined) throw new AppError('CSV_MALFORMED', `${fileName}: the header names the column ${JSON.stringify(dupe)} twice.`, { fileName });
        if (columns.some((c) => c === '')) throw new AppError('CSV_MALFORMED', `${fileName}: the header has an empty column name.`, { fileName });
        continue;
      }
      if (rows.length >= maxRows) {
        throw new AppError('CSV_MALFORMED', `${fileName}: more than ${maxRows.toLocaleString('en-US')} rows; split the file.`, { fileName });
      }
      rows.push(record);
    }
  } catch (e) {
    // Stop reading: the replayed stream and the guard hold the rest of the input.
    guard.destroy();
    if (e instanceof AppError) throw e;
    const err = e as Error & { code?: string; lines?: number };
    if (err.code === 'ENOENT') throw new AppError('USAGE', `${fileName}: no such file.`, { fileName }, e);
    const line = err.lines !== undefined ? ` line ${err.lines}` : '';
    // csv-parse messages are one line; a file's content quoted in them never adds a line break.
    const message = err.message.replace(/^Invalid Record Length: /, '').replace(/\s+/g, ' ');
    throw new AppError('CSV_MALFORMED', `${fileName}${line}: ${message}`, { fileName, line: err.lines, delimiter }, e);
  }
  if (columns === null) throw new AppError('CSV_MALFORMED', `${fileName}: the file is empty; it needs a header row.`, { fileName });
  return { fileName, columns, rows, delimiter };
}

export function readCsvFile(file: string): Promise<CsvTable> {
  return readCsvTable(createReadStream(file), file);
}

function columnIndex(table: CsvTable, column: string, flag: string): number {
  const index = table.columns.indexOf(column);
  if (index < 0) {
    throw new AppError(
      'CSV_MISSING_COLUMN',
      `${table.fileName}: no column "${column}" (${flag}). Its columns are: ${table.columns.join(', ')}.`,
      { fileName: table.fileName, column, columns: table.columns },
    );
  }
  return index;
}

function optionalIndex(table: CsvTable, column: string | undefined, flag: string): number {
  return column === undefined ? -1 : columnIndex(table, column, flag);
}

/** Maps contact rows. Rows without an account id are skipped and counted. */
export function toContacts(table: CsvTable, mapping: ContactMapping): { contacts: ContactRecord[]; rowsWithoutAccount: number } {
  const email = columnIndex(table, mapping.email, 'email column');
  const account = columnIndex(table, mapping.accountId, 'account column');
  const name = optionalIndex(table, mapping.accountName, 'account name column');
  const contacts: ContactRecord[] = [];
  let rowsWithoutAccount = 0;
  for (const row of table.rows) {
    const accountId = row[account] ?? '';
    if (accountId === '') {
      rowsWithoutAccount += 1;
      continue;
    }
    contacts.push({ email: row[email] ?? '', accountId, accountName: name >= 0 ? row[name] || null : null });
  }
  return { contacts, rowsWithoutAccount };
}

export function toAccounts(table: CsvTable, mapping: AccountMapping): AccountRecord[] {
  const account = columnIndex(table, mapping.accountId, 'account column');
  const name = optionalIndex(table, mapping.name, 'account name column');
  const domain = optionalIndex(table, mapping.domain, 'domain column');
  return table.rows
    .filter((row) => (row[account] ?? '') !== '')
    .map((row) => ({
      accountId: row[account]!,
      name: name >= 0 ? row[name] || null : null,
      domain: domain >= 0 ? row[domain] || null : null,
    }));
}
