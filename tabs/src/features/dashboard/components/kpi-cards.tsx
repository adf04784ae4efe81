import { Card, Text, makeStyles, tokens } from '@fluentui/react-components';
import type { MyAccounts, Overview } from '../../../lib/api-types';
import { useI18n } from '../../../i18n/i18n';

const useStyles = makeStyles({
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(180px, 1fr))',
    gap: tokens.spacingHorizontalM,
    margin: '0',
    padding: '0',
    listStyleType: 'none',
  },
  card: { height: '100%' },
  value: {
    fontSize: tokens.fontSizeHero800,
    lineHeight: tokens.lineHeightHero800,
    fontWeight: tokens.fontWeightSemibold,
    fontVariantNumeric: 'tabular-nums',
  },
  label: { color: tokens.colorNeutralForeground2 },
  note: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});

/**
 * The seed's results-page figures: customers enriched, emails, meetings, days covered. With
 * `mine`, customers enriched counts the caller's accounts; the mail and meeting totals stay the
 * run's (they are not split by account owner).
 */
export function KpiCards({ overview, mine }: { overview: Overview; mine?: MyAccounts }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const items = [
    mine
      ? { label: t.dashboard.customersEnriched, value: mine.accountsEnriched, note: t.insights.mineNote(mine.totalAccounts) }
      : { label: t.dashboard.customersEnriched, value: overview.accountsEnriched, note: t.dashboard.ofAccounts(overview.totalAccounts) },
    // Said under the figure, so that next to "of your N accounts" nobody reads them as yours.
    { label: t.dashboard.emailsProcessed, value: overview.emailsProcessed, note: mine ? t.insights.wholeRunNote : null },
    { label: t.dashboard.meetingsProcessed, value: overview.meetingsProcessed, note: mine ? t.insights.wholeRunNote : null },
    { label: t.dashboard.daysCovered, value: overview.daysCovered, note: null },
  ];
  return (
    <ul className={styles.grid} aria-label={t.dashboard.kpisLabel}>
      {items.map((item) => (
        <li key={item.label}>
          <Card className={styles.card}>
            <Text className={styles.label}>{item.label}</Text>
            <span className={styles.value}>{fmt.number(item.value)}</span>
            {item.note && <span className={styles.note}>{item.note}</span>}
          </Card>
        </li>
      ))}
    </ul>
  );
}
