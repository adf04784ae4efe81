/** What a chart shows, independent of the chart library (the data table renders it too). */
export type ChartSpec =
  | { kind: 'line'; height?: number; series: { legend: string; points: { x: Date; y: number }[] }[] }
  | { kind: 'bars'; height?: number; groups: { name: string; values: { legend: string; value: number }[] }[] };
