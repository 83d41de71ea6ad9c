// Core worksheet methods as recorded calls. The shim has done each method's argument forms (A1
// notation), checks, carps and return codes at call time; what it sends here is the state change,
// and apply() makes it on the Worksheet as the real method does.
import type { Worksheet } from '../model/worksheet';
import type { Workbook } from '../model/workbook';
import { argList, fmtRef, type MethodTable } from './types';
import { setHeaderFooterImages, type HeaderImageInsert } from '../notes';

const int = { type: 'integer', minimum: 0, maximum: 1_048_575 };
const col = { type: 'integer', minimum: 0, maximum: 16_383 };
const num = { type: ['number', 'string'] };
const optNum = { type: ['number', 'string', 'null'] };
const str = { type: 'string', maxLength: 100_000 };
const optStr = { type: ['string', 'null'], maxLength: 100_000 };
const optFmt = { anyOf: [fmtRef, { type: 'null' }] };
const flag = { type: ['number', 'string', 'boolean', 'null'] };
const none = argList([]);
const hfImages = {
  type: 'array', maxItems: 3,
  items: { type: 'object', required: ['image', 'filename', 'position'], additionalProperties: false,
    properties: { image: { type: 'string', pattern: '^[0-9a-f]{64}$' }, filename: { type: 'string', maxLength: 4096 }, position: { enum: ['LH', 'CH', 'RH', 'LF', 'CF', 'RF'] } } },
};

/** Perl truthiness of a scalar the shim sent. */
export function truthy(v: unknown): boolean {
  return !(v === null || v === undefined || v === false || v === 0 || v === '' || v === '0');
}

function n(v: unknown, dflt = 0): number {
  if (v === null || v === undefined || v === '') return dflt;
  const x = Number(v);
  return Number.isFinite(x) ? x : dflt;
}

function setter(fields: Partial<Worksheet>): MethodTable<Worksheet>[string] {
  return { args: none, apply: (ws) => { Object.assign(ws, fields); } };
}

export const WORKSHEET_METHODS: MethodTable<Worksheet> = {
  // set_column(first, last, width, format, hidden, level): the shim checked the range
  set_column: {
    args: argList([col, col, optNum, optFmt, flag, flag], 2),
    apply(ws, a, wb) {
      const first = n(a[0]);
      const last = n(a[1]);
      const width = a[2] === null || a[2] === undefined ? undefined : n(a[2]);
      const format = wb.format(a[3]) ?? null;
      const hidden = truthy(a[4]) ? 1 : 0;
      let level = Math.trunc(n(a[5]));
      level = Math.min(7, Math.max(0, level));
      // _check_dimensions(0, col, ignore_row = 1, ignore_col): columns count when formatted or hidden with a width
      if (format || (width && hidden)) {
        for (const c of [first, last]) {
          if (ws.dimColmin === undefined || c < ws.dimColmin) ws.dimColmin = c;
          if (ws.dimColmax === undefined || c > ws.dimColmax) ws.dimColmax = c;
        }
      }
      if (level > ws.outlineColLevel) ws.outlineColLevel = level;
      ws.colinfo.set(String(first).padStart(5, '0'), { firstCol: first, lastCol: last, width, format, hidden, level, collapsed: 0 });
      ws.colSizeChanged = true;
      const w = width ?? ws.defaultColWidth;
      for (let c = first; c <= last; c++) {
        ws.colSizes.set(c, [w, hidden]);
        if (format) ws.colFormats.set(c, format);
      }
    },
  },
  // set_row(row, height, format, hidden, level, collapsed, min_col): min_col is _dim_colmin at call time
  set_row: {
    args: argList([int, optNum, optFmt, flag, flag, flag, col], 1),
    apply(ws, a, wb) {
      const row = n(a[0]);
      let height = a[1] === null || a[1] === undefined ? ws.defaultRowHeight : n(a[1]);
      const format = wb.format(a[2]) ?? null;
      let hidden = truthy(a[3]) ? 1 : 0;
      let level = Math.trunc(n(a[4]));
      const collapsed = truthy(a[5]) ? 1 : 0;
      ws.updateDims(row, n(a[6]));
      if (height === 0) {
        hidden = 1;
        height = ws.defaultRowHeight;
      }
      level = Math.min(7, Math.max(0, level));
      if (level > ws.outlineRowLevel) ws.outlineRowLevel = level;
      ws.setRows.set(row, { height, format, hidden, level, collapsed });
      ws.rowSizeChanged = true;
      ws.rowSizes.set(row, [height, hidden]);
    },
  },
  set_default_row: {
    args: argList([optNum, flag], 0),
    apply(ws, a) {
      const height = n(a[0]) || ws.originalRowHeight;
      if (height !== ws.originalRowHeight) {
        ws.defaultRowHeight = height;
        ws.rowSizeChanged = true;
      }
      if (truthy(a[1])) ws.defaultRowZeroed = 1;
    },
  },
  // Worksheet::_check_dimensions of a write that then failed (its cell is not written, its place counts)
  dimensions: { args: argList([int, col]), apply(ws, a) { ws.updateDims(n(a[0]), n(a[1])); } },
  // merge_range(r1, c1, r2, c2): the cells were written by the shim
  merge_range: {
    args: argList([int, col, int, col]),
    apply(ws, a) { ws.merge.push([n(a[0]), n(a[1]), n(a[2]), n(a[3])]); },
  },
  // a write_url's hyperlink: (row, col, link type, url, str, tip); its string cell is in the store
  hyperlink: {
    args: argList([int, col, { enum: [1, 2] }, str, optStr, optStr]),
    apply(ws, a) {
      let cols = ws.hyperlinks.get(n(a[0]));
      if (!cols) ws.hyperlinks.set(n(a[0]), (cols = new Map()));
      cols.set(n(a[1]), { linkType: n(a[2]), url: String(a[3]), str: (a[4] as string | null) ?? null, tip: (a[5] as string | null) ?? null });
    },
  },
  select: { args: none, apply(ws) { ws.hidden = 0; ws.selected = 1; } },
  activate: { args: none, apply(ws, _a, wb) { ws.hidden = 0; ws.selected = 1; wb.activesheet = ws.index; } },
  hide: { args: none, apply(ws, _a, wb) { ws.hidden = 1; ws.selected = 0; wb.activesheet = 0; wb.firstsheet = 0; } },
  set_first_sheet: { args: none, apply(ws, _a, wb) { ws.hidden = 0; wb.firstsheet = ws.index; } },
  // set_selection(active cell, sqref)
  set_selection: { args: argList([str, str]), apply(ws, a) { ws.selections = [['', String(a[0]), String(a[1])]]; } },
  set_top_left_cell: { args: argList([str]), apply(ws, a) { ws.topLeftCell = String(a[0]); } },
  // freeze_panes(row, col, top_row, left_col, type); split_panes sends type 2
  freeze_panes: {
    args: argList([num, num, num, num, num]),
    apply(ws, a) { ws.panes = [{ row: n(a[0]), col: n(a[1]), topRow: n(a[2]), leftCol: n(a[3]), type: n(a[4]) }]; },
  },
  set_portrait: setter({ orientation: 1, pageSetupChanged: 1 }),
  set_landscape: setter({ orientation: 0, pageSetupChanged: 1 }),
  set_page_view: { args: argList([flag]), apply(ws, a) { ws.pageView = truthy(a[0]) ? 1 : 0; } },
  // set_tab_color(colour index or '#RRGGBB')
  set_tab_color: { args: argList([{ type: ['string', 'integer'] }]), apply(ws, a) { ws.tabColor = a[0] as string | number; } },
  set_paper: { args: argList([num]), apply(ws, a) { ws.paperSize = n(a[0]); ws.pageSetupChanged = 1; } },
  // set_header/set_footer(string, margin, align_with_margins, scale_with_doc) after the shim's checks
  set_header: {
    args: argList([str, num, flag, flag, hfImages], 4),
    apply(ws, a) {
      headerFooter(ws, a);
      setHeaderFooterImages(ws.notes, 'header', (a[4] ?? []) as HeaderImageInsert[]);
      ws.header = String(a[0]);
      ws.marginHeader = n(a[1]);
    },
  },
  set_footer: {
    args: argList([str, num, flag, flag, hfImages], 4),
    apply(ws, a) {
      headerFooter(ws, a);
      setHeaderFooterImages(ws.notes, 'footer', (a[4] ?? []) as HeaderImageInsert[]);
      ws.footer = String(a[0]);
      ws.marginFooter = n(a[1]);
    },
  },
  center_horizontally: setter({ printOptionsChanged: 1, hcenter: 1 }),
  center_vertically: setter({ printOptionsChanged: 1, vcenter: 1 }),
  // set_margins(left, right, top, bottom): each null leaves the margin as it is
  set_margins: {
    args: argList([optNum, optNum, optNum, optNum]),
    apply(ws, a) {
      if (a[0] !== null) ws.marginLeft = n(a[0]);
      if (a[1] !== null) ws.marginRight = n(a[1]);
      if (a[2] !== null) ws.marginTop = n(a[2]);
      if (a[3] !== null) ws.marginBottom = n(a[3]);
    },
  },
  repeat_rows: { args: argList([str]), apply(ws, a) { ws.repeatRows = String(a[0]); } },
  repeat_columns: { args: argList([str]), apply(ws, a) { ws.repeatCols = String(a[0]); } },
  print_area: { args: argList([str]), apply(ws, a) { ws.printArea = String(a[0]); } },
  hide_gridlines: {
    args: argList([num]),
    apply(ws, a) {
      const o = n(a[0]);
      if (o === 0) Object.assign(ws, { printGridlines: 1, screenGridlines: 1, printOptionsChanged: 1 });
      else if (o === 1) Object.assign(ws, { printGridlines: 0, screenGridlines: 1 });
      else Object.assign(ws, { printGridlines: 0, screenGridlines: 0 });
    },
  },
  print_row_col_headers: {
    args: argList([flag]),
    apply(ws, a) {
      if (truthy(a[0])) Object.assign(ws, { printHeaders: 1, printOptionsChanged: 1 });
      else ws.printHeaders = 0;
    },
  },
  hide_row_col_headers: setter({ hideRowColHeaders: 1 }),
  fit_to_pages: {
    args: argList([num, num]),
    apply(ws, a) { Object.assign(ws, { fitPage: 1, fitWidth: n(a[0]), fitHeight: n(a[1]), pageSetupChanged: 1 }); },
  },
  set_h_pagebreaks: { args: { type: 'array', items: num, maxItems: 100_000 }, apply(ws, a) { ws.hbreaks.push(...a.map((x) => n(x))); } },
  set_v_pagebreaks: { args: { type: 'array', items: num, maxItems: 100_000 }, apply(ws, a) { ws.vbreaks.push(...a.map((x) => n(x))); } },
  set_zoom: { args: argList([num]), apply(ws, a) { ws.zoom = Math.trunc(n(a[0])); } },
  set_print_scale: { args: argList([num]), apply(ws, a) { Object.assign(ws, { fitPage: 0, printScale: Math.trunc(n(a[0])), pageSetupChanged: 1 }); } },
  print_black_and_white: setter({ blackWhite: 1, pageSetupChanged: 1 }),
  right_to_left: { args: argList([flag]), apply(ws, a) { ws.rightToLeft = truthy(a[0]) ? 1 : 0; } },
  hide_zero: { args: argList([flag]), apply(ws, a) { ws.showZeros = truthy(a[0]) ? 0 : 1; } },
  print_across: {
    args: argList([flag]),
    apply(ws, a) {
      if (truthy(a[0])) Object.assign(ws, { pageOrder: 1, pageSetupChanged: 1 });
      else ws.pageOrder = 0;
    },
  },
  set_start_page: { args: argList([num]), apply(ws, a) { ws.pageStart = n(a[0]); } },
  outline_settings: {
    args: argList([flag, flag, flag, flag]),
    apply(ws, a) {
      ws.outlineOn = a[0] === null ? 1 : truthy(a[0]) ? 1 : 0;
      ws.outlineBelow = a[1] === null ? 1 : truthy(a[1]) ? 1 : 0;
      ws.outlineRight = a[2] === null ? 1 : truthy(a[2]) ? 1 : 0;
      ws.outlineStyle = truthy(a[3]) ? 1 : 0;
      ws.outlineChanged = 1;
    },
  },
  set_vba_name: { args: argList([optStr]), apply(ws, a) { ws.vbaCodename = a[0] ? String(a[0]) : `Sheet${ws.index + 1}`; } },
  // $worksheet->{_default_url_format} = undef (a test scaffold the regression suite uses)
  no_default_url_format: { args: none, apply(ws) { ws.defaultUrlFormat = null; } },
  // the real module's internals a script set directly ($worksheet->{_vertical_dpi} = 200, ...)
  internal: {
    args: argList([{ enum: ['_vertical_dpi', '_horizontal_dpi', '_original_row_height'] }, num]),
    apply(ws, a) {
      const v = n(a[1]);
      if (a[0] === '_vertical_dpi') ws.verticalDpi = v;
      else if (a[0] === '_horizontal_dpi') ws.horizontalDpi = v;
      else ws.originalRowHeight = v;
    },
  },
  use_future_functions: { args: argList([flag]), apply(ws, a) { ws.useFutureFunctions = truthy(a[0]) ? 1 : 0; } },
  // a dynamic array formula was written: the workbook gets metadata.xml
  dynamic_arrays: { args: none, apply(ws, _a, wb: Workbook) { ws.hasDynamicArrays = 1; wb.hasMetadata = 1; } },
  // set_background(image key, file name): the bytes were sent as image data
  set_background: {
    args: argList([{ type: 'string', pattern: '^[0-9a-f]{64}$' }, str]),
    apply(ws, a) { ws.backgroundImageRef = { image: String(a[0]), filename: String(a[1]) }; ws.backgroundImage = String(a[1]); },
  },
};

function headerFooter(ws: Worksheet, a: unknown[]): void {
  if (a[2] !== null) ws.headerFooterAligns = truthy(a[2]) ? 1 : 0;
  if (a[3] !== null) ws.headerFooterScales = truthy(a[3]) ? 1 : 0;
  ws.headerFooterChanged = 1;
}
