import { useState } from 'react';
import { Badge, Button, Card, CardHeader, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownloadRegular, DeleteRegular, PeopleRegular } from '@fluentui/react-icons';
import type { Segment } from '../../../lib/api-types';
import { useHost } from '../../../lib/host-context';
import { useExport } from '../../../lib/use-export';
import { useI18n } from '../../../i18n/i18n';
import { ErrorState, LoadingState } from '../../../components/page-state';
import { deleteSegment, segmentMembersCsvUrl, useSegmentMembers } from '../api/segments';
import { MemberTable } from './member-table';

const useStyles = makeStyles({
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  members: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, marginTop: tokens.spacingVerticalM },
});

export function useSegmentName() {
  const { t } = useI18n();
  return (segment: Segment) => (segment.builtIn && segment.id === 'stale' ? t.segments.staleName : segment.name);
}

/** Saved segments with their counts, member lists, CSV export and delete. */
export function SegmentList({ segments, onChanged }: { segments: Segment[]; onChanged: () => void }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const { inTeams } = useHost();
  const exporter = useExport(inTeams);
  const nameOf = useSegmentName();
  const [selected, setSelected] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const members = useSegmentMembers(selected);
  const selectedSegment = segments.find((s) => s.id === selected);

  const remove = async (segment: Segment) => {
    setActionError(null);
    try {
      await deleteSegment(segment.id);
      if (selected === segment.id) setSelected(null);
      onChanged();
    } catch (error) {
      setActionError(error);
    }
  };

  return (
    <Card>
      <CardHeader header={<Subtitle2 as="h2">{t.segments.listTitle}</Subtitle2>} />
      {actionError !== null && <ErrorState error={actionError} />}
      {exporter.error ? <ErrorState error={exporter.error} /> : null}
      {segments.length === 0 ? (
        <Text>{t.segments.empty}</Text>
      ) : (
        <Table size="small" aria-label={t.segments.listTitle}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t.segments.name}</TableHeaderCell>
              <TableHeaderCell>{t.dashboard.accountsCount}</TableHeaderCell>
              <TableHeaderCell>{t.segments.actions}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {segments.map((segment) => {
              const csv = segmentMembersCsvUrl(segment.id);
              return (
                <TableRow key={segment.id}>
                  <TableCell>
                    {nameOf(segment)}{' '}
                    {segment.builtIn && (
                      <Badge appearance="outline" size="small">
                        {t.segments.builtIn}
                      </Badge>
                    )}
                  </TableCell>
                  <TableCell>{t.segments.members(fmt.number(segment.memberCount))}</TableCell>
                  <TableCell>
                    <div className={styles.actions}>
                      <Button size="small" icon={<PeopleRegular />} aria-pressed={selected === segment.id} onClick={() => setSelected(selected === segment.id ? null : segment.id)}>
                        {t.segments.viewMembers}
                      </Button>
                      <Button
                        size="small"
                        as="a"
                        href={csv}
                        download
                        icon={<ArrowDownloadRegular />}
                        onClick={(event) => {
                          event.preventDefault();
                          void exporter.start(csv);
                        }}
                      >
                        {t.common.exportCsv}
                      </Button>
                      {!segment.builtIn && (
                        <Button size="small" icon={<DeleteRegular />} onClick={() => void remove(segment)}>
                          {t.segments.remove}
                        </Button>
                      )}
                    </div>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      {selectedSegment && (
        <section className={styles.members} aria-label={t.segments.membersOf(nameOf(selectedSegment))}>
          <Subtitle2 as="h3" block>{t.segments.membersOf(nameOf(selectedSegment))}</Subtitle2>
          {members.error ? (
            <ErrorState error={members.error} onRetry={members.reload} />
          ) : !members.data ? (
            <LoadingState />
          ) : (
            <>
              <Text role="status">{t.segments.members(fmt.number(members.data.total))}</Text>
              <MemberTable rows={members.data.members} label={t.segments.membersOf(nameOf(selectedSegment))} />
            </>
          )}
        </section>
      )}
    </Card>
  );
}
