// xl/drawings/vmlDrawingN.vml, as Package/VML.pm writes it: comment boxes and form buttons (one file
// per worksheet), or the header/footer images (a second file).
import { XmlWriter, perlNum, type Attrs } from '../xml';
import type { Button, Comment, HeaderImage } from './state';
import { truthy } from './params';

export interface VmlContent {
  comments?: readonly Comment[];
  buttons?: readonly Button[];
  headerImages?: readonly HeaderImage[];
}

const n = perlNum;

/** Pixels to points for the style attribute: left, top, width, height (vertices 8..11). */
function points(v: readonly number[]): [string, string, string, string] {
  return [n(v[8] * 0.75), n(v[9] * 0.75), n(v[10] * 0.75), n(v[11] * 0.75)];
}

export function writeVmlXml(w: XmlWriter, dataId: string | number, shapeId: number, c: VmlContent): void {
  for (const _ of vmlXml(w, dataId, shapeId, c));
}

/** The VML part, pausing after each shape (so that a caller can take the text written so far). */
export function* vmlXml(w: XmlWriter, dataId: string | number, shapeId: number, c: VmlContent): Generator<void> {
  let z = 1;
  w.startTag('xml', [
    ['xmlns:v', 'urn:schemas-microsoft-com:vml'],
    ['xmlns:o', 'urn:schemas-microsoft-com:office:office'],
    ['xmlns:x', 'urn:schemas-microsoft-com:office:excel'],
  ]);
  w.startTag('o:shapelayout', [['v:ext', 'edit']]);
  w.emptyTag('o:idmap', [['v:ext', 'edit'], ['data', dataId]]);
  w.endTag('o:shapelayout');
  if (c.buttons && c.buttons.length > 0) {
    shapetype(w, '_x0000_t201', 201);
    w.emptyTag('v:path', [['shadowok', 'f'], ['o:extrusionok', 'f'], ['strokeok', 'f'], ['fillok', 'f'], ['o:connecttype', 'rect']]);
    w.emptyTag('o:lock', [['v:ext', 'edit'], ['shapetype', 't']]);
    w.endTag('v:shapetype');
    for (const b of c.buttons) {
      buttonShape(w, ++shapeId, z++, b);
      yield;
    }
  }
  if (c.comments && c.comments.length > 0) {
    shapetype(w, '_x0000_t202', 202);
    w.emptyTag('v:path', [['gradientshapeok', 't'], ['o:connecttype', 'rect']]);
    w.endTag('v:shapetype');
    for (const cm of c.comments) {
      commentShape(w, ++shapeId, z++, cm);
      yield;
    }
  }
  if (c.headerImages && c.headerImages.length > 0) {
    imageShapetype(w);
    let index = 1;
    for (const im of c.headerImages) imageShape(w, ++shapeId, index++, im);
  }
  w.endTag('xml');
}

function shapetype(w: XmlWriter, id: string, spt: number): void {
  w.startTag('v:shapetype', [['id', id], ['coordsize', '21600,21600'], ['o:spt', spt], ['path', 'm,l,21600r21600,l21600,xe']]);
  w.emptyTag('v:stroke', [['joinstyle', 'miter']]);
}

const IMAGE_FORMULAS = [
  'if lineDrawn pixelLineWidth 0', 'sum @0 1 0', 'sum 0 0 @1', 'prod @2 1 2', 'prod @3 21600 pixelWidth',
  'prod @3 21600 pixelHeight', 'sum @0 0 1', 'prod @6 1 2', 'prod @7 21600 pixelWidth', 'sum @8 21600 0',
  'prod @7 21600 pixelHeight', 'sum @10 21600 0',
];

function imageShapetype(w: XmlWriter): void {
  w.startTag('v:shapetype', [
    ['id', '_x0000_t75'], ['coordsize', '21600,21600'], ['o:spt', 75], ['o:preferrelative', 't'],
    ['path', 'm@4@5l@4@11@9@11@9@5xe'], ['filled', 'f'], ['stroked', 'f'],
  ]);
  w.emptyTag('v:stroke', [['joinstyle', 'miter']]);
  w.startTag('v:formulas');
  for (const eqn of IMAGE_FORMULAS) w.emptyTag('v:f', [['eqn', eqn]]);
  w.endTag('v:formulas');
  w.emptyTag('v:path', [['o:extrusionok', 'f'], ['gradientshapeok', 't'], ['o:connecttype', 'rect']]);
  w.emptyTag('o:lock', [['v:ext', 'edit'], ['aspectratio', 't']]);
  w.endTag('v:shapetype');
}

/** x:Anchor: col_start, x1, row_start, y1, col_end, x2, row_end, y2. */
function anchor(w: XmlWriter, v: readonly number[]): void {
  w.dataElement('x:Anchor', [v[0], v[2], v[1], v[3], v[4], v[6], v[5], v[7]].map(n).join(', '));
}

function commentShape(w: XmlWriter, id: number, z: number, c: Comment): void {
  const [left, top, width, height] = points(c.vertices);
  const visible = truthy(c.visible);
  const style = `position:absolute;margin-left:${left}pt;margin-top:${top}pt;width:${width}pt;height:${height}pt;` +
    `z-index:${z};visibility:${visible ? 'visible' : 'hidden'}`;
  w.startTag('v:shape', [
    ['id', `_x0000_s${id}`], ['type', '#_x0000_t202'], ['style', style], ['fillcolor', c.color], ['o:insetmode', 'auto'],
  ]);
  w.emptyTag('v:fill', [['color2', '#ffffe1']]);
  w.emptyTag('v:shadow', [['on', 't'], ['color', 'black'], ['obscured', 't']]);
  w.emptyTag('v:path', [['o:connecttype', 'none']]);
  w.startTag('v:textbox', [['style', 'mso-direction-alt:auto']]);
  w.startTag('div', [['style', 'text-align:left']]);
  w.endTag('div');
  w.endTag('v:textbox');
  w.startTag('x:ClientData', [['ObjectType', 'Note']]);
  w.emptyTag('x:MoveWithCells');
  w.emptyTag('x:SizeWithCells');
  anchor(w, c.vertices);
  w.dataElement('x:AutoFill', 'False');
  w.dataElement('x:Row', c.row);
  w.dataElement('x:Column', c.col);
  if (visible) w.emptyTag('x:Visible');
  w.endTag('x:ClientData');
  w.endTag('v:shape');
}

function buttonShape(w: XmlWriter, id: number, z: number, b: Button): void {
  const [left, top, width, height] = points(b.vertices);
  const style = `position:absolute;margin-left:${left}pt;margin-top:${top}pt;width:${width}pt;height:${height}pt;` +
    `z-index:${z};mso-wrap-style:tight`;
  const a: [string, string | number][] = [['id', `_x0000_s${id}`], ['type', '#_x0000_t201']];
  if (b.description !== undefined && truthy(b.description)) a.push(['alt', b.description]);
  a.push(['style', style], ['o:button', 't'], ['fillcolor', 'buttonFace [67]'], ['strokecolor', 'windowText [64]'], ['o:insetmode', 'auto']);
  w.startTag('v:shape', a as Attrs);
  w.emptyTag('v:fill', [['color2', 'buttonFace [67]'], ['o:detectmouseclick', 't']]);
  w.emptyTag('o:lock', [['v:ext', 'edit'], ['rotation', 't']]);
  w.startTag('v:textbox', [['style', 'mso-direction-alt:auto'], ['o:singleclick', 'f']]);
  w.startTag('div', [['style', 'text-align:center']]);
  w.dataElement('font', b.caption, [['face', 'Calibri'], ['size', 220], ['color', '#000000']]);
  w.endTag('div');
  w.endTag('v:textbox');
  w.startTag('x:ClientData', [['ObjectType', 'Button']]);
  anchor(w, b.vertices);
  w.dataElement('x:PrintObject', 'False');
  w.dataElement('x:AutoFill', 'False');
  w.dataElement('x:FmlaMacro', b.macro);
  w.dataElement('x:TextHAlign', 'Center');
  w.dataElement('x:TextVAlign', 'Center');
  w.endTag('x:ClientData');
  w.endTag('v:shape');
}

function imageShape(w: XmlWriter, id: number, index: number, im: HeaderImage): void {
  // the size in points at the image's resolution, rounded to whole pixels as Excel does
  let width = (im.width * 72) / im.xDpi;
  let height = (im.height * 72) / im.yDpi;
  width = (72 / 96) * Math.trunc((width * 96) / 72 + 0.25);
  height = (72 / 96) * Math.trunc((height * 96) / 72 + 0.25);
  const style = `position:absolute;margin-left:0;margin-top:0;width:${n(width)}pt;height:${n(height)}pt;z-index:${index}`;
  w.startTag('v:shape', [['id', im.position], ['o:spid', `_x0000_s${id}`], ['type', '#_x0000_t75'], ['style', style]]);
  w.emptyTag('v:imagedata', [['o:relid', `rId${im.refId}`], ['o:title', im.name]]);
  w.emptyTag('o:lock', [['v:ext', 'edit'], ['rotation', 't']]);
  w.endTag('v:shape');
}
