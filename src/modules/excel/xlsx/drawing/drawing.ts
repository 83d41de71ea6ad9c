// xl/drawings/drawingN.xml as Drawing.pm writes it: a two-cell anchor per chart, image or shape of
// a worksheet, or the one absolute anchor of a chartsheet's chart.
import { XmlWriter, type Attrs } from '../xml';
import type { Shape } from '../shape';
import { paletteColor } from '../shape';
import type { Dimensions } from './position';

export interface DrawingObject {
  /** 1 chart, 2 image, 3 shape */
  type: number;
  dimensions: Dimensions;
  width: number;
  height: number;
  name?: string;
  description?: string;
  shape?: Shape;
  anchor: number;
  relIndex: number;
  urlRelIndex: number;
  tip?: string;
  decorative?: boolean;
}

export interface Drawing {
  drawings: DrawingObject[];
  embedded: boolean;
  orientation: number;
}

export function newDrawing(embedded: boolean): Drawing {
  return { drawings: [], embedded, orientation: 0 };
}

const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export function writeDrawingPart(d: Drawing, w: XmlWriter): void {
  w.declaration();
  w.startTag('xdr:wsDr', [
    ['xmlns:xdr', 'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing'],
    ['xmlns:a', 'http://schemas.openxmlformats.org/drawingml/2006/main'],
  ]);
  if (d.embedded) {
    d.drawings.forEach((o, i) => twoCellAnchor(d, w, i + 1, o));
  } else {
    w.startTag('xdr:absoluteAnchor');
    if (d.orientation === 0) {
      w.emptyTag('xdr:pos', [['x', 0], ['y', 0]]);
      w.emptyTag('xdr:ext', [['cx', 9308969], ['cy', 6078325]]);
    } else {
      w.emptyTag('xdr:pos', [['x', 0], ['y', -47625]]);
      w.emptyTag('xdr:ext', [['cx', 6162675], ['cy', 6124575]]);
    }
    graphicFrame(d, w, 1, 1);
    w.emptyTag('xdr:clientData');
    w.endTag('xdr:absoluteAnchor');
  }
  w.endTag('xdr:wsDr');
}

function cellPos(w: XmlWriter, tag: string, col: number, colOff: number, row: number, rowOff: number): void {
  w.startTag(tag);
  w.dataElement('xdr:col', col);
  w.dataElement('xdr:colOff', colOff);
  w.dataElement('xdr:row', row);
  w.dataElement('xdr:rowOff', rowOff);
  w.endTag(tag);
}

function twoCellAnchor(d: Drawing, w: XmlWriter, index: number, o: DrawingObject): void {
  const dim = o.dimensions;
  const a: [string, string][] = [];
  if (o.anchor === 2) a.push(['editAs', 'oneCell']);
  else if (o.anchor === 3) a.push(['editAs', 'absolute']);
  if (o.shape?.editAs) a.push(['editAs', o.shape.editAs]);
  w.startTag('xdr:twoCellAnchor', a);
  cellPos(w, 'xdr:from', dim[0], dim[2], dim[1], dim[3]);
  cellPos(w, 'xdr:to', dim[4], dim[6], dim[5], dim[7]);
  if (o.type === 1) graphicFrame(d, w, index, o.relIndex, o.name, o.description, o.decorative);
  else if (o.type === 2) pic(w, index, o, dim[8], dim[9]);
  else if (o.shape) sp(w, index, dim[8], dim[9], o.width, o.height, o.shape);
  w.emptyTag('xdr:clientData');
  w.endTag('xdr:twoCellAnchor');
}

function graphicFrame(d: Drawing, w: XmlWriter, index: number, relIndex: number, name?: string, description?: string, decorative?: boolean): void {
  w.startTag('xdr:graphicFrame', [['macro', '']]);
  w.startTag('xdr:nvGraphicFramePr');
  cNvPr(w, index + 1, name || `Chart ${index}`, description, 0, undefined, decorative);
  if (d.embedded) {
    w.emptyTag('xdr:cNvGraphicFramePr');
  } else {
    w.startTag('xdr:cNvGraphicFramePr');
    w.emptyTag('a:graphicFrameLocks', [['noGrp', 1]]);
    w.endTag('xdr:cNvGraphicFramePr');
  }
  w.endTag('xdr:nvGraphicFramePr');
  w.startTag('xdr:xfrm');
  w.emptyTag('a:off', [['x', 0], ['y', 0]]);
  w.emptyTag('a:ext', [['cx', 0], ['cy', 0]]);
  w.endTag('xdr:xfrm');
  w.startTag('a:graphic');
  w.startTag('a:graphicData', [['uri', 'http://schemas.openxmlformats.org/drawingml/2006/chart']]);
  w.emptyTag('c:chart', [['xmlns:c', 'http://schemas.openxmlformats.org/drawingml/2006/chart'], ['xmlns:r', NS_R], ['r:id', `rId${relIndex}`]]);
  w.endTag('a:graphicData');
  w.endTag('a:graphic');
  w.endTag('xdr:graphicFrame');
}

function cNvPr(w: XmlWriter, id: number, name: string, description?: string, urlRelIndex?: number, tip?: string, decorative?: boolean): void {
  const a: [string, string | number][] = [['id', id], ['name', name]];
  if (description && !decorative) a.push(['descr', description]);
  if (urlRelIndex || decorative) {
    w.startTag('xdr:cNvPr', a);
    if (urlRelIndex) {
      const h: [string, string][] = [['xmlns:r', NS_R], ['r:id', `rId${urlRelIndex}`]];
      if (tip) h.push(['tooltip', tip]);
      w.emptyTag('a:hlinkClick', h);
    }
    if (decorative) {
      w.startTag('a:extLst');
      w.startTag('a:ext', [['uri', '{FF2B5EF4-FFF2-40B4-BE49-F238E27FC236}']]);
      w.emptyTag('a16:creationId', [['xmlns:a16', 'http://schemas.microsoft.com/office/drawing/2014/main'], ['id', '{00000000-0008-0000-0000-000002000000}']]);
      w.endTag('a:ext');
      w.startTag('a:ext', [['uri', '{C183D7F6-B498-43B3-948B-1728B52AA6E4}']]);
      w.emptyTag('adec:decorative', [['xmlns:adec', 'http://schemas.microsoft.com/office/drawing/2017/decorative'], ['val', 1]]);
      w.endTag('a:ext');
      w.endTag('a:extLst');
    }
    w.endTag('xdr:cNvPr');
  } else {
    w.emptyTag('xdr:cNvPr', a);
  }
}

function pic(w: XmlWriter, index: number, o: DrawingObject, xAbs: number, yAbs: number): void {
  w.startTag('xdr:pic');
  w.startTag('xdr:nvPicPr');
  cNvPr(w, index + 1, `Picture ${index}`, o.description, o.urlRelIndex, o.tip, o.decorative);
  w.startTag('xdr:cNvPicPr');
  w.emptyTag('a:picLocks', [['noChangeAspect', 1]]);
  w.endTag('xdr:cNvPicPr');
  w.endTag('xdr:nvPicPr');
  w.startTag('xdr:blipFill');
  w.emptyTag('a:blip', [['xmlns:r', NS_R], ['r:embed', `rId${o.relIndex}`]]);
  w.startTag('a:stretch');
  w.emptyTag('a:fillRect');
  w.endTag('a:stretch');
  w.endTag('xdr:blipFill');
  w.startTag('xdr:spPr');
  aXfrm(w, xAbs, yAbs, o.width, o.height);
  prstGeom(w, 'rect', [], false);
  w.endTag('xdr:spPr');
  w.endTag('xdr:pic');
}

function aXfrm(w: XmlWriter, x: number, y: number, cx: number, cy: number, shape?: Shape): void {
  const a: [string, number][] = [];
  const rot = (shape?.rotation || 0) * 60000;
  if (rot) a.push(['rot', rot]);
  if (shape?.flipH) a.push(['flipH', 1]);
  if (shape?.flipV) a.push(['flipV', 1]);
  w.startTag('a:xfrm', a);
  w.emptyTag('a:off', [['x', x], ['y', y]]);
  w.emptyTag('a:ext', [['cx', cx], ['cy', cy]]);
  w.endTag('a:xfrm');
}

function prstGeom(w: XmlWriter, type: string, adjustments: number[], connect: boolean): void {
  w.startTag('a:prstGeom', type ? [['prst', type]] : []);
  if (adjustments.length) {
    w.startTag('a:avLst');
    adjustments.forEach((adj, i) => {
      w.emptyTag('a:gd', [['name', `adj${connect ? i + 1 : ''}`], ['fmla', `val ${Math.trunc(adj * 1000)}`]]);
    });
    w.endTag('a:avLst');
  } else {
    w.emptyTag('a:avLst');
  }
  w.endTag('a:prstGeom');
}

function solidFill(w: XmlWriter, rgb: string): void {
  w.startTag('a:solidFill');
  w.emptyTag('a:srgbClr', [['val', rgb]]);
  w.endTag('a:solidFill');
}

function sp(w: XmlWriter, index: number, xAbs: number, yAbs: number, width: number, height: number, s: Shape): void {
  if (s.connect) {
    w.startTag('xdr:cxnSp', [['macro', '']]);
    w.startTag('xdr:nvCxnSpPr');
    if (s.name === undefined || s.name === null) s.name = `${s.type} ${index}`;
    cNvPr(w, s.id, s.name);
    w.startTag('xdr:cNvCxnSpPr');
    w.emptyTag('a:cxnSpLocks', [['noChangeShapeType', '1']]);
    if (s.start) w.emptyTag('a:stCxn', [['id', s.start], ['idx', s.startIndex ?? '']]);
    if (s.end) w.emptyTag('a:endCxn', [['id', s.end], ['idx', s.endIndex ?? '']]);
    w.endTag('xdr:cNvCxnSpPr');
    w.endTag('xdr:nvCxnSpPr');
    spPr(w, xAbs, yAbs, width, height, s);
    w.endTag('xdr:cxnSp');
  } else {
    w.startTag('xdr:sp', [['macro', ''], ['textlink', '']]);
    w.startTag('xdr:nvSpPr');
    cNvPr(w, s.id, `${s.type} ${index}`);
    w.startTag('xdr:cNvSpPr', s.txBox ? [['txBox', 1]] : []);
    w.emptyTag('a:spLocks', [['noChangeArrowheads', '1']]);
    w.endTag('xdr:cNvSpPr');
    w.endTag('xdr:nvSpPr');
    spPr(w, xAbs, yAbs, width, height, s);
    if (s.text) txBody(w, s);
    w.endTag('xdr:sp');
  }
}

function spPr(w: XmlWriter, xAbs: number, yAbs: number, width: number, height: number, s: Shape): void {
  w.startTag('xdr:spPr', [['bwMode', 'auto']]);
  aXfrm(w, xAbs, yAbs, width, height, s);
  prstGeom(w, s.type, s.adjustments, !!s.connect);
  if (String(s.fill).length > 1) solidFill(w, String(s.fill));
  else w.emptyTag('a:noFill');
  w.startTag('a:ln', [['w', s.lineWeight * 9525]]);
  if (String(s.line).length > 1) solidFill(w, String(s.line));
  else w.emptyTag('a:noFill');
  if (s.lineType) w.emptyTag('a:prstDash', [['val', s.lineType]]);
  if (s.connect) w.emptyTag('a:round');
  else w.emptyTag('a:miter', [['lim', 800000]]);
  w.emptyTag('a:headEnd');
  w.emptyTag('a:tailEnd');
  w.endTag('a:ln');
  w.endTag('xdr:spPr');
}

function txBody(w: XmlWriter, s: Shape): void {
  const f = s.format;
  w.startTag('xdr:txBody');
  const body: Attrs = [['vertOverflow', 'clip'], ['wrap', 'square'], ['lIns', '27432'], ['tIns', '22860'], ['rIns', '27432'],
    ['bIns', '22860'], ['anchor', s.valign], ['upright', '1']];
  w.emptyTag('a:bodyPr', body);
  w.emptyTag('a:lstStyle');
  w.startTag('a:p');
  const rot = (Number(f.rotation ?? 0) || 0) * 60000;
  w.startTag('a:pPr', [['algn', s.align], ['rtl', rot]]);
  w.emptyTag('a:defRPr', [['sz', '1000']]);
  w.endTag('a:pPr');
  w.startTag('a:r');
  const size = (f.size === undefined ? 8 : Number(f.size)) * 100;
  w.startTag('a:rPr', [['lang', 'en-US'], ['sz', size], ['b', f.bold ?? 0], ['i', f.italic ?? 0],
    ['u', f.underline ? 'sng' : 'none'], ['strike', f.font_strikeout ? 'Strike' : 'noStrike'], ['baseline', 0]]);
  const color = f.color !== undefined ? paletteColor(s, f.color).replace(/^FF/, '') : '000000';
  solidFill(w, color);
  const font = f.font === undefined ? 'Calibri' : String(f.font);
  w.emptyTag('a:latin', [['typeface', font]]);
  w.emptyTag('a:cs', [['typeface', font]]);
  w.endTag('a:rPr');
  w.dataElement('a:t', String(s.text));
  w.endTag('a:r');
  w.endTag('a:p');
  w.endTag('xdr:txBody');
}
