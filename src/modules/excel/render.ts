// close: renders a workbook from its journal tables with exceljs's streaming writer, sheet by
// sheet and row by row (cells read in keyset pages, so memory stays flat whatever the size), into a
// temporary file in the target's directory, then fsync + rename: a reader never sees a half file.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import ExcelJS from 'exceljs';
import type { Style } from 'exceljs';
import { CHART_HEIGHT, CHART_WIDTH, chartXml, positionObject, type ImageInfo, type RangeData, type RangeRef, type SheetMetrics } from './drawing';
import { colWidth, toStyle } from './formats';
import { addDrawings, type MediaSource, type SheetDrawings } from './package';
import { colName, rangeRef } from './refs';
import { store, type CellRow, type ItemRow } from './store';

const PAGE = 20_000; // cells per keyset page
const MAX_BUFFERED = 8 * 1024 * 1024; // bytes queued towards the zip before we wait
/** Above this many string cells, strings are written inline (a shared-string table grows with them). */
export const SHARED_STRINGS_MAX = 200_000;

export interface RenderInput {
  wbn: number;
  target: string;
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
  stream: StreamBufLike;
  dataValidations: { add(address: string, rule: ExcelJS.DataValidation): void };
}
interface WorkbookWriterInternals {
  zip: { on(event: 'entry', fn: (e: { name: string }) => void): void };
}

interface ColInfo { width?: number | null; fmt?: number | null; hidden?: number; level?: number; collapsed?: number }
interface RowInfo { height?: number | null; fmt?: number | null; hidden?: number; level?: number; collapsed?: number }

function tmpName(target: string, wbn: number): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.cb${wbn}.tmp`);
}

function drawingTmpName(target: string, wbn: number): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.cb${wbn}.d.tmp`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function backpressure(ws: SheetWriterInternals): Promise<void> {
  for (;;) {
    const s = ws.stream;
    const queued = (s.buffers?.length ?? 0) * 65536 + (s.pipes ?? []).reduce((n, p) => n + (p.writableLength ?? 0), 0);
    if (queued < MAX_BUFFERED) return;
    await sleep(2);
  }
}

function parse(v: string): unknown {
  return JSON.parse(v) as unknown;
}

/** A formula's cached value as Excel::Writer::XLSX writes it (number, boolean, error or string). */
function formulaResult(v: string | null | undefined): ExcelJS.CellFormulaValue['result'] {
  if (v === null || v === undefined || v === '' || v === '0') return 0;
  if (/^([+-]?)(?=\d|\.\d)\d*(\.\d*)?([Ee]([+-]?\d+))?$/.test(v)) return Number(v);
  if (v === 'TRUE') return true;
  if (v === 'FALSE') return false;
  if (['#DIV/0!', '#N/A', '#NAME?', '#NULL!', '#NUM!', '#REF!', '#VALUE!'].includes(v)) return { error: v as ExcelJS.ErrorValue };
  return v;
}

function urlValue(url: string, extra: string[]): ExcelJS.CellHyperlinkValue {
  const [str, tip] = extra;
  let target = url;
  let text = str !== undefined && str !== '' ? str : url;
  if (url.startsWith('internal:')) {
    target = url.slice(9);
    if (str === undefined || str === '') text = target;
  } else if (url.startsWith('external:')) {
    target = url.slice(9);
    if (str === undefined || str === '') text = target;
  } else if (url.startsWith('mailto:') && (str === undefined || str === '')) {
    text = url.slice(7);
  }
  const v: ExcelJS.CellHyperlinkValue = { text, hyperlink: target };
  if (tip !== undefined && tip !== '') v.tooltip = tip;
  return v;
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

export async function renderWorkbook(db: BetterSqlite3.Database, input: RenderInput): Promise<void> {
  const { wbn, target } = input;
  const tmp = tmpName(target, wbn);
  const tmp2 = drawingTmpName(target, wbn);
  for (const f of [tmp, tmp2]) {
    try { fs.unlinkSync(f); } catch { /* no leftover of an earlier attempt */ }
  }

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

  const wbw = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: tmp, useStyles: true, useSharedStrings: store.stringCount(db, wbn) <= SHARED_STRINGS_MAX,
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

  let n = 0;
  for (const sh of input.sheets) {
    n++;
    const list = items.get(sh.idx) ?? [];
    const set = new Map(list.filter((i) => i.kind === 'set').map((i) => [i.key, parse(i.value)]));
    const ws = wbw.addWorksheet(sh.name, sheetOptions(set, sh.idx, active));
    const wsi = ws as unknown as SheetWriterInternals;
    // exceljs's StreamBuf loses rows written before the zip starts consuming the part: wait for it.
    while (!(wsi.stream.pipes?.length)) await sleep(1);

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

    // Rows with settings, merged in row order with the cells.
    let pendingRows: { row: number; props: RowInfo }[] = [];
    let rowCursor = 0;
    const rowFmt = new Map<number, number>();
    const loadRows = (upTo: number) => {
      pendingRows = store.rowsBetween(db, wbn, sh.idx, rowCursor, upTo).map((r) => ({ row: r.row, props: parse(r.props) as RowInfo }));
      rowFmt.clear();
      for (const r of pendingRows) if (r.props.fmt !== null && r.props.fmt !== undefined) rowFmt.set(r.row, r.props.fmt);
      rowCursor = upTo + 1;
    };
    const applyRowProps = (r: { row: number; props: RowInfo }) => {
      const row = ws.getRow(r.row + 1);
      if (r.props.height !== null && r.props.height !== undefined) row.height = r.props.height;
      if (r.props.hidden) row.hidden = true;
      if (r.props.level) row.outlineLevel = r.props.level;
      const st = styleOf(r.props.fmt);
      if (st) (row as unknown as { style: Partial<Style> }).style = st; // typed read-only in exceljs, writable at runtime
      if (r.props.hidden && (r.props.height === null || r.props.height === undefined)) row.height = 15;
    };

    let lastRow = -1;
    let lastCol = -1;
    let current: ExcelJS.Row | null = null;
    for (;;) {
      const page: CellRow[] = store.cellsAfter(db, wbn, sh.idx, lastRow, lastCol, PAGE);
      const pageEnd = page.length ? page[page.length - 1].row : 1_048_575;
      loadRows(page.length < PAGE ? 1_048_575 : pageEnd);
      let ri = 0;
      for (const c of page) {
        while (ri < pendingRows.length && pendingRows[ri].row <= c.row) applyRowProps(pendingRows[ri++]);
        if (!current || current.number !== c.row + 1) {
          current?.commit();
          current = ws.getRow(c.row + 1);
        }
        const cell = current.getCell(c.col + 1);
        const fmt = c.fmt ?? rowFmt.get(c.row) ?? colFmt.get(c.col) ?? null;
        switch (c.t) {
          case 'n':
            cell.value = Number(c.v);
            break;
          case 's':
            cell.value = String(c.v ?? '');
            break;
          case 'l':
            cell.value = Number(c.v) === 1;
            break;
          case 'f':
            cell.value = { formula: String(c.v ?? '').replace(/^=/, ''), result: formulaResult(c.x) } as ExcelJS.CellFormulaValue;
            break;
          case 'a': {
            const [range, value] = JSON.parse(c.x ?? '[]') as string[];
            const f = String(c.v ?? '').replace(/^\{=?/, '').replace(/\}$/, '');
            cell.value = { formula: f, result: formulaResult(value), shareType: 'array', ref: range } as unknown as ExcelJS.CellFormulaValue;
            break;
          }
          case 'u':
            cell.value = urlValue(String(c.v ?? ''), JSON.parse(c.x ?? '[]') as string[]);
            break;
          default:
            cell.value = null;
            // exceljs skips rows without values; a formatted blank is a value for Excel.
            if (!current.hasValues) Object.defineProperty(current, 'hasValues', { value: true, configurable: true });
        }
        const st = styleOf(fmt);
        if (st) cell.style = st as Style;
        lastRow = c.row;
        lastCol = c.col;
      }
      while (ri < pendingRows.length) applyRowProps(pendingRows[ri++]);
      await backpressure(wsi);
      if (page.length < PAGE) break;
    }
    current?.commit();
    ws.commit();
    // Wait for this sheet's part to be consumed by the zip before starting the next one.
    const part = `xl/worksheets/sheet${n}.xml`;
    while (!zipped.has(part)) {
      await new Promise<void>((resolve) => {
        zipWaiter = resolve;
        setTimeout(resolve, 50);
      });
      zipWaiter = null;
    }
  }
  if (wbSet.has('first_sheet')) wbw.views = [{ activeTab: active, firstSheet: Number(wbSet.get('first_sheet')) } as unknown as ExcelJS.WorkbookView];
  else wbw.views = [{ activeTab: active } as unknown as ExcelJS.WorkbookView];
  await wbw.commit();

  // Charts and images: added to the rendered zip (exceljs's streaming writer has neither).
  let done = tmp;
  const drawings = collectDrawings(db, wbn, input.sheets, items);
  if (drawings) {
    try {
      await addDrawings(tmp, tmp2, drawings.sheets, drawings.media);
    } catch (e) {
      try { fs.unlinkSync(tmp2); } catch { /* not written */ }
      try { fs.unlinkSync(tmp); } catch { /* gone */ }
      throw e;
    }
    fs.unlinkSync(tmp);
    done = tmp2;
  }

  const fd = fs.openSync(done, 'r');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  fs.renameSync(done, target);
  try {
    const dfd = fs.openSync(path.dirname(target), 'r');
    try { fs.fsyncSync(dfd); } finally { fs.closeSync(dfd); }
  } catch { /* directory fsync is best effort */ }
}

/** Column widths and row heights in pixels (Excel::Writer::XLSX's _size_col / _size_row). */
function sheetMetrics(db: BetterSqlite3.Database, wbn: number, sheet: number, list: ItemRow[]): SheetMetrics {
  const cols = new Map<number, ColInfo>();
  for (const it of list.filter((i) => i.kind === 'col')) {
    const c = parse(it.value) as ColInfo & { first: number; last: number };
    for (let k = c.first; k <= c.last && k <= 16383; k++) cols.set(k, c);
  }
  const set = new Map(list.filter((i) => i.kind === 'set').map((i) => [i.key, parse(i.value)]));
  const defaultRowPx = Math.floor((4 / 3) * (set.has('default_row_height') ? Number(set.get('default_row_height')) : 15));
  const PAGE_ROWS = 4096;
  const pages = new Map<number, Map<number, RowInfo>>();
  const rowInfo = (row: number): RowInfo | undefined => {
    const p = Math.floor(row / PAGE_ROWS);
    let m = pages.get(p);
    if (!m) {
      if (pages.size > 64) pages.clear();
      m = new Map(store.rowsBetween(db, wbn, sheet, p * PAGE_ROWS, p * PAGE_ROWS + PAGE_ROWS - 1).map((r) => [r.row, parse(r.props) as RowInfo]));
      pages.set(p, m);
    }
    return m.get(row);
  };
  return {
    colPx(col: number): number {
      const c = cols.get(col);
      if (!c) return 64;
      if (c.hidden) return 0;
      const w = c.width ?? 8.43;
      return w < 1 ? Math.floor(w * 12 + 0.5) : Math.floor(w * 7 + 0.5) + 5;
    },
    rowPx(row: number): number {
      const r = rowInfo(row);
      if (!r) return defaultRowPx;
      if (r.hidden) return 0;
      return r.height === null || r.height === undefined ? defaultRowPx : Math.floor((4 / 3) * r.height);
    },
  };
}

/** The cells of a chart's range, as Excel::Writer::XLSX caches them in the chart part. */
function rangeReader(db: BetterSqlite3.Database, wbn: number, sheets: { idx: number; name: string }[]) {
  const MAX_POINTS = 100_000;
  return (ref: RangeRef): RangeData | undefined => {
    const sh = sheets.find((s) => s.name.toLowerCase() === ref.sheet.toLowerCase());
    if (!sh) return undefined;
    const width = ref.c2 - ref.c1 + 1;
    const count = (ref.r2 - ref.r1 + 1) * width;
    const points: { idx: number; v: string | number }[] = [];
    let strings = false;
    for (const c of store.cellsIn(db, wbn, sh.idx, ref.r1, ref.r2, ref.c1, ref.c2, MAX_POINTS)) {
      let v: string | number | null = null;
      switch (c.t) {
        case 'n': case 'l': v = Number(c.v); break;
        case 's': v = String(c.v ?? ''); break;
        case 'f': {
          const r = formulaResult(c.x);
          v = typeof r === 'number' ? r : typeof r === 'string' ? r : null;
          break;
        }
        case 'a': {
          const r = formulaResult((JSON.parse(c.x ?? '[]') as string[])[1]);
          v = typeof r === 'number' ? r : typeof r === 'string' ? r : null;
          break;
        }
        case 'u': v = String(c.v ?? ''); break;
        default: break;
      }
      if (v === null) continue;
      if (typeof v === 'string') strings = true;
      points.push({ idx: (c.row - ref.r1) * width + (c.col - ref.c1), v });
    }
    return { count, points, strings };
  };
}

interface DrawingItem {
  kind: 'chart' | 'image';
  row: number; col: number;
  chart?: number; sha?: string; name?: string | null; description?: string | null;
  x_offset?: number | null; y_offset?: number | null; x_scale?: number | null; y_scale?: number | null;
}

/** The charts and images of a workbook, positioned and rendered to XML; undefined when it has none. */
function collectDrawings(db: BetterSqlite3.Database, wbn: number, sheets: { idx: number; name: string }[], items: Map<number, ItemRow[]>):
  { sheets: SheetDrawings[]; media: Map<string, MediaSource> } | undefined {
  const wbItems = items.get(-1) ?? [];
  const charts = new Map(wbItems.filter((i) => i.kind === 'chart').map((i) => [Number(i.key), parse(i.value) as Json]));
  const images = new Map(wbItems.filter((i) => i.kind === 'image').map((i) => [i.key, parse(i.value) as ImageInfo & { parts: number }]));
  const read = rangeReader(db, wbn, sheets);
  const out: SheetDrawings[] = [];
  const media = new Map<string, MediaSource>();
  let chartNo = 0;
  sheets.forEach((sh, i) => {
    const list = items.get(sh.idx) ?? [];
    const ds = list.filter((it) => it.kind === 'drawing').map((it) => parse(it.value) as DrawingItem);
    if (!ds.length) return;
    const m = sheetMetrics(db, wbn, sh.idx, list);
    const sd: SheetDrawings = { n: i + 1, objects: [] };
    for (const d of ds) {
      const xo = Number(d.x_offset ?? 0) || 0;
      const yo = Number(d.y_offset ?? 0) || 0;
      const xs = Number(d.x_scale ?? 1) || 1;
      const ys = Number(d.y_scale ?? 1) || 1;
      if (d.kind === 'chart') {
        const def = charts.get(Number(d.chart));
        if (!def) continue;
        const size = (def.size ?? {}) as Json;
        const w = Math.floor(0.5 + Number(size.width ?? CHART_WIDTH) * (Number(size.x_scale ?? 0) || xs));
        const h = Math.floor(0.5 + Number(size.height ?? CHART_HEIGHT) * (Number(size.y_scale ?? 0) || ys));
        const anchor = positionObject(m, d.col, d.row, Number(size.x_offset ?? 0) || xo, Number(size.y_offset ?? 0) || yo, w, h);
        chartNo++;
        sd.objects.push({ kind: 'chart', xml: chartXml({ ...def, id: chartNo }, read), anchor, name: def.name !== undefined && def.name !== null ? String(def.name) : undefined });
      } else {
        const sha = String(d.sha);
        const info = images.get(sha);
        if (!info) continue;
        const w = info.width * xs * (96 / info.xDpi);
        const h = info.height * ys * (96 / info.yDpi);
        const anchor = positionObject(m, d.col, d.row, xo, yo, w, h);
        const descr = d.description ?? path.basename(String(d.name ?? 'image'));
        sd.objects.push({ kind: 'image', sha, anchor, descr, cx: Math.floor(0.5 + w * 9525), cy: Math.floor(0.5 + h * 9525) });
        if (!media.has(sha)) {
          media.set(sha, {
            ext: info.type,
            load: () => {
              const bytes = Buffer.concat(store.blobParts(db, wbn, sha).map(([, b]) => b));
              if (crypto.createHash('sha256').update(bytes).digest('hex') !== sha) throw new Error(`image ${sha}: journaled bytes do not match`);
              return bytes;
            },
          });
        }
      }
    }
    if (sd.objects.length) out.push(sd);
  });
  return out.length ? { sheets: out, media } : undefined;
}

/** A fresh random workbook number (cells carry it; short and collision-free enough). */
export function newWbn(): number {
  return crypto.randomInt(1, 2 ** 47);
}
