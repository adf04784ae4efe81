import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useI18n } from '../i18n/i18n';

const useStyles = makeStyles({
  root: { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' },
  up: { color: tokens.colorPaletteGreenForeground1 },
  down: { color: tokens.colorPaletteRedForeground1 },
  flat: { color: tokens.colorNeutralForeground3 },
});

/** ▲/▼ with the points gained or lost since the previous run; null on the first run. */
export function ScoreChange({ change }: { change: number | null }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  if (change === null) return <span className={mergeClasses(styles.root, styles.flat)}>{t.card.changeFirst}</span>;
  if (change === 0) return <span className={mergeClasses(styles.root, styles.flat)}>{t.card.changeNone}</span>;
  const n = fmt.number(Math.abs(change));
  const up = change > 0;
  return (
    <span className={mergeClasses(styles.root, up ? styles.up : styles.down)} aria-label={up ? t.card.changeUpLabel(Math.abs(change)) : t.card.changeDownLabel(Math.abs(change))}>
      {up ? t.card.changeUp(n) : t.card.changeDown(n)}
    </span>
  );
}
