// close: renders a workbook from its journal tables with exceljs's streaming writer, sheet by
// sheet and row by row (cells read in keyset pages, so memory stays flat whatever the size), into a
// temporary file in the target's directory, then fsync + rename: a reader never sees a half file.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
// exceljs is loaded when a workbook is first closed (it costs ≈ 0.2 s of daemon start otherwise).
import type * as ExcelJS from 'exceljs';
import type { Style } from 'exceljs';
import { formulaResult, urlValue } from './cell-values';
import { collectDrawings, type ColInfo, type RowInfo } from './drawing-layout';
import { colWidth, toStyle } from './formats';
import { colName, rangeRef } from './refs';
import { OutputFile, writeFailed } from './output';
import { donePending, notePending } from './pending-outputs';
import { store, type ItemRow } from './store';

type ExcelJSModule = typeof import('exceljs');
let excelJs: ExcelJSModule | undefined;
function loadExcelJs(): ExcelJSModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (excelJs ??= require('exceljs') as ExcelJSModule);
}
type XmlEncode = (s: string) => string;
let xmlEncodeFn: XmlEncode | undefined;
/** exceljs's own XML escaping (the same bytes its cell writer produces). */
function xmlEncoder(): XmlEncode {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (xmlEncodeFn ??= (require('exceljs/lib/utils/utils') as { xmlEncode: XmlEncode }).xmlEncode);
}

const MAX_ROW = 1_048_575;
const PAGE = 20_000; // cells per keyset page
const CHUNK = 256 * 1024; // characters of sheet XML handed to the zip stream at a time
/** zlib level of the package (1 = fastest; the sheet XML is repetitive, so it compresses well anyway). */
const ZIP_LEVEL = 1;
const MAX_BUFFERED = 8 * 1024 * 1024; // bytes queued towards the zip before we wait
/** Above this many string cells, strings are written inline (a shared-string table grows with them). */
export const SHARED_STRINGS_MAX = 200_000;

export interface RenderInput {
  wbn: number;
  target: string;
  /** the state directory's list of renders in progress (swept at start) */
  pendingList: string;
  sheets: { idx: number; name: string }[];
}

type Json = Record<string, unknown>;

// What exceljs's streaming classes expose beyond their typings (used for backpressure and merges).
interface StreamBufLike {
  buffers?: unknown[];
  pipes?: { writableLength?: number }[];
}
interface SheetWriterInternals {
  _merges: { toString(): string }[];
  stream: StreamBufLike & { write(data: string): unknown };
  dataValidations: { add(address: string, rule: ExcelJS.DataValidation): void };
  startedData: boolean;
  _rowZero: number;
  _rows: unknown[] | null;
  _writeColumns(): void;
  _writeOpenSheetData(): void;
}
interface WorkbookWriterInternals {
  zip: { on(event: 'entry', fn: (e: { name: string }) => void): void; on(event: 'error', fn: (e: Error) => void): void };
  styles: { addStyleModel(model: object, cellType?: number): number };
  sharedStrings: { add(value: string): number };
}

// exceljs's ValueType numbers (doc/enums.js): what its style manager is told about a cell.
const VT = { Null: 0, Number: 2, String: 3, Formula: 6, Boolean: 9, Error: 10 } as const;
const STYLE_KEYS = ['numFmt', 'font', 'alignment', 'border', 'fill', 'protection'] as const;

/** exceljs's Cell._mergeStyle: what a cell without its own format takes from its row and column. */
function mergeStyle(rowStyle: Partial<Style> | undefined, colStyle: Partial<Style> | undefined): Partial<Style> | undefined {
  if (!rowStyle && !colStyle) return undefined;
  const out: Record<string, unknown> = {};
  let any = false;
  for (const k of STYLE_KEYS) {
    const v = rowStyle?.[k] || colStyle?.[k];
    if (v) {
      out[k] = v;
      any = true;
    }
  }
  return any ? out as Partial<Style> : undefined;
}

/** The row settings of a sheet, read in row order in pages, beside the cells. */
class RowPropsCursor {
  private buf: { row: number; props: RowInfo }[] = [];
  private i = 0;
  private from = 0;
  private done = false;
  constructor(private readonly db: BetterSqlite3.Database, private readonly wbn: number, private readonly sheet: number) {}
  peek(): { row: number; props: RowInfo } | undefined {
    if (this.i < this.buf.length) return this.buf[this.i];
    if (this.done) return undefined;
    const rows = store.rowsFrom(this.db, this.wbn, this.sheet, this.from, 4096);
    this.buf = rows.map((r) => ({ row: r.row, props: parse(r.props) as RowInfo }));
    this.i = 0;
    if (rows.length < 4096) this.done = true;
    if (rows.length) this.from = rows[rows.length - 1].row + 1;
    return this.buf[0];
  }
  shift(): void {
    this.i++;
  }
}

type RawCell = [row: number, col: number, t: string, v: string | number | null, x: string | null, fmt: number | null];

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function backpressure(ws: SheetWriterInternals, out: OutputFile): Promise<void> {
  for (;;) {
    out.check();
    const s = ws.stream;
    const queued = (s.buffers?.length ?? 0) * 65536 + (s.pipes ?? []).reduce((n, p) => n + (p.writableLength ?? 0), 0);
    if (queued < MAX_BUFFERED) return;
    await sleep(2);
  }
}

function parse(v: string): unknown {
  return JSON.parse(v) as unknown;
}

function sheetOptions(set: Map<string, unknown>, idx: number, active: number): Partial<ExcelJS.AddWorksheetOptions> {
  const view: Json = {};
  const freeze = set.get('freeze') as { row: number; col: number; top_row?: number; left_col?: number } | undefined;
  if (freeze && (freeze.row > 0 || freeze.col > 0)) {
    Object.assign(view, {
      state: 'frozen', xSplit: freeze.col, ySplit: freeze.row,
      topLeftCell: `${colName(freeze.left_col ?? freeze.col)}${(freeze.top_row ?? freeze.row) + 1}`,
    });
  }
  const grid = set.get('hide_gridlines');
  if (grid !== undefined && Number(grid) === 2) view.showGridLines = false;
  if (set.has('zoom')) view.zoomScale = Number(set.get('zoom'));
  if (set.get('right_to_left')) view.rightToLeft = true;
  if (set.get('selected') || idx === active) view.tabSelected = true;
  if (set.has('selection')) view.activeCell = String(set.get('selection'));

  const pageSetup: Json = {};
  if (set.has('orientation')) pageSetup.orientation = set.get('orientation');
  if (set.has('paper')) pageSetup.paperSize = Number(set.get('paper'));
  const m = set.get('margins') as Json | undefined;
  if (m) pageSetup.margins = { left: 0.7, right: 0.7, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3, ...m };
  const fit = set.get('fit_to_pages') as { width?: number; height?: number } | undefined;
  if (fit) Object.assign(pageSetup, { fitToPage: true, fitToWidth: fit.width ?? 1, fitToHeight: fit.height ?? 1 });
  if (set.has('print_scale')) pageSetup.scale = Number(set.get('print_scale'));
  if (set.has('print_area')) pageSetup.printArea = String(set.get('print_area'));
  if (set.has('repeat_rows')) pageSetup.printTitlesRow = String(set.get('repeat_rows'));
  if (set.has('repeat_cols')) pageSetup.printTitlesColumn = String(set.get('repeat_cols'));
  if (set.get('center_horizontally')) pageSetup.horizontalCentered = true;
  if (set.get('center_vertically')) pageSetup.verticalCentered = true;
  if (set.get('print_gridlines')) pageSetup.showGridLines = true;
  if (set.get('print_row_col_headers')) pageSetup.showRowColHeaders = true;

  const headerFooter: Json = {};
  if (set.has('header')) headerFooter.oddHeader = String(set.get('header'));
  if (set.has('footer')) headerFooter.oddFooter = String(set.get('footer'));

  const properties: Json = {};
  if (set.has('tab_color')) {
    const c = toStyle({ color: set.get('tab_color') }).font?.color;
    if (c) properties.tabColor = c;
  }
  if (set.has('default_row_height')) properties.defaultRowHeight = Number(set.get('default_row_height'));

  const opts: Partial<ExcelJS.AddWorksheetOptions> & { autoFilter?: string } = {
    views: [view as Partial<ExcelJS.WorksheetView>],
    pageSetup: pageSetup as Partial<ExcelJS.PageSetup>,
    headerFooter: headerFooter as Partial<ExcelJS.HeaderFooter>,
    properties: properties as Partial<ExcelJS.WorksheetProperties>,
  };
  if (set.get('hidden')) opts.state = 'hidden';
  if (set.has('autofilter')) opts.autoFilter = String(set.get('autofilter'));
  return opts;
}

/** Renders and puts the file in place; any failure is an `excel_write_failed` error, temporary files removed. */
export async function renderWorkbook(db: BetterSqlite3.Database, input: RenderInput): Promise<void> {
  const out = new OutputFile(input.target, input.wbn);
  notePending(input.pendingList, [out.tmp, out.tmp2]);
  try {
    out.commit(await renderInto(db, input, out));
  } catch (e) {
    out.discard();
    throw writeFailed(input.target, e);
  } finally {
    donePending(input.pendingList);
  }
}

/** Writes the workbook to its temporary file(s); returns the finished one. */
async function renderInto(db: BetterSqlite3.Database, input: RenderInput, out: OutputFile): Promise<string> {
  const { wbn } = input;
  const { tmp, tmp2 } = out;
  const stream = out.openStream();

  // Formats: one style object per format (exceljs caches style ids by object identity).
  const formatProps = store.formats(db, wbn);
  const styles = new Map<number, Partial<Style>>();
  const styleOf = (fmt: number | null | undefined): Partial<Style> | undefined => {
    if (fmt === null || fmt === undefined) return undefined;
    let s = styles.get(fmt);
    if (!s) {
      s = toStyle(formatProps.get(fmt) ?? {});
      styles.set(fmt, s);
    }
    return Object.keys(s).length ? s : undefined;
  };

  // Sheet items, grouped.
  const items = new Map<number, ItemRow[]>();
  for (const it of store.items(db, wbn)) {
    let l = items.get(it.sheet);
    if (!l) items.set(it.sheet, (l = []));
    l.push(it);
  }
  const wbSet = new Map((items.get(-1) ?? []).filter((i) => i.kind === 'set').map((i) => [i.key, parse(i.value)]));
  const active = wbSet.has('active') ? Number(wbSet.get('active')) : 0;

  const ExcelJS = loadExcelJs();
  const useShared = store.stringCount(db, wbn) <= SHARED_STRINGS_MAX;
  const wbw = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream, useStyles: true, useSharedStrings: useShared, zip: { zlib: { level: ZIP_LEVEL } },
  });
  const props = (wbSet.get('properties') ?? {}) as Json;
  const core = wbw as unknown as Json; // the core-properties fields exceljs reads off the writer
  core.creator = props.author !== undefined ? String(props.author) : '';
  core.lastModifiedBy = core.creator;
  for (const k of ['title', 'subject', 'keywords', 'category', 'description'] as const) {
    const src = k === 'description' ? props.comments : props[k];
    if (src !== undefined) core[k] = String(src);
  }
  if (props.company !== undefined) core.company = String(props.company);
  core.created = new Date();
  core.modified = core.created;

  // Whether each sheet's part has gone through the zip (sheets are rendered one at a time).
  const zipped = new Set<string>();
  let zipWaiter: (() => void) | null = null;
  (wbw as unknown as WorkbookWriterInternals).zip.on('entry', (e: { name: string }) => {
    zipped.add(e.name.replace(/^\//, ''));
    zipWaiter?.();
  });

  const xfs = (wbw as unknown as WorkbookWriterInternals).styles;
  const sst = useShared ? (wbw as unknown as WorkbookWriterInternals).sharedStrings : null;
  const enc = xmlEncoder();
  const letters: string[] = [];
  const colLetters = (col: number) => (letters[col] ??= colName(col));
  // style ids of unformatted cells, per value type (exceljs gives each a fresh {} style)
  const plainIds = new Map<number, number>();
  const plainId = (type: number): number => {
    let id = plainIds.get(type);
    if (id === undefined) {
      id = xfs.addStyleModel({}, type);
      plainIds.set(type, id);
    }
    return id;
  };
  const applyRowProps = (row: ExcelJS.Row, props: RowInfo) => {
    if (props.height !== null && props.height !== undefined) row.height = props.height;
    if (props.hidden) row.hidden = true;
    if (props.level) row.outlineLevel = props.level;
    const st = styleOf(props.fmt);
    if (st) (row as unknown as { style: Partial<Style> }).style = st; // typed read-only in exceljs, writable at runtime
    if (props.hidden && (props.height === null || props.height === undefined)) row.height = 15;
  };

  let n = 0;
  for (const sh of input.sheets) {
    n++;
    const list = items.get(sh.idx) ?? [];
    const set = new Map(list.filter((i) => i.kind === 'set').map((i) => [i.key, parse(i.value)]));
    const ws = wbw.addWorksheet(sh.name, sheetOptions(set, sh.idx, active));
    const wsi = ws as unknown as SheetWriterInternals;
    // exceljs's StreamBuf loses rows written before the zip starts consuming the part: wait for it.
    while (!(wsi.stream.pipes?.length)) {
      out.check();
      await sleep(1);
    }

    // Columns: later set_column calls override earlier ones, column by column.
    const cols = new Map<number, ColInfo>();
    for (const it of list.filter((i) => i.kind === 'col')) {
      const c = parse(it.value) as ColInfo & { first: number; last: number };
      for (let k = c.first; k <= c.last && k <= 16383; k++) cols.set(k, c);
    }
    const colFmt = new Map<number, number>();
    if (cols.size) {
      const maxCol = Math.max(...cols.keys());
      const defs: Partial<ExcelJS.Column>[] = [];
      for (let k = 0; k <= maxCol; k++) {
        const c = cols.get(k);
        if (!c) {
          defs.push({});
          continue;
        }
        const w = colWidth(c.width, !!c.hidden);
        const d: Json = { width: w.width };
        const st = styleOf(c.fmt);
        if (st) d.style = st;
        if (c.fmt !== null && c.fmt !== undefined) colFmt.set(k, c.fmt);
        if (c.hidden) d.hidden = true;
        if (c.level) d.outlineLevel = c.level;
        defs.push(d as Partial<ExcelJS.Column>);
      }
      ws.columns = defs;
    }

    // Merged ranges (their cells were written as formatted blanks, as the real module does).
    for (const it of list.filter((i) => i.kind === 'merge')) {
      const m = parse(it.value) as [number, number, number, number];
      const ref = rangeRef(m[0], m[1], m[2], m[3]);
      wsi._merges.push({ toString: () => ref });
    }
    for (const it of list.filter((i) => i.kind === 'dv')) {
      const dv = parse(it.value) as { range: string; rule: ExcelJS.DataValidation };
      for (const r of dv.range.split(/\s+/)) wsi.dataValidations.add(r, dv.rule);
    }
    for (const it of list.filter((i) => i.kind === 'cf')) {
      const cf = parse(it.value) as { range: string; rule: Json; fmt?: number | null };
      const rule = { ...cf.rule } as Json;
      const st = styleOf(cf.fmt);
      if (st) rule.style = st;
      ws.addConditionalFormatting({ ref: cf.range, rules: [rule as unknown as ExcelJS.ConditionalFormattingRule] });
    }

    // Rows: the cells of plain rows are written as XML text straight into the sheet's zip entry,
    // with exceljs's style and shared-string tables (so styles.xml and sharedStrings.xml stay
    // exceljs's); a row with a hyperlink or an array formula goes through exceljs's Row objects.
    const rowProps = new RowPropsCursor(db, wbn, sh.idx);
    const outlineLevelRow = Number((ws as unknown as { properties: { outlineLevelRow?: number } }).properties.outlineLevelRow ?? 0);
    let xml = '';
    const flush = () => {
      if (xml) {
        wsi.stream.write(xml);
        xml = '';
      }
    };
    const startData = () => {
      if (!wsi.startedData) {
        wsi._writeColumns();
        wsi._writeOpenSheetData();
        wsi.startedData = true;
      }
    };
    // style ids of cells without a style object of their own (per value type, per row/column format)
    const derivedIds = new Map<string, number>();
    const hasColFmt = colFmt.size > 0;
    /** As the exceljs path styles a cell: its own format, else its row's, else its column's; an
     * empty one leaves the cell with what exceljs's Cell took from its row and column. */
    const cellStyleId = (fmt: number | null, rowF: number | null | undefined, rowSt: Partial<Style> | undefined, col: number, type: number): number => {
      if (fmt === null && (rowF === null || rowF === undefined) && !hasColFmt) return plainId(type);
      const eff = fmt ?? rowF ?? colFmt.get(col);
      const st = eff === null || eff === undefined ? undefined : styleOf(eff);
      if (st) return xfs.addStyleModel(st, type);
      const cf = colFmt.get(col);
      const key = `${type}:${rowSt ? rowF : ''}:${cf ?? ''}`;
      let id = derivedIds.get(key);
      if (id === undefined) {
        id = xfs.addStyleModel(mergeStyle(rowSt, cf === undefined ? undefined : styleOf(cf)) ?? {}, type);
        derivedIds.set(key, id);
      }
      return id;
    };
    /** A row written the exceljs way (hyperlinks, array formulas). */
    const excelRow = (r: number, props: RowInfo | undefined, cells: RawCell[]) => {
      flush();
      const row = ws.getRow(r + 1);
      if (props) applyRowProps(row, props);
      for (const c of cells) {
        const cell = row.getCell(c[1] + 1);
        const fmt = c[5] ?? props?.fmt ?? colFmt.get(c[1]) ?? null;
        switch (c[2]) {
          case 'n':
            cell.value = Number(c[3]);
            break;
          case 's':
            cell.value = String(c[3] ?? '');
            break;
          case 'l':
            cell.value = Number(c[3]) === 1;
            break;
          case 'f':
            cell.value = { formula: String(c[3] ?? '').replace(/^=/, ''), result: formulaResult(c[4]) } as ExcelJS.CellFormulaValue;
            break;
          case 'a': {
            const [range, value] = JSON.parse(c[4] ?? '[]') as string[];
            const f = String(c[3] ?? '').replace(/^\{=?/, '').replace(/\}$/, '');
            cell.value = { formula: f, result: formulaResult(value), shareType: 'array', ref: range } as unknown as ExcelJS.CellFormulaValue;
            break;
          }
          case 'u':
            cell.value = urlValue(String(c[3] ?? ''), JSON.parse(c[4] ?? '[]') as string[]);
            break;
          default:
            cell.value = null;
            // exceljs skips rows without values; a formatted blank is a value for Excel.
            if (!row.hasValues) Object.defineProperty(row, 'hasValues', { value: true, configurable: true });
        }
        const st = styleOf(fmt);
        if (st) cell.style = st as Style;
      }
      row.commit();
    };
    /** A row as exceljs's RowXform + CellXform would write it, from the journal's values. */
    const plainRow = (r: number, props: RowInfo | undefined, cells: RawCell[]) => {
      let height = props?.height ?? undefined;
      if (props?.hidden && (height === null || height === undefined)) height = 15;
      if (!cells.length && !height) return; // exceljs writes neither
      startData();
      const rowF = props?.fmt;
      const rowSt = rowF === undefined || rowF === null ? undefined : styleOf(rowF);
      const rowSid = rowSt ? xfs.addStyleModel(rowSt) : plainId(VT.Number);
      let out = `<row r="${r + 1}"`;
      if (height) out += ` ht="${height}" customHeight="1"`;
      if (props?.hidden) out += ' hidden="1"';
      if (cells.length) out += ` spans="${cells[0][1] + 1}:${cells[cells.length - 1][1] + 1}"`;
      if (rowSid) out += ` s="${rowSid}" customFormat="1"`;
      out += ' x14ac:dyDescent="0.25"';
      if (props?.level) {
        out += ` outlineLevel="${props.level}"`;
        // exceljs's Row.collapsed: an outline level at or above the sheet's outlineLevelRow
        if (props.level >= outlineLevelRow) out += ' collapsed="1"';
      }
      if (!cells.length) {
        xml += `${out}/>`;
        return;
      }
      out += '>';
      const rn = r + 1;
      for (const c of cells) {
        const col = c[1];
        const addr = `${colLetters(col)}${rn}`;
        const v = c[3];
        switch (c[2]) {
          case 'n': {
            const s = cellStyleId(c[5], rowF, rowSt, col, VT.Number);
            out += `<c r="${addr}"${s ? ` s="${s}"` : ''}><v>${Number(v)}</v></c>`;
            break;
          }
          case 's': {
            const s = cellStyleId(c[5], rowF, rowSt, col, VT.String);
            const str = v === null ? '' : String(v);
            if (sst) out += `<c r="${addr}"${s ? ` s="${s}"` : ''} t="s"><v>${sst.add(str)}</v></c>`;
            else out += `<c r="${addr}"${s ? ` s="${s}"` : ''} t="str"><v>${enc(str)}</v></c>`;
            break;
          }
          case 'l': {
            const s = cellStyleId(c[5], rowF, rowSt, col, VT.Boolean);
            out += `<c r="${addr}"${s ? ` s="${s}"` : ''} t="b"><v>${Number(v) === 1 ? '1' : '0'}</v></c>`;
            break;
          }
          case 'f': {
            const f = enc(String(v ?? '').replace(/^=/, ''));
            const res = formulaResult(c[4]);
            const type = typeof res === 'number' ? VT.Number : typeof res === 'string' ? VT.String : typeof res === 'boolean' ? VT.Boolean : VT.Error;
            const s = cellStyleId(c[5], rowF, rowSt, col, type);
            out += `<c r="${addr}"${s ? ` s="${s}"` : ''}`;
            if (typeof res === 'number') out += `><f>${f}</f><v>${res}</v></c>`;
            else if (typeof res === 'string') out += ` t="str"><f>${f}</f><v>${enc(res)}</v></c>`;
            else if (typeof res === 'boolean') out += ` t="b"><f>${f}</f><v>${res ? 1 : 0}</v></c>`;
            else out += ` t="e"><f>${f}</f><v>${enc(String((res as { error: string }).error))}</v></c>`;
            break;
          }
          default: { // 'b': a formatted blank; an unformatted one writes nothing
            const s = cellStyleId(c[5], rowF, rowSt, col, VT.Null);
            if (s) out += `<c r="${addr}" s="${s}"/>`;
          }
        }
      }
      xml += `${out}</row>`;
      if (xml.length > CHUNK) flush();
      wsi._rowZero = rn + 1; // exceljs's row cursor, for a later row that goes through exceljs
    };
    const needsExcelJs = (cells: RawCell[]) => cells.some((c) => c[2] === 'u' || c[2] === 'a' || (c[2] === 'f' && String(c[3] ?? '').replace(/^=/, '') === ''));
    /** Writes the row settings of rows before `upTo` that have no cells, then row `r` itself. */
    const emitRow = (r: number, cells: RawCell[]) => {
      for (let p = rowProps.peek(); p && p.row < r; p = rowProps.peek()) {
        rowProps.shift();
        plainRow(p.row, p.props, []);
      }
      let props: RowInfo | undefined;
      const p = rowProps.peek();
      if (p && p.row === r) {
        props = p.props;
        rowProps.shift();
      }
      if (needsExcelJs(cells)) excelRow(r, props, cells);
      else plainRow(r, props, cells);
    };

    let lastRow = -1;
    let lastCol = -1;
    let rowCells: RawCell[] = [];
    for (;;) {
      const page = store.cellPage(db, wbn, sh.idx, lastRow, lastCol, PAGE) as RawCell[];
      for (const c of page) {
        if (rowCells.length && rowCells[0][0] !== c[0]) {
          emitRow(rowCells[0][0], rowCells);
          rowCells = [];
        }
        rowCells.push(c);
      }
      if (page.length) {
        const last = page[page.length - 1];
        lastRow = last[0];
        lastCol = last[1];
      }
      flush();
      await backpressure(wsi, out);
      if (page.length < PAGE) break;
    }
    if (rowCells.length) emitRow(rowCells[0][0], rowCells);
    emitRow(MAX_ROW + 1, []); // the row settings after the last cell
    flush();
    ws.commit();
    // Wait for this sheet's part to be consumed by the zip before starting the next one.
    const part = `xl/worksheets/sheet${n}.xml`;
    while (!zipped.has(part)) {
      out.check();
      await new Promise<void>((resolve) => {
        zipWaiter = resolve;
        setTimeout(resolve, 50);
      });
      zipWaiter = null;
    }
  }
  if (wbSet.has('first_sheet')) wbw.views = [{ activeTab: active, firstSheet: Number(wbSet.get('first_sheet')) } as unknown as ExcelJS.WorkbookView];
  else wbw.views = [{ activeTab: active } as unknown as ExcelJS.WorkbookView];
  (wbw as unknown as WorkbookWriterInternals).zip.on('error', (e: Error) => out.fail(e));
  await out.guard(wbw.commit());

  // Charts and images: added to the rendered zip (exceljs's streaming writer has neither).
  const drawings = collectDrawings(db, wbn, input.sheets, items);
  if (!drawings) return tmp;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { addDrawings } = require('./package') as typeof import('./package');
  await addDrawings(tmp, tmp2, drawings.sheets, drawings.media);
  fs.unlinkSync(tmp);
  return tmp2;
}

/** A fresh random workbook number (cells carry it; short and collision-free enough). */
export function newWbn(): number {
  return crypto.randomInt(1, 2 ** 47);
}
