/**
 * The only module that imports @fluentui/react-charts (and d3). It is loaded lazily by
 * ChartFrame, so the charts never delay the first paint or the rest of the bundle.
 */
import { GroupedVerticalBarChart, LineChart } from '@fluentui/react-charts';
import type { ChartSpec } from './chart-spec';

export default function ChartRenderer({ spec, locale, title }: { spec: ChartSpec; locale: string; title: string }) {
  switch (spec.kind) {
    case 'line': {
      // Ticks sit on the data points (runs, months) and read as dates, not as d3's bare minutes.
      const dates = spec.series[0]?.points.map((p) => p.x).filter((x): x is Date => x instanceof Date) ?? [];
      return (
        <LineChart
          culture={locale}
          {...(dates.length > 0
            ? { tickValues: dates, customDateTimeFormatter: (d: Date) => d.toLocaleDateString(locale, { month: 'short', day: 'numeric' }) }
            : {})}
          height={spec.height ?? 240}
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
          data={spec.groups.map((g) => ({
            name: g.name,
            series: g.values.map((v) => ({ key: `${g.name}-${v.legend}`, legend: v.legend, data: v.value })),
          }))}
        />
      );
  }
}
