// Workbook::_store_workbook and Packager::_create_package: the prepare steps, then every part into
// the zip. Worksheets stream from the cell store; the shared strings are numbered in first-write
// order before them (the store's write sequence).
import type BetterSqlite3 from 'better-sqlite3';
import * as crypto from 'node:crypto';
import type { Writable } from 'node:stream';
import { store } from '../store';
import type { LiveCells } from '../live-cells';
import { XmlWriter } from './xml';
import { ZipWriter } from './zip';
import type { Workbook } from './model/workbook';
import type { Worksheet } from './model/worksheet';
import { appXml } from './parts/app';
import { coreXml } from './parts/core';
import { customXml } from './parts/custom';
import { metadataXml } from './parts/metadata';
import { ContentTypes } from './parts/content-types';
import { documentRels, DOCUMENT_SCHEMA, MS_SCHEMA, PACKAGE_SCHEMA, relsXml, type FullRel } from './parts/rels';
import { sstEnd, sstStart, writeSi } from './parts/shared-strings';
import { THEME_XML } from './parts/theme';
import { prepareDefinedNames, workbookXml } from './parts/workbook-xml';
import { worksheetChunks, type SheetHooks } from './worksheet-xml/assemble';
import type { CellTuple, SheetCells } from './worksheet-xml/sheet-data';
import { getXfIndex } from './format';
import { paletteColor, prepareFormatProperties, writeStyles } from './styles';
import {
  filterDatabaseRange, writeAutoFilter, writeConditionalFormats, writeDataValidations, writeExtList, writeIgnoredErrors,
  writeProtectedRanges, writeSheetProtection,
} from './rules';
import {
  addDrawingContentTypes, chartParts, chartsheetParts, chartsheetRels, drawingParts, drawingRels, mediaParts, prepareDrawings,
} from './drawing';
import { addChartData } from './chart';
import { commentParts, prepareTables, prepareVmlObjects, tableParts, vmlParts, writeLegacyDrawing, writeLegacyDrawingHF, writeTableParts } from './notes';

const PAGE = 4096;

function hooks(wb: Workbook): SheetHooks {
  return {
    sheetProtection: (w, ws) => writeSheetProtection(w, ws.rules),
    protectedRanges: (w, ws) => writeProtectedRanges(w, ws.rules),
    autoFilter: (w, ws) => writeAutoFilter(w, ws.rules),
    conditionalFormats: (w, ws) => writeConditionalFormats(w, ws),
    dataValidations: (w, ws) => writeDataValidations(w, ws.rules),
    ignoredErrors: (w, ws) => writeIgnoredErrors(w, ws.rules),
    drawing: (w, ws) => { if (ws.drawing) w.emptyTag('drawing', [['r:id', `rId${++ws.relCount}`]]); },
    legacyDrawing: (w, ws) => writeLegacyDrawing(w, ws),
    legacyDrawingHF: (w, ws) => writeLegacyDrawingHF(w, ws),
    picture: (w, ws) => { if (ws.backgroundImage) w.emptyTag('picture', [['r:id', `rId${++ws.relCount}`]]); },
    tableParts: (w, ws) => writeTableParts(w, ws),
    extList: (w, ws) => writeExtList(w, ws.rules),
    tabColor: (c) => paletteColor(wb.styles.palette, c),
    commentCells: (ws) => new Map([...ws.notes.comments].map(([r, cols]) => [r, [...cols.keys()]])),
  };
}

/** Shared strings in first-write order: string -> index (taken as the cells arrived, or from the store). */
function prepareSst(db: BetterSqlite3.Database, wbn: number, wb: Workbook, live: LiveCells | null): Map<string, number> {
  // constant memory mode writes strings inline: no shared strings (the real module's str_total stays 0)
  if (wb.optimization) return new Map<string, number>();
  let sst = live?.sst;
  if (!sst) {
    sst = new Map<string, number>();
    for (const s of store.sstStrings(db, wbn)) if (!sst.has(s)) sst.set(s, sst.size);
  }
  wb.strTotal = wb.sstCleared ? 0 : live ? live.strTotal : store.stringCount(db, wbn);
  wb.strUnique = wb.sstCleared ? 0 : sst.size;
  return sst;
}

/** Dimensions of the cells (with what the calls added: set_row, set_column, comments). */
function prepareDims(db: BetterSqlite3.Database, wbn: number, ws: Worksheet, live: LiveCells | null): void {
  const d = live ? live.dims.get(ws.index) : store.cellDims(db, wbn, ws.index);
  if (d) {
    ws.updateDims(d.rmin, d.cmin);
    ws.updateDims(d.rmax, d.cmax);
  }
}

function sheetCells(db: BetterSqlite3.Database, wbn: number, ws: Worksheet, wb: Workbook, sst: Map<string, number>): SheetCells {
  return {
    *pages() {
      let row = -1;
      let col = -1;
      for (;;) {
        const page = store.cellPage(db, wbn, ws.index, row, col, PAGE) as CellTuple[];
        if (!page.length) return;
        yield page;
        const last = page[page.length - 1];
        row = last[0];
        col = last[1];
        if (page.length < PAGE) return;
      }
    },
    sstIndex(s) {
      const i = sst.get(s);
      if (i === undefined) throw new Error('excel: a string cell is missing from the shared strings');
      return i;
    },
    format: (idx) => wb.styles.formats[idx],
    xfIndex: (f) => getXfIndex(f, wb.styles.indices),
  };
}

function xml(write: (w: XmlWriter) => void): string {
  const w = new XmlWriter();
  write(w);
  return w.take();
}

export async function writePackage(db: BetterSqlite3.Database, wbn: number, wb: Workbook, out: Writable, live: LiveCells | null = null): Promise<void> {
  const sheets = wb.worksheets;
  // Workbook::_store_workbook
  if (wb.activesheet === 0 && sheets[0]) {
    sheets[0].selected = 1;
    sheets[0].hidden = 0;
  }
  for (const ws of sheets) if (ws.index === wb.activesheet) ws.active = 1;
  const sst = prepareSst(db, wbn, wb, live);
  for (const ws of sheets) prepareDims(db, wbn, ws, live);
  const vml = prepareVmlObjects(sheets, { palette: wb.styles.palette, dxfIndex: (r) => wb.dxfIndex(r) });
  wb.numVmlFiles = vml.numVmlFiles;
  wb.numCommentFiles = vml.numCommentFiles;
  wb.hasComments = vml.hasComments ? 1 : 0;
  prepareDefinedNames(wb, (ws) => filterDatabaseRange(ws.rules));
  wb.imageReader = (key) => {
    const parts = store.blobParts(db, wbn, key);
    if (!parts.length || parts.some(([n], i) => n !== i)) throw new Error(`excel: the data of image ${key} is incomplete`);
    const bytes = Buffer.concat(parts.map(([, b]) => b));
    if (crypto.createHash('sha256').update(bytes).digest('hex') !== key) throw new Error(`excel: the data of image ${key} does not match its sha256`);
    return bytes;
  };
  for (const ws of sheets) {
    ws.rangeReader = (r1, c1, r2, c2) => store.cellsIn(db, wbn, ws.index, r1, r2, c1, c2, 1_000_000)
      .map((c) => [c.row, c.col, c.t, c.v, c.x] as [number, number, string, string | number | null, string | null]);
  }
  if (wb.vbaProjectKey) wb.vbaProject = wb.imageData(wb.vbaProjectKey);
  if (wb.vbaProject) for (const ws of sheets) if (!ws.vbaCodename) ws.vbaCodename = `Sheet${ws.index + 1}`;
  const drawings = prepareDrawings(wb);
  addChartData({ worksheets: wb.worksheets, charts: drawings.charts });
  prepareTables(sheets);
  // Workbook::_prepare_metadata
  if (sheets.some((ws) => ws.hasDynamicArrays)) wb.hasMetadata = 1;

  const zip = new ZipWriter(out);
  const worksheets = sheets.filter((s) => !s.isChartsheet);
  const h = hooks(wb);

  // the parts whose content is known before the worksheets are written
  const ct = new ContentTypes();
  ct.addImageTypes(drawings.imageTypes);
  {
    let wi = 1;
    let ci = 1;
    for (const ws of sheets) {
      if (ws.isChartsheet) ct.addChartsheet(`sheet${ci++}`);
      else ct.addWorksheet(`sheet${wi++}`);
    }
  }
  addDrawingContentTypes(ct, drawings);
  if (wb.numVmlFiles) ct.addVml();
  const tables = tableParts(sheets);
  tables.forEach((t) => ct.addTable(t.name.replace(/^xl\/tables\//, '').replace(/\.xml$/, '')));
  for (let i = 1; i <= wb.numCommentFiles; i++) ct.addComment(`comments${i}`);
  if (wb.strTotal) ct.addSharedStrings();
  if (wb.vbaProject) ct.addVbaProject();
  if (wb.customProperties.length) ct.addCustomProperties();
  if (wb.hasMetadata) ct.addMetadata();
  await zip.add('[Content_Types].xml', ct.xml());

  const rootRels: FullRel[] = [[DOCUMENT_SCHEMA + '/officeDocument', 'xl/workbook.xml'], [PACKAGE_SCHEMA + '/metadata/core-properties', 'docProps/core.xml'],
    [DOCUMENT_SCHEMA + '/extended-properties', 'docProps/app.xml']];
  if (wb.customProperties.length) rootRels.push([DOCUMENT_SCHEMA + '/custom-properties', 'docProps/custom.xml']);
  await zip.add('_rels/.rels', relsXml(rootRels));

  const wbRels: FullRel[] = [];
  let wsi = 1;
  let csi = 1;
  for (const ws of sheets) {
    if (ws.isChartsheet) wbRels.push([DOCUMENT_SCHEMA + '/chartsheet', `chartsheets/sheet${csi++}.xml`]);
    else wbRels.push([DOCUMENT_SCHEMA + '/worksheet', `worksheets/sheet${wsi++}.xml`]);
  }
  wbRels.push([DOCUMENT_SCHEMA + '/theme', 'theme/theme1.xml'], [DOCUMENT_SCHEMA + '/styles', 'styles.xml']);
  if (wb.strTotal) wbRels.push([DOCUMENT_SCHEMA + '/sharedStrings', 'sharedStrings.xml']);
  if (wb.vbaProject) wbRels.push([MS_SCHEMA + '/vbaProject', 'vbaProject.bin']);
  if (wb.hasMetadata) wbRels.push([DOCUMENT_SCHEMA + '/sheetMetadata', 'metadata.xml']);
  await zip.add('xl/_rels/workbook.xml.rels', relsXml(wbRels));
  await zip.add('xl/workbook.xml', workbookXml(wb));

  // worksheets (XF indices are taken as their cells are written)
  for (let i = 0; i < worksheets.length; i++) {
    const ws = worksheets[i];
    const cells = sheetCells(db, wbn, ws, wb, sst);
    const cellType = (r: number, c: number) => store.cellsIn(db, wbn, ws.index, r, r, c, c, 1)[0]?.t;
    await zip.add(`xl/worksheets/sheet${i + 1}.xml`, worksheetChunks(ws, cells, h, cellType));
  }
  for (const p of chartsheetParts(sheets, h.tabColor)) await zip.add(p.name, p.xml());
  for (const p of chartParts(drawings)) await zip.add(p.name, p.xml());
  for (const p of drawingParts(drawings)) await zip.add(p.name, p.xml());
  for (let i = 0; i < worksheets.length; i++) {
    const ws = worksheets[i];
    const links = [...ws.externalHyperLinks, ...ws.externalDrawingLinks, ...ws.notes.externalVmlLinks, ...ws.notes.externalTableLinks,
      ...ws.externalBackgroundLinks, ...ws.notes.externalCommentLinks];
    if (links.length) await zip.add(`xl/worksheets/_rels/sheet${i + 1}.xml.rels`, relsXml(documentRels(links)));
  }

  for (const p of chartsheetRels(sheets)) await zip.add(p.name, relsXml(documentRels(p.links)));
  for (const p of drawingRels(drawings)) await zip.add(p.name, relsXml(documentRels(p.links)));
  for (const p of mediaParts(drawings, (k) => wb.imageData(k))) await zip.add(p.name, p.data());
  for (const p of vmlParts(sheets)) {
    await zip.add(p.name, p.chunks());
    if (p.rels) await zip.add(p.rels.name, relsXml(documentRels(p.rels.links)));
  }
  for (const p of commentParts(sheets)) await zip.add(p.name, p.chunks());
  for (const p of tables) await zip.add(p.name, p.chunks());

  if (wb.strTotal) {
    const total = wb.strTotal;
    const unique = wb.strUnique;
    await zip.add('xl/sharedStrings.xml', (function* sstChunks() {
      const w = new XmlWriter();
      sstStart(w, total, unique);
      for (const s of sst.keys()) {
        writeSi(w, s);
        if (w.pending > 1 << 16) yield w.take();
      }
      sstEnd(w);
      yield w.take();
    })());
  }

  const chartsheets = sheets.filter((s) => s.isChartsheet);
  await zip.add('docProps/app.xml', appXml({ worksheetNames: worksheets.map((s) => s.name), chartsheetNames: chartsheets.map((s) => s.name),
    namedRanges: wb.namedRanges, properties: wb.docProperties, docSecurity: wb.readOnly }));
  await zip.add('docProps/core.xml', coreXml(wb.docProperties, wb.createtime));
  if (wb.customProperties.length) await zip.add('docProps/custom.xml', customXml(wb.customProperties));

  const prepared = prepareFormatProperties(wb.styles);
  await zip.add('xl/styles.xml', xml((w) => writeStyles(w, wb.styles, prepared, wb.hasComments === 1)));
  await zip.add('xl/theme/theme1.xml', THEME_XML);
  if (wb.vbaProject) await zip.add('xl/vbaProject.bin', wb.vbaProject);
  if (wb.hasMetadata) await zip.add('xl/metadata.xml', metadataXml());
  await zip.finish();
}
