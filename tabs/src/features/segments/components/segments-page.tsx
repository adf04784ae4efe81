import { Title2, makeStyles, tokens } from '@fluentui/react-components';
import { useI18n } from '../../../i18n/i18n';
import { ErrorState, LoadingState } from '../../../components/page-state';
import { useSegments } from '../api/segments';
import { SegmentBuilder } from './segment-builder';
import { SegmentList } from './segment-list';
import { MeasuresPanel } from './measures-panel';
import { STALE_SEGMENT_ID } from './rule-model';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
});

/** Segments and measures on the enriched data (MISSION §9). */
export function SegmentsPage({ open = null }: { open?: string | null } = {}) {
  const styles = useStyles();
  const { t } = useI18n();
  const segments = useSegments();
  const stale = segments.data?.segments.find((s) => s.builtIn && s.id === STALE_SEGMENT_ID);
  return (
    <div className={styles.root}>
      <Title2 as="h1">{t.segments.title}</Title2>
      {segments.error ? (
        <ErrorState error={segments.error} onRetry={segments.reload} />
      ) : !segments.data ? (
        <LoadingState />
      ) : (
        <SegmentList segments={segments.data.segments} onChanged={segments.reload} initialSelected={open} />
      )}
      {/* The builder starts from the configured stale rule, so it appears once the segments are
          known: mounted earlier, it would have to start again and drop what the user typed. */}
      {(segments.data !== undefined || segments.error !== undefined) && <SegmentBuilder starter={stale?.rule ?? null} onSaved={segments.reload} />}
      <MeasuresPanel segments={segments.data?.segments ?? []} />
    </div>
  );
}
