// Excel::Writer::XLSX format properties -> exceljs styles, with that module's rules (colour names
// and palette indexes, border style indexes, the solid-fill swap of fg/bg colours, built-in number
// format indexes, column width units).
import type { Alignment, Border, BorderStyle, Borders, Fill, Font, Style } from 'exceljs';

const COLOR_NAMES: Record<string, string> = {
  black: '000000', blue: '0000FF', brown: '800000', cyan: '00FFFF', gray: '808080', green: '008000',
  lime: '00FF00', magenta: 'FF00FF', navy: '000080', orange: 'FF6600', pink: 'FF00FF', purple: '800080',
  red: 'FF0000', silver: 'C0C0C0', white: 'FFFFFF', yellow: 'FFFF00',
};

// The default Excel 97 palette, indexes 8..63 (what numeric colours mean in Excel::Writer::XLSX).
const PALETTE = [
  '000000', 'FFFFFF', 'FF0000', '00FF00', '0000FF', 'FFFF00', 'FF00FF', '00FFFF', '800000', '008000', '000080', '808000',
  '800080', '008080', 'C0C0C0', '808080', '9999FF', '993366', 'FFFFCC', 'CCFFFF', '660066', 'FF8080', '0066CC', 'CCCCFF',
  '000080', 'FF00FF', 'FFFF00', '00FFFF', '800080', '800000', '008080', '0000FF', '00CCFF', 'CCFFFF', 'CCFFCC', 'FFFF99',
  '99CCFF', 'FF99CC', 'CC99FF', 'FFCC99', '3366FF', '33CCCC', '99CC00', 'FFCC00', 'FF9900', 'FF6600', '666699', '969696',
  '003366', '339966', '003300', '333300', '993300', '993366', '333399', '333333',
];

/** A colour as ARGB, or null for "none/automatic". */
export function argb(c: unknown): string | null {
  if (c === undefined || c === null || c === '' || c === 0 || c === '0') return null;
  const s = String(c).trim();
  if (/^#[0-9a-f]{6}$/i.test(s)) return `FF${s.slice(1).toUpperCase()}`;
  const named = COLOR_NAMES[s.toLowerCase()];
  if (named) return `FF${named}`;
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n >= 8 && n <= 63) return `FF${PALETTE[n - 8]}`;
  }
  return null;
}

const BORDER_STYLES: (BorderStyle | null)[] = [
  null, 'thin', 'medium', 'dashed', 'dotted', 'thick', 'double', 'hair', 'mediumDashed', 'dashDot', 'mediumDashDot',
  'dashDotDot', 'mediumDashDotDot', 'slantDashDot',
];

const PATTERNS = [
  'none', 'solid', 'mediumGray', 'darkGray', 'lightGray', 'darkHorizontal', 'darkVertical', 'darkDown', 'darkUp', 'darkGrid',
  'darkTrellis', 'lightHorizontal', 'lightVertical', 'lightDown', 'lightUp', 'lightGrid', 'lightTrellis', 'gray125', 'gray0625',
] as const;

const BUILTIN_NUM_FORMATS: Record<number, string> = {
  0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 5: '($#,##0_);($#,##0)', 6: '($#,##0_);[Red]($#,##0)',
  7: '($#,##0.00_);($#,##0.00)', 8: '($#,##0.00_);[Red]($#,##0.00)', 9: '0%', 10: '0.00%', 11: '0.00E+00', 12: '# ?/?',
  13: '# ??/??', 14: 'mm-dd-yy', 15: 'd-mmm-yy', 16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM',
  20: 'h:mm', 21: 'h:mm:ss', 22: 'm/d/yy h:mm', 37: '#,##0 ;(#,##0)', 38: '#,##0 ;[Red](#,##0)',
  39: '#,##0.00 ;(#,##0.00)', 40: '#,##0.00 ;[Red](#,##0.00)', 45: 'mm:ss', 46: '[h]:mm:ss', 47: 'mmss.0',
  48: '##0.0E+0', 49: '@',
};

const H_ALIGN: Record<string, Alignment['horizontal']> = {
  left: 'left', center: 'center', centre: 'center', right: 'right', fill: 'fill', justify: 'justify',
  center_across: 'centerContinuous', centre_across: 'centerContinuous', merge: 'centerContinuous', distributed: 'distributed',
  justify_distributed: 'distributed',
};
const V_ALIGN: Record<string, Alignment['vertical']> = {
  top: 'top', vcenter: 'middle', vcentre: 'middle', bottom: 'bottom', vjustify: 'justify', vdistributed: 'distributed',
};

const UNDERLINE: Record<number, Font['underline']> = { 1: 'single', 2: 'double', 33: 'singleAccounting', 34: 'doubleAccounting' };

function num(v: unknown): number {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
}

function truthy(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '' && v !== 0 && v !== '0' && v !== false;
}

/** The number format string of a num_format property (string or built-in index). */
export function numFormat(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const s = String(v);
  if (/^\d+$/.test(s) && !/^0+\d/.test(s)) {
    const n = Number(s) === 0 ? 1 : Number(s);
    return BUILTIN_NUM_FORMATS[n] ?? 'General';
  }
  return s;
}

/** Normalises property names the way Excel::Writer::XLSX's setters do (aliases). */
export function normalizeProps(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k0, v] of Object.entries(p)) {
    let k = k0;
    if (k === 'font_name') k = 'font';
    else if (k === 'font_size') k = 'size';
    else if (k === 'font_color' || k === 'colour' || k === 'font_colour') k = 'color';
    else if (k === 'bold' || k === 'italic') k = k0;
    out[k] = v;
  }
  return out;
}

/** exceljs style of a format's properties (the object is cached per format by the renderer). */
export function toStyle(props: Record<string, unknown>): Partial<Style> {
  const p = normalizeProps(props);
  const style: Partial<Style> = {};

  const font: Partial<Font> = {};
  if (p.font !== undefined) font.name = String(p.font);
  if (p.size !== undefined) font.size = num(p.size);
  if (truthy(p.bold)) font.bold = true;
  if (truthy(p.italic)) font.italic = true;
  if (truthy(p.underline)) font.underline = UNDERLINE[num(p.underline)] ?? 'single';
  if (truthy(p.font_strikeout)) font.strike = true;
  if (truthy(p.font_outline)) font.outline = true;
  if (p.font_script !== undefined && truthy(p.font_script)) font.vertAlign = num(p.font_script) === 2 ? 'subscript' : 'superscript';
  const fc = argb(p.color);
  if (fc) font.color = { argb: fc };
  if (Object.keys(font).length) {
    style.font = { name: 'Calibri', size: 11, family: 2, scheme: font.name ? undefined : 'minor', ...font } as Font;
    if (!style.font.scheme) delete (style.font as Partial<Font>).scheme;
  }

  const nf = numFormat(p.num_format);
  if (nf !== undefined && nf !== 'General') style.numFmt = nf;

  const al: Partial<Alignment> = {};
  if (p.align !== undefined && H_ALIGN[String(p.align)]) al.horizontal = H_ALIGN[String(p.align)];
  if (p.valign !== undefined && V_ALIGN[String(p.valign)]) al.vertical = V_ALIGN[String(p.valign)];
  if (p.align !== undefined && V_ALIGN[String(p.align)]) al.vertical = V_ALIGN[String(p.align)];
  if (truthy(p.text_wrap)) al.wrapText = true;
  if (truthy(p.shrink)) al.shrinkToFit = true;
  if (truthy(p.indent)) al.indent = num(p.indent);
  if (truthy(p.rotation)) {
    const r = num(p.rotation);
    al.textRotation = r === 270 ? 'vertical' : r < 0 ? 90 - r : r;
  }
  if (Object.keys(al).length) style.alignment = al;

  const sides = ['top', 'bottom', 'left', 'right'] as const;
  const borders: Partial<Borders> = {};
  for (const side of sides) {
    const idx = p[side] !== undefined ? num(p[side]) : p.border !== undefined ? num(p.border) : 0;
    const bs = BORDER_STYLES[idx] ?? null;
    if (!bs) continue;
    const c = argb(p[`${side}_color`] ?? p.border_color);
    const b: Partial<Border> = { style: bs };
    if (c) b.color = { argb: c };
    borders[side] = b as Border;
  }
  if (Object.keys(borders).length) style.border = borders;

  // Fills, with Excel::Writer::XLSX's fg/bg rules for solid patterns.
  let pattern = p.pattern !== undefined ? num(p.pattern) : 0;
  let fg = argb(p.fg_color);
  let bg = argb(p.bg_color);
  if (pattern === 1 && bg && fg) [fg, bg] = [bg, fg];
  if (pattern <= 1 && bg && !fg) {
    fg = bg;
    bg = null;
    pattern = 1;
  }
  if (pattern <= 1 && !bg && fg) pattern = 1;
  if (pattern > 0 && pattern < PATTERNS.length) {
    const fill: Fill = { type: 'pattern', pattern: PATTERNS[pattern] };
    if (fg) fill.fgColor = { argb: fg };
    if (bg) fill.bgColor = { argb: bg };
    style.fill = fill;
  }

  if (p.locked !== undefined || p.hidden !== undefined) {
    style.protection = { locked: p.locked === undefined ? true : truthy(p.locked), hidden: truthy(p.hidden) };
  }
  return style;
}

/** Excel::Writer::XLSX's conversion of a column width in user units to the stored character width. */
export function colWidth(width: number | null | undefined, hidden: boolean): { width: number; custom: boolean } {
  let w: number;
  let custom = true;
  if (width === undefined || width === null) {
    if (!hidden) {
      w = 8.43;
      custom = false;
    } else w = 0;
  } else {
    w = width;
    if (w === 8.43) custom = false;
  }
  const mdw = 7;
  const pad = 5;
  if (w > 0) {
    if (w < 1) w = Math.trunc((Math.trunc(w * (mdw + pad) + 0.5) / mdw) * 256) / 256;
    else w = Math.trunc(((Math.trunc(w * mdw + 0.5) + pad) / mdw) * 256) / 256;
  }
  return { width: w, custom };
}
