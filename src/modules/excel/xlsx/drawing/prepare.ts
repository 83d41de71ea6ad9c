// Workbook::_prepare_drawings with Worksheet::_prepare_chart / _prepare_image / _prepare_shape: ids
// of charts, images and drawings in the real module's order, anchors, and the drawing rels.
import type { Chart } from '../chart';
import { CroakError } from '../croak';
import type { DrawingBook, DrawingSheet } from './host';
import { imageProperties, type ImageProps } from './image';
import { positionObjectEmus, positionObjectPixels } from './position';
import { newDrawing, type Drawing } from './drawing';
import type { Shape } from '../shape';
import { sheetDrawings, type SheetDrawings } from './state';

/** xl/media/imageN.<type>: one per distinct image (per kind: sheet, background, header). */
export interface MediaPart { n: number; type: string; image: string }

export interface PreparedDrawings {
  /** the inserted charts, in chart part order (chartN.xml = charts[N-1]) */
  charts: Chart[];
  /** drawingN.xml = drawings[N-1], with the sheet it belongs to */
  drawings: { drawing: Drawing; sheet: DrawingSheet }[];
  media: MediaPart[];
  /** the image types used, for [Content_Types].xml defaults */
  imageTypes: Set<string>;
}

function drawingRelIndex(s: DrawingSheet, target?: string): number {
  const st = sheetDrawings(s);
  if (target === undefined) return ++st.drawingRelsId;
  const have = st.drawingRels.get(target);
  if (have !== undefined) return have;
  st.drawingRels.set(target, ++st.drawingRelsId);
  return st.drawingRelsId;
}

function sheetDrawing(s: DrawingSheet, drawingId: number): Drawing {
  const st = sheetDrawings(s);
  let d = st.drawing;
  if (!d) {
    d = newDrawing(true);
    st.drawing = d;
    s.drawing = d;
    s.externalDrawingLinks.push(['/drawing', `../drawings/drawing${drawingId}.xml`]);
  }
  return d;
}

/** Worksheet::_escape_url */
function escapeUrl(url: string): string {
  if (/%[0-9a-fA-F]{2}/.test(url)) return url;
  return url.replace(/%/g, '%25').replace(/"/g, '%22').replace(/ /g, '%20').replace(/</g, '%3c').replace(/>/g, '%3e')
    .replace(/\[/g, '%5b').replace(/]/g, '%5d').replace(/\^/g, '%5e').replace(/`/g, '%60').replace(/{/g, '%7b').replace(/}/g, '%7d');
}

function prepareChart(s: DrawingSheet, index: number, chartId: number, drawingId: number): void {
  const c = sheetDrawings(s).charts[index];
  const chart = c.chart;
  chart.id = chartId - 1;
  const width = Math.trunc(0.5 + chart.width * c.xScale);
  const height = Math.trunc(0.5 + chart.height * c.yScale);
  const dimensions = positionObjectEmus(s, c.col, c.row, c.xOffset, c.yOffset, width, height, c.anchor);
  const d = sheetDrawing(s, drawingId);
  d.drawings.push({
    type: 1, dimensions, width: 0, height: 0, name: chart.chartName || undefined, anchor: c.anchor,
    relIndex: drawingRelIndex(s), urlRelIndex: 0, description: c.description, decorative: c.decorative,
  });
  s.drawingLinks.push(['/chart', `../charts/chart${chartId}.xml`]);
}

function prepareImage(s: DrawingSheet, index: number, imageId: number, drawingId: number, p: ImageProps, warn: (m: string) => void): void {
  const im = sheetDrawings(s).images[index];
  let width = p.width * im.xScale;
  let height = p.height * im.yScale;
  width *= 96 / p.xDpi;
  height *= 96 / p.yDpi;
  const dimensions = positionObjectEmus(s, im.col, im.row, im.xOffset, im.yOffset, width, height, im.anchor);
  width = Math.trunc(0.5 + width * 9525);
  height = Math.trunc(0.5 + height * 9525);
  const d = sheetDrawing(s, drawingId);
  const o = {
    type: 2, dimensions, width, height, name: p.name, anchor: im.anchor, relIndex: 0, urlRelIndex: 0,
    tip: im.tip, description: im.description ?? p.name, decorative: im.decorative,
  };
  d.drawings.push(o);
  if (im.url) {
    let url = im.url;
    let mode: string | undefined = 'External';
    let target: string | undefined;
    if (/^[fh]tt?ps?:\/\//.test(url) || /^mailto:/.test(url)) target = escapeUrl(url);
    if (url.startsWith('external:')) {
      url = url.slice('external:'.length);
      target = escapeUrl(url).replace(/#/g, '%23');
      if (/^\w:/.test(target) || /^\\\\/.test(target)) target = `file:///${target}`;
      else target = target.replace(/\\/g, '/');
    }
    if (url.startsWith('internal:')) {
      url = `#${url.slice('internal:'.length)}`;
      target = url;
      mode = undefined;
    }
    if ((target ?? '').length > s.maxUrlLength) {
      warn(`Ignoring URL '${url}' where link or anchor > ${s.maxUrlLength} characters since it exceeds Excel's limit for URLS. See LIMITATIONS section of the Excel::Writer::XLSX documentation.`);
    } else {
      if (target && !sheetDrawings(s).drawingRels.has(url)) s.drawingLinks.push(mode ? ['/hyperlink', target, mode] : ['/hyperlink', target]);
      o.urlRelIndex = drawingRelIndex(s, url);
    }
  }
  if (!sheetDrawings(s).drawingRels.has(p.md5)) s.drawingLinks.push(['/image', `../media/image${imageId}.${p.type}`]);
  o.relIndex = drawingRelIndex(s, p.md5);
}

function prepareShape(s: DrawingSheet, index: number, drawingId: number): void {
  const shape: Shape = sheetDrawings(s).shapes[index];
  const d = sheetDrawing(s, drawingId);
  if (!['l', 'ctr', 'r', 'just'].includes(shape.align)) {
    throw new CroakError(`Shape ${index} (${shape.type}) alignment (), not in ('l', 'ctr', 'r', 'just')\n`);
  }
  if (!['t', 'ctr', 'b'].includes(shape.valign)) {
    throw new CroakError(`Shape ${index} (${shape.type}) vertical alignment (), not ('t', 'ctr', 'b')\n`);
  }
  // Worksheet::_position_shape_emus
  const p = positionObjectPixels(s, shape.columnStart, shape.rowStart, shape.xOffset, shape.yOffset,
    shape.width * shape.scaleX, shape.height * shape.scaleY, shape.drawing);
  shape.widthEmu = Math.trunc(Math.abs(shape.width * 9525));
  shape.heightEmu = Math.trunc(Math.abs(shape.height * 9525));
  shape.columnStart = Math.trunc(p[0]);
  shape.rowStart = Math.trunc(p[1]);
  shape.columnEnd = Math.trunc(p[4]);
  shape.rowEnd = Math.trunc(p[5]);
  shape.x1 = Math.trunc(p[2] * 9525);
  shape.y1 = Math.trunc(p[3] * 9525);
  shape.x2 = Math.trunc(p[6] * 9525);
  shape.y2 = Math.trunc(p[7] * 9525);
  shape.xAbs = Math.trunc(p[8] * 9525);
  shape.yAbs = Math.trunc(p[9] * 9525);
  d.drawings.push({
    type: 3,
    dimensions: [shape.columnStart, shape.rowStart, shape.x1, shape.y1, shape.columnEnd, shape.rowEnd, shape.x2, shape.y2, shape.xAbs, shape.yAbs],
    width: shape.widthEmu, height: shape.heightEmu, description: shape.name, shape, anchor: shape.anchor,
    relIndex: drawingRelIndex(s), urlRelIndex: 0, decorative: false,
  });
}

export function prepareDrawings(wb: DrawingBook): PreparedDrawings {
  let chartRefId = 0;
  let imageRefId = 0;
  let drawingId = 0;
  const imageIds = new Map<string, number>();
  const headerIds = new Map<string, number>();
  const backgroundIds = new Map<string, number>();
  const media: MediaPart[] = [];
  const imageTypes = new Set<string>();
  const drawings: PreparedDrawings['drawings'] = [];
  const props = new Map<string, ImageProps>();
  const propsOf = (image: string, filename: string): ImageProps => {
    let p = props.get(image);
    if (!p) {
      p = imageProperties(wb.imageData(image), filename);
      props.set(image, p);
    }
    imageTypes.add(p.type);
    // the name is the file's, per call (the same bytes may come from two files)
    return { ...p, name: filename.replace(/^.*[\\/]/, '') };
  };
  const refId = (ids: Map<string, number>, p: ImageProps, image: string): number => {
    const have = ids.get(p.md5);
    if (have !== undefined) return have;
    const id = ++imageRefId;
    ids.set(p.md5, id);
    media.push({ n: id, type: p.type, image });
    return id;
  };
  for (const sheet of wb.worksheets) {
    const st: SheetDrawings | undefined = sheet.peek('drawings');
    const bg = sheet.backgroundImageRef;
    const hf = sheet.headerFooterImages?.() ?? [];
    if (!st && !bg && !hf.length) continue;
    const charts = st?.charts ?? [];
    const images = st?.images ?? [];
    const shapes = st?.shapes ?? [];
    const nCharts = sheet.isChartsheet ? 0 : charts.length;
    const isCs = sheet.isChartsheet && charts.length > 0;
    const has = nCharts || images.length || shapes.length || isCs;
    if (!has && !hf.length && !bg) continue;
    if (has) drawingId++;
    if (bg) {
      const p = propsOf(bg.image, bg.filename);
      // Worksheet::_prepare_background
      sheet.externalBackgroundLinks.push(['/image', `../media/image${refId(backgroundIds, p, bg.image)}.${p.type}`]);
    }
    images.forEach((im, i) => {
      const p = propsOf(im.image, im.filename);
      prepareImage(sheet, i, refId(imageIds, p, im.image), drawingId, p, (m) => wb.warn(m));
    });
    if (isCs) {
      chartRefId++;
      prepareChartsheetChart(sheet, chartRefId, drawingId);
    }
    for (let i = 0; i < nCharts; i++) prepareChart(sheet, i, ++chartRefId, drawingId);
    shapes.forEach((_s, i) => prepareShape(sheet, i, drawingId));
    for (const h of hf) {
      const p = propsOf(h.image, h.filename);
      if (!sheet.prepareHeaderImage) throw new Error('header/footer images: the sheet has no prepareHeaderImage');
      sheet.prepareHeaderImage(refId(headerIds, p, h.image), p, h.position);
    }
    if (has && st?.drawing) drawings.push({ drawing: st.drawing, sheet });
  }
  // charts made but never inserted are not written; the others in the order the sheets gave them ids
  const charts = wb.charts.filter((c) => c.id !== -1).sort((a, b) => a.id - b.id);
  return { charts, drawings, media, imageTypes };
}

/** Chartsheet::_prepare_chart: the one chart of a chartsheet, on an absolute anchor. */
function prepareChartsheetChart(s: DrawingSheet, chartId: number, drawingId: number): void {
  const st = sheetDrawings(s);
  st.charts[0].chart.id = chartId - 1;
  const d = newDrawing(false);
  d.orientation = s.orientation;
  st.drawing = d;
  s.drawing = d;
  s.externalDrawingLinks.push(['/drawing', `../drawings/drawing${drawingId}.xml`]);
  s.drawingLinks.push(['/chart', `../charts/chart${chartId}.xml`]);
}
