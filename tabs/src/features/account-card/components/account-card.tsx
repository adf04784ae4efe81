import { useEffect, useState } from 'react';
import { Badge, Button, Card, CardHeader, Link, Subtitle2, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowLeftRegular, LinkRegular } from '@fluentui/react-icons';
import { goBack, paths } from '../../../lib/router';
import { ApiError } from '../../../lib/api-client';
import { useHost } from '../../../lib/host-context';
import { buildCardDeepLink } from '../../../lib/teams';
import { useI18n } from '../../../i18n/i18n';
import { BandBadge } from '../../../components/band-badge';
import { ScoreChange } from '../../../components/score-change';
import { EmptyState, ErrorState, LoadingState } from '../../../components/page-state';
import { useAccount } from '../api/get-account';
import { ScoreExplanation } from './score-explanation';
import { ActivityHistory } from './activity-history';
import { FactList } from '../../../components/fact-list';
import { PrivacyNote } from '../../../components/privacy-note';
import { isHiddenRow } from '../../../lib/api-types';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  id: { color: tokens.colorNeutralForeground3 },
  scoreRow: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalL },
  score: {
    fontSize: tokens.fontSizeHero900,
    lineHeight: tokens.lineHeightHero900,
    fontWeight: tokens.fontWeightBold,
    fontVariantNumeric: 'tabular-nums',
  },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(300px, 1fr))', gap: tokens.spacingHorizontalL },
  spacer: { marginInlineStart: 'auto' },
  back: { alignSelf: 'flex-start' },
});

/** "Back": to the page the user came from inside the tab (a list keeps its filters), else the dashboard. */
function BackButton() {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <Button className={styles.back} appearance="subtle" icon={<ArrowLeftRegular />} onClick={() => goBack(paths.dashboard())}>
      {t.insights.back}
    </Button>
  );
}

/**
 * The customer card (MISSION §8): score, explanation, totals, history and touchpoints. When the
 * privacy threshold hides the account's year row, the card keeps the score, band and change and
 * says why the rest is hidden (docs/api.md "Privacy threshold").
 */
export function AccountCard({ accountId }: { accountId: string }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const { appId, inTeams } = useHost();
  const account = useAccount(accountId);
  const [copied, setCopied] = useState(false);
  const loadedName = account.data ? (account.data.account.name ?? account.data.account.accountId) : null;
  const notFound = account.error instanceof ApiError && account.error.status === 404;

  useEffect(() => {
    if (loadedName) document.title = t.insights.pageTitle(loadedName);
    else if (notFound) document.title = t.insights.pageTitle(t.insights.notFoundTitle);
  }, [loadedName, notFound, t]);

  // Retrying cannot bring back an account that is not in the results: say so, and offer the way back.
  if (notFound)
    return (
      <div className={styles.root}>
        <BackButton />
        <EmptyState title={t.insights.notFoundTitle}>
          <Text>{t.insights.notFoundBody(accountId)}</Text>
          <Link href={paths.office({ q: accountId })}>{t.insights.searchOffice}</Link>
        </EmptyState>
      </div>
    );
  if (account.error)
    return (
      <div className={styles.root}>
        <BackButton />
        <ErrorState error={account.error} onRetry={account.reload} />
      </div>
    );
  if (!account.data) return <LoadingState rows={5} />;
  const { year, months, weeks, explanation, stale } = account.data;
  const name = account.data.account.name ?? account.data.account.accountId;
  const days = (n: number | null) => (n === null ? t.common.never : fmt.number(n));
  const total = (a: number | null, b: number | null) => fmt.number((a ?? 0) + (b ?? 0));
  const hidden = isHiddenRow(year);
  const hiddenNote = hidden ? <PrivacyNote text={t.privacy.hiddenAccount(year.privacy?.minimumColleagues ?? 2)} /> : null;

  const copyLink = async () => {
    if (!appId) return;
    await navigator.clipboard?.writeText(buildCardDeepLink(appId, accountId, { label: name }));
    setCopied(true);
  };

  return (
    <article className={styles.root} aria-labelledby="account-title">
      <BackButton />
      <div className={styles.header}>
        <Title2 as="h1" id="account-title">
          {name}
        </Title2>
        <Text className={styles.id}>{account.data.account.accountId}</Text>
        {/* Stale or active is the hidden recency itself: no badge on a hidden account. */}
        {hidden ? null : stale ? (
          <Badge appearance="filled" color="danger">
            {t.card.stale}
          </Badge>
        ) : (
          <Badge appearance="outline" color="success">
            {t.card.active}
          </Badge>
        )}
        {appId && inTeams && (
          <Button className={styles.spacer} icon={<LinkRegular />} onClick={() => void copyLink()}>
            {t.card.copyLink}
          </Button>
        )}
        {copied && <Text role="status">{t.card.linkCopied}</Text>}
      </div>
      <Card>
        <div className={styles.scoreRow}>
          <div>
            <Text as="p" block>{t.card.score}</Text>
            <span className={styles.score} aria-label={`${t.card.score}: ${fmt.number(year.EngagementScore)}`}>
              {fmt.number(year.EngagementScore)}
            </span>
          </div>
          <BandBadge band={year.EngagementBand} size="large" />
          <div>
            <Text as="p" block>{t.card.change}</Text>
            <ScoreChange change={year.EngagementScoreChange} />
          </div>
          {!hidden && (
            <FactList
              items={[
                { label: t.card.totalEmails, value: total(year.NoOfEmails_ToAccount, year.NoOfEmails_FromAccount) },
                { label: t.card.totalMeetings, value: total(year.NoOfMeetings_ToAccount, year.NoOfMeetings_FromAccount) },
              ]}
            />
          )}
        </div>
      </Card>
      {hiddenNote}
      {!hidden && (
        <div className={styles.grid}>
          <Card>
            <CardHeader header={<Subtitle2 as="h2">{t.card.explanationTitle}</Subtitle2>} />
            <ScoreExplanation explanation={explanation} />
          </Card>
          <Card>
            <CardHeader header={<Subtitle2 as="h2">{t.card.timelineTitle}</Subtitle2>} />
            <FactList
              items={[
                { label: t.card.lastInbound, value: fmt.date(year.LastInboundDate) },
                { label: t.card.lastOutbound, value: fmt.date(year.LastOutboundDate) },
                { label: t.card.nextMeeting, value: fmt.date(year.NextMeetingDate) },
                { label: t.card.daysSinceEmail, value: days(year.DaysSinceLastemail) },
                { label: t.card.daysSinceMeeting, value: days(year.DaysSinceLastMeeting) },
              ]}
            />
          </Card>
        </div>
      )}
      {!hidden && (
        <Card>
          <CardHeader header={<Subtitle2 as="h2">{t.card.historyTitle}</Subtitle2>} />
          <ActivityHistory months={months} weeks={weeks} />
        </Card>
      )}
    </article>
  );
}
