// The workbook's styles: its formats, the colour palette, Workbook::_prepare_format_properties and
// xl/styles.xml exactly as Package/Styles.pm writes it (element order, counts, defaults).
import type { Format, FormatIndices, PerlScalar } from './format';
import { alignProperties, borderKey, fillKey, fontKey, getXfIndex, newFormatIndices, pnum, protectionProperties, pstr, ptrue } from './format';
import { palette as defaultPalette } from './palette';
import type { Attrs, XmlWriter } from './xml';

/** The styles side of a workbook (core's Workbook holds one: newStyleState()). */
export interface StyleState {
  /** Workbook::{_formats} by the shim's format index (0: the default format, 1: the URL format). */
  readonly formats: (Format | undefined)[];
  /** indices taken out of _formats by _set_default_xf_indices (the default URL format) */
  readonly removed: Set<number>;
  readonly indices: FormatIndices;
  /** Workbook::{_palette}: [r, g, b, 0] for colour indices 8..64. */
  readonly palette: number[][];
  /** Workbook::{_custom_colors}: 'FFRRGGBB' per set_custom_color call. */
  customColors: string[];
}

export function newStyleState(): StyleState {
  return { formats: [], removed: new Set(), indices: newFormatIndices(), palette: defaultPalette(), customColors: [] };
}

/** Workbook::{_formats} in order. */
export function formatList(st: StyleState): Format[] {
  const out: Format[] = [];
  st.formats.forEach((f, i) => {
    if (f && !st.removed.has(i)) out.push(f);
  });
  return out;
}

/** Workbook::_set_default_xf_indices (a test hook of the real module): drops the URL format, numbers the rest. */
export function setDefaultXfIndices(st: StyleState): void {
  const list = formatList(st);
  if (list.length > 1) st.removed.add(list[1].idx);
  for (const f of formatList(st)) getXfIndex(f, st.indices);
}

/** Workbook::set_custom_color after the shim's range checks: palette entry index-8 and the mru list. */
export function setCustomColor(st: StyleState, index: number, red: number, green: number, blue: number): void {
  st.palette[index - 8] = [red, green, blue];
  st.customColors.push(`FF${hex2(red)}${hex2(green)}${hex2(blue)}`);
}

function hex2(n: number): string {
  return Math.trunc(n).toString(16).toUpperCase().padStart(2, '0');
}

/** _get_palette_color: '#rrggbb' or a palette index (8..64) as the 'FFRRGGBB' Excel writes. */
export function paletteColor(palette: readonly (readonly number[])[], color: PerlScalar): string {
  const s = pstr(color);
  const m = /^#([0-9A-F]{6})$/i.exec(s);
  if (m) return `FF${m[1].toUpperCase()}`;
  const rgb = palette[Math.trunc(pnum(color)) - 8];
  if (!rgb) throw new Error(`excel: colour ${s} is not in the palette`);
  return `FF${hex2(rgb[0])}${hex2(rgb[1])}${hex2(rgb[2])}`;
}

/** What _prepare_format_properties leaves for styles.xml. */
export interface PreparedStyles {
  readonly xfFormats: Format[];
  readonly dxfFormats: Format[];
  readonly fontCount: number;
  readonly numFormatCount: number;
  readonly borderCount: number;
  readonly fillCount: number;
}

/**
 * Workbook::_prepare_format_properties: splits the formats into xf and dxf lists (by the indices
 * the worksheets asked for), then numbers their fonts, number formats, borders and fills. Call it
 * after every worksheet is written (as the real module's workbook.xml step does).
 */
export function prepareFormatProperties(st: StyleState): PreparedStyles {
  const xf: Format[] = [];
  const dxf: Format[] = [];
  for (const f of formatList(st)) {
    if (f.xfIndex !== undefined) xf[f.xfIndex] = f;
    if (f.dxfIndex !== undefined) dxf[f.dxfIndex] = f;
  }
  for (const list of [xf, dxf]) {
    for (let i = 0; i < list.length; i++) {
      if (!list[i]) throw new Error(`excel: no format has index ${i}`);
    }
  }
  const fontCount = prepareFonts(xf, dxf);
  const numFormatCount = prepareNumFormats(xf, dxf);
  const borderCount = prepareBorders(xf, dxf);
  const fillCount = prepareFills(xf, dxf);
  return { xfFormats: xf, dxfFormats: dxf, fontCount, numFormatCount, borderCount, fillCount };
}

/**
 * Numbers the distinct keys of `list` from `start` (after those already in `seen`): `set` gets each
 * format's index and whether it is the first with that key (the one that writes the element).
 */
function numberByKey(list: Format[], key: (f: Format) => string, seen: Map<string, number>, start: number,
  set: (f: Format, index: number, first: boolean) => void): number {
  let next = start;
  for (const f of list) {
    const k = key(f);
    const known = seen.get(k);
    if (known !== undefined) set(f, known, false);
    else {
      seen.set(k, next);
      set(f, next, true);
      next++;
    }
  }
  return next;
}

function prepareFonts(xf: Format[], dxf: Format[]): number {
  const count = numberByKey(xf, fontKey, new Map(), 0, (f, i, first) => {
    f.fontIndex = i;
    f.hasFont = first ? 1 : 0;
  });
  // a dxf font is written only for the properties a dxf can change
  for (const f of dxf) {
    if (ptrue(f.color) || ptrue(f.bold) || ptrue(f.italic) || ptrue(f.underline) || ptrue(f.fontStrikeout)) f.hasDxfFont = 1;
  }
  return count;
}

function prepareNumFormats(xf: Format[], dxf: Format[]): number {
  const seen = new Map<string, number>();
  let index = 164;
  let count = 0;
  for (const f of [...xf, ...dxf]) {
    const nf = pstr(f.numFormat);
    // a built-in index (a string of zeros is a format code, not index 0)
    if (/^\d+$/.test(nf) && !/^0+\d/.test(nf)) {
      f.numFormatIndex = pnum(nf) === 0 ? 1 : f.numFormat;
      continue;
    }
    if (nf === 'General') {
      f.numFormatIndex = 0;
      continue;
    }
    const known = seen.get(nf);
    if (known !== undefined) {
      f.numFormatIndex = known;
    } else {
      seen.set(nf, index);
      f.numFormatIndex = index;
      index++;
      // counted for xf formats only (the default format's index 0 is false, as in the real module)
      if (f.xfIndex) count++;
    }
  }
  return count;
}

function prepareBorders(xf: Format[], dxf: Format[]): number {
  const count = numberByKey(xf, borderKey, new Map(), 0, (f, i, first) => {
    f.borderIndex = i;
    f.hasBorder = first ? 1 : 0;
  });
  for (const f of dxf) {
    if (/[^0:]/.test(borderKey(f))) f.hasDxfBorder = 1;
  }
  return count;
}

function prepareFills(xf: Format[], dxf: Format[]): number {
  // a dxf keeps its colours as given (the swap below is for cell formats)
  for (const f of dxf) {
    if (ptrue(f.pattern) || ptrue(f.bgColor) || ptrue(f.fgColor)) {
      f.hasDxfFill = 1;
      f.dxfBgColor = f.bgColor;
      f.dxfFgColor = f.fgColor;
    }
  }
  for (const f of xf) {
    // Excel swaps fg and bg for a solid fill; a colour without a pattern means a solid fill
    if (pnum(f.pattern) === 1 && pstr(f.bgColor) !== '0' && pstr(f.fgColor) !== '0') {
      const t = f.fgColor;
      f.fgColor = f.bgColor;
      f.bgColor = t;
    }
    if (pnum(f.pattern) <= 1 && pstr(f.bgColor) !== '0' && pstr(f.fgColor) === '0') {
      f.fgColor = f.bgColor;
      f.bgColor = 0;
      f.pattern = 1;
    }
    if (pnum(f.pattern) <= 1 && pstr(f.bgColor) === '0' && pstr(f.fgColor) !== '0') {
      f.bgColor = 0;
      f.pattern = 1;
    }
  }
  // the two default fills: none and gray125
  return numberByKey(xf, fillKey, new Map([['0:0:0', 0], ['17:0:0', 1]]), 2, (f, i, first) => {
    f.fillIndex = i;
    f.hasFill = first ? 1 : 0;
  });
}

// --- styles.xml ------------------------------------------------------------------------------------

const NUM_FORMAT_CODES: Readonly<Record<number, string>> = {
  0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 5: '($#,##0_);($#,##0)', 6: '($#,##0_);[Red]($#,##0)',
  7: '($#,##0.00_);($#,##0.00)', 8: '($#,##0.00_);[Red]($#,##0.00)', 9: '0%', 10: '0.00%', 11: '0.00E+00', 12: '# ?/?',
  13: '# ??/??', 14: 'm/d/yy', 15: 'd-mmm-yy', 16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM',
  20: 'h:mm', 21: 'h:mm:ss', 22: 'm/d/yy h:mm', 37: '(#,##0_);(#,##0)', 38: '(#,##0_);[Red](#,##0)',
  39: '(#,##0.00_);(#,##0.00)', 40: '(#,##0.00_);[Red](#,##0.00)', 41: '_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)',
  42: '_($* #,##0_);_($* (#,##0);_($* "-"_);_(@_)', 43: '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)',
  44: '_($* #,##0.00_);_($* (#,##0.00);_($* "-"??_);_(@_)', 45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mm:ss.0',
  48: '##0.0E+0', 49: '@',
};

const PATTERNS = [
  'none', 'solid', 'mediumGray', 'darkGray', 'lightGray', 'darkHorizontal', 'darkVertical', 'darkDown', 'darkUp', 'darkGrid',
  'darkTrellis', 'lightHorizontal', 'lightVertical', 'lightDown', 'lightUp', 'lightGrid', 'lightTrellis', 'gray125', 'gray0625',
];

const BORDER_STYLES = [
  'none', 'thin', 'medium', 'dashed', 'dotted', 'thick', 'double', 'hair', 'mediumDashed', 'dashDot', 'mediumDashDot',
  'dashDotDot', 'mediumDashDotDot', 'slantDashDot',
];

/** Styles.pm's per-file state (the hyperlink cell style is found while the fonts are written). */
interface Ctx {
  readonly w: XmlWriter;
  readonly palette: readonly (readonly number[])[];
  hasHyperlink: boolean;
  hyperlinkFontId: PerlScalar;
}

/**
 * xl/styles.xml. `hasComments` is Workbook::{_has_comments} (an extra Tahoma font for comments).
 * The formats are those prepareFormatProperties returned; writing settles their alignment and
 * diagonal properties as Styles.pm does.
 */
export function writeStyles(w: XmlWriter, st: StyleState, p: PreparedStyles, hasComments: boolean): void {
  const c: Ctx = { w, palette: st.palette, hasHyperlink: false, hyperlinkFontId: 0 };
  w.declaration();
  w.startTag('styleSheet', [['xmlns', 'http://schemas.openxmlformats.org/spreadsheetml/2006/main']]);
  writeNumFmts(c, p);
  writeFonts(c, p, hasComments);
  writeFills(c, p);
  writeBorders(c, p);
  writeCellStyleXfs(c);
  writeCellXfs(c, p);
  writeCellStyles(c);
  writeDxfs(c, p);
  w.emptyTag('tableStyles', [['count', 0], ['defaultTableStyle', 'TableStyleMedium9'], ['defaultPivotStyle', 'PivotStyleLight16']]);
  writeColors(c, st.customColors);
  w.endTag('styleSheet');
}

function writeNumFmts(c: Ctx, p: PreparedStyles): void {
  if (!p.numFormatCount) return;
  c.w.startTag('numFmts', [['count', p.numFormatCount]]);
  for (const f of p.xfFormats) {
    if (pnum(f.numFormatIndex) >= 164) writeNumFmt(c, f.numFormatIndex, f.numFormat);
  }
  c.w.endTag('numFmts');
}

function writeNumFmt(c: Ctx, id: PerlScalar, code: PerlScalar): void {
  let formatCode = pstr(code);
  const n = pnum(id);
  if (n < 164) formatCode = NUM_FORMAT_CODES[n] ?? 'General';
  c.w.emptyTag('numFmt', [['numFmtId', id], ['formatCode', formatCode]]);
}

function writeFonts(c: Ctx, p: PreparedStyles, hasComments: boolean): void {
  c.w.startTag('fonts', [['count', p.fontCount + (hasComments ? 1 : 0)]]);
  for (const f of p.xfFormats) if (ptrue(f.hasFont)) writeFont(c, f, false);
  if (hasComments) {
    c.w.startTag('font');
    c.w.emptyTag('sz', [['val', 8]]);
    c.w.emptyTag('color', [['indexed', 81]]);
    c.w.emptyTag('name', [['val', 'Tahoma']]);
    c.w.emptyTag('family', [['val', 2]]);
    c.w.endTag('font');
  }
  c.w.endTag('fonts');
}

function underlineAttrs(u: PerlScalar): Attrs {
  const n = pnum(u);
  if (n === 2) return [['val', 'double']];
  if (n === 33) return [['val', 'singleAccounting']];
  if (n === 34) return [['val', 'doubleAccounting']];
  return [];
}

function writeFont(c: Ctx, f: Format, dxf: boolean): void {
  const w = c.w;
  w.startTag('font');
  if (ptrue(f.fontCondense)) w.emptyTag('condense', [['val', 0]]);
  if (ptrue(f.fontExtend)) w.emptyTag('extend', [['val', 0]]);
  if (ptrue(f.bold)) w.emptyTag('b');
  if (ptrue(f.italic)) w.emptyTag('i');
  if (ptrue(f.fontStrikeout)) w.emptyTag('strike');
  if (ptrue(f.fontOutline)) w.emptyTag('outline');
  if (ptrue(f.fontShadow)) w.emptyTag('shadow');
  if (ptrue(f.underline)) w.emptyTag('u', underlineAttrs(f.underline));
  if (pnum(f.fontScript) === 1) w.emptyTag('vertAlign', [['val', 'superscript']]);
  if (pnum(f.fontScript) === 2) w.emptyTag('vertAlign', [['val', 'subscript']]);
  if (!dxf) w.emptyTag('sz', [['val', f.size]]);
  if (pnum(f.theme) === -1) {
    // excel2003_style: no colour
  } else if (ptrue(f.theme)) w.emptyTag('color', [['theme', f.theme]]);
  else if (ptrue(f.colorIndexed)) w.emptyTag('color', [['indexed', f.colorIndexed]]);
  else if (ptrue(f.color)) w.emptyTag('color', [['rgb', paletteColor(c.palette, f.color)]]);
  else if (!dxf) w.emptyTag('color', [['theme', 1]]);
  if (!dxf) {
    w.emptyTag('name', [['val', f.font]]);
    if (ptrue(f.fontFamily)) w.emptyTag('family', [['val', f.fontFamily]]);
    if (ptrue(f.fontCharset)) w.emptyTag('charset', [['val', f.fontCharset]]);
    if (pstr(f.font) === 'Calibri' && !ptrue(f.hyperlink)) w.emptyTag('scheme', [['val', f.fontScheme]]);
    if (ptrue(f.hyperlink)) {
      c.hasHyperlink = true;
      if (!ptrue(c.hyperlinkFontId)) c.hyperlinkFontId = f.fontIndex;
    }
  }
  w.endTag('font');
}

function writeFills(c: Ctx, p: PreparedStyles): void {
  c.w.startTag('fills', [['count', p.fillCount]]);
  writeDefaultFill(c, 'none');
  writeDefaultFill(c, 'gray125');
  for (const f of p.xfFormats) if (ptrue(f.hasFill)) writeFill(c, f, false);
  c.w.endTag('fills');
}

function writeDefaultFill(c: Ctx, patternType: string | undefined): void {
  c.w.startTag('fill');
  c.w.emptyTag('patternFill', [['patternType', patternType ?? '']]);
  c.w.endTag('fill');
}

function writeFill(c: Ctx, f: Format, dxf: boolean): void {
  const w = c.w;
  // a dxf keeps the colours as given (cell formats swapped them for solid fills)
  const bg = dxf ? f.dxfBgColor : f.bgColor;
  const fg = dxf ? f.dxfFgColor : f.fgColor;
  const pattern = Math.trunc(pnum(f.pattern));
  if (!ptrue(fg) && !ptrue(bg) && ptrue(f.pattern)) {
    writeDefaultFill(c, PATTERNS[pattern]);
    return;
  }
  w.startTag('fill');
  if (dxf && pnum(f.pattern) <= 1) w.startTag('patternFill');
  else w.startTag('patternFill', [['patternType', PATTERNS[pattern] ?? '']]);
  if (ptrue(fg)) w.emptyTag('fgColor', [['rgb', paletteColor(c.palette, fg)]]);
  if (ptrue(bg)) w.emptyTag('bgColor', [['rgb', paletteColor(c.palette, bg)]]);
  else if (!dxf && pnum(f.pattern) <= 1) w.emptyTag('bgColor', [['indexed', 64]]);
  w.endTag('patternFill');
  w.endTag('fill');
}

function writeBorders(c: Ctx, p: PreparedStyles): void {
  c.w.startTag('borders', [['count', p.borderCount]]);
  for (const f of p.xfFormats) if (ptrue(f.hasBorder)) writeBorder(c, f, false);
  c.w.endTag('borders');
}

function writeBorder(c: Ctx, f: Format, dxf: boolean): void {
  const a: [string, number][] = [];
  const diag = pnum(f.diagType);
  if (diag === 1) a.push(['diagonalUp', 1]);
  else if (diag === 2) a.push(['diagonalDown', 1]);
  else if (diag === 3) a.push(['diagonalUp', 1], ['diagonalDown', 1]);
  // a diagonal type without a style gets a thin diagonal
  if (ptrue(f.diagType) && !ptrue(f.diagBorder)) f.diagBorder = 1;
  c.w.startTag('border', a);
  writeSubBorder(c, 'left', f.left, f.leftColor);
  writeSubBorder(c, 'right', f.right, f.rightColor);
  writeSubBorder(c, 'top', f.top, f.topColor);
  writeSubBorder(c, 'bottom', f.bottom, f.bottomColor);
  if (!dxf) writeSubBorder(c, 'diagonal', f.diagBorder, f.diagColor);
  if (dxf) {
    writeSubBorder(c, 'vertical', 0, 0);
    writeSubBorder(c, 'horizontal', 0, 0);
  }
  c.w.endTag('border');
}

function writeSubBorder(c: Ctx, type: string, style: PerlScalar, color: PerlScalar): void {
  if (!ptrue(style)) {
    c.w.emptyTag(type);
    return;
  }
  c.w.startTag(type, [['style', BORDER_STYLES[Math.trunc(pnum(style))] ?? '']]);
  if (ptrue(color)) c.w.emptyTag('color', [['rgb', paletteColor(c.palette, color)]]);
  else c.w.emptyTag('color', [['auto', 1]]);
  c.w.endTag(type);
}

function xfBase(numFmtId: PerlScalar, fontId: PerlScalar, fillId: PerlScalar, borderId: PerlScalar): [string, PerlScalar][] {
  return [['numFmtId', numFmtId], ['fontId', fontId], ['fillId', fillId], ['borderId', borderId]];
}

function writeCellStyleXfs(c: Ctx): void {
  const w = c.w;
  w.startTag('cellStyleXfs', [['count', c.hasHyperlink ? 2 : 1]]);
  w.emptyTag('xf', xfBase(0, 0, 0, 0));
  if (c.hasHyperlink) {
    w.startTag('xf', [...xfBase(0, c.hyperlinkFontId, 0, 0), ['applyNumberFormat', 0], ['applyFill', 0], ['applyBorder', 0],
      ['applyAlignment', 0], ['applyProtection', 0]]);
    w.emptyTag('alignment', [['vertical', 'top']]);
    w.emptyTag('protection', [['locked', 0]]);
    w.endTag('xf');
  }
  w.endTag('cellStyleXfs');
}

function writeCellXfs(c: Ctx, p: PreparedStyles): void {
  c.w.startTag('cellXfs', [['count', p.xfFormats.length]]);
  for (const f of p.xfFormats) writeXf(c, f);
  c.w.endTag('cellXfs');
}

function writeXf(c: Ctx, f: Format): void {
  const a = [...xfBase(f.numFormatIndex, f.fontIndex, f.fillIndex, f.borderIndex), ['xfId', f.xfId] as [string, PerlScalar]];
  const hyperlink = ptrue(f.hyperlink);
  if (pnum(f.numFormatIndex) > 0) a.push(['applyNumberFormat', 1]);
  if (pnum(f.fontIndex) > 0 && !hyperlink) a.push(['applyFont', 1]);
  if (pnum(f.fillIndex) > 0) a.push(['applyFill', 1]);
  if (pnum(f.borderIndex) > 0) a.push(['applyBorder', 1]);
  const align = alignProperties(f);
  const hasAlign = align.changed && align.attrs.length > 0;
  if (align.changed || hyperlink) a.push(['applyAlignment', 1]);
  const protection = protectionProperties(f);
  let hasProtect = false;
  if (protection.length || hyperlink) {
    a.push(['applyProtection', 1]);
    if (!hyperlink) hasProtect = true;
  }
  if (hasAlign || hasProtect) {
    c.w.startTag('xf', a);
    if (hasAlign) c.w.emptyTag('alignment', align.attrs);
    if (hasProtect) c.w.emptyTag('protection', protection);
    c.w.endTag('xf');
  } else c.w.emptyTag('xf', a);
}

function writeCellStyles(c: Ctx): void {
  c.w.startTag('cellStyles', [['count', c.hasHyperlink ? 2 : 1]]);
  if (c.hasHyperlink) c.w.emptyTag('cellStyle', [['name', 'Hyperlink'], ['xfId', 1], ['builtinId', 8]]);
  c.w.emptyTag('cellStyle', [['name', 'Normal'], ['xfId', 0], ['builtinId', 0]]);
  c.w.endTag('cellStyles');
}

function writeDxfs(c: Ctx, p: PreparedStyles): void {
  const count = p.dxfFormats.length;
  if (!count) {
    c.w.emptyTag('dxfs', [['count', 0]]);
    return;
  }
  c.w.startTag('dxfs', [['count', count]]);
  for (const f of p.dxfFormats) {
    c.w.startTag('dxf');
    if (ptrue(f.hasDxfFont)) writeFont(c, f, true);
    if (ptrue(f.numFormatIndex)) writeNumFmt(c, f.numFormatIndex, f.numFormat);
    if (ptrue(f.hasDxfFill)) writeFill(c, f, true);
    if (ptrue(f.hasDxfBorder)) writeBorder(c, f, true);
    c.w.endTag('dxf');
  }
  c.w.endTag('dxfs');
}

function writeColors(c: Ctx, custom: readonly string[]): void {
  if (!custom.length) return;
  c.w.startTag('colors');
  c.w.startTag('mruColors');
  // the last ten, most recent first
  for (const color of custom.slice(-10).reverse()) c.w.emptyTag('color', [['rgb', color]]);
  c.w.endTag('mruColors');
  c.w.endTag('colors');
}
