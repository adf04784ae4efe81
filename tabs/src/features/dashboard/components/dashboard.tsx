import { Button, Card, CardHeader, Link, Text, Title2, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { useOverview } from '../api/get-overview';
import { useTopAccounts } from '../api/get-top-accounts';
import { paths } from '../../../lib/router';
import { useHost } from '../../../lib/host-context';
import { useI18n } from '../../../i18n/i18n';
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-state';
import { ChartFrame } from '../../../components/chart-frame';
import { KpiCards } from './kpi-cards';
import { BandDistribution } from './band-distribution';
import { TopAccounts } from './top-accounts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground3 },
  panels: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))', gap: tokens.spacingHorizontalL },
});

/** The results page (MISSION §6): figures, history, bands and a preview of the Office table. */
export function Dashboard() {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const { isAdmin } = useHost();
  const overview = useOverview();
  const hasResults = !!overview.data?.lastRun;
  const top = useTopAccounts(hasResults);

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
    const history = o.history;
    const latest = history.at(-1)?.accountsEnriched ?? o.accountsEnriched;
    body = (
      <>
        <KpiCards overview={o} />
        <div className={styles.panels}>
          <Card>
            <CardHeader header={<Subtitle2 as="h2">{t.dashboard.historyTitle}</Subtitle2>} />
            {history.length === 0 ? (
              <Text>{t.dashboard.historyEmpty}</Text>
            ) : (
              <ChartFrame
                title={t.dashboard.historyTitle}
                summary={t.dashboard.historySummary(history.length, fmt.number(latest))}
                spec={{ kind: 'line', series: [{ legend: t.dashboard.customersEnriched, points: history.map((h) => ({ x: new Date(h.finishedAt), y: h.accountsEnriched })) }] }}
                table={{ columns: [t.dashboard.runColumn, t.dashboard.customersEnriched], rows: history.map((h) => [fmt.dateTime(h.finishedAt), fmt.number(h.accountsEnriched)]) }}
              />
            )}
          </Card>
          <Card>
            <CardHeader header={<Subtitle2 as="h2">{t.dashboard.bandsTitle}</Subtitle2>} />
            <BandDistribution bands={o.bands} />
            <Link href={paths.segments()}>{t.dashboard.staleCount(fmt.number(o.staleCount))}</Link>
          </Card>
        </div>
        <Card>
          <CardHeader
            header={<Subtitle2 as="h2">{t.dashboard.topTitle}</Subtitle2>}
            action={<Link href={paths.office()}>{t.common.seeMore}</Link>}
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
