// <sheetData>, streamed from the cell store (Worksheet::_write_rows, _write_row, _write_cell): rows
// in order, each with its cells; the rows set_row made and the rows of comments without cells are
// written empty. Memory stays flat: one page of cells at a time.
import type { XmlWriter } from '../xml';
import type { Format } from '../format';
import type { RowInfo, Worksheet } from '../model/worksheet';
import { escapeData, perlNum } from '../xml';
import { escapeControl, preserveSpace } from '../parts/shared-strings';
import { colName } from '../../refs';

const COLS: string[] = [];
function cellRef(row: number, col: number): string {
  return (COLS[col] ??= colName(col)) + (row + 1);
}

/** A cell as the store pages it: [row, col, t, v, x, fmt]. */
export type CellTuple = [number, number, string, string | number | null, string | null, number | null];

export interface SheetCells {
  /** The sheet's cells in (row, col) order, a page at a time. */
  pages(): Iterable<CellTuple[]>;
  /** The SST index of a string written to a cell. */
  sstIndex(s: string): number;
  /** The format of a cell's format index (the shim's), or undefined. */
  format(idx: number): Format | undefined;
  xfIndex(f: Format): number;
}


const ERRORS = new Set(['#DIV/0!', '#N/A', '#NAME?', '#NULL!', '#NUM!', '#REF!', '#VALUE!']);
const NUMERIC = /^([+-]?)(?=\d|\.\d)\d*(\.\d*)?([Ee]([+-]?\d+))?$/;

function rowStart(w: XmlWriter, ws: Worksheet, r: number, spans: string | undefined, info: RowInfo | undefined, empty: boolean, c: SheetCells): void {
  const height = info?.height ?? ws.defaultRowHeight;
  const format = info?.format ?? null;
  let s = `<row r="${r + 1}"`;
  if (spans !== undefined) s += ` spans="${spans}"`;
  const xf = format ? c.xfIndex(format) : 0;
  if (xf) s += ` s="${xf}"`;
  if (format) s += ' customFormat="1"';
  if (height !== ws.originalRowHeight) s += ` ht="${perlNum(height)}"`;
  if (info?.hidden) s += ' hidden="1"';
  if (height !== ws.originalRowHeight) s += ' customHeight="1"';
  if (info?.level) s += ` outlineLevel="${info.level}"`;
  if (info?.collapsed) s += ' collapsed="1"';
  // in constant memory mode the rows flushed before the sheet became 2010 were written without it
  if (ws.excelVersion === 2010 && !(ws.optimization && r < ws.rules.excel2010Row)) s += ' x14ac:dyDescent="0.25"';
  w.raw(empty ? `${s}/>` : `${s}>`);
}

function writeCell(w: XmlWriter, ws: Worksheet, cell: CellTuple, c: SheetCells): void {
  const [row, col, t, v, x, fmt] = cell;
  let s = `<c r="${cellRef(row, col)}"`;
  const f = fmt === null ? undefined : c.format(fmt);
  const xf = f ? c.xfIndex(f) : 0;
  if (xf) s += ` s="${xf}"`;
  else {
    const rowFmt = ws.setRows.get(row)?.format;
    const colFmt = ws.colFormats.get(col);
    if (rowFmt) s += ` s="${c.xfIndex(rowFmt)}"`;
    else if (colFmt) s += ` s="${c.xfIndex(colFmt)}"`;
  }
  switch (t) {
    case 'n':
      w.raw(`${s}><v>${typeof v === 'number' ? perlNum(v) : String(v)}</v></c>`);
      break;
    case 's': {
      const str = String(v ?? '');
      if (ws.optimization === 0) {
        w.raw(`${s} t="s"><v>${c.sstIndex(str)}</v></c>`);
      } else {
        const e = escapeControl(str);
        if (e.startsWith('<r>') && e.endsWith('</r>')) w.raw(`${s} t="inlineStr"><is>${e}</is></c>`);
        else w.raw(`${s} t="inlineStr"><is><t${preserveSpace(e) ? ' xml:space="preserve"' : ''}>${escapeData(e)}</t></is></c>`);
      }
      break;
    }
    case 'f': {
      let value: string = x ?? '0';
      if (value !== '' && value !== '0' && !NUMERIC.test(value)) {
        if (value === 'TRUE' || value === 'FALSE') {
          s += ' t="b"';
          value = value === 'TRUE' ? '1' : '0';
        } else if (ERRORS.has(value)) s += ' t="e"';
        else {
          s += ' t="str"';
          value = escapeData(value);
        }
      }
      w.raw(`${s}><f>${escapeData(String(v ?? ''))}</f><v>${value}</v></c>`);
      break;
    }
    case 'a':
    case 'd': {
      // x: [range, value]
      const [range, value] = JSON.parse(x ?? '[]') as [string, string | undefined];
      if (t === 'd') s += ' cm="1"';
      w.raw(`${s}><f t="array" ref="${escapeData(range)}">${escapeData(String(v ?? ''))}</f><v>${escapeData(value ?? '')}</v></c>`);
      break;
    }
    case 'l':
      w.raw(`${s} t="b"><v>${v ? 1 : 0}</v></c>`);
      break;
    case 'b':
      w.raw(`${s}/>`);
      break;
    default:
      throw new Error(`excel: unknown cell type ${t}`);
  }
}

/**
 * Constant memory mode numbers the formats as each row is flushed, before <cols> is written: the
 * same order here, from a pass over the cells before the worksheet is written.
 */
export function numberRowFormats(ws: Worksheet, c: SheetCells): void {
  let row = -1;
  for (const page of c.pages()) {
    for (const [r, col, , , , fmt] of page) {
      if (r !== row) {
        row = r;
        const rf = ws.setRows.get(r)?.format;
        if (rf) c.xfIndex(rf);
      }
      const f = fmt === null ? undefined : c.format(fmt);
      if (f) c.xfIndex(f);
      else {
        const rowFmt = ws.setRows.get(r)?.format;
        const colFmt = ws.colFormats.get(col);
        if (rowFmt) c.xfIndex(rowFmt);
        else if (colFmt) c.xfIndex(colFmt);
      }
    }
  }
}

/** Where the comments are: row -> columns (their columns count in the rows' spans). */
export type CommentCells = ReadonlyMap<number, Iterable<number>>;

/**
 * Writes <sheetData>, a block of 16 rows at a time (a row's spans attribute is its block's columns:
 * the block's cells are read before its rows are written). Yields after each page of cells, for
 * the caller to take the text out.
 */
export function* sheetData(w: XmlWriter, ws: Worksheet, c: SheetCells, comments: CommentCells, withSpans: boolean): Generator<void> {
  if (ws.dimRowmin === undefined) {
    w.emptyTag('sheetData');
    return;
  }
  w.startTag('sheetData');
  // the columns of the comments per block
  const commentSpan = new Map<number, [number, number]>();
  for (const [row, cols] of comments) {
    const b = row >> 4;
    for (const col of cols) {
      const sp = commentSpan.get(b);
      commentSpan.set(b, sp ? [Math.min(sp[0], col), Math.max(sp[1], col)] : [col, col]);
    }
  }
  // the rows without cells that are written (set_row, comments), in order
  let extra = [...new Set([...ws.setRows.keys(), ...comments.keys()])].sort((a, b) => a - b);
  // constant memory mode: a row is written when the script moves past it, so a row without cells
  // is written only if it is row 0 (where the writing starts)
  if (ws.optimization) extra = extra.filter((r) => r === 0);
  let ei = 0;
  const spanOf = (b: number, lo: number, hi: number): string | undefined => {
    if (!withSpans) return undefined;
    const cs = commentSpan.get(b);
    if (cs) {
      lo = Math.min(lo, cs[0]);
      hi = Math.max(hi, cs[1]);
    }
    return lo <= hi ? `${lo + 1}:${hi + 1}` : undefined;
  };
  const emptyRows = (before: number) => {
    while (ei < extra.length && extra[ei] < before) {
      const r = extra[ei++];
      rowStart(w, ws, r, spanOf(r >> 4, Infinity, -Infinity), ws.setRows.get(r), true, c);
    }
  };
  let block = -1;
  let buf: CellTuple[] = [];
  const writeBlock = () => {
    if (!buf.length) return;
    let lo = Infinity;
    let hi = -Infinity;
    for (const cell of buf) {
      if (cell[1] < lo) lo = cell[1];
      if (cell[1] > hi) hi = cell[1];
    }
    const span = spanOf(block, lo, hi);
    let open = -1;
    for (const cell of buf) {
      const r = cell[0];
      if (r !== open) {
        if (open >= 0) w.raw('</row>');
        while (ei < extra.length && extra[ei] < r) {
          const e = extra[ei++];
          rowStart(w, ws, e, span, ws.setRows.get(e), true, c);
        }
        if (ei < extra.length && extra[ei] === r) ei++;
        rowStart(w, ws, r, span, ws.setRows.get(r), false, c);
        open = r;
      }
      writeCell(w, ws, cell, c);
    }
    w.raw('</row>');
    // the block's rows without cells after its last cell row
    while (ei < extra.length && extra[ei] >> 4 === block) {
      const e = extra[ei++];
      rowStart(w, ws, e, span, ws.setRows.get(e), true, c);
    }
    buf = [];
  };
  for (const page of c.pages()) {
    for (const cell of page) {
      const b = cell[0] >> 4;
      if (b !== block) {
        writeBlock();
        emptyRows(b << 4);
        block = b;
      }
      buf.push(cell);
    }
    yield;
  }
  writeBlock();
  emptyRows(Infinity);
  w.endTag('sheetData');
}
