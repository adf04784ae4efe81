import { Text, makeStyles, tokens } from '@fluentui/react-components';
import type { ScoreExplanation as Explanation } from '../../../lib/api-types';
import { useI18n } from '../../../i18n/i18n';

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: '0', padding: '0', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  item: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  head: { display: 'flex', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  detail: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  track: { height: '8px', borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground3, overflow: 'hidden' },
  bar: {
    height: '100%',
    backgroundColor: tokens.colorBrandBackground,
    '@media (forced-colors: active)': { backgroundColor: 'Highlight' },
  },
  points: { fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums' },
});

/**
 * Each signal's contribution: points out of the most it can give (weight × 100), with its
 * weight and percentile among the active accounts (DESIGN.md §4).
 */
export function ScoreExplanation({ explanation }: { explanation: Explanation }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  if (explanation.signals.length === 0) return <Text>{t.card.noSignals}</Text>;
  return (
    <ul className={styles.list}>
      {explanation.signals.map((s) => {
        const max = Math.max(s.weight * 100, 1e-9);
        const share = Math.min(1, Math.max(0, s.points / max));
        const label = t.card.signals[s.signal];
        return (
          <li key={s.signal} className={styles.item}>
            <div className={styles.head}>
              <Text>{label}</Text>
              <span className={styles.points}>{fmt.number(s.points, 1)}</span>
            </div>
            <div
              className={styles.track}
              role="meter"
              aria-label={t.card.signalBar(label, s.points)}
              aria-valuemin={0}
              aria-valuemax={Math.round(max * 10) / 10}
              aria-valuenow={Math.round(s.points * 10) / 10}
            >
              <div className={styles.bar} style={{ width: `${share * 100}%` }} />
            </div>
            <span className={styles.detail}>{t.card.signalDetail(s.points, fmt.percent(s.weight), fmt.percent(s.percentile))}</span>
          </li>
        );
      })}
    </ul>
  );
}
