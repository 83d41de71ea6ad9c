// The worksheet elements before <sheetData>: worksheet root, sheetPr, dimension, sheetViews,
// sheetFormatPr, cols (Worksheet::_write_worksheet .. _write_cols).
import type { Attrs, XmlWriter } from '../xml';
import type { Worksheet } from '../model/worksheet';
import type { Format } from '../format';
import { cellRef } from '../../refs';

type A = [string, string | number][];

export function writeWorksheetStart(w: XmlWriter, ws: Worksheet): void {
  const schema = 'http://schemas.openxmlformats.org/';
  const a: A = [['xmlns', `${schema}spreadsheetml/2006/main`], ['xmlns:r', `${schema}officeDocument/2006/relationships`]];
  if (ws.excelVersion === 2010) {
    a.push(['xmlns:mc', `${schema}markup-compatibility/2006`], ['xmlns:x14ac', 'http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac'],
      ['mc:Ignorable', 'x14ac']);
  }
  w.startTag('worksheet', a);
}

export function writeSheetPr(w: XmlWriter, ws: Worksheet, tabColorRgb: (c: string | number) => string): void {
  if (!ws.fitPage && !ws.filterOn && !ws.tabColor && !ws.outlineChanged && !ws.vbaCodename) return;
  const a: A = [];
  if (ws.vbaCodename) a.push(['codeName', ws.vbaCodename]);
  if (ws.filterOn) a.push(['filterMode', 1]);
  if (ws.fitPage || ws.tabColor || ws.outlineChanged) {
    w.startTag('sheetPr', a);
    if (ws.tabColor) w.emptyTag('tabColor', [['rgb', tabColorRgb(ws.tabColor)]]);
    if (ws.outlineChanged) {
      const o: A = [];
      if (ws.outlineStyle) o.push(['applyStyles', 1]);
      if (!ws.outlineBelow) o.push(['summaryBelow', 0]);
      if (!ws.outlineRight) o.push(['summaryRight', 0]);
      if (!ws.outlineOn) o.push(['showOutlineSymbols', 0]);
      w.emptyTag('outlinePr', o);
    }
    if (ws.fitPage) w.emptyTag('pageSetUpPr', [['fitToPage', 1]]);
    w.endTag('sheetPr');
  } else {
    w.emptyTag('sheetPr', a);
  }
}

export function writeDimension(w: XmlWriter, ws: Worksheet): void {
  let ref: string;
  if (ws.dimRowmin === undefined && ws.dimColmin === undefined) ref = 'A1';
  else if (ws.dimRowmin === undefined) {
    ref = ws.dimColmin === ws.dimColmax ? cellRef(0, ws.dimColmin!) : `${cellRef(0, ws.dimColmin!)}:${cellRef(0, ws.dimColmax!)}`;
  } else if (ws.dimRowmin === ws.dimRowmax && ws.dimColmin === ws.dimColmax) {
    ref = cellRef(ws.dimRowmin, ws.dimColmin ?? 0);
  } else {
    ref = `${cellRef(ws.dimRowmin, ws.dimColmin ?? 0)}:${cellRef(ws.dimRowmax!, ws.dimColmax ?? 0)}`;
  }
  w.emptyTag('dimension', [['ref', ref]]);
}

function calculateXSplitWidth(width: number): number {
  const pixels = width < 1 ? Math.trunc(width * 12 + 0.5) : Math.trunc(width * 7 + 0.5) + 5;
  return (pixels * 3) / 4 * 20 + 390;
}

function writePanes(w: XmlWriter, ws: Worksheet): void {
  const p = ws.panes[0];
  if (!p) return;
  let { row, col, topRow, leftCol } = p;
  let activeCell: string | undefined;
  let sqref: string | undefined;
  let hasSelection = false;
  if (ws.selections.length) {
    [, activeCell, sqref] = ws.selections[0];
    ws.selections = [];
    hasSelection = true;
  }
  const a: A = [];
  let activePane: string;
  if (p.type === 2) {
    let ySplit = row;
    let xSplit = col;
    if (ySplit) ySplit = Math.trunc(20 * ySplit + 300);
    if (xSplit) xSplit = calculateXSplitWidth(xSplit);
    if (topRow === row && leftCol === col) {
      topRow = Math.trunc(0.5 + (ySplit - 300) / 20 / 15);
      leftCol = Math.trunc(0.5 + (xSplit - 390) / 20 / 3 * 4 / 64);
    }
    const tl = cellRef(topRow, leftCol);
    if (!hasSelection) {
      activeCell = tl;
      sqref = tl;
    }
    activePane = pushPaneSelections(ws, row, col, cellRef(topRow, 0), cellRef(0, leftCol), activeCell, sqref);
    if (xSplit) a.push(['xSplit', xSplit]);
    if (ySplit) a.push(['ySplit', ySplit]);
    a.push(['topLeftCell', tl]);
    if (hasSelection) a.push(['activePane', activePane]);
  } else {
    activePane = pushPaneSelections(ws, row, col, cellRef(row, 0), cellRef(0, col), activeCell, sqref);
    if (col) a.push(['xSplit', col]);
    if (row) a.push(['ySplit', row]);
    a.push(['topLeftCell', cellRef(topRow, leftCol)], ['activePane', activePane], ['state', p.type === 0 ? 'frozen' : p.type === 1 ? 'frozenSplit' : 'split']);
  }
  w.emptyTag('pane', a);
}

function pushPaneSelections(ws: Worksheet, row: number, col: number, rowCell: string, colCell: string, active: string | undefined, sqref: string | undefined): string {
  const sel = (pane: string, c: string | undefined, s: string | undefined): [string, string, string] => [pane, c ?? '', s ?? ''];
  if (row && col) {
    ws.selections.push(sel('topRight', colCell, colCell), sel('bottomLeft', rowCell, rowCell), sel('bottomRight', active, sqref));
    return 'bottomRight';
  }
  if (col) {
    ws.selections.push(sel('topRight', active, sqref));
    return 'topRight';
  }
  ws.selections.push(sel('bottomLeft', active, sqref));
  return 'bottomLeft';
}

export function writeSheetViews(w: XmlWriter, ws: Worksheet): void {
  w.startTag('sheetViews');
  const a: A = [];
  if (!ws.screenGridlines) a.push(['showGridLines', 0]);
  if (ws.hideRowColHeaders) a.push(['showRowColHeaders', 0]);
  if (!ws.showZeros) a.push(['showZeros', 0]);
  if (ws.rightToLeft) a.push(['rightToLeft', 1]);
  if (ws.selected) a.push(['tabSelected', 1]);
  if (!ws.outlineOn) a.push(['showOutlineSymbols', 0]);
  if (ws.pageView) a.push(['view', 'pageLayout']);
  if (ws.topLeftCell) a.push(['topLeftCell', ws.topLeftCell]);
  if (ws.zoom !== 100) {
    if (!ws.pageView) a.push(['zoomScale', ws.zoom]);
    if (ws.zoomScaleNormal) a.push(['zoomScaleNormal', ws.zoom]);
  }
  a.push(['workbookViewId', 0]);
  if (ws.panes.length || ws.selections.length) {
    w.startTag('sheetView', a);
    writePanes(w, ws);
    for (const [pane, active, sqref] of ws.selections) {
      const s: A = [];
      if (pane) s.push(['pane', pane]);
      if (active) s.push(['activeCell', active]);
      if (sqref) s.push(['sqref', sqref]);
      w.emptyTag('selection', s);
    }
    w.endTag('sheetView');
  } else {
    w.emptyTag('sheetView', a);
  }
  w.endTag('sheetViews');
}

export function writeSheetFormatPr(w: XmlWriter, ws: Worksheet): void {
  const a: A = [['defaultRowHeight', ws.defaultRowHeight]];
  if (ws.defaultRowHeight !== ws.originalRowHeight) a.push(['customHeight', 1]);
  if (ws.defaultRowZeroed) a.push(['zeroHeight', 1]);
  if (ws.outlineRowLevel) a.push(['outlineLevelRow', ws.outlineRowLevel]);
  if (ws.outlineColLevel) a.push(['outlineLevelCol', ws.outlineColLevel]);
  if (ws.excelVersion === 2010) a.push(['x14ac:dyDescent', '0.25']);
  w.emptyTag('sheetFormatPr', a);
}

export function writeCols(w: XmlWriter, ws: Worksheet, xf: (f: Format | null) => number): void {
  if (!ws.colinfo.size) return;
  w.startTag('cols');
  for (const key of [...ws.colinfo.keys()].sort()) {
    const c = ws.colinfo.get(key)!;
    const xfIndex = xf(c.format);
    let width = c.width;
    let custom = 1;
    if (width === undefined) {
      if (!c.hidden) {
        width = 8.43;
        custom = 0;
      } else width = 0;
    } else if (width === 8.43) custom = 0;
    if (width > 0) {
      width = width < 1 ? Math.trunc(Math.trunc(width * 12 + 0.5) / 7 * 256) / 256 : Math.trunc((Math.trunc(width * 7 + 0.5) + 5) / 7 * 256) / 256;
    }
    const a: A = [['min', c.firstCol + 1], ['max', c.lastCol + 1], ['width', width]];
    if (xfIndex) a.push(['style', xfIndex]);
    if (c.hidden) a.push(['hidden', 1]);
    if (custom) a.push(['customWidth', 1]);
    if (c.level) a.push(['outlineLevel', c.level]);
    if (c.collapsed) a.push(['collapsed', 1]);
    w.emptyTag('col', a as Attrs);
  }
  w.endTag('cols');
}
