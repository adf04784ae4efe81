import { isHidden, type OfficeRowView } from '../engagement/row-privacy';
import { OFFICE_COLUMNS } from '../engagement/types';

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

/** The last column of an export that may hold rows hidden by the privacy threshold. */
export const ACTIVITY_HIDDEN_COLUMN = 'ActivityHidden';

/**
 * The `Office` table as CSV, columns in `OFFICE_COLUMNS` order. With `activityHiddenColumn`
 * (a non-admin's export while the privacy threshold is above 1), or whenever a row is hidden, a
 * last column says `true` on rows whose empty activity cells are hidden rather than "never".
 */
export function officeRowsToCsv(rows: readonly OfficeRowView[], options: { activityHiddenColumn?: boolean } = {}): string {
  const extra = options.activityHiddenColumn === true || rows.some(isHidden);
  const parts = [csvLine(extra ? [...OFFICE_COLUMNS, ACTIVITY_HIDDEN_COLUMN] : OFFICE_COLUMNS)];
  for (const row of rows) {
    const cells: unknown[] = OFFICE_COLUMNS.map((c) => row[c]);
    if (extra) cells.push(isHidden(row));
    parts.push(csvLine(cells));
  }
  return parts.join('');
}
