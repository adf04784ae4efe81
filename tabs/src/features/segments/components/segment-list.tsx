import { useState } from 'react';
import { Badge, Button, Card, CardHeader, Link, Subtitle2, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownloadRegular, DeleteRegular, PeopleRegular } from '@fluentui/react-icons';
import type { Segment } from '../../../lib/api-types';
import { paths } from '../../../lib/router';
import { useHost } from '../../../lib/host-context';
import { useExport } from '../../../lib/use-export';
import { useI18n } from '../../../i18n/i18n';
import { ErrorState, LoadingState } from '../../../components/page-state';
import { deleteSegment, segmentMembersCsvUrl, useSegmentMembers } from '../api/segments';
import { MemberTable } from './member-table';
import { RuleTree } from './rule-tree';
import { STALE_SEGMENT_ID, readStaleRule, staleGroupOfSegment } from './rule-model';
import { ScrollRegion } from '../../../components/scroll-region';

const useStyles = makeStyles({
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
  members: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, marginTop: tokens.spacingVerticalM },
  note: { display: 'block', color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  // The stale groups sit under the stale segment, as parts of it.
  child: { paddingLeft: tokens.spacingHorizontalXL },
  rule: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
  },
});

export function useSegmentName() {
  const { t } = useI18n();
  return (segment: Segment) => {
    if (!segment.builtIn) return segment.name;
    if (segment.id === STALE_SEGMENT_ID) return t.segments.staleName;
    const group = staleGroupOfSegment(segment.id);
    return group ? t.stale.groups[group] : segment.name;
  };
}

/** A built-in segment's rule in words: the stale rule, or what its group adds. */
function useBuiltInWords() {
  const { t } = useI18n();
  return (segment: Segment): string | null => {
    if (!segment.builtIn) return null;
    const group = staleGroupOfSegment(segment.id);
    if (group) return t.stale.groupInWords[group];
    const stale = readStaleRule(segment.rule);
    return stale ? t.stale.ruleInWords(stale.staleDays, stale.suppress) : null;
  };
}

/** The selected segment's rule: in words and as its tree; a built-in one points to the settings. */
function RuleSection({ segment, name }: { segment: Segment; name: string }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { isAdmin } = useHost();
  const words = useBuiltInWords()(segment);
  return (
    <section className={styles.rule} aria-label={t.stale.ruleTreeLabel(name)}>
      <Text weight="semibold">{t.stale.ruleTitle}</Text>
      {words && <Text>{words}</Text>}
      <RuleTree rule={segment.rule} />
      {segment.builtIn && (
        <Text className={styles.note}>
          {t.stale.readOnlyRule} <Link href={paths.settings()}>{isAdmin ? t.stale.editInSettings : t.stale.seeInSettings}</Link>
        </Text>
      )}
    </section>
  );
}

/** Saved segments with their counts, member lists, CSV export and delete. */
export function SegmentList({ segments, onChanged, initialSelected = null }: { segments: Segment[]; onChanged: () => void; initialSelected?: string | null }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { inTeams } = useHost();
  const exporter = useExport(inTeams);
  const nameOf = useSegmentName();
  const wordsOf = useBuiltInWords();
  const [selected, setSelected] = useState<string | null>(initialSelected);
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
        <ScrollRegion label={t.segments.listTitle}>
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
                    <TableCell className={staleGroupOfSegment(segment.id) ? styles.child : undefined}>
                      {nameOf(segment)}{' '}
                      {segment.builtIn && (
                        <Badge appearance="outline" size="small">
                          {t.segments.builtIn}
                        </Badge>
                      )}
                      {wordsOf(segment) && <span className={styles.note}>{wordsOf(segment)}</span>}
                    </TableCell>
                    <TableCell>{t.segments.members(segment.memberCount)}</TableCell>
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
        </ScrollRegion>
      )}
      {selectedSegment && (
        <section className={styles.members}>
          {/* Not a named landmark: the member table's scroll region inside already carries this name (axe landmark-unique). */}
          <Subtitle2 as="h3" block>{t.segments.membersOf(nameOf(selectedSegment))}</Subtitle2>
          <RuleSection segment={selectedSegment} name={nameOf(selectedSegment)} />
          {members.error ? (
            <ErrorState error={members.error} onRetry={members.reload} />
          ) : !members.data ? (
            <LoadingState />
          ) : (
            <>
              <Text role="status">{t.segments.members(members.data.total)}</Text>
              <MemberTable rows={members.data.members} label={t.segments.membersOf(nameOf(selectedSegment))} />
            </>
          )}
        </section>
      )}
    </Card>
  );
}
