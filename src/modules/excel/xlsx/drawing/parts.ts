// The parts the chart side adds to the package (Packager::_write_chartsheet_files, _write_chart_files,
// _write_drawing_files, _write_chartsheet_rels_files, _write_drawing_rels_files, _add_image_files) and
// their content types: for core's packager, which puts them in the zip in its order.
import { XmlWriter } from '../xml';
import { writeChartPart } from '../chart';
import { writeChartsheetPart } from '../chartsheet';
import type { Worksheet } from '../model/worksheet';
import type { ContentTypes } from '../parts/content-types';
import type { Link } from './host';
import type { PreparedDrawings } from './prepare';
import { writeDrawingPart } from './drawing';

export interface XmlPart { name: string; xml: () => string }
export interface RelsPart { name: string; links: Link[] }

function xml(write: (w: XmlWriter) => void): () => string {
  return () => {
    const w = new XmlWriter();
    write(w);
    return w.take();
  };
}

/** xl/chartsheets/sheetN.xml */
export function chartsheetParts(sheets: Worksheet[], tabColorRgb: (c: string | number) => string): XmlPart[] {
  return sheets.filter((s) => s.isChartsheet).map((s, i) => ({
    name: `xl/chartsheets/sheet${i + 1}.xml`, xml: xml((w) => writeChartsheetPart(w, s, tabColorRgb)),
  }));
}

/** xl/chartsheets/_rels/sheetN.xml.rels (worksheet-style relationships: documentRels) */
export function chartsheetRels(sheets: Worksheet[]): RelsPart[] {
  const out: RelsPart[] = [];
  sheets.filter((s) => s.isChartsheet).forEach((s, i) => {
    if (s.externalDrawingLinks.length) out.push({ name: `xl/chartsheets/_rels/sheet${i + 1}.xml.rels`, links: [...s.externalDrawingLinks] });
  });
  return out;
}

/** xl/charts/chartN.xml */
export function chartParts(p: PreparedDrawings): XmlPart[] {
  return p.charts.map((c, i) => ({ name: `xl/charts/chart${i + 1}.xml`, xml: xml((w) => writeChartPart(c, w)) }));
}

/** xl/drawings/drawingN.xml */
export function drawingParts(p: PreparedDrawings): XmlPart[] {
  return p.drawings.map((d, i) => ({ name: `xl/drawings/drawing${i + 1}.xml`, xml: xml((w) => writeDrawingPart(d.drawing, w)) }));
}

/** xl/drawings/_rels/drawingN.xml.rels (documentRels) */
export function drawingRels(p: PreparedDrawings): RelsPart[] {
  const out: RelsPart[] = [];
  p.drawings.forEach((d, i) => {
    if (d.sheet.drawingLinks.length) out.push({ name: `xl/drawings/_rels/drawing${i + 1}.xml.rels`, links: [...d.sheet.drawingLinks] });
  });
  return out;
}

/** xl/media/imageN.<type>, with the journaled bytes */
export function mediaParts(p: PreparedDrawings, imageData: (key: string) => Buffer): { name: string; data: () => Buffer }[] {
  return p.media.map((m) => ({ name: `xl/media/image${m.n}.${m.type}`, data: () => imageData(m.image) }));
}

/**
 * The chart and drawing overrides (after the sheets', which interleave worksheets and chartsheets in
 * sheet order; the image defaults are prepared.imageTypes).
 */
export function addDrawingContentTypes(ct: ContentTypes, p: PreparedDrawings): void {
  p.charts.forEach((_c, i) => ct.addChart(`chart${i + 1}`));
  p.drawings.forEach((_d, i) => ct.addDrawing(`drawing${i + 1}`));
}
