import { Badge, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles } from '@fluentui/react-components';
import type { RunStatus, RunSummary } from '../../../lib/api-types';
import { useI18n } from '../../../i18n/i18n';

const COLOR: Record<RunStatus, 'informative' | 'success' | 'warning' | 'danger'> = {
  running: 'informative',
  succeeded: 'success',
  partial: 'warning',
  failed: 'danger',
};

const useStyles = makeStyles({ scroller: { overflowX: 'auto' } });

/** Past runs, newest first. */
export function RunHistory({ runs }: { runs: RunSummary[] }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const h = t.runs.history;
  if (runs.length === 0) return <Text>{h.empty}</Text>;
  return (
    <div className={styles.scroller}>
      <Table size="small" aria-label={h.title}>
        <TableHeader>
          <TableRow>
            <TableHeaderCell>{h.started}</TableHeaderCell>
            <TableHeaderCell>{h.finished}</TableHeaderCell>
            <TableHeaderCell>{h.trigger}</TableHeaderCell>
            <TableHeaderCell>{h.status}</TableHeaderCell>
            <TableHeaderCell>{h.accounts}</TableHeaderCell>
            <TableHeaderCell>{h.emails}</TableHeaderCell>
            <TableHeaderCell>{h.meetings}</TableHeaderCell>
            <TableHeaderCell>{h.failures}</TableHeaderCell>
            <TableHeaderCell>{h.warnings}</TableHeaderCell>
          </TableRow>
        </TableHeader>
        <TableBody>
          {runs.map((run) => (
            <TableRow key={run.id}>
              <TableCell>{fmt.dateTime(run.startedAt)}</TableCell>
              <TableCell>{fmt.dateTime(run.finishedAt)}</TableCell>
              <TableCell>{t.runs.triggers[run.trigger]}</TableCell>
              <TableCell>
                <Badge appearance="tint" color={COLOR[run.status]}>
                  {t.runs.statuses[run.status]}
                </Badge>
              </TableCell>
              <TableCell>{fmt.number(run.accountsEnriched)}</TableCell>
              <TableCell>{fmt.number(run.emailsProcessed)}</TableCell>
              <TableCell>{fmt.number(run.meetingsProcessed)}</TableCell>
              <TableCell>{run.failures.length ? run.failures.map((f) => `${f.mailbox} (${f.code})`).join(', ') : '—'}</TableCell>
              <TableCell>{run.warnings?.length ? run.warnings.join(' ') : '—'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
