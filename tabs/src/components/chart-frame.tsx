import { Component, Suspense, lazy, type ReactNode } from 'react';
import { Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { useI18n } from '../i18n/i18n';
import { VisuallyHidden } from './visually-hidden';
import type { ChartSpec } from './chart-spec';

const ChartRenderer = lazy(() => import('./chart-renderer'));

const useStyles = makeStyles({
  figure: { margin: '0', minHeight: '120px', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  caption: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
});

/** A chart that fails to render (an odd browser, jsdom) leaves the caption and the data table. */
class ChartBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? null : this.props.children;
  }
}

export interface ChartTable {
  columns: string[];
  rows: (string | number)[][];
}

/**
 * An accessible chart: the figure is labelled with a one-sentence summary, the chart itself is
 * hidden from assistive technology, and a visually hidden data table carries the numbers.
 */
export function ChartFrame({ title, summary, spec, table }: { title: string; summary: string; spec: ChartSpec; table: ChartTable }) {
  const styles = useStyles();
  const { locale, t } = useI18n();
  return (
    <figure className={styles.figure} aria-label={summary}>
      <figcaption className={styles.caption}>{summary}</figcaption>
      <div>
        <ChartBoundary>
          <Suspense fallback={<Spinner size="small" />}>
            <ChartRenderer spec={spec} locale={locale} title={title} />
          </Suspense>
        </ChartBoundary>
      </div>
      <VisuallyHidden as="div">
        <table>
          <caption>{`${t.common.chartDataTable}: ${title}`}</caption>
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (j === 0 ? <th key={j} scope="row">{cell}</th> : <td key={j}>{cell}</td>))}
              </tr>
            ))}
          </tbody>
        </table>
      </VisuallyHidden>
    </figure>
  );
}
