import { makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  list: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalS, margin: '0' },
  term: { color: tokens.colorNeutralForeground2 },
  pair: { display: 'contents' },
  value: { margin: '0', fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums' },
});

/** Label/value pairs as a description list (card touchpoints, wizard summary and report). */
export function FactList({ items, label }: { items: { label: string; value: string }[]; label?: string }) {
  const styles = useStyles();
  return (
    <dl className={styles.list} aria-label={label}>
      {items.map((item) => (
        <div key={item.label} className={styles.pair}>
          <dt className={styles.term}>{item.label}</dt>
          <dd className={styles.value}>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
