// Rebuilds a workbook at close: its formats and sheets from the store, then every recorded call,
// in the order the script made them, onto the Workbook/Worksheet classes (methods/*.ts say how).
import type BetterSqlite3 from 'better-sqlite3';
import { store } from '../store';
import { Format, formatFromProps, setFormatProps } from './format';
import { Workbook } from './model/workbook';
import { Worksheet } from './model/worksheet';
import type { Method } from './methods/types';
import { WORKBOOK_METHODS } from './methods/workbook';
import { WORKSHEET_METHODS } from './methods/worksheet';
import { rulesMethods } from './methods/rules';
import { notesMethods } from './methods/notes';
import { styleMethods } from './methods/styles';
import { chartBookMethods, chartMethods, drawingSheetMethods } from './methods/chart';

/** Where a call applies: the workbook ({}), a sheet ({ sheet: n }) or a chart ({ chart: n }). */
export interface CallTarget { sheet?: number; chart?: number }

export interface RecordedCall { target: CallTarget; method: string; args: unknown[] }

type AnyMethod = Method<never>;

/** The method tables by target kind; excel.call checks a call against these before journaling it. */
export const METHOD_TABLES: { workbook: Record<string, AnyMethod>; worksheet: Record<string, AnyMethod>; chart: Record<string, AnyMethod> } = {
  workbook: { ...(styleMethods as unknown as Record<string, AnyMethod>), ...(chartBookMethods as unknown as Record<string, AnyMethod>), ...(WORKBOOK_METHODS as unknown as Record<string, AnyMethod>) },
  worksheet: {
    ...(rulesMethods as unknown as Record<string, AnyMethod>),
    ...(notesMethods as unknown as Record<string, AnyMethod>),
    ...(drawingSheetMethods as unknown as Record<string, AnyMethod>),
    ...(WORKSHEET_METHODS as unknown as Record<string, AnyMethod>),
  },
  chart: chartMethods as unknown as Record<string, AnyMethod>,
};

export function tableFor(target: CallTarget): Record<string, AnyMethod> {
  if (target.sheet !== undefined) return METHOD_TABLES.worksheet;
  if (target.chart !== undefined) return METHOD_TABLES.chart;
  return METHOD_TABLES.workbook;
}

export interface WorkbookOptions {
  date_1904?: unknown;
  optimization?: unknown;
  excel2003_style?: unknown;
  max_url_length?: unknown;
}

const truthy = (v: unknown) => !(v === null || v === undefined || v === false || v === 0 || v === '' || v === '0');

export function replay(db: BetterSqlite3.Database, wbn: number, sheets: { idx: number; name: string }[], options: WorkbookOptions, created: Date): Workbook {
  const wb = new Workbook(created);
  wb.date1904 = truthy(options.date_1904);
  wb.optimization = truthy(options.optimization) ? 1 : 0;
  wb.excel2003Style = truthy(options.excel2003_style);
  if (options.max_url_length !== undefined && Number(options.max_url_length) >= 255) wb.maxUrlLength = Number(options.max_url_length);
  for (const [idx, props] of store.formats(db, wbn)) wb.styles.formats[idx] = formatFromProps(idx, props);
  // The real Workbook's constructor makes the default format and the default URL format; the Perl
  // shim sends them, a client without it (the predecessor's call_python excel functions) does not.
  if (!wb.styles.formats[0]) {
    wb.styles.formats[0] = formatFromProps(0, { xf_index: '0' });
    wb.styles.formats[1] ??= formatFromProps(1, { underline: '1', xf_id: '1', theme: '10', hyperlink: '1' });
  }
  // sheets come from the call log (_add_worksheet, and add_chart for chartsheets), in order
  for (const call of store.calls(db, wbn)) {
    const c = call as RecordedCall;
    if (c.method === '_add_worksheet') addWorksheet(wb, Number(c.args[0]), String(c.args[1]));
    else if (c.method === '_format') {
      // the format's state as of this point of the script
      const idx = Number(c.args[0]);
      const f = (wb.styles.formats[idx] ??= new Format(idx));
      setFormatProps(f, c.args[1] as Record<string, unknown>);
    } else applyCall(wb, c);
  }
  // a workbook closed without worksheets gets one (the daemon's close names it)
  for (const s of sheets) if (!wb.worksheets[s.idx]) addWorksheet(wb, s.idx, s.name);
  return wb;
}

/** Workbook::add_worksheet's object, with the workbook's settings the real one copies in. */
function addWorksheet(wb: Workbook, idx: number, name: string): void {
  if (idx !== wb.worksheets.length) throw new Error(`excel: worksheet ${idx} out of order`);
  const ws = new Worksheet(name, idx);
  ws.date1904 = wb.date1904;
  ws.optimization = wb.optimization;
  ws.excel2003Style = wb.excel2003Style;
  ws.maxUrlLength = wb.maxUrlLength;
  ws.defaultUrlFormat = wb.styles.formats[1] ?? null;
  if (wb.excel2003Style) {
    Object.assign(ws, { originalRowHeight: 12.75, defaultRowHeight: 12.75, defaultRowPixels: 17, marginLeft: 0.75, marginRight: 0.75,
      marginTop: 1, marginBottom: 1, marginHeader: 0.5, marginFooter: 0.5, headerFooterAligns: 0 });
  }
  wb.worksheets.push(ws);
}

export function applyCall(wb: Workbook, call: RecordedCall): void {
  const m = tableFor(call.target)[call.method];
  if (!m) throw new Error(`excel: no method ${call.method} for this target`);
  let target: unknown = wb;
  if (call.target.sheet !== undefined) {
    target = wb.worksheets[call.target.sheet];
    if (!target) throw new Error(`excel: no worksheet ${call.target.sheet}`);
  } else if (call.target.chart !== undefined) {
    target = wb.charts[call.target.chart];
    if (!target) throw new Error(`excel: no chart ${call.target.chart}`);
  }
  (m.apply as (t: unknown, a: unknown[], w: Workbook) => void)(target, call.args, wb);
}
