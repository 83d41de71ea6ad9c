// add_table's table (the structure Worksheet::add_table keeps; its header, total and data cells are
// written by the shim as ordinary cells) and xl/tables/tableN.xml as Package/Table.pm writes it.
import { XmlWriter } from '../xml';
import { rangeRef } from '../../refs';
import type { NotesBook } from './host';
import { truthy } from './params';
import type { Table, TableColumn } from './state';

/** A column of add_table's `columns` option, formats as {"$fmt": n}. */
export interface TableColumnOptions {
  header?: string | null;
  header_format?: { $fmt: number } | null;
  formula?: string | null;
  total_function?: string | null;
  total_string?: string | null;
  total_value?: string | number | null;
  format?: { $fmt: number } | null;
}

/** add_table's options as the shim sends them (without `data`: those cells are sent as cells). */
export interface TableOptions {
  autofilter?: unknown;
  banded_columns?: unknown;
  banded_rows?: unknown;
  columns?: (TableColumnOptions | null)[] | null;
  first_column?: unknown;
  header_row?: unknown;
  last_column?: unknown;
  name?: string | null;
  style?: string | null;
  total_row?: unknown;
}

const flag = (v: unknown) => (truthy(v) ? 1 : 0);

/** Worksheet::add_table's table, from arguments the shim has already checked (rows/cols in order). */
export function buildTable(book: NotesBook, row1: number, col1: number, row2: number, col2: number, p: TableOptions): Table {
  const bandedRows = p.banded_rows === undefined || p.banded_rows === null ? 1 : p.banded_rows;
  const headerRow = p.header_row === undefined || p.header_row === null ? 1 : p.header_row;
  let autofilter = p.autofilter === undefined || p.autofilter === null ? 1 : p.autofilter;
  const lastDataRow = truthy(p.total_row) ? row2 - 1 : row2;
  if (!truthy(headerRow)) autofilter = 0;
  const aRange = rangeRef(row1, col1, lastDataRow, col2);
  const columns: TableColumn[] = [];
  for (let id = 1; id <= col2 - col1 + 1; id++) {
    const col: TableColumn = { id, name: `Column${id}`, totalString: '', totalFunction: '', formula: '', format: undefined };
    const u = p.columns ? p.columns[id - 1] : undefined;
    if (u && typeof u === 'object') {
      if (truthy(u.header)) col.name = String(u.header);
      if (truthy(u.formula)) col.formula = tableFormula(String(u.formula));
      if (truthy(u.total_function)) col.totalFunction = totalFunctionName(String(u.total_function));
      else if (truthy(u.total_string)) col.totalString = String(u.total_string);
      if (u.format && typeof u.format === 'object') col.format = book.dxfIndex(u.format.$fmt);
    }
    columns.push(col);
  }
  return {
    id: 0,
    name: p.name === undefined || p.name === null ? undefined : String(p.name),
    range: rangeRef(row1, col1, row2, col2),
    aRange,
    autofilter: truthy(autofilter) ? aRange : undefined,
    style: p.style === undefined || p.style === null ? 'TableStyleMedium9' : String(p.style).replace(/\s/g, ''),
    showFirstCol: flag(p.first_column),
    showLastCol: flag(p.last_column),
    showRowStripes: flag(bandedRows),
    showColStripes: flag(p.banded_columns),
    headerRowCount: flag(headerRow),
    totalsRowShown: flag(p.total_row),
    columns,
  };
}

/** A column formula as the table keeps it: no leading =, Excel 2010's @ as [#This Row],. */
export function tableFormula(f: string): string {
  return f.replace(/^=/, '').replace(/@/g, '[#This Row],');
}

/** The total_function name as the table part writes it (lower case, no _ or blanks; two camelCased). */
export function totalFunctionName(f: string): string {
  const s = f.toLowerCase().replace(/_/g, '').replace(/\s/g, '');
  if (s === 'countnums') return 'countNums';
  if (s === 'stddev') return 'stdDev';
  return s;
}

const SPREADSHEETML = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

export function writeTableXml(w: XmlWriter, t: Table): void {
  w.declaration();
  const a: [string, string | number][] = [
    ['xmlns', SPREADSHEETML], ['id', t.id], ['name', t.name ?? ''], ['displayName', t.name ?? ''], ['ref', t.range],
  ];
  if (!t.headerRowCount) a.push(['headerRowCount', 0]);
  if (t.totalsRowShown) a.push(['totalsRowCount', 1]);
  else a.push(['totalsRowShown', 0]);
  w.startTag('table', a);
  if (t.autofilter) w.emptyTag('autoFilter', [['ref', t.autofilter]]);
  w.startTag('tableColumns', [['count', t.columns.length]]);
  for (const c of t.columns) {
    const ca: [string, string | number][] = [['id', c.id], ['name', c.name]];
    if (truthy(c.totalString)) ca.push(['totalsRowLabel', c.totalString]);
    else if (truthy(c.totalFunction)) ca.push(['totalsRowFunction', c.totalFunction]);
    if (c.format !== undefined) ca.push(['dataDxfId', c.format]);
    if (truthy(c.formula)) {
      w.startTag('tableColumn', ca);
      w.dataElement('calculatedColumnFormula', c.formula);
      w.endTag('tableColumn');
    } else {
      w.emptyTag('tableColumn', ca);
    }
  }
  w.endTag('tableColumns');
  const s: [string, string | number][] = [];
  if (t.style !== '' && t.style !== 'None' && truthy(t.style)) s.push(['name', t.style]);
  s.push(['showFirstColumn', t.showFirstCol], ['showLastColumn', t.showLastCol],
    ['showRowStripes', t.showRowStripes], ['showColumnStripes', t.showColStripes]);
  w.emptyTag('tableStyleInfo', s);
  w.endTag('table');
}
