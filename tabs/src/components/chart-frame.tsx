import { Component, Suspense, lazy, useId, useState, type ReactNode } from 'react';
import { Button, Spinner, makeStyles, tokens } from '@fluentui/react-components';
import { DataLineRegular, TableRegular } from '@fluentui/react-icons';
import { useI18n } from '../i18n/i18n';
import { VisuallyHidden } from './visually-hidden';
import type { ChartSpec } from './chart-spec';

const ChartRenderer = lazy(() => import('./chart-renderer'));

const useStyles = makeStyles({
  figure: { margin: '0', minHeight: '120px', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: '0' },
  head: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', justifyContent: 'space-between', gap: tokens.spacingHorizontalS },
  caption: { color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200, flexBasis: '16em', flexGrow: 1 },
  // The chart scrolls sideways on a narrow panel instead of squeezing its ticks together.
  chart: { overflowX: 'auto', minWidth: '0' },
  tableWrap: { overflowX: 'auto', maxHeight: '320px', overflowY: 'auto' },
  table: {
    borderCollapse: 'collapse',
    width: '100%',
    fontSize: tokens.fontSizeBase200,
    '& th, & td': { padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`, textAlign: 'start', borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
    '& td': { fontVariantNumeric: 'tabular-nums' },
    '& thead th': { position: 'sticky', top: '0', backgroundColor: tokens.colorNeutralBackground1 },
  },
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

function DataTable({ caption, table, className }: { caption: string; table: ChartTable; className?: string }) {
  return (
    <table className={className}>
      <caption>{caption}</caption>
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
  );
}

/**
 * A chart that is fully hidden from assistive technology, with the same data in a table. The
 * chart's wrapper is `aria-hidden` and `inert`: Fluent's charts make every data point a Tab
 * stop, and a focusable element inside an aria-hidden region is an axe "serious" violation
 * (and a keyboard trap of invisible stops). Screen readers get the summary and the table; anyone
 * can switch the chart to the visible table ("Show as table"), which keyboard users read
 * instead of the points.
 */
export function ChartFrame({ title, summary, spec, table }: { title: string; summary: string; spec: ChartSpec; table: ChartTable }) {
  const styles = useStyles();
  const { locale, t } = useI18n();
  const [asTable, setAsTable] = useState(false);
  const captionId = useId();
  const caption = `${t.common.chartDataTable}: ${title}`;
  return (
    <figure className={styles.figure} aria-labelledby={captionId}>
      <div className={styles.head}>
        <figcaption id={captionId} className={styles.caption}>
          {summary}
        </figcaption>
        <Button size="small" appearance="subtle" icon={asTable ? <DataLineRegular /> : <TableRegular />} aria-pressed={asTable} onClick={() => setAsTable((v) => !v)}>
          {asTable ? t.charts.showChart : t.charts.showTable}
        </Button>
      </div>
      {asTable ? (
        <div className={styles.tableWrap} tabIndex={0} role="region" aria-label={caption}>
          <DataTable caption={caption} table={table} className={styles.table} />
        </div>
      ) : (
        <>
          <div className={styles.chart} aria-hidden="true" inert data-testid="chart">
            <ChartBoundary>
              <Suspense fallback={<Spinner size="small" />}>
                <ChartRenderer spec={spec} locale={locale} title={title} />
              </Suspense>
            </ChartBoundary>
          </div>
          <VisuallyHidden as="div">
            <DataTable caption={caption} table={table} />
          </VisuallyHidden>
        </>
      )}
    </figure>
  );
}
