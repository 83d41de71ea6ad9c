// Charts and images, which exceljs's streaming writer cannot write: the XML parts Excel::Writer::XLSX
// writes for them (xl/charts/chartN.xml, xl/drawings/drawingN.xml and their rels), built from the
// definitions journaled by add_chart / insert_chart / insert_image. package.ts adds them to the
// rendered zip. Positions follow Excel::Writer::XLSX's _position_object_pixels (default column
// 64 px, default row 20 px, 9525 EMU per pixel), chart caches are filled from the journal's cells.
import { BridgeError } from '../../errors';
import { argb } from './formats';
import { colName } from './refs';

export type Json = Record<string, unknown>;

// ---------------------------------------------------------------------------
// Images

export interface ImageInfo {
  type: 'png' | 'jpeg' | 'gif';
  width: number;
  height: number;
  xDpi: number;
  yDpi: number;
}

/** Type, size in pixels and resolution of a PNG, JPEG or GIF, read from its header. */
export function imageInfo(buf: Buffer, name = 'image'): ImageInfo {
  if (buf.length >= 24 && buf.readUInt32BE(0) === 0x89504e47 && buf.toString('latin1', 12, 16) === 'IHDR') {
    const width = buf.readUInt32BE(16);
    const height = buf.readUInt32BE(20);
    let xDpi = 96;
    let yDpi = 96;
    // pHYs: pixels per unit, unit 1 = metre
    for (let off = 8; off + 8 <= buf.length;) {
      const len = buf.readUInt32BE(off);
      const type = buf.toString('latin1', off + 4, off + 8);
      if (type === 'pHYs' && off + 17 <= buf.length && buf[off + 16] === 1) {
        xDpi = buf.readUInt32BE(off + 8) * 0.0254;
        yDpi = buf.readUInt32BE(off + 12) * 0.0254;
      }
      if (type === 'IDAT' || type === 'IEND') break;
      off += 12 + len;
    }
    return { type: 'png', width, height, xDpi: xDpi || 96, yDpi: yDpi || 96 };
  }
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8) {
    let width = 0;
    let height = 0;
    let xDpi = 96;
    let yDpi = 96;
    for (let off = 2; off + 4 <= buf.length;) {
      if (buf[off] !== 0xff) { off++; continue; }
      const marker = buf[off + 1];
      if (marker === 0xff) { off++; continue; }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { off += 2; continue; }
      if (marker === 0xd9 || marker === 0xda) break;
      const len = buf.readUInt16BE(off + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc && off + 9 <= buf.length) {
        height = buf.readUInt16BE(off + 5);
        width = buf.readUInt16BE(off + 7);
      }
      if (marker === 0xe0 && off + 16 <= buf.length && buf.toString('latin1', off + 4, off + 8) === 'JFIF') {
        const units = buf[off + 11];
        const xd = buf.readUInt16BE(off + 12);
        const yd = buf.readUInt16BE(off + 14);
        if (units === 1) { xDpi = xd; yDpi = yd; }
        if (units === 2) { xDpi = xd * 2.54; yDpi = yd * 2.54; }
      }
      off += 2 + len;
    }
    if (!width || !height) throw new BridgeError('excel_error', `${name}: could not read the size of the JPEG image`);
    return { type: 'jpeg', width, height, xDpi: xDpi || 96, yDpi: yDpi || 96 };
  }
  if (buf.length >= 10 && buf.toString('latin1', 0, 3) === 'GIF') {
    return { type: 'gif', width: buf.readUInt16LE(6), height: buf.readUInt16LE(8), xDpi: 96, yDpi: 96 };
  }
  throw new BridgeError('excel_error', `${name}: Unsupported image format. Only PNG, JPEG and GIF images are supported on the bridge`);
}

// ---------------------------------------------------------------------------
// Positioning

/** Column widths and row heights of a sheet in pixels, as Excel::Writer::XLSX computes them. */
export interface SheetMetrics {
  colPx(col: number): number;
  rowPx(row: number): number;
}

export interface Anchor {
  fromCol: number; fromRow: number; fromColOff: number; fromRowOff: number;
  toCol: number; toRow: number; toColOff: number; toRowOff: number;
  xAbs: number; yAbs: number;
}

/** _position_object_emus: the two-cell anchor of an object of width x height pixels at (row, col) + offsets. */
export function positionObject(m: SheetMetrics, col: number, row: number, x1: number, y1: number, width: number, height: number): Anchor {
  while (x1 < 0 && col > 0) { x1 += m.colPx(col - 1); col--; }
  while (y1 < 0 && row > 0) { y1 += m.rowPx(row - 1); row--; }
  if (x1 < 0) x1 = 0;
  if (y1 < 0) y1 = 0;
  let xAbs = 0;
  for (let c = 0; c < col; c++) xAbs += m.colPx(c);
  xAbs += x1;
  let yAbs = 0;
  for (let r = 0; r < row; r++) yAbs += m.rowPx(r);
  yAbs += y1;
  // offsets larger than the cell move the start cell (bounded: a zero-width run cannot loop forever)
  while (x1 >= m.colPx(col) && col < 16383) { x1 -= m.colPx(col); col++; }
  while (y1 >= m.rowPx(row) && row < 1048575) { y1 -= m.rowPx(row); row++; }
  let colEnd = col;
  let rowEnd = row;
  if (m.colPx(col) > 0) width += x1;
  if (m.rowPx(row) > 0) height += y1;
  while (width >= m.colPx(colEnd) && colEnd < 16383) { width -= m.colPx(colEnd); colEnd++; }
  while (height >= m.rowPx(rowEnd) && rowEnd < 1048575) { height -= m.rowPx(rowEnd); rowEnd++; }
  const emu = (px: number) => Math.floor(0.5 + 9525 * px);
  return {
    fromCol: col, fromRow: row, fromColOff: emu(x1), fromRowOff: emu(y1),
    toCol: colEnd, toRow: rowEnd, toColOff: emu(width), toRowOff: emu(height),
    xAbs: emu(xAbs), yAbs: emu(yAbs),
  };
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function anchorXml(a: Anchor): string {
  return `<xdr:from><xdr:col>${a.fromCol}</xdr:col><xdr:colOff>${a.fromColOff}</xdr:colOff><xdr:row>${a.fromRow}</xdr:row><xdr:rowOff>${a.fromRowOff}</xdr:rowOff></xdr:from>`
    + `<xdr:to><xdr:col>${a.toCol}</xdr:col><xdr:colOff>${a.toColOff}</xdr:colOff><xdr:row>${a.toRow}</xdr:row><xdr:rowOff>${a.toRowOff}</xdr:rowOff></xdr:to>`;
}

export type DrawingObject =
  | { kind: 'image'; anchor: Anchor; rId: string; descr: string; cx: number; cy: number; editAs?: string }
  | { kind: 'chart'; anchor: Anchor; rId: string; name?: string; editAs?: string };

const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** xl/drawings/drawingN.xml */
export function drawingXml(objects: DrawingObject[]): string {
  let out = `${XML_DECL}<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">`;
  let id = 1;
  for (const o of objects) {
    id++;
    const editAs = o.editAs ? ` editAs="${o.editAs}"` : '';
    out += `<xdr:twoCellAnchor${editAs}>${anchorXml(o.anchor)}`;
    if (o.kind === 'image') {
      out += `<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="${id}" name="Picture ${id - 1}" descr="${xmlEscape(o.descr)}"/><xdr:cNvPicPr><a:picLocks noChangeAspect="1"/></xdr:cNvPicPr></xdr:nvPicPr>`
        + `<xdr:blipFill><a:blip xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:embed="${o.rId}"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>`
        + `<xdr:spPr><a:xfrm><a:off x="${o.anchor.xAbs}" y="${o.anchor.yAbs}"/><a:ext cx="${o.cx}" cy="${o.cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>`;
    } else {
      out += `<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="${id}" name="${xmlEscape(o.name ?? `Chart ${id - 1}`)}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>`
        + '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        + `<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="${o.rId}"/>`
        + '</a:graphicData></a:graphic></xdr:graphicFrame>';
    }
    out += '<xdr:clientData/></xdr:twoCellAnchor>';
  }
  return `${out}</xdr:wsDr>`;
}

export const REL = {
  image: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image',
  chart: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart',
  drawing: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing',
};

export function relsXml(rels: { id: string; type: string; target: string }[]): string {
  return `${XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
    + rels.map((r) => `<Relationship Id="${r.id}" Type="${r.type}" Target="${xmlEscape(r.target)}"/>`).join('')
    + '</Relationships>';
}

// ---------------------------------------------------------------------------
// Charts

/** A parsed range reference of a chart: `Sheet1!$A$2:$A$7`. */
export interface RangeRef {
  formula: string; // without the leading '='
  sheet: string;
  r1: number; c1: number; r2: number; c2: number;
}

/** "=Sheet1!$A$2:$A$7" or "='My data'!B2" -> its parts; undefined when not a plain sheet range. */
export function parseRange(f: string): RangeRef | undefined {
  const formula = f.replace(/^=/, '').trim();
  const m = /^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?$/.exec(formula);
  if (!m) return undefined;
  const sheet = m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2];
  const col = (s: string) => { let n = 0; for (const ch of s.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64); return n - 1; };
  const r1 = Number(m[4]) - 1;
  const c1 = col(m[3]);
  const r2 = m[6] ? Number(m[6]) - 1 : r1;
  const c2 = m[5] ? col(m[5]) : c1;
  return { formula, sheet, r1: Math.min(r1, r2), c1: Math.min(c1, c2), r2: Math.max(r1, r2), c2: Math.max(c1, c2) };
}

export function quoteSheet(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** The cached values of a range: points by index, and whether any is a string. */
export interface RangeData { count: number; points: { idx: number; v: string | number }[]; strings: boolean }

/** Reads the journaled cells of a range (undefined when the sheet is not in the workbook). */
export type RangeReader = (ref: RangeRef) => RangeData | undefined;

const CHART_TYPES = new Set(['area', 'bar', 'column', 'line', 'pie', 'doughnut', 'scatter', 'radar']);

export function checkChartType(type: unknown): string {
  const t = String(type ?? '');
  if (!CHART_TYPES.has(t)) throw new BridgeError('excel_error', `Unknown chart type '${t}' in add_chart()`);
  return t;
}

/** A Perl truth value (the string "0" is false there). */
function truthy(v: unknown): boolean {
  return !(v === undefined || v === null || v === false || v === 0 || v === '' || v === '0');
}

function num(v: unknown, dflt: number): number {
  const n = Number(v);
  return v === undefined || v === null || v === '' || !Number.isFinite(n) ? dflt : n;
}

function color(c: unknown): string | null {
  const a = argb(c);
  return a ? a.slice(2) : null;
}

function fillXml(fill: Json | undefined): string {
  if (!fill) return '';
  if (truthy(fill.none)) return '<a:noFill/>';
  const c = color(fill.color);
  if (!c) return '';
  const t = num(fill.transparency, 0);
  return `<a:solidFill><a:srgbClr val="${c}"${t ? `><a:alpha val="${Math.round((100 - t) * 1000)}"/></a:srgbClr>` : '/>'}</a:solidFill>`;
}

const DASH: Record<string, string> = {
  solid: 'solid', round_dot: 'sysDot', square_dot: 'sysDash', dash: 'dash', dash_dot: 'dashDot', long_dash: 'lgDash',
  long_dash_dot: 'lgDashDot', long_dash_dot_dot: 'lgDashDotDot', dot: 'dot', system_dash_dot: 'sysDashDot', system_dash_dot_dot: 'sysDashDotDot',
};

function lineXml(line: Json | undefined): string {
  if (!line) return '';
  if (truthy(line.none)) return '<a:ln><a:noFill/></a:ln>';
  const w = line.width !== undefined ? ` w="${Math.floor(0.5 + 12700 * Math.round(num(line.width, 0.75) * 4) / 4)}"` : '';
  const c = color(line.color);
  const dash = line.dash_type && DASH[String(line.dash_type)] ? `<a:prstDash val="${DASH[String(line.dash_type)]}"/>` : '';
  if (!w && !c && !dash) return '';
  return `<a:ln${w}>${c ? `<a:solidFill><a:srgbClr val="${c}"/></a:solidFill>` : ''}${dash}</a:ln>`;
}

/** <c:spPr> from Excel::Writer::XLSX's fill / line (border) properties. */
function spPr(o: Json): string {
  const inner = fillXml(o.fill as Json | undefined) + lineXml((o.line ?? o.border) as Json | undefined);
  return inner ? `<c:spPr>${inner}</c:spPr>` : '';
}

function richText(text: string): string {
  return `<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr/></a:pPr><a:r><a:rPr lang="en-US"/><a:t>${xmlEscape(text)}</a:t></a:r></a:p></c:rich></c:tx>`;
}

function strCache(d: RangeData | undefined, count: number): string {
  if (!d) return '';
  return `<c:strCache><c:ptCount val="${count}"/>${d.points.map((p) => `<c:pt idx="${p.idx}"><c:v>${xmlEscape(String(p.v))}</c:v></c:pt>`).join('')}</c:strCache>`;
}

function numCache(d: RangeData | undefined, count: number): string {
  if (!d) return '';
  const pts = d.points.filter((p) => typeof p.v === 'number');
  return `<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="${count}"/>${pts.map((p) => `<c:pt idx="${p.idx}"><c:v>${p.v}</c:v></c:pt>`).join('')}</c:numCache>`;
}

class ChartWriter {
  constructor(private readonly read: RangeReader) {}

  private ref(f: unknown, what: string): { ref: RangeRef | undefined; formula: string; data: RangeData | undefined } {
    const s = String(f ?? '');
    const ref = parseRange(s);
    const data = ref ? this.read(ref) : undefined;
    if (!s) throw new BridgeError('excel_error', `Must specify '${what}' in add_series()`);
    return { ref, formula: s.replace(/^=/, ''), data };
  }

  /** A series' data reference: numRef, or strRef when the cells hold strings (categories). */
  dataRef(f: unknown, what: string, allowStr: boolean): string {
    const { ref, formula, data } = this.ref(f, what);
    const count = ref ? (ref.r2 - ref.r1 + 1) * (ref.c2 - ref.c1 + 1) : 0;
    if (allowStr && data?.strings) return `<c:strRef><c:f>${xmlEscape(formula)}</c:f>${strCache(data, count)}</c:strRef>`;
    return `<c:numRef><c:f>${xmlEscape(formula)}</c:f>${numCache(data, count)}</c:numRef>`;
  }

  /** A name: a literal, or a reference when it starts with '='. */
  textRef(name: unknown): string {
    const s = String(name);
    if (s.startsWith('=')) {
      const ref = parseRange(s);
      const data = ref ? this.read(ref) : undefined;
      const count = ref ? (ref.r2 - ref.r1 + 1) * (ref.c2 - ref.c1 + 1) : 1;
      return `<c:tx><c:strRef><c:f>${xmlEscape(s.slice(1))}</c:f>${data && data.points.length ? strCache(data, count) : ''}</c:strRef></c:tx>`;
    }
    return `<c:tx><c:v>${xmlEscape(s)}</c:v></c:tx>`;
  }

  title(t: Json | undefined): string {
    if (!t || truthy(t.none)) return '';
    const name = t.name ?? t.name_formula;
    if (name === undefined || name === null || name === '') return '';
    const s = String(name);
    const overlay = truthy(t.overlay) ? '<c:overlay val="1"/>' : '';
    if (s.startsWith('=')) return `<c:title>${this.textRef(s)}<c:layout/>${overlay}</c:title>`;
    return `<c:title>${richText(s)}<c:layout/>${overlay}</c:title>`;
  }

  chart(def: Json): string {
    const type = checkChartType(def.type);
    const sub = String(def.subtype ?? '');
    const series = (Array.isArray(def.series) ? def.series : []) as Json[];
    const base = 50000000 + num(def.id, 1) * 10000;
    const ax1 = base + 1;
    const ax2 = base + 2;
    const isPie = type === 'pie' || type === 'doughnut';
    const x = (def.x_axis ?? {}) as Json;
    const y = (def.y_axis ?? {}) as Json;

    let plot = '<c:plotArea><c:layout/>';
    let ser = '';
    series.forEach((s, i) => {
      const lineLike = type === 'line' || type === 'scatter' || type === 'radar';
      let sx = `<c:ser><c:idx val="${i}"/><c:order val="${i}"/>`;
      if (s.name !== undefined && s.name !== null && s.name !== '') sx += this.textRef(s.name);
      else if (s.name_formula) sx += this.textRef(`=${String(s.name_formula).replace(/^=/, '')}`);
      let sp = spPr(lineLike && !s.line && s.border ? { ...s, line: s.border } : s);
      if (type === 'scatter' && !s.line && (sub === '' || sub === 'marker_only')) sp = `<c:spPr><a:ln w="28575"><a:noFill/></a:ln></c:spPr>`;
      sx += sp;
      if (lineLike) {
        const mk = s.marker as Json | undefined;
        // Excel::Writer::XLSX's default markers: none for lines, radars (but filled) and unmarked scatters
        const noMarker = type === 'line' || (type === 'radar' && sub !== 'filled') || (type === 'scatter' && (sub === 'straight' || sub === 'smooth'));
        if (mk && mk.type) sx += markerXml(mk);
        else if (noMarker) sx += '<c:marker><c:symbol val="none"/></c:marker>';
      }
      if (Array.isArray(s.points)) {
        (s.points as (Json | null)[]).forEach((p, k) => {
          if (!p) return;
          const psp = spPr(p);
          if (psp) sx += `<c:dPt><c:idx val="${k}"/>${isPie ? '<c:bubble3D val="0"/>' : ''}${psp}</c:dPt>`;
        });
      }
      const dl = s.data_labels as Json | undefined;
      if (dl) {
        let d = '<c:dLbls>';
        const POS: Record<string, string> = { center: 'ctr', right: 'r', left: 'l', above: 't', top: 't', below: 'b', bottom: 'b', inside_base: 'inBase', inside_end: 'inEnd', outside_end: 'outEnd', best_fit: 'bestFit' };
        if (dl.position && POS[String(dl.position)]) d += `<c:dLblPos val="${POS[String(dl.position)]}"/>`;
        if (truthy(dl.value)) d += '<c:showVal val="1"/>';
        if (truthy(dl.category)) d += '<c:showCatName val="1"/>';
        if (truthy(dl.series_name)) d += '<c:showSerName val="1"/>';
        if (truthy(dl.percentage)) d += '<c:showPercent val="1"/>';
        if (truthy(dl.leader_lines)) d += '<c:showLeaderLines val="1"/>';
        sx += `${d}</c:dLbls>`;
      }
      if (type === 'scatter') {
        sx += s.categories !== undefined && s.categories !== null && s.categories !== ''
          ? `<c:xVal>${this.dataRef(s.categories, 'categories', true)}</c:xVal>` : '';
        sx += `<c:yVal>${this.dataRef(s.values, 'values', false)}</c:yVal>`;
      } else {
        if (s.categories !== undefined && s.categories !== null && s.categories !== '') sx += `<c:cat>${this.dataRef(s.categories, 'categories', true)}</c:cat>`;
        sx += `<c:val>${this.dataRef(s.values, 'values', false)}</c:val>`;
      }
      if ((type === 'line' || type === 'scatter') && (truthy(s.smooth) || sub.startsWith('smooth'))) sx += '<c:smooth val="1"/>';
      ser += `${sx}</c:ser>`;
    });

    const grouping = sub === 'stacked' ? 'stacked' : sub === 'percent_stacked' ? 'percentStacked' : null;
    const axIds = `<c:axId val="${ax1}"/><c:axId val="${ax2}"/>`;
    switch (type) {
      case 'bar':
      case 'column':
        plot += `<c:barChart><c:barDir val="${type === 'bar' ? 'bar' : 'col'}"/><c:grouping val="${grouping ?? 'clustered'}"/>${ser}`
          + `${def.gap !== undefined ? `<c:gapWidth val="${num(def.gap, 150)}"/>` : ''}${grouping ? '<c:overlap val="100"/>' : ''}${axIds}</c:barChart>`;
        break;
      case 'line':
        plot += `<c:lineChart><c:grouping val="${grouping ?? 'standard'}"/>${ser}<c:marker val="1"/>${axIds}</c:lineChart>`;
        break;
      case 'area':
        plot += `<c:areaChart><c:grouping val="${grouping ?? 'standard'}"/>${ser}${axIds}</c:areaChart>`;
        break;
      case 'radar':
        plot += `<c:radarChart><c:radarStyle val="${sub === 'filled' ? 'filled' : 'marker'}"/>${ser}${axIds}</c:radarChart>`;
        break;
      case 'scatter':
        plot += `<c:scatterChart><c:scatterStyle val="${sub.startsWith('smooth') ? 'smoothMarker' : 'lineMarker'}"/>${ser}${axIds}</c:scatterChart>`;
        break;
      case 'pie':
        plot += `<c:pieChart><c:varyColors val="1"/>${ser}<c:firstSliceAng val="${num(def.rotation, 0)}"/></c:pieChart>`;
        break;
      case 'doughnut':
        plot += `<c:doughnutChart><c:varyColors val="1"/>${ser}<c:firstSliceAng val="${num(def.rotation, 0)}"/><c:holeSize val="${num(def.hole_size, 50)}"/></c:doughnutChart>`;
        break;
      default:
        break;
    }
    if (!isPie) {
      const between = type === 'scatter' || type === 'area' ? 'midCat' : 'between';
      const horizontal = type === 'bar';
      const xPos = horizontal ? 'l' : 'b';
      const yPos = horizontal ? 'b' : 'l';
      if (type === 'scatter') plot += this.valAx(ax1, ax2, x, xPos, between, false);
      else plot += this.catAx(ax1, ax2, x, xPos);
      plot += this.valAx(ax2, ax1, y, yPos, between, true, grouping === 'percentStacked' ? '0%' : 'General');
    }
    plot += '</c:plotArea>';

    let out = `${XML_DECL}<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><c:lang val="en-US"/>`;
    if (def.style !== undefined && def.style !== null && num(def.style, 2) !== 2) out += `<c:style val="${Math.min(48, Math.max(1, Math.round(num(def.style, 2))))}"/>`;
    out += '<c:chart>';
    const t = def.title as Json | undefined;
    out += this.title(t);
    if (truthy(t?.none)) out += '<c:autoTitleDeleted val="1"/>';
    out += plot;
    out += legendXml(def.legend as Json | undefined, isPie);
    out += '<c:plotVisOnly val="1"/>';
    const blanks = def.show_blanks_as ? String(def.show_blanks_as) : '';
    if (blanks === 'zero' || blanks === 'span') out += `<c:dispBlanksAs val="${blanks}"/>`;
    out += '</c:chart>';
    const area = spPr((def.chartarea ?? {}) as Json);
    if (area) out += area;
    out += '<c:printSettings><c:headerFooter/><c:pageMargins b="0.75" l="0.7" r="0.7" t="0.75" header="0.3" footer="0.3"/><c:pageSetup/></c:printSettings></c:chartSpace>';
    return out;
  }

  private scaling(a: Json): string {
    let s = '<c:scaling>';
    if (a.log_base !== undefined && a.log_base !== null) s += `<c:logBase val="${num(a.log_base, 10)}"/>`;
    s += `<c:orientation val="${truthy(a.reverse) ? 'maxMin' : 'minMax'}"/>`;
    if (a.max !== undefined && a.max !== null) s += `<c:max val="${num(a.max, 0)}"/>`;
    if (a.min !== undefined && a.min !== null) s += `<c:min val="${num(a.min, 0)}"/>`;
    return `${s}</c:scaling>`;
  }

  private axisCommon(a: Json, pos: string, gridDefault: boolean): string {
    let s = '';
    if (a.visible !== undefined && !truthy(a.visible)) s += '<c:delete val="1"/>';
    s += `<c:axPos val="${pos}"/>`;
    const grid = a.major_gridlines as Json | undefined;
    if (grid ? grid.visible === undefined || truthy(grid.visible) : gridDefault) s += '<c:majorGridlines/>';
    const mg = a.minor_gridlines as Json | undefined;
    if (mg && (mg.visible === undefined || truthy(mg.visible))) s += '<c:minorGridlines/>';
    const name = a.name ?? a.name_formula;
    if (name !== undefined && name !== null && name !== '') {
      const n = String(name);
      s += `<c:title>${n.startsWith('=') ? this.textRef(n) : richText(n)}<c:layout/></c:title>`;
    }
    return s;
  }

  private tickLbl(a: Json): string {
    const POS: Record<string, string> = { next_to: 'nextTo', high: 'high', low: 'low', none: 'none' };
    return `<c:tickLblPos val="${POS[String(a.label_position ?? '')] ?? 'nextTo'}"/>`;
  }

  private catAx(id: number, cross: number, a: Json, pos: string): string {
    let s = `<c:catAx><c:axId val="${id}"/>${this.scaling(a)}${this.axisCommon(a, pos, false)}`;
    if (a.num_format) s += `<c:numFmt formatCode="${xmlEscape(String(a.num_format))}" sourceLinked="0"/>`;
    s += `${this.tickLbl(a)}<c:crossAx val="${cross}"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx>`;
    return s;
  }

  private valAx(id: number, cross: number, a: Json, pos: string, between: string, gridDefault: boolean, fmt = 'General'): string {
    let s = `<c:valAx><c:axId val="${id}"/>${this.scaling(a)}${this.axisCommon(a, pos, gridDefault)}`;
    s += a.num_format ? `<c:numFmt formatCode="${xmlEscape(String(a.num_format))}" sourceLinked="0"/>` : `<c:numFmt formatCode="${fmt}" sourceLinked="1"/>`;
    s += `${this.tickLbl(a)}<c:crossAx val="${cross}"/><c:crosses val="autoZero"/><c:crossBetween val="${between}"/>`;
    if (a.major_unit !== undefined && a.major_unit !== null) s += `<c:majorUnit val="${num(a.major_unit, 1)}"/>`;
    if (a.minor_unit !== undefined && a.minor_unit !== null) s += `<c:minorUnit val="${num(a.minor_unit, 1)}"/>`;
    return `${s}</c:valAx>`;
  }
}

const MARKERS: Record<string, string> = {
  automatic: 'auto', none: 'none', square: 'square', diamond: 'diamond', triangle: 'triangle', x: 'x', star: 'star',
  dot: 'dot', short_dash: 'dash', dash: 'dash', long_dash: 'dash', circle: 'circle', plus: 'plus', picture: 'picture',
};

function markerXml(m: Json): string {
  const sym = MARKERS[String(m.type)] ?? 'auto';
  if (sym === 'auto') return '';
  let s = `<c:marker><c:symbol val="${sym}"/>`;
  if (m.size !== undefined && sym !== 'none') s += `<c:size val="${Math.min(72, Math.max(2, Math.round(num(m.size, 5))))}"/>`;
  s += spPr(m);
  return `${s}</c:marker>`;
}

function legendXml(l: Json | undefined, pie = false): string {
  if (l && (truthy(l.none) || l.position === 'none')) return '';
  const POS: Record<string, string> = { right: 'r', left: 'l', top: 't', bottom: 'b', top_right: 'tr' };
  let pos = String(l?.position ?? 'right');
  let overlay = false;
  if (pos.startsWith('overlay_')) {
    overlay = true;
    pos = pos.slice(8);
  }
  const txPr = pie ? '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr rtl="0"><a:defRPr/></a:pPr><a:endParaRPr lang="en-US"/></a:p></c:txPr>' : '';
  return `<c:legend><c:legendPos val="${POS[pos] ?? 'r'}"/><c:layout/>${overlay ? '<c:overlay val="1"/>' : ''}${txPr}</c:legend>`;
}

/** xl/charts/chartN.xml of a chart definition (as the Perl shim sends it). */
export function chartXml(def: Json, read: RangeReader): string {
  return new ChartWriter(read).chart(def);
}

/** Default chart size in pixels (Excel::Writer::XLSX: 480 x 288). */
export const CHART_WIDTH = 480;
export const CHART_HEIGHT = 288;

export { colName };
