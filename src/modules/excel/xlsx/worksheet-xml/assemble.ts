// A worksheet part in Worksheet::_assemble_xml_file's order, as chunks of text (the cells stream
// from the store). The elements other owners write come in through SheetHooks.
import { XmlWriter } from '../xml';
import type { Worksheet } from '../model/worksheet';
import { writeCols, writeDimension, writeSheetFormatPr, writeSheetPr, writeSheetViews, writeWorksheetStart } from './head';
import { numberRowFormats, sheetData, type CommentCells, type SheetCells } from './sheet-data';
import { writeBreaks, writeHeaderFooter, writeHyperlinks, writeMergeCells, writePageMargins, writePageSetup, writePrintOptions } from './tail';

type Hook = (w: XmlWriter, ws: Worksheet) => void;

/** The elements of the other owners, at their place in the worksheet. */
export interface SheetHooks {
  sheetProtection: Hook;
  protectedRanges: Hook;
  autoFilter: Hook;
  conditionalFormats: Hook;
  dataValidations: Hook;
  ignoredErrors: Hook;
  drawing: Hook;
  legacyDrawing: Hook;
  legacyDrawingHF: Hook;
  picture: Hook;
  tableParts: Hook;
  extList: Hook;
  tabColor(c: string | number): string;
  /** the cells with comments: row -> columns (rows written even without cells; spans) */
  commentCells(ws: Worksheet): CommentCells;
}

const CHUNK = 1 << 16;

export function* worksheetChunks(ws: Worksheet, cells: SheetCells, hooks: SheetHooks,
  cellType: (row: number, col: number) => string | undefined): Generator<string> {
  if (ws.optimization) numberRowFormats(ws, cells);
  const w = new XmlWriter();
  w.declaration();
  writeWorksheetStart(w, ws);
  writeSheetPr(w, ws, hooks.tabColor);
  writeDimension(w, ws);
  writeSheetViews(w, ws);
  writeSheetFormatPr(w, ws);
  writeCols(w, ws, (f) => (f ? cells.xfIndex(f) : 0));
  // constant memory mode writes each row as it is finished: without spans
  for (const _ of sheetData(w, ws, cells, hooks.commentCells(ws), !ws.optimization)) {
    if (w.pending >= CHUNK) yield w.take();
  }
  hooks.sheetProtection(w, ws);
  hooks.protectedRanges(w, ws);
  if (ws.excel2003Style) w.emptyTag('phoneticPr', [['fontId', 0], ['type', 'noConversion']]);
  hooks.autoFilter(w, ws);
  writeMergeCells(w, ws);
  hooks.conditionalFormats(w, ws);
  hooks.dataValidations(w, ws);
  writeHyperlinks(w, ws, cellType);
  writePrintOptions(w, ws);
  writePageMargins(w, ws);
  writePageSetup(w, ws);
  writeHeaderFooter(w, ws);
  writeBreaks(w, ws);
  hooks.ignoredErrors(w, ws);
  hooks.drawing(w, ws);
  hooks.legacyDrawing(w, ws);
  hooks.legacyDrawingHF(w, ws);
  hooks.picture(w, ws);
  hooks.tableParts(w, ws);
  hooks.extList(w, ws);
  w.endTag('worksheet');
  yield w.take();
}
