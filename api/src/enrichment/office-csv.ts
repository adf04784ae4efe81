import { OFFICE_COLUMNS, type OfficeRow } from '../engagement/types';

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; formula prefixes neutralised. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  // Spreadsheet apps run cells that start with these as formulas (CSV injection).
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

/** The `Office` table as CSV, columns in `OFFICE_COLUMNS` order. */
export function officeRowsToCsv(rows: readonly OfficeRow[]): string {
  const parts = [csvLine(OFFICE_COLUMNS)];
  for (const row of rows) parts.push(csvLine(OFFICE_COLUMNS.map((c) => row[c])));
  return parts.join('');
}
