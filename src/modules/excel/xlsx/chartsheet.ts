// xl/chartsheets/sheetN.xml as Chartsheet::_assemble_xml_file writes it: a sheet holding one chart
// (a Worksheet with isChartsheet; its chart is in the sheet's drawing state).
import type { XmlWriter } from './xml';
import type { Worksheet } from './model/worksheet';
import { writeSheetViews } from './worksheet-xml/head';
import { writeHeaderFooter, writePageMargins, writePageSetup, writePrintOptions } from './worksheet-xml/tail';
import { writeSheetProtection } from './rules';

export function writeChartsheetPart(w: XmlWriter, ws: Worksheet, tabColorRgb: (c: string | number) => string): void {
  w.declaration();
  w.startTag('chartsheet', [
    ['xmlns', 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'],
    ['xmlns:r', 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'],
  ]);
  // Chartsheet::_write_sheet_pr
  const a: [string, number][] = ws.filterOn ? [['filterMode', 1]] : [];
  if (ws.fitPage || ws.tabColor) {
    w.startTag('sheetPr', a);
    if (ws.tabColor) w.emptyTag('tabColor', [['rgb', tabColorRgb(ws.tabColor)]]);
    if (ws.fitPage) w.emptyTag('pageSetUpPr', [['fitToPage', 1]]);
    w.endTag('sheetPr');
  } else {
    w.emptyTag('sheetPr', a);
  }
  writeSheetViews(w, ws);
  writeSheetProtection(w, ws.rules);
  writePrintOptions(w, ws);
  writePageMargins(w, ws);
  writePageSetup(w, ws);
  writeHeaderFooter(w, ws);
  if (ws.drawing) w.emptyTag('drawing', [['r:id', `rId${++ws.relCount}`]]);
  w.endTag('chartsheet');
}
