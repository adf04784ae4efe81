/**
 * Customer datasets arrive as CSV. Parsing is streamed (csv-parse), so a 200,000-contact
 * upload is never buffered whole as text. Errors name the file, the line and the column.
 */
import { createReadStream } from 'node:fs';
import { type Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { AppError } from '../errors';
import type { AccountRecord, ContactRecord } from '../engagement/types';

export interface CsvTable {
  fileName: string;
  columns: string[];
  rows: string[][];
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

/** Parses a CSV stream whose first record is the header. */
export async function readCsvTable(input: Readable, fileName: string, maxRows = 1_000_000): Promise<CsvTable> {
  const parser = input.pipe(
    parse({ bom: true, trim: true, skip_empty_lines: true, relax_quotes: false, relax_column_count: false }),
  );
  input.on('error', (e) => parser.destroy(e));
  let columns: string[] | null = null;
  const rows: string[][] = [];
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (columns === null) {
        columns = record;
        const dupe = columns.find((c, i) => columns!.indexOf(c) !== i);
        if (dupe !== undefined) throw new AppError('CSV_MALFORMED', `${fileName}: the header names the column "${dupe}" twice.`, { fileName });
        if (columns.some((c) => c === '')) throw new AppError('CSV_MALFORMED', `${fileName}: the header has an empty column name.`, { fileName });
        continue;
      }
      if (rows.length >= maxRows) {
        throw new AppError('CSV_MALFORMED', `${fileName}: more than ${maxRows.toLocaleString('en-US')} rows; split the file.`, { fileName });
      }
      rows.push(record);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    const err = e as Error & { code?: string; lines?: number };
    if (err.code === 'ENOENT') throw new AppError('USAGE', `${fileName}: no such file.`, { fileName }, e);
    const line = err.lines !== undefined ? ` line ${err.lines}` : '';
    throw new AppError('CSV_MALFORMED', `${fileName}${line}: ${err.message.replace(/^Invalid Record Length: /, '')}`, { fileName, line: err.lines }, e);
  }
  if (columns === null) throw new AppError('CSV_MALFORMED', `${fileName}: the file is empty; it needs a header row.`, { fileName });
  return { fileName, columns, rows };
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
