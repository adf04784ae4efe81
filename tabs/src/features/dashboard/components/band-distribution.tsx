import { Link, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { EngagementBand, Overview } from '../../../lib/api-types';
import { paths } from '../../../lib/router';
import { useI18n } from '../../../i18n/i18n';

const BANDS: EngagementBand[] = ['High', 'Medium', 'Low'];

const useStyles = makeStyles({
  list: { listStyleType: 'none', margin: '0', padding: '0', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'grid', gridTemplateColumns: '7em 1fr 4em', alignItems: 'center', gap: tokens.spacingHorizontalS },
  track: { height: '12px', borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground3, overflow: 'hidden' },
  bar: { height: '100%', borderRadius: tokens.borderRadiusMedium, '@media (forced-colors: active)': { backgroundColor: 'CanvasText' } },
  High: { backgroundColor: tokens.colorPaletteGreenBackground3 },
  Medium: { backgroundColor: tokens.colorPaletteMarigoldBackground3 },
  Low: { backgroundColor: tokens.colorPaletteRedBackground3 },
  count: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
});

/** Accounts per engagement band, each linking to the Office table filtered on that band. */
export function BandDistribution({ bands }: { bands: Overview['bands'] }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const sum = BANDS.reduce((n, b) => n + (bands[b] ?? 0), 0);
  const total = Math.max(1, sum);
  return (
    <ul className={styles.list} aria-label={t.dashboard.bandsSummary(sum, bands.High, bands.Medium, bands.Low)}>
      {BANDS.map((band) => (
        <li key={band} className={styles.row}>
          <Link href={paths.office({ band })}>{t.bands[band]}</Link>
          <div className={styles.track} aria-hidden="true">
            <div className={mergeClasses(styles.bar, styles[band])} style={{ width: `${((bands[band] ?? 0) / total) * 100}%` }} />
          </div>
          <span className={styles.count}>{fmt.number(bands[band] ?? 0)}</span>
        </li>
      ))}
    </ul>
  );
}
