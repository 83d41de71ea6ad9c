// Workbook::_add_chart_data: the cached values of every series range, read from the sheets' cells.
import type { Chart } from './chart';

/**
 * One cell of a range as Worksheet::_get_range_data gives it: a number, a string (shared strings
 * resolved; a rich string gives ''), a formula's value (its result or 0), '' for a blank cell with
 * a format, null for a missing cell, and ONE null for a row that has no cells at all.
 */
export type RangeToken = number | string | null;

export interface ChartDataSheet {
  name: string;
  /** Worksheet::_get_range_data; undefined in constant_memory mode (the real module reads nothing) */
  getRangeData(rowStart: number, colStart: number, rowEnd: number, colEnd: number): RangeToken[] | undefined;
}

export interface ChartDataBook {
  worksheets: ChartDataSheet[];
  /** every chart of the workbook (add_chart order) */
  charts: Chart[];
}

export function addChartData(wb: ChartDataBook): void {
  void wb;
  throw new Error('not yet');
}
