import type { ReactNode } from 'react';
import { Card, CardHeader, Link, Subtitle2, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ChangeAccount, Changes } from '../../../lib/api-types';
import { paths } from '../../../lib/router';
import { BandBadge } from '../../../components/band-badge';
import { ScoreChange } from '../../../components/score-change';
import { useI18n } from '../../../i18n/i18n';

const useStyles = makeStyles({
  grid: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(min(100%, 260px), 1fr))', gap: tokens.spacingHorizontalL },
  list: { listStyleType: 'none', margin: '0', padding: '0', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  item: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXXS },
  name: { flexGrow: 1, minWidth: '0', overflowWrap: 'anywhere' },
  detail: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  empty: { color: tokens.colorNeutralForeground3 },
});

function AccountList({ title, items, total, empty, detail }: { title: string; items: ChangeAccount[]; total: number; empty: string; detail: (a: ChangeAccount) => ReactNode }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <Card>
      <CardHeader header={<Subtitle2 as="h3">{title}</Subtitle2>} />
      {items.length === 0 ? (
        <Text className={styles.empty}>{empty}</Text>
      ) : (
        <ul className={styles.list} aria-label={title}>
          {items.map((a) => (
            <li key={a.accountId} className={styles.item}>
              <Link className={styles.name} href={paths.account(a.accountId)}>
                {a.name ?? a.accountId}
              </Link>
              {detail(a)}
            </li>
          ))}
        </ul>
      )}
      {total > items.length && <Text className={styles.detail}>{t.insights.andMore(total - items.length)}</Text>}
    </Card>
  );
}

/** "This week": score movers, accounts that went quiet, meetings coming up; each row opens the card. */
export function ThisWeek({ changes }: { changes: Changes }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const firstRun = !changes.comparedWithPreviousRun;
  return (
    <div className={styles.grid}>
      <AccountList
        title={t.insights.gainsTitle}
        items={changes.gains}
        total={changes.totals.gains}
        empty={firstRun ? t.insights.firstRun : t.insights.noGains}
        detail={(a) => <ScoreChange change={a.change} />}
      />
      <AccountList
        title={t.insights.dropsTitle}
        items={changes.drops}
        total={changes.totals.drops}
        empty={firstRun ? t.insights.firstRun : t.insights.noDrops}
        detail={(a) => <ScoreChange change={a.change} />}
      />
      <AccountList
        title={t.insights.staleTitle}
        items={changes.becameStale}
        total={changes.totals.becameStale}
        empty={t.insights.noStale}
        detail={(a) => (
          <>
            <BandBadge band={a.band} size="small" />
            {a.daysSinceLastContact !== null && <span className={styles.detail}>{t.insights.lastContact(a.daysSinceLastContact)}</span>}
          </>
        )}
      />
      <AccountList
        title={t.insights.upcomingTitle}
        items={changes.upcomingMeetings}
        total={changes.totals.upcomingMeetings}
        empty={t.insights.noUpcoming}
        detail={(a) => <span className={styles.detail}>{t.insights.meetingOn(fmt.dateTime(a.nextMeetingDate))}</span>}
      />
    </div>
  );
}
