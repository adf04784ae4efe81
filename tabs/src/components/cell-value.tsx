import type { OfficeColumn, OfficeRow } from '../lib/api-types';
import { DATE_COLUMNS, isHiddenRow } from '../lib/api-types';
import { useI18n } from '../i18n/i18n';
import { BandBadge } from './band-badge';
import { ScoreChange } from './score-change';

/** One Office-table value, formatted for the UI's locale; "Hidden" where the privacy threshold hid it. */
export function CellValue({ row, column }: { row: OfficeRow; column: OfficeColumn }) {
  const { t, fmt } = useI18n();
  const value = row[column];
  if (column === 'EngagementBand') return <BandBadge band={row.EngagementBand} size="small" />;
  if (column === 'EngagementScoreChange') return <ScoreChange change={row.EngagementScoreChange} />;
  if (column === 'AggregationLevel') return <>{t.office.levels[row.AggregationLevel]}</>;
  // On a hidden row every null is a hidden activity value (the kept columns are never null there but the name).
  if ((value === null || value === undefined) && isHiddenRow(row) && column !== 'AccountName') return <>{t.privacy.hiddenCell}</>;
  if (value === null || value === undefined) return <>—</>;
  if (DATE_COLUMNS.has(column)) return <>{fmt.date(String(value))}</>;
  if (typeof value === 'number') return <>{fmt.number(value, 1)}</>;
  return <>{String(value)}</>;
}
