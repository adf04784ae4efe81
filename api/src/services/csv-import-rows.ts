/**
 * The upload's CSV reader: row by row, so one bad row is named and set aside instead of failing
 * the whole file with a parser's words (issue 16). csv-parse stops at the first bad record and
 * cannot resume after a broken quote, and it counts physical lines where the admin sees rows in
 * Excel; this reader keeps both numbers and tells the admin what to fix.
 *
 * On well-formed files it reads exactly what `readCsvTable` (enrichment/customer-csv.ts, used by
 * the CLI) reads: the same delimiter detection, BOM handling, blank lines skipped, whitespace
 * around unquoted values and outside quotes trimmed, quoted values kept as written
 * (csv-import-rows.spec.ts compares the two).
 *
 * Rows: the header is row 1 and every record after it is one row, blank lines included, as
 * Excel numbers them; a quoted value spanning lines stays one row. A record is rejected when it
 * has more or fewer values than the header or a double quote in the wrong place. When a record
 * that spans lines fails, its first line is rejected on its own (an opening quote never closed
 * where it should be) and reading resumes on the next line, so one stray quote costs one row,
 * not the rest of the file.
 */
import { AppError } from '../errors';
import { CSV_DELIMITERS, detectDelimiter, SNIFF_BYTES, SNIFF_ROWS, type CsvDelimiter } from '../enrichment/customer-csv';

export type RowProblem = 'tooManyValues' | 'tooFewValues' | 'strayQuote' | 'textAfterQuote' | 'unclosedQuote';

/** Problems with the file as a whole (the `problem` detail of its 4xx). */
export type FileProblem = 'empty' | 'headerOnly' | 'headerQuote' | 'duplicateColumn' | 'emptyColumnName' | 'tooManyRows' | 'noEmailColumn' | 'noValidRows' | 'rowsRejected' | 'encoding';

export interface RejectedRow {
  /** The row as Excel numbers it: the header is row 1. */
  row: number;
  /** The physical line the row starts on (what a text editor shows). */
  line: number;
  problem: RowProblem;
  /** 0-based column of a quote problem. */
  column?: number;
  /** How many values the row has (count problems). */
  found?: number;
  /** The row's values as far as they can be read (quotes taken literally where they are wrong). */
  values: string[];
}

export interface CsvRows {
  columns: string[];
  delimiter: CsvDelimiter;
  rows: string[][];
  rejected: RejectedRow[];
  /** Whether some value of a kept row looks like an email address. */
  hasEmailValues: boolean;
}

/** How much of the file's start the delimiter is detected on: readCsvTable's amount, the header and SNIFF_ROWS rows. */
const SNIFF_LINES = SNIFF_ROWS + 1;
/** A quoted value running over more lines than this is taken to be a quote that was never closed. */
const MAX_RECORD_LINES = 1000;
const QUOTE = 34;
const EMAIL = /^[^@\s"<>,;]+@[^@\s"<>,;]+\.[^@\s"<>,;]+$/;

type Parsed = { kind: 'ok'; values: string[] } | { kind: 'more' } | { kind: 'bad'; problem: Exclude<RowProblem, 'tooManyValues' | 'tooFewValues'>; column: number };

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || (c >= 10 && c <= 13) || c === 160 || (c > 255 && /\s/.test(String.fromCharCode(c)));
}

/**
 * The values of one record. `final`: no more text will come, so an open quote is an error.
 * `lenient`: wrong quotes are read as text (for the rejected rows' file), never an error.
 */
export function parseRecord(text: string, delimiter: string, final: boolean, lenient = false): Parsed {
  const d = delimiter.charCodeAt(0);
  const n = text.length;
  const values: string[] = [];
  let i = 0;
  for (;;) {
    while (i < n && text.charCodeAt(i) !== d && isSpace(text.charCodeAt(i))) i += 1;
    if (i < n && text.charCodeAt(i) === QUOTE) {
      const open = i;
      i += 1;
      let value = '';
      let from = i;
      let closed = false;
      while (!closed) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          if (!final) return { kind: 'more' };
          if (!lenient) return { kind: 'bad', problem: 'unclosedQuote', column: values.length };
          value = text.slice(open).trimEnd();
          i = n;
          break;
        }
        if (text.charCodeAt(q + 1) === QUOTE) {
          value += text.slice(from, q + 1);
          i = q + 2;
          from = i;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        closed = true;
      }
      const afterQuote = i;
      while (i < n && text.charCodeAt(i) !== d && isSpace(text.charCodeAt(i))) i += 1;
      if (i < n && text.charCodeAt(i) !== d) {
        if (!lenient) return { kind: 'bad', problem: 'textAfterQuote', column: values.length };
        const next = text.indexOf(delimiter, i);
        const end = next < 0 ? n : next;
        value += text.slice(afterQuote, end).trimEnd();
        i = end;
      }
      values.push(value);
    } else {
      const next = text.indexOf(delimiter, i);
      const end = next < 0 ? n : next;
      const raw = text.slice(i, end);
      if (!lenient && raw.includes('"')) return { kind: 'bad', problem: 'strayQuote', column: values.length };
      values.push(raw.trimEnd());
      i = end;
    }
    if (i >= n) return { kind: 'ok', values };
    i += 1;
  }
}

interface Line {
  text: string;
  /** What ended it: kept inside a quoted value that spans lines. */
  end: string;
  number: number;
}

/**
 * Reads a CSV pushed to it as text, in any pieces. `end()` answers the table; a problem with the
 * whole file (no header, a duplicate column...) is thrown as an AppError naming it.
 */
export class CsvRowReader {
  private delimiter: CsvDelimiter | null = null;
  private separator = ',';
  private lineBreak: '\n' | '\r' = '\n';
  private head = '';
  private carry = '';
  private started = false;
  private lineNumber = 0;
  private rowNumber = 0;
  private ended = false;
  /** Lines not read yet: lines given back after a record spanning them failed come first. */
  private readonly queue: Line[] = [];
  /** The lines of the record being read (more than one only inside a quoted value). */
  private pending: Line[] = [];
  private pendingRow = 0;
  private columns: string[] | null = null;
  private readonly rows: string[][] = [];
  private readonly rejected: RejectedRow[] = [];
  private hasEmailValues = false;

  constructor(
    private readonly fileName: string,
    private readonly maxRows = 1_000_000,
  ) {}

  push(text: string): void {
    if (!this.started) {
      this.started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    if (this.delimiter === null) {
      this.head += text;
      if (this.head.length >= SNIFF_BYTES || countBreaks(this.head) >= SNIFF_LINES) this.sniffed();
      return;
    }
    this.split(text);
  }

  end(): CsvRows {
    if (this.delimiter === null) this.sniffed();
    this.ended = true;
    if (this.carry !== '') {
      this.lineNumber += 1;
      this.queue.push({ text: this.carry, end: '', number: this.lineNumber });
      this.carry = '';
    }
    this.drain();
    if (this.pending.length > 0) this.settle(true);
    this.drain();
    if (this.columns === null) {
      throw fileError('empty', `${this.fileName} is empty: the first row must be the header, the names of the columns (for example Email,AccountId,AccountName).`, this.fileName);
    }
    if (this.rows.length === 0 && this.rejected.length === 0) {
      throw fileError('headerOnly', `${this.fileName} has a header but no rows: add the rows below the header (row 1), one per contact or account.`, this.fileName);
    }
    return { columns: this.columns, delimiter: this.delimiter!, rows: this.rows, rejected: this.rejected, hasEmailValues: this.hasEmailValues };
  }

  private sniffed(): void {
    // The detection sees whole lines only, as readCsvTable's does.
    const lastBreak = Math.max(this.head.lastIndexOf('\n'), this.head.lastIndexOf('\r'));
    const whole = this.head.length < SNIFF_BYTES && countBreaks(this.head) < SNIFF_LINES ? this.head : this.head.slice(0, lastBreak + 1);
    this.delimiter = detectDelimiter(whole);
    this.separator = CSV_DELIMITERS[this.delimiter];
    // A file with no line feed at all but carriage returns was written by an old Mac program.
    if (!this.head.includes('\n') && this.head.includes('\r')) this.lineBreak = '\r';
    const head = this.head;
    this.head = '';
    this.split(head);
  }

  private split(text: string): void {
    let data = this.carry + text;
    let start = 0;
    for (let at = data.indexOf(this.lineBreak); at >= 0; at = data.indexOf(this.lineBreak, start)) {
      let line = data.slice(start, at);
      let end = this.lineBreak as string;
      if (this.lineBreak === '\n' && line.endsWith('\r')) {
        line = line.slice(0, -1);
        end = '\r\n';
      }
      this.lineNumber += 1;
      this.queue.push({ text: line, end, number: this.lineNumber });
      start = at + 1;
    }
    this.carry = data.slice(start);
    data = '';
    this.drain();
  }

  private drain(): void {
    for (let line = this.queue.shift(); line; line = this.queue.shift()) {
      if (this.pending.length === 0) {
        if (line.text.trim() === '') {
          // Blank: skipped, but Excel shows it as a row, so it counts.
          if (this.columns !== null) this.rowNumber += 1;
          continue;
        }
        this.rowNumber += 1;
        this.pendingRow = this.rowNumber;
      }
      this.pending.push(line);
      this.settle(this.ended && this.queue.length === 0);
    }
  }

  /** Reads the pending record when it is whole; `final`: nothing more will come. */
  private settle(final: boolean): void {
    const lines = this.pending;
    const only = lines.length === 1 ? lines[0]!.text : null;
    let parsed: Parsed;
    if (only !== null && !only.includes('"')) {
      // Most rows: no quotes at all.
      parsed = { kind: 'ok', values: only.split(this.separator).map((v) => v.trim()) };
    } else {
      parsed = parseRecord(joinLines(lines), this.separator, final || lines.length >= MAX_RECORD_LINES);
    }
    if (parsed.kind === 'more') return;
    this.pending = [];
    const row = this.pendingRow;
    if (this.columns === null) {
      if (parsed.kind === 'bad') {
        const column = parsed.column + 1;
        throw fileError('headerQuote', `${this.fileName}: the header (row 1) has a misplaced double quote in column ${column}; write the column names without quotes, or close each quote right after the name.`, this.fileName, { column });
      }
      this.header(parsed.values);
      return;
    }
    const expected = this.columns.length;
    if (parsed.kind === 'ok' && parsed.values.length === expected) {
      if (this.rows.length + this.rejected.length >= this.maxRows) this.tooManyRows();
      this.rows.push(parsed.values);
      if (!this.hasEmailValues) this.hasEmailValues = parsed.values.some((v) => v.includes('@') && EMAIL.test(v));
      return;
    }
    if (lines.length > 1) {
      // A quote opened on the first line and closed somewhere it should not have been (or never):
      // that line alone is the bad row; the lines after it are read again as rows of their own.
      const first = lines[0]!;
      const alone = parseRecord(first.text, this.separator, true);
      this.reject({
        row,
        line: first.number,
        problem: alone.kind === 'bad' ? alone.problem : 'unclosedQuote',
        column: alone.kind === 'bad' ? alone.column : 0,
        values: lenientValues(first.text, this.separator),
      });
      this.queue.unshift(...lines.slice(1));
      return;
    }
    if (parsed.kind === 'bad') {
      this.reject({ row, line: lines[0]!.number, problem: parsed.problem, column: parsed.column, values: lenientValues(lines[0]!.text, this.separator) });
      return;
    }
    this.reject({ row, line: lines[0]!.number, problem: parsed.values.length > expected ? 'tooManyValues' : 'tooFewValues', found: parsed.values.length, values: parsed.values });
  }

  private reject(rejected: RejectedRow): void {
    if (this.rows.length + this.rejected.length >= this.maxRows) this.tooManyRows();
    this.rejected.push(rejected);
  }

  private header(columns: string[]): void {
    const dupe = columns.find((c, i) => columns.indexOf(c) !== i);
    if (dupe !== undefined) {
      throw fileError('duplicateColumn', `${this.fileName}: the header (row 1) names the column ${JSON.stringify(dupe)} twice; rename or remove one of them.`, this.fileName, { column: dupe });
    }
    const empty = columns.indexOf('');
    if (empty >= 0) {
      throw fileError('emptyColumnName', `${this.fileName}: column ${empty + 1} of the header (row 1) has no name; name it or delete the column.`, this.fileName, { column: empty + 1 });
    }
    this.columns = columns;
  }

  private tooManyRows(): never {
    throw fileError('tooManyRows', `${this.fileName} has more than ${this.maxRows.toLocaleString('en-US')} rows; split it into several files.`, this.fileName, { maxRows: this.maxRows });
  }
}

function countBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n += 1;
  if (n === 0) for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) n += 1;
  return n;
}

function joinLines(lines: Line[]): string {
  if (lines.length === 1) return lines[0]!.text;
  let text = '';
  for (let i = 0; i < lines.length; i += 1) text += i === 0 ? lines[i]!.text : lines[i - 1]!.end + lines[i]!.text;
  return text;
}

function lenientValues(text: string, separator: string): string[] {
  const parsed = parseRecord(text, separator, true, true);
  return parsed.kind === 'ok' ? parsed.values : [text];
}

export function fileError(problem: FileProblem, message: string, fileName: string, details: Record<string, unknown> = {}): AppError {
  return new AppError(problem === 'noEmailColumn' ? 'CSV_MISSING_COLUMN' : 'CSV_MALFORMED', message, { fileName, problem, row: 1, ...details });
}

const DELIMITER_WORDS: Record<CsvDelimiter, string> = { comma: 'comma', semicolon: 'semicolon', tab: 'tab' };

/** What is wrong with a rejected row and how to fix it, in words (the API's message and the rejected file's Reason). */
export function describeRejectedRow(r: RejectedRow, columns: string[], delimiter: CsvDelimiter): string {
  const column = r.column !== undefined ? (columns[r.column] !== undefined ? `column ${JSON.stringify(columns[r.column])}` : `value ${r.column + 1}`) : '';
  const example = 'for example "Acme ""East"" Ltd"';
  switch (r.problem) {
    case 'tooManyValues':
      return `row ${r.row} has ${r.found} values but the header has ${columns.length} columns. A value probably contains a ${DELIMITER_WORDS[delimiter]}: put that value in double quotes, or remove the extra value.`;
    case 'tooFewValues':
      return `row ${r.row} has ${r.found} ${r.found === 1 ? 'value' : 'values'} but the header has ${columns.length} columns. Add the missing values (an empty cell is fine, a missing one is not).`;
    case 'strayQuote':
      return `row ${r.row}, ${column}: a double quote (") is inside a value. Put the whole value in double quotes and write the quote inside it twice, ${example}.`;
    case 'textAfterQuote':
      return `row ${r.row}, ${column}: there is text after the closing double quote. Put the whole value in double quotes and write any quote inside it twice, ${example}.`;
    case 'unclosedQuote':
      return `row ${r.row}, ${column}: a double quote opens a value but is never closed. Add the closing quote at the end of the value, or remove the opening one.`;
  }
}

/** A CSV value, quoted when it must be. */
function csvValue(value: string, separator: string): string {
  return value.includes('"') || value.includes(separator) || /[\r\n]/.test(value) || value !== value.trim() ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The rejected rows as a CSV the admin opens in Excel: a `Reason` column first (so it stays in
 * place whatever the number of values), then the row's values in the file's own columns. Same
 * separator as the upload, so it opens in the admin's locale; a BOM, so Excel reads it as UTF-8.
 */
export function rejectedRowsCsv(columns: string[], delimiter: CsvDelimiter, rejected: Iterable<RejectedRow>): string {
  const separator = CSV_DELIMITERS[delimiter];
  const reason = rejectedReasonColumn(columns);
  let out = `\uFEFF${[reason, ...columns].map((v) => csvValue(v, separator)).join(separator)}\r\n`;
  for (const r of rejected) {
    const text = describeRejectedRow(r, columns, delimiter);
    out += `${[text.charAt(0).toUpperCase() + text.slice(1), ...r.values].map((v) => csvValue(v, separator)).join(separator)}\r\n`;
  }
  return out;
}

/** `Reason`, unless the file has a column of that name already. */
export function rejectedReasonColumn(columns: string[]): string {
  let name = 'Reason';
  for (let n = 2; columns.includes(name); n += 1) name = `Rejection reason${n > 2 ? ` ${n - 1}` : ''}`;
  return name;
}
