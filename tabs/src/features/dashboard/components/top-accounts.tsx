import { Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import { isHiddenRow, type OfficeRow } from '../../../lib/api-types';
import { paths } from '../../../lib/router';
import { BandBadge } from '../../../components/band-badge';
import { ScoreChange } from '../../../components/score-change';
import { hiddenThreshold, PrivacyNote } from '../../../components/privacy-note';
import { useI18n } from '../../../i18n/i18n';
import { ScrollRegion } from '../../../components/scroll-region';

/** The preview of the enriched data: the top accounts of the year by engagement score. */
export function TopAccounts({ rows }: { rows: OfficeRow[] }) {
  const { t, fmt } = useI18n();
  const c = t.columns;
  const total = (a: number | null, b: number | null) => fmt.number((a ?? 0) + (b ?? 0));
  const hiddenBelow = hiddenThreshold(rows);
  return (
    <>
      <ScrollRegion label={t.dashboard.topTitle}>
        <Table size="small" aria-label={t.dashboard.topTitle}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{c.AccountName}</TableHeaderCell>
              <TableHeaderCell>{c.EngagementScore}</TableHeaderCell>
              <TableHeaderCell>{c.EngagementBand}</TableHeaderCell>
              <TableHeaderCell>{c.EngagementScoreChange}</TableHeaderCell>
              <TableHeaderCell>{t.card.emails}</TableHeaderCell>
              <TableHeaderCell>{t.card.meetings}</TableHeaderCell>
              <TableHeaderCell>{c.DaysSinceLastemail}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((row) => (
              <TableRow key={row.AccountId}>
                <TableCell>
                  <Link href={paths.account(row.AccountId)}>{row.AccountName ?? row.AccountId}</Link>
                </TableCell>
                <TableCell>{fmt.number(row.EngagementScore)}</TableCell>
                <TableCell>
                  <BandBadge band={row.EngagementBand} size="small" />
                </TableCell>
                <TableCell>
                  <ScoreChange change={row.EngagementScoreChange} />
                </TableCell>
                {isHiddenRow(row) ? (
                  <>
                    <TableCell>{t.privacy.hiddenCell}</TableCell>
                    <TableCell>{t.privacy.hiddenCell}</TableCell>
                    <TableCell>{t.privacy.hiddenCell}</TableCell>
                  </>
                ) : (
                  <>
                    <TableCell>{total(row.NoOfEmails_ToAccount, row.NoOfEmails_FromAccount)}</TableCell>
                    <TableCell>{total(row.NoOfMeetings_ToAccount, row.NoOfMeetings_FromAccount)}</TableCell>
                    <TableCell>{row.DaysSinceLastemail === null ? t.common.never : fmt.number(row.DaysSinceLastemail)}</TableCell>
                  </>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </ScrollRegion>
      {hiddenBelow !== null && <PrivacyNote text={t.privacy.hiddenRows(hiddenBelow)} />}
    </>
  );
}
