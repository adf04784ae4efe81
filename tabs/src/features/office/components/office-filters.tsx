import { Button, Field, Input, Select, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownloadRegular, SearchRegular } from '@fluentui/react-icons';
import type { AggregationLevel, EngagementBand } from '../../../lib/api-types';
import { useI18n } from '../../../i18n/i18n';

const LEVELS: AggregationLevel[] = ['year', 'month', 'week'];
const BANDS: EngagementBand[] = ['High', 'Medium', 'Low'];

const useStyles = makeStyles({
  root: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  export: { marginInlineStart: 'auto' },
});

export interface OfficeFilterValues {
  level: AggregationLevel;
  bucket: string;
  text: string;
  band: EngagementBand | '';
}

export function OfficeFilters(props: {
  values: OfficeFilterValues;
  buckets: string[];
  onChange: (patch: Partial<OfficeFilterValues>) => void;
  csvHref: string;
  onExport: (event: React.MouseEvent) => void;
}) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const { values, onChange } = props;
  const bucketLabel = (b: string) => (values.level === 'month' ? fmt.month(b) : fmt.date(b));
  return (
    <div className={styles.root}>
      <Field label={t.office.level}>
        <Select value={values.level} onChange={(_, d) => onChange({ level: d.value as AggregationLevel, bucket: '' })}>
          {LEVELS.map((level) => (
            <option key={level} value={level}>
              {t.office.levels[level]}
            </option>
          ))}
        </Select>
      </Field>
      {values.level !== 'year' && (
        <Field label={t.office.bucket}>
          <Select value={values.bucket} onChange={(_, d) => onChange({ bucket: d.value })}>
            <option value="">{t.office.allBuckets}</option>
            {props.buckets.map((b) => (
              <option key={b} value={b}>
                {bucketLabel(b)}
              </option>
            ))}
          </Select>
        </Field>
      )}
      <Field label={t.office.filter}>
        <Input
          type="search"
          contentBefore={<SearchRegular aria-hidden="true" />}
          placeholder={t.office.filterPlaceholder}
          value={values.text}
          onChange={(_, d) => onChange({ text: d.value })}
        />
      </Field>
      <Field label={t.office.band}>
        <Select value={values.band} onChange={(_, d) => onChange({ band: d.value as EngagementBand | '' })}>
          <option value="">{t.office.allBands}</option>
          {BANDS.map((band) => (
            <option key={band} value={band}>
              {t.bands[band]}
            </option>
          ))}
        </Select>
      </Field>
      <Button className={styles.export} as="a" href={props.csvHref} download icon={<ArrowDownloadRegular />} onClick={props.onExport}>
        {t.common.exportCsv}
      </Button>
    </div>
  );
}
