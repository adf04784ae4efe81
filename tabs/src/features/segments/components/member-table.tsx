import { Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import type { OfficeColumn, OfficeRow } from '../../../lib/api-types';
import { paths } from '../../../lib/router';
import { CellValue } from '../../../components/cell-value';
import { hiddenThreshold, PrivacyNote } from '../../../components/privacy-note';
import { useI18n } from '../../../i18n/i18n';
import { ScrollRegion } from '../../../components/scroll-region';

const COLUMNS: OfficeColumn[] = ['EngagementScore', 'EngagementBand', 'DaysSinceLastemail', 'DaysSinceLastMeeting', 'NextMeetingDate'];

/** Segment members (year rows), linking to their cards. */
export function MemberTable({ rows, label }: { rows: OfficeRow[]; label: string }) {
  const { t } = useI18n();
  const hiddenBelow = hiddenThreshold(rows);
  return (
    <>
      <ScrollRegion label={label}>
        <Table size="small" aria-label={label}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t.columns.AccountName}</TableHeaderCell>
              {COLUMNS.map((c) => (
                <TableHeaderCell key={c}>{t.columns[c]}</TableHeaderCell>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((row) => (
              <TableRow key={row.AccountId}>
                <TableCell>
                  <Link href={paths.account(row.AccountId)}>{row.AccountName ?? row.AccountId}</Link>
                </TableCell>
                {COLUMNS.map((c) => (
                  <TableCell key={c}>
                    <CellValue row={row} column={c} />
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </ScrollRegion>
      {hiddenBelow !== null && <PrivacyNote text={t.privacy.hiddenRows(hiddenBelow)} />}
    </>
  );
}
