/**
 * The only module that imports @fluentui/react-charts (and d3). It is loaded lazily by
 * ChartFrame, so the charts never delay the first paint or the rest of the bundle.
 */
import { GroupedVerticalBarChart, LineChart } from '@fluentui/react-charts';
import type { ChartSpec } from './chart-spec';

/** Whole-number y ticks from 0: counts of accounts, never "0.5 customers" or an axis floating at 250. */
function yRange(max: number): { yMinValue: number; yMaxValue: number; yAxisTickCount: number } {
  const top = Math.max(1, max);
  const ticks = Math.min(5, top);
  const step = Math.ceil(top / ticks);
  return { yMinValue: 0, yMaxValue: step * ticks, yAxisTickCount: ticks + 1 };
}

export default function ChartRenderer({ spec, locale, title }: { spec: ChartSpec; locale: string; title: string }) {
  switch (spec.kind) {
    case 'line': {
      const dates = spec.xTicks ?? spec.series[0]?.points.map((p) => p.x) ?? [];
      const format = spec.xTickFormat ?? ((d: Date) => d.toLocaleDateString(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' }));
      const max = Math.max(0, ...spec.series.flatMap((s) => s.points.map((p) => p.y)));
      return (
        <LineChart
          culture={locale}
          {...(dates.length > 0 ? { tickValues: dates, customDateTimeFormatter: format } : {})}
          {...yRange(max)}
          {...(spec.xAxisTitle ? { xAxisTitle: spec.xAxisTitle } : {})}
          {...(spec.yAxisTitle ? { yAxisTitle: spec.yAxisTitle } : {})}
          height={spec.height ?? 260}
          hideLegend={spec.series.length < 2}
          data={{
            chartTitle: title,
            lineChartData: spec.series.map((s) => ({
              legend: s.legend,
              data: s.points.map((p) => ({ x: p.x, y: p.y })),
            })),
          }}
        />
      );
    }
    case 'bars':
      return (
        <GroupedVerticalBarChart
          culture={locale}
          chartTitle={title}
          height={spec.height ?? 260}
          {...(spec.xAxisTitle ? { xAxisTitle: spec.xAxisTitle } : {})}
          {...(spec.yAxisTitle ? { yAxisTitle: spec.yAxisTitle } : {})}
          data={spec.groups.map((g) => ({
            name: g.name,
            series: g.values.map((v) => ({ key: `${g.name}-${v.legend}`, legend: v.legend, data: v.value })),
          }))}
        />
      );
  }
}
