// Charts: Excel::Writer::XLSX::Chart and its subclasses (Area, Bar, Column, Doughnut, Line, Pie,
// Radar, Scatter, Stock) replayed from the call log, and chartN.xml written as Chart.pm writes it.
// What the chart side needs from the workbook is ChartDataBook / ChartDataSheet below: core's
// Workbook and Worksheet implement them.
export { Chart, createChart, CHART_TYPES, type ChartType } from './chart';
export { writeChartPart } from './write';
export { addChartData, type ChartDataBook, type ChartDataSheet, type RangeToken } from './data';
