// Workbook::_add_chart_data: the cached values of every series range, read from the sheets' cells.
import type { Chart } from './chart';
import { CroakError } from '../croak';

/**
 * One cell of a range as Worksheet::_get_range_data gives it: a number, a string (shared strings
 * resolved; a rich string gives ''), a formula's value (its result or 0), '' for a blank cell with
 * a format, null for a missing cell, and ONE null for a row that has no cells at all.
 */
export type RangeToken = number | string | null;

export interface ChartDataSheet {
  name: string;
  /** Worksheet::_get_range_data; an empty list in constant_memory mode (the real module reads nothing) */
  getRangeData(rowStart: number, colStart: number, rowEnd: number, colEnd: number): RangeToken[];
}

export interface ChartDataBook {
  readonly worksheets: ChartDataSheet[];
  /** the charts to write (prepareDrawings' list: the inserted ones) */
  charts: Chart[];
}

/** Workbook::_get_chart_range: 'Sheet1!$B$1:$B$5' -> ['Sheet1', row1, col1, row2, col2] */
export function chartRange(range: string): [string, number, number, number, number] | undefined {
  const pos = range.lastIndexOf('!');
  if (pos <= 0) return undefined;
  let sheet = range.slice(0, pos);
  const cells = range.slice(pos + 1);
  const [c1, c2] = cells.includes(':') ? cells.split(':', 2) : [cells, cells];
  sheet = sheet.replace(/^'/, '').replace(/'$/, '').replace(/''/g, "'");
  const a = cellToRowCol(c1);
  const b = cellToRowCol(c2);
  if (!a || !b) return undefined;
  // a 2D range is not read
  if (a[0] !== b[0] && a[1] !== b[1]) return undefined;
  return [sheet, a[0], a[1], b[0], b[1]];
}

/** Utility::xl_cell_to_rowcol (absolute markers ignored) */
function cellToRowCol(cell: string): [number, number] | undefined {
  if (!cell) return [0, 0];
  const m = /(\$?)([A-Z]{1,3})(\$?)(\d+)/.exec(cell);
  if (!m) return [-1, -1];
  let col = 0;
  for (const ch of m[2]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return [Number(m[4]) - 1, col - 1];
}

export function addChartData(wb: ChartDataBook): void {
  const sheets = new Map(wb.worksheets.map((s) => [s.name, s]));
  const seen = new Map<string, unknown>();
  const charts: Chart[] = [];
  for (const c of wb.charts) {
    charts.push(c);
    if (c.combined) charts.push(c.combined);
  }
  for (const chart of charts) {
    for (const [range, id] of chart.formulaIds) {
      const given = chart.formulaData[id];
      if (given !== undefined && given !== null) {
        if (!seen.has(range) || seen.get(range) === undefined) seen.set(range, given);
        continue;
      }
      if (seen.has(range)) {
        chart.formulaData[id] = seen.get(range);
        continue;
      }
      const r = chartRange(range);
      if (!r) continue;
      const [sheetname, r1, c1, r2, c2] = r;
      // a non-contiguous range, (Sheet1!$A$1:$A$2,Sheet1!$A$4:$A$5): not parsed, an empty list
      if (/^\([^,]+,/.test(sheetname)) {
        chart.formulaData[id] = [];
        seen.set(range, []);
        continue;
      }
      const ws = sheets.get(sheetname);
      if (!ws) throw new CroakError(`Unknown worksheet reference '${sheetname}' in range '${range}' passed to add_series().\n`);
      const data = ws.getRangeData(r1, c1, r2, c2);
      chart.formulaData[id] = data;
      seen.set(range, data);
    }
  }
}
