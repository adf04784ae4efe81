import { Badge, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text } from '@fluentui/react-components';
import type { RunStatus, RunSummary } from '../../../lib/api-types';
import { useI18n } from '../../../i18n/i18n';
import { ScrollRegion } from '../../../components/scroll-region';
import { groupFailures } from '../run-failure-words';

const COLOR: Record<RunStatus, 'informative' | 'success' | 'warning' | 'danger' | 'subtle'> = {
  running: 'informative',
  succeeded: 'success',
  partial: 'warning',
  failed: 'danger',
  cancelled: 'subtle',
};

/** Past runs, newest first. */
export function RunHistory({ runs }: { runs: RunSummary[] }) {
  const { t, fmt } = useI18n();
  const h = t.runs.history;
  if (runs.length === 0) return <Text>{h.empty}</Text>;
  return (
    <ScrollRegion label={h.title}>
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
              <TableCell>
                {run.failures.length
                  ? groupFailures(run.failures)
                      .map((g) => t.runFailures.groupTitle(t.runFailures.kinds[g.kind].title, g.failures.length))
                      .join('; ')
                  : '—'}
              </TableCell>
              <TableCell>{run.warnings?.length ? run.warnings.join(' ') : '—'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </ScrollRegion>
  );
}
