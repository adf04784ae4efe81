import { useState } from 'react';
import { Button, Card, CardHeader, Checkbox, Field, Select, Subtitle2, Text, makeStyles, tokens } from '@fluentui/react-components';
import { OFFICE_COLUMNS, TEXT_COLUMNS, DATE_COLUMNS, type MeasureFn, type MeasureRequest, type MeasureResult, type OfficeColumn, type Segment } from '../../../lib/api-types';
import { useI18n } from '../../../i18n/i18n';
import { ChartFrame } from '../../../components/chart-frame';
import { ErrorState } from '../../../components/page-state';
import { runMeasure } from '../api/measures';
import { useSegmentName } from './segment-list';

const FNS: MeasureFn[] = ['count', 'sum', 'avg', 'min', 'max'];
const NUMERIC_COLUMNS = OFFICE_COLUMNS.filter((c) => !TEXT_COLUMNS.has(c) && !DATE_COLUMNS.has(c));

const useStyles = makeStyles({
  form: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  value: { fontSize: tokens.fontSizeHero700, fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: 'tabular-nums' },
  result: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, marginTop: tokens.spacingVerticalM },
});

/** Measures on the enriched data: count/sum/avg/min/max of a column, optionally per month. */
export function MeasuresPanel({ segments }: { segments: Segment[] }) {
  const styles = useStyles();
  const { t, fmt } = useI18n();
  const nameOf = useSegmentName();
  const [request, setRequest] = useState<MeasureRequest>({ fn: 'avg', column: 'EngagementScore', byMonth: true });
  const [result, setResult] = useState<{ request: MeasureRequest; value: MeasureResult } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const calculate = async () => {
    setBusy(true);
    setError(null);
    try {
      // `count` counts the segment's rows; the other functions need a numeric column.
      const { column, ...rest } = request;
      setResult({ request, value: await runMeasure(request.fn === 'count' ? rest : { ...rest, column }) });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const shown = result?.request;
  const fnLabel = shown ? t.segments.fns[shown.fn] : '';
  const columnLabel = shown ? t.columns[shown.column] : '';
  const byMonth = result?.value.byMonth ?? [];

  return (
    <Card>
      <CardHeader header={<Subtitle2 as="h2">{t.segments.measuresTitle}</Subtitle2>} />
      <div className={styles.form}>
        <Field label={t.segments.fn}>
          <Select value={request.fn} onChange={(_, d) => setRequest({ ...request, fn: d.value as MeasureFn })}>
            {FNS.map((fn) => (
              <option key={fn} value={fn}>
                {t.segments.fns[fn]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t.segments.column}>
          <Select value={request.column} disabled={request.fn === 'count'} onChange={(_, d) => setRequest({ ...request, column: d.value as OfficeColumn })}>
            {NUMERIC_COLUMNS.map((c) => (
              <option key={c} value={c}>
                {t.columns[c]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t.segments.segment}>
          <Select value={request.segmentId ?? ''} onChange={(_, d) => setRequest({ ...request, segmentId: d.value || undefined })}>
            <option value="">{t.segments.allAccounts}</option>
            {segments.map((s) => (
              <option key={s.id} value={s.id}>
                {nameOf(s)}
              </option>
            ))}
          </Select>
        </Field>
        <Checkbox label={t.segments.byMonth} checked={!!request.byMonth} onChange={(_, d) => setRequest({ ...request, byMonth: !!d.checked })} />
        <Button appearance="primary" disabled={busy} onClick={() => void calculate()}>
          {t.segments.calculate}
        </Button>
      </div>
      {error !== null && <ErrorState error={error} onRetry={() => void calculate()} />}
      {result && (
        <div className={styles.result} role="status" aria-live="polite">
          <span className={styles.value}>{fmt.number(result.value.value, 1)}</span>
          {byMonth.length === 0 && <Text>{t.segments.measureSummary(fnLabel, columnLabel, fmt.number(result.value.value, 1))}</Text>}
          {byMonth.length > 0 && (
            <ChartFrame
              title={`${fnLabel} · ${columnLabel}`}
              summary={t.segments.measureSummary(fnLabel, columnLabel, fmt.number(result.value.value, 1))}
              spec={{ kind: 'line', series: [{ legend: columnLabel, points: byMonth.map((m) => ({ x: new Date(m.month), y: m.value ?? 0 })) }] }}
              table={{ columns: [t.segments.month, t.segments.result], rows: byMonth.map((m) => [fmt.month(m.month), fmt.number(m.value, 1)]) }}
            />
          )}
        </div>
      )}
    </Card>
  );
}
