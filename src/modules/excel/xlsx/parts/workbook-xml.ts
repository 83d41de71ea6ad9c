// xl/workbook.xml (Workbook::_assemble_xml_file), and the defined names it lists
// (Workbook::_prepare_defined_names: the sheets' autofilter, print area and print titles names).
import { XmlWriter } from '../xml';
import type { DefinedName, Workbook } from '../model/workbook';
import type { Worksheet } from '../model/worksheet';

/** What the rules owner's autofilter contributes: the _xlnm._FilterDatabase range of a sheet ('' if none). */
export type AutofilterArea = (ws: Worksheet) => string;

const normName = (n: string) => n.replace(/^_xlnm./, '').toLowerCase();
const normSheet = (n: string) => n.replace(/^'/, '').toLowerCase();

export function prepareDefinedNames(wb: Workbook, autofilterArea: AutofilterArea): void {
  const names: DefinedName[] = [...wb.definedNames];
  for (const ws of wb.worksheets) {
    const af = autofilterArea(ws);
    if (af) names.push(['_xlnm._FilterDatabase', ws.index, af, 1]);
    if (ws.printArea) names.push(['_xlnm.Print_Area', ws.index, ws.printArea]);
    if (ws.repeatCols || ws.repeatRows) {
      const range = ws.repeatCols && ws.repeatRows ? `${ws.repeatCols},${ws.repeatRows}` : ws.repeatCols + ws.repeatRows;
      names.push(['_xlnm.Print_Titles', ws.index, range]);
    }
  }
  // Perl's sort: stable merge sort, cmp on the normalised name then the normalised range
  names.sort((a, b) => cmp(normName(a[0]), normName(b[0])) || cmp(normSheet(a[2]), normSheet(b[2])));
  wb.definedNames = names;
  wb.namedRanges = extractNamedRanges(names);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function extractNamedRanges(names: readonly DefinedName[]): string[] {
  const out: string[] = [];
  for (const [n, index, range] of names) {
    if (n === '_xlnm._FilterDatabase') continue;
    const m = /^([^!]+)!/.exec(range);
    if (!m) continue;
    const sheet = m[1];
    const x = /^_xlnm\.(.*)$/.exec(n);
    if (x) out.push(`${sheet}!${x[1]}`);
    else if (index !== -1) out.push(`${sheet}!${n}`);
    else out.push(n);
  }
  return out;
}

export function workbookXml(wb: Workbook): string {
  const w = new XmlWriter();
  const schema = 'http://schemas.openxmlformats.org';
  w.declaration();
  w.startTag('workbook', [['xmlns', `${schema}/spreadsheetml/2006/main`], ['xmlns:r', `${schema}/officeDocument/2006/relationships`]]);
  const fv: [string, string | number][] = [['appName', 'xl'], ['lastEdited', 4], ['lowestEdited', 4], ['rupBuild', 4505]];
  if (wb.vbaProject) fv.push(['codeName', '{37E998C4-C9E5-D4B9-71C8-EB1FF731991C}']);
  w.emptyTag('fileVersion', fv);
  if (wb.readOnly) w.emptyTag('fileSharing', [['readOnlyRecommended', 1]]);
  const pr: [string, string | number][] = [];
  if (wb.vbaCodename) pr.push(['codeName', wb.vbaCodename]);
  if (wb.date1904) pr.push(['date1904', 1]);
  pr.push(['defaultThemeVersion', 124226]);
  w.emptyTag('workbookPr', pr);
  w.startTag('bookViews');
  const view: [string, string | number][] = [['xWindow', wb.xWindow], ['yWindow', wb.yWindow], ['windowWidth', wb.windowWidth], ['windowHeight', wb.windowHeight]];
  if (wb.tabRatio !== 600) view.push(['tabRatio', wb.tabRatio]);
  if (wb.firstsheet > 0) view.push(['firstSheet', wb.firstsheet + 1]);
  if (wb.activesheet > 0) view.push(['activeTab', wb.activesheet]);
  w.emptyTag('workbookView', view);
  w.endTag('bookViews');
  w.startTag('sheets');
  let id = 1;
  for (const ws of wb.worksheets) {
    const a: [string, string | number][] = [['name', ws.name], ['sheetId', id]];
    if (ws.hidden) a.push(['state', 'hidden']);
    a.push(['r:id', `rId${id}`]);
    w.emptyTag('sheet', a);
    id++;
  }
  w.endTag('sheets');
  if (wb.definedNames.length) {
    w.startTag('definedNames');
    for (const [name, sheet, range, hidden] of wb.definedNames) {
      const a: [string, string | number][] = [['name', name]];
      if (sheet !== -1) a.push(['localSheetId', sheet]);
      if (hidden) a.push(['hidden', 1]);
      w.dataElement('definedName', range, a);
    }
    w.endTag('definedNames');
  }
  const calc: [string, string | number][] = [['calcId', wb.calcId]];
  if (wb.calcMode === 'manual') calc.push(['calcMode', 'manual'], ['calcOnSave', 0]);
  else if (wb.calcMode === 'autoNoTable') calc.push(['calcMode', 'autoNoTable']);
  if (wb.calcOnLoad) calc.push(['fullCalcOnLoad', 1]);
  w.emptyTag('calcPr', calc);
  w.endTag('workbook');
  return w.take();
}
