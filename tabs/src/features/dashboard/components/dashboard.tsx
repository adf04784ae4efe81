import { Button, Card, CardHeader, Link, Text, Title2, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { useOverview } from '../api/get-overview';
import { useTopAccounts } from '../api/get-top-accounts';
import { paths } from '../../../lib/router';
import { useHost } from '../../../lib/host-context';
import { useI18n } from '../../../i18n/i18n';
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-state';
import type { Overview } from '../../../lib/api-types';
import { useChanges } from '../api/get-changes';
import { useTimeline } from '../api/get-timeline';
import { AccountsScopeSwitch, effectiveScope, useScopePreference } from './accounts-scope';
import { ThisWeek } from './this-week';
import { WeeklyTimeline } from './weekly-timeline';
import { KpiCards } from './kpi-cards';
import { BandDistribution } from './band-distribution';
import { TopAccounts } from './top-accounts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground3 },
  panels: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 320px), 1fr))', gap: tokens.spacingHorizontalL },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/**
 * One stale definition (engagement/segments.ts): the total, split into its two built-in groups.
 * For all accounts each count opens its member list. Under "My accounts" the counts are the
 * caller's (they follow the switch like the bands above); the segment lists hold everyone's
 * accounts, so the counts are plain text there and one link says the lists are everyone's.
 */
function StaleLine({ overview: o, mine }: { overview: Overview; mine: boolean }) {
  const styles = useStyles();
  const { t } = useI18n();
  const rule = (
    <Text as="span" block size={200} className={styles.muted}>
      {t.stale.dashboardRule(o.staleDays)}
    </Text>
  );
  if (mine) {
    const never = o.mine.staleNeverContactedCount;
    return (
      <Text as="p">
        {t.dashboardStale.mine(o.mine.staleCount)}
        {': '}
        {t.stale.goneQuiet(Math.max(0, o.mine.staleCount - never))}
        {', '}
        {t.stale.neverContacted(never)}
        {'. '}
        <Link href={paths.segments('stale')}>{t.dashboardStale.allLists(o.staleCount)}</Link>
        {rule}
      </Text>
    );
  }
  return (
    <Text as="p">
      <Link href={paths.segments('stale')}>{t.stale.dashboardTotal(o.staleCount)}</Link>
      {': '}
      <Link href={paths.segments('stale-gone-quiet')}>{t.stale.goneQuiet(o.staleGoneQuietCount)}</Link>
      {', '}
      <Link href={paths.segments('stale-never-contacted')}>{t.stale.neverContacted(o.staleNeverContactedCount)}</Link>
      {rule}
    </Text>
  );
}

/** The results page (MISSION §6): figures, history, bands and a preview of the Office table. */
export function Dashboard() {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const { isAdmin } = useHost();
  const overview = useOverview();
  const hasResults = !!overview.data?.lastRun;
  // "My accounts" first (the remembered choice), all accounts when owners cannot be told apart.
  const [preference, setPreference] = useScopePreference();
  const { scope, fallback } = effectiveScope(preference, overview.data?.mine);
  const mine = scope === 'mine';
  const top = useTopAccounts(hasResults, mine);
  const changes = useChanges(hasResults, mine);
  const timeline = useTimeline(hasResults, mine);

  let body;
  if (overview.error) body = <ErrorState error={overview.error} onRetry={overview.reload} />;
  else if (!overview.data) body = <LoadingState rows={4} />;
  else if (!overview.data.lastRun)
    body = (
      <EmptyState title={t.dashboard.emptyTitle}>
        <Text>{t.dashboard.emptyBody}</Text>
        {isAdmin ? (
          <Button as="a" appearance="primary" href={paths.setup()}>
            {t.dashboard.emptyAction}
          </Button>
        ) : (
          <Text>{t.dashboard.emptyNonAdmin}</Text>
        )}
      </EmptyState>
    );
  else {
    const o = overview.data;
    body = (
      <>
        <AccountsScopeSwitch preference={preference} onChange={setPreference} mine={o.mine} fallback={fallback} />
        <KpiCards overview={o} mine={mine ? o.mine : undefined} />
        <section className={styles.section} aria-labelledby="this-week-title">
          <div className={styles.header}>
            <Subtitle2 as="h2" id="this-week-title">
              {t.insights.thisWeekTitle}
            </Subtitle2>
            {changes.data && <Text className={styles.muted}>{t.insights.thisWeekIntro(changes.data.days)}</Text>}
          </div>
          {changes.error ? <ErrorState error={changes.error} onRetry={changes.reload} /> : changes.data ? <ThisWeek changes={changes.data} /> : <LoadingState rows={3} />}
        </section>
        <div className={styles.panels}>
          <Card>
            <CardHeader header={<Subtitle2 as="h2">{t.insights.timelineTitle}</Subtitle2>} />
            {timeline.error ? <ErrorState error={timeline.error} onRetry={timeline.reload} /> : timeline.data ? <WeeklyTimeline timeline={timeline.data} /> : <LoadingState rows={3} />}
          </Card>
          <Card>
            <CardHeader header={<Subtitle2 as="h2">{t.dashboard.bandsTitle}</Subtitle2>} />
            <BandDistribution bands={mine ? o.mine.bands : o.bands} />
            <StaleLine overview={o} mine={mine} />
          </Card>
        </div>
        <Card>
          <CardHeader
            header={<Subtitle2 as="h2">{mine ? t.insights.mineTitle(o.mine.totalAccounts) : t.dashboard.topTitle}</Subtitle2>}
            action={<Link href={paths.office(mine ? { owner: 'me' } : undefined)}>{t.common.seeMore}</Link>}
          />
          {top.error ? <ErrorState error={top.error} onRetry={top.reload} /> : top.data ? <TopAccounts rows={top.data.rows} /> : <LoadingState />}
        </Card>
      </>
    );
  }

  return (
    <div className={styles.root}>
      <div className={styles.header}>
        <Title2 as="h1">{t.dashboard.title}</Title2>
        {overview.data?.lastRun?.finishedAt && (
          <Text className={styles.muted}>{t.dashboard.lastRun(fmt.dateTime(overview.data.lastRun.finishedAt))}</Text>
        )}
      </div>
      {body}
    </div>
  );
}
