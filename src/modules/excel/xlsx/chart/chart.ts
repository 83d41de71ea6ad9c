// Chart.pm's fields and methods (replayed from the call log), with the subclasses' defaults.
export const CHART_TYPES = ['area', 'bar', 'column', 'doughnut', 'line', 'pie', 'radar', 'scatter', 'stock'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

export class Chart {
  id = -1;
  width = 480;
  height = 288;
  chartName = '';
  embedded = false;
  constructor(readonly type: ChartType, readonly subtype?: string) {}
}

export function createChart(type: ChartType, subtype: string | undefined, embedded: boolean): Chart {
  const c = new Chart(type, subtype);
  c.embedded = embedded;
  return c;
}
