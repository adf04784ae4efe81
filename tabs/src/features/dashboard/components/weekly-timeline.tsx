import { useSyncExternalStore } from 'react';
import { Text } from '@fluentui/react-components';
import type { Timeline } from '../../../lib/api-types';
import { ChartFrame } from '../../../components/chart-frame';
import { useI18n } from '../../../i18n/i18n';

/** At most this many x labels: a year of weeks labelled every few weeks, not one label per point. */
const MAX_TICKS = 8;
/** At Teams' narrow widths (mobile, side panel) eight dates overlap ("Mar 30May 1…"). */
const NARROW_MAX_TICKS = 4;
const NARROW = '(max-width: 640px)';

function useNarrowViewport(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const query = window.matchMedia(NARROW);
      query.addEventListener('change', onChange);
      return () => query.removeEventListener('change', onChange);
    },
    () => window.matchMedia(NARROW).matches,
    () => false,
  );
}

/** Every k-th week, counted back from the latest so the newest week is always labelled. */
export function weekTicks(weekStarts: readonly string[], max = MAX_TICKS): string[] {
  if (weekStarts.length === 0) return [];
  const step = Math.max(1, Math.ceil(weekStarts.length / max));
  const ticks: string[] = [];
  for (let i = weekStarts.length - 1; i >= 0; i -= step) ticks.unshift(weekStarts[i]!);
  return ticks;
}

/** Enriched customers per ISO week, from the engine's week rows (GET /api/results/timeline). */
export function WeeklyTimeline({ timeline }: { timeline: Timeline }) {
  const { t, fmt } = useI18n();
  const narrow = useNarrowViewport();
  const weeks = timeline.weeks;
  if (weeks.length === 0) return <Text>{t.insights.timelineEmpty}</Text>;
  // One point is not a line: say what there is instead of drawing a dot on an empty axis.
  if (weeks.length === 1) return <Text>{t.insights.timelineOneWeek(weeks[0]!.accounts)}</Text>;
  const latest = weeks.at(-1)!.accounts;
  const peak = Math.max(...weeks.map((w) => w.accounts));
  return (
    <ChartFrame
      title={t.insights.timelineTitle}
      summary={t.insights.timelineSummary(weeks.length, latest, peak)}
      spec={{
        kind: 'line',
        xAxisTitle: t.insights.weekAxis,
        yAxisTitle: t.insights.accountsAxis,
        xTicks: weekTicks(weeks.map((w) => w.weekStart), narrow ? NARROW_MAX_TICKS : MAX_TICKS).map((w) => new Date(w)),
        series: [{ legend: t.insights.accountsAxis, points: weeks.map((w) => ({ x: new Date(w.weekStart), y: w.accounts })) }],
      }}
      table={{ columns: [t.insights.weekColumn, t.insights.accountsAxis], rows: weeks.map((w) => [fmt.date(w.weekStart), fmt.number(w.accounts)]) }}
    />
  );
}
