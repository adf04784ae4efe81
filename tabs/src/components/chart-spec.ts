/** What a chart shows, independent of the chart library (the data table renders it too). */
export type ChartSpec =
  | {
      kind: 'line';
      height?: number;
      /** Axis titles: a chart without them leaves the reader guessing what the numbers count. */
      xAxisTitle?: string;
      yAxisTitle?: string;
      /** The x ticks to label (e.g. every fourth week); absent: one per point of the first series. */
      xTicks?: Date[];
      /** How a tick reads; absent: a short date. */
      xTickFormat?: (d: Date) => string;
      series: { legend: string; points: { x: Date; y: number }[] }[];
    }
  | { kind: 'bars'; height?: number; xAxisTitle?: string; yAxisTitle?: string; groups: { name: string; values: { legend: string; value: number }[] }[] };
