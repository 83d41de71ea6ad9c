// Excel::Writer::XLSX::Worksheet's state at close, rebuilt by replaying the call log (replay.ts):
// the real module's fields (camelCase, no leading underscore). Cells are not here: they stream from
// the journal's cell store when the part is written (worksheet-xml/sheet-data.ts); rows set with
// set_row are (they are few, and every cell of their row needs them).
//
// Feature modules (notes, rules, chart/drawing) keep their own state in a slot of the worksheet
// (`slot(key, make)`) and use what this class exposes through the interfaces below.

import type { Format } from '../format';
import { newRulesState, type RulesSheet, type RulesState } from '../rules';
import { newNotesState, type NotesSheet, type NotesState } from '../notes';
import { positionObjectPixels } from '../drawing/position';
import { prepareHeaderImage as notesPrepareHeaderImage } from '../notes';
import type { ImageProps } from '../drawing/image';
import type { ImageRef } from '../drawing/state';
import type { RangeToken } from '../chart/data';

/** The store's cells of a rectangle, for chart data: [row, col, t, v, x] in row order. */
export type RangeReader = (r1: number, c1: number, r2: number, c2: number) => [number, number, string, string | number | null, string | null][];

/** A relationship of the worksheet's .rels: [type suffix ('/hyperlink'), target, target mode]. */
export type Rel = [string, string, string?];

/** [height, format, hidden, level, collapsed]: the real module's _set_rows entry. */
export interface RowInfo {
  height: number | undefined;
  format: Format | null;
  hidden: number;
  level: number;
  collapsed: number;
}

/** [first, last, width, format, hidden, level, collapsed]: the real module's _colinfo entry. */
export interface ColInfo {
  firstCol: number;
  lastCol: number;
  width: number | undefined;
  format: Format | null;
  hidden: number;
  level: number;
  collapsed: number;
}

export interface Pane {
  row: number;
  col: number;
  topRow: number;
  leftCol: number;
  type: number;
}

/** What anchored objects need from a worksheet (charts, images, shapes, comments, buttons). */
export interface SheetGeometry {
  /** Column width in pixels (Worksheet::_size_col). */
  sizeCol(col: number, anchor?: number): number;
  /** Row height in pixels (Worksheet::_size_row). */
  sizeRow(row: number, anchor?: number): number;
  readonly defaultRowHeight: number;
  readonly defaultRowPixels: number;
  readonly defaultColPixels: number;
}

/** What the rels-making features need: the worksheet's relationship lists, in the real module's names. */
export interface SheetLinks {
  readonly externalHyperLinks: Rel[];
  readonly externalDrawingLinks: Rel[];
  readonly externalVmlLinks: Rel[];
  readonly externalTableLinks: Rel[];
  readonly externalBackgroundLinks: Rel[];
  readonly externalCommentLinks: Rel[];
  readonly drawingLinks: Rel[];
  readonly vmlDrawingLinks: Rel[];
  /** _rel_count: incremented as r:id elements are written (drawing, legacyDrawing, ...). */
  relCount: number;
}

export class Worksheet implements SheetGeometry, SheetLinks, RulesSheet, NotesSheet {
  // identity
  name: string;
  index: number;
  isChartsheet = false;

  // workbook-level settings the real module copies in
  date1904 = false;
  optimization = 0;
  excel2003Style = false;
  maxUrlLength = 2079;
  /** Workbook's _default_url_format: null after `$ws->{_default_url_format} = undef`. */
  defaultUrlFormat: Format | null = null;

  // dimensions of the cells written (cells from the store; set by set_column/set_row too)
  dimRowmin: number | undefined;
  dimRowmax: number | undefined;
  dimColmin: number | undefined;
  dimColmax: number | undefined;

  colinfo = new Map<string, ColInfo>();
  /** keys "first:last" in the order set_column made them (the real module sorts at write). */
  selections: [string, string, string][] = [];
  hidden = 0;
  active = 0;
  tabColor: string | number = 0;
  panes: Pane[] = [];
  activePane = 3;
  selected = 0;
  hideRowColHeaders = 0;
  topLeftCell = '';

  pageSetupChanged = 0;
  paperSize = 0;
  orientation = 1;

  printOptionsChanged = 0;
  hcenter = 0;
  vcenter = 0;
  printGridlines = 0;
  screenGridlines = 1;
  printHeaders = 0;
  pageView = 0;

  headerFooterChanged = 0;
  header = '';
  footer = '';
  headerFooterAligns = 1;
  headerFooterScales = 1;
  backgroundImage = '';

  marginLeft = 0.7;
  marginRight = 0.7;
  marginTop = 0.75;
  marginBottom = 0.75;
  marginHeader = 0.3;
  marginFooter = 0.3;

  repeatRows = '';
  repeatCols = '';
  printArea = '';

  pageOrder = 0;
  blackWhite = 0;
  draftQuality = 0;
  printComments = 0;
  pageStart = 0;
  horizontalDpi = 0;
  verticalDpi = 0;

  fitPage = 0;
  fitWidth = 0;
  fitHeight = 0;

  hbreaks: number[] = [];
  vbreaks: number[] = [];

  zoom = 100;
  zoomScaleNormal = 1;
  printScale = 100;
  rightToLeft = 0;
  showZeros = 1;
  leadingZeros = 0;

  outlineRowLevel = 0;
  outlineColLevel = 0;
  outlineStyle = 0;
  outlineBelow = 1;
  outlineRight = 1;
  outlineOn = 1;
  outlineChanged = 0;

  originalRowHeight = 15;
  defaultRowHeight = 15;
  defaultRowPixels = 20;
  defaultColWidth = 8.43;
  defaultColPixels = 64;
  defaultRowZeroed = 0;

  /** Ranges merged: [r1, c1, r2, c2]. */
  merge: [number, number, number, number][] = [];

  /** set_row entries. */
  setRows = new Map<number, RowInfo>();
  colSizes = new Map<number, [number, number]>();
  rowSizes = new Map<number, [number, number]>();
  colFormats = new Map<number, Format>();
  colSizeChanged = false;
  rowSizeChanged = false;

  /** Hyperlinks: row -> col -> link (written in <hyperlinks>). */
  hyperlinks = new Map<number, Map<number, Hyperlink>>();
  hlinkCount = 0;

  vbaCodename: string | undefined;
  hasDynamicArrays = 0;
  useFutureFunctions = 0;

  // features' flags read by the worksheet writer (set by their prepare steps)
  /** drawing part (chart/drawing owner sets it in its prepare step): written as <drawing r:id>. */
  drawing: unknown = 0;
  hasVml = 0;
  hasHeaderVml = 0;
  hasComments = 0;
  /** filter_on: sheetPr filterMode (rules owner sets it). */
  filterOn = 0;

  readonly externalHyperLinks: Rel[] = [];
  readonly externalDrawingLinks: Rel[] = [];
  readonly externalVmlLinks: Rel[] = [];
  readonly externalTableLinks: Rel[] = [];
  readonly externalBackgroundLinks: Rel[] = [];
  readonly externalCommentLinks: Rel[] = [];
  readonly drawingLinks: Rel[] = [];
  readonly vmlDrawingLinks: Rel[] = [];
  relCount = 0;

  /** the rules owner's state (conditional formats, validations, autofilter, protection, ...) */
  readonly rules: RulesState = newRulesState();
  /** the notes owner's state (comments, buttons, tables, header images) */
  readonly notes: NotesState = newNotesState();
  /** 2010 once a 2010 data bar is added (namespaces, row dyDescent) */
  excelVersion = 2007;

  /** set_background's image (the journaled bytes' key and the file name) */
  backgroundImageRef?: ImageRef;
  /** the cell store, for chart data (set by the packager) */
  rangeReader?: RangeReader;

  private readonly slots = new Map<string, unknown>();

  constructor(name: string, index: number) {
    this.name = name;
    this.index = index;
  }

  /** A feature's own state on this worksheet, made on first use. */
  slot<T>(key: string, make: () => T): T {
    let s = this.slots.get(key) as T | undefined;
    if (s === undefined) {
      s = make();
      this.slots.set(key, s);
    }
    return s;
  }

  /** A feature's state, if it was ever made. */
  peek<T>(key: string): T | undefined {
    return this.slots.get(key) as T | undefined;
  }

  headerFooterImages(): (ImageRef & { position: string })[] {
    return [...this.notes.headerImages, ...this.notes.footerImages] as (ImageRef & { position: string })[];
  }

  prepareHeaderImage(refId: number, props: ImageProps, position: string): void {
    notesPrepareHeaderImage(this.notes, refId, props, position);
  }

  /**
   * Worksheet::_get_range_data: per row of the range, null for a row without cells, else per cell
   * its value (strings as they are, a rich string as '', formulas their value or 0, blanks '').
   */
  getRangeData(r1: number, c1: number, r2: number, c2: number): RangeToken[] {
    if (this.optimization || !this.rangeReader) return [];
    const rows = new Set(this.rangeReader(r1, 0, r2, 16383).map((c) => c[0]));
    const cells = new Map<string, [number, number, string, string | number | null, string | null]>();
    for (const c of this.rangeReader(r1, c1, r2, c2)) cells.set(`${c[0]}:${c[1]}`, c);
    const out: RangeToken[] = [];
    for (let r = r1; r <= r2; r++) {
      if (!rows.has(r)) {
        out.push(null);
        continue;
      }
      for (let c = c1; c <= c2; c++) {
        const cell = cells.get(`${r}:${c}`);
        if (!cell) {
          out.push(null);
          continue;
        }
        const [, , t, v, x] = cell;
        if (t === 'n') out.push(typeof v === 'number' ? v : String(v));
        else if (t === 's') out.push(typeof v === 'string' && v.startsWith('<r>') && v.endsWith('</r>') ? '' : String(v ?? ''));
        else if (t === 'f') out.push(x && x !== '0' ? x : 0);
        else if (t === 'a' || t === 'd') {
          const val = (JSON.parse(x ?? '[]') as (string | undefined)[])[1];
          out.push(val && val !== '0' ? val : 0);
        } else if (t === 'b') out.push('');
        // the real method has no branch for the other types (booleans): no token at all
      }
    }
    return out;
  }

  /** Worksheet::_check_dimensions's bookkeeping, for a call that writes into a cell (write_comment). */
  checkDimensions(row: number, col: number): void {
    this.updateDims(row, col);
  }

  nextRelId(): number {
    return ++this.relCount;
  }

  positionObjectPixels(colStart: number, rowStart: number, x1: number, y1: number, width: number, height: number): number[] {
    return positionObjectPixels(this, colStart, rowStart, x1, y1, width, height);
  }

  sizeCol(col: number, anchor = 0): number {
    const maxDigitWidth = 7; // Calibri 11
    const padding = 5;
    const s = this.colSizes.get(col);
    if (!s) return this.defaultColPixels;
    const [width, hidden] = s;
    if (hidden === 1 && anchor !== 4) return 0;
    if (width < 1) return Math.trunc(width * (maxDigitWidth + padding) + 0.5);
    return Math.trunc(width * maxDigitWidth + 0.5) + padding;
  }

  sizeRow(row: number, anchor = 0): number {
    const s = this.rowSizes.get(row);
    if (!s) return Math.trunc((4 / 3) * this.defaultRowHeight);
    const [height, hidden] = s;
    if (hidden === 1 && anchor !== 4) return 0;
    return Math.trunc((4 / 3) * height);
  }

  /** Worksheet::_check_dimensions's bookkeeping (without the range check, done by the shim). */
  updateDims(row: number, col: number, rowOnly = false): void {
    if (this.dimRowmin === undefined || row < this.dimRowmin) this.dimRowmin = row;
    if (this.dimRowmax === undefined || row > this.dimRowmax) this.dimRowmax = row;
    if (rowOnly) return;
    if (this.dimColmin === undefined || col < this.dimColmin) this.dimColmin = col;
    if (this.dimColmax === undefined || col > this.dimColmax) this.dimColmax = col;
  }
}

/** A _hyperlinks entry: link type (1 URL, 2 internal), url, str (location/anchor), tip. */
export interface Hyperlink {
  linkType: number;
  url: string;
  str: string | null;
  tip: string | null;
}
