// Excel::Writer::XLSX::Format at close: the real module's fields (camelCase), its key functions and
// its get_xf_index/get_dxf_index rules. The Perl shim keeps the Format object itself (every set_*
// method runs there, as the real one) and sends its fields as a property set whenever they change
// (`add_format` props: the real field names without the leading underscore, values as Perl prints
// them); setFormatProps puts one such set onto the Format replayed here.
import type { Attrs } from './xml';
import { perlNum } from './xml';

/** A Perl scalar as the shim sends it: its string form, or a number. */
export type PerlScalar = string | number;

/** Perl's stringification (what the real module joins into keys and prints into XML). */
export function pstr(v: PerlScalar): string {
  return typeof v === 'number' ? perlNum(v) : v;
}

const NUM_RE = /^\s*([+-]?)(?:(inf(?:inity)?)|(nan)|((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))/i;

/** Perl's numification of a scalar (leading number of a string, else 0). */
export function pnum(v: PerlScalar | undefined | null): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const m = NUM_RE.exec(v);
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  if (m[2]) return sign * Infinity;
  if (m[3]) return NaN;
  return sign * Number(m[4]);
}

/** Perl's truth: undef, '', '0' and 0 are false. */
export function ptrue(v: PerlScalar | undefined | null): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'number') return v !== 0; // NaN is true, as in Perl
  return v !== '' && v !== '0';
}

/** The real Format's fields, in Format::new's order: [wire name (no underscore), default]. */
const FIELD_DEFAULTS: readonly (readonly [string, PerlScalar])[] = [
  ['num_format', 'General'], ['num_format_index', 0], ['font_index', 0], ['has_font', 0], ['has_dxf_font', 0],
  ['font', 'Calibri'], ['size', 11], ['bold', 0], ['italic', 0], ['color', 0], ['underline', 0],
  ['font_strikeout', 0], ['font_outline', 0], ['font_shadow', 0], ['font_script', 0], ['font_family', 2],
  ['font_charset', 0], ['font_scheme', 'minor'], ['font_condense', 0], ['font_extend', 0], ['theme', 0],
  ['hyperlink', 0], ['xf_id', 0], ['hidden', 0], ['locked', 1], ['text_h_align', 0], ['text_wrap', 0],
  ['text_v_align', 0], ['text_justlast', 0], ['rotation', 0], ['fg_color', 0], ['bg_color', 0], ['pattern', 0],
  ['has_fill', 0], ['has_dxf_fill', 0], ['fill_index', 0], ['fill_count', 0], ['border_index', 0], ['has_border', 0],
  ['has_dxf_border', 0], ['border_count', 0], ['bottom', 0], ['bottom_color', 0], ['diag_border', 0], ['diag_color', 0],
  ['diag_type', 0], ['left', 0], ['left_color', 0], ['right', 0], ['right_color', 0], ['top', 0], ['top_color', 0],
  ['indent', 0], ['shrink', 0], ['merge_range', 0], ['reading_order', 0], ['just_distrib', 0], ['color_indexed', 0],
  ['font_only', 0],
];

function camel(s: string): string {
  return s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** Wire name -> Format field, for the scalar fields. */
const FIELD_OF: ReadonlyMap<string, string> = new Map(FIELD_DEFAULTS.map(([k]) => [k, camel(k)]));

/** The property names a props set may carry (the schema of add_format's props uses it). */
export const FORMAT_PROP_NAMES: readonly string[] = [...FIELD_DEFAULTS.map(([k]) => k), 'xf_index', 'dxf_index', 'type'];

export class Format {
  /** Workbook::{_formats} position (the shim's format index). */
  readonly idx: number;
  xfIndex: number | undefined = undefined;
  dxfIndex: number | undefined = undefined;
  numFormat: PerlScalar = 'General';
  numFormatIndex: PerlScalar = 0;
  fontIndex: PerlScalar = 0;
  hasFont: PerlScalar = 0;
  hasDxfFont: PerlScalar = 0;
  font: PerlScalar = 'Calibri';
  size: PerlScalar = 11;
  bold: PerlScalar = 0;
  italic: PerlScalar = 0;
  color: PerlScalar = 0;
  underline: PerlScalar = 0;
  fontStrikeout: PerlScalar = 0;
  fontOutline: PerlScalar = 0;
  fontShadow: PerlScalar = 0;
  fontScript: PerlScalar = 0;
  fontFamily: PerlScalar = 2;
  fontCharset: PerlScalar = 0;
  fontScheme: PerlScalar = 'minor';
  fontCondense: PerlScalar = 0;
  fontExtend: PerlScalar = 0;
  theme: PerlScalar = 0;
  hyperlink: PerlScalar = 0;
  xfId: PerlScalar = 0;
  hidden: PerlScalar = 0;
  locked: PerlScalar = 1;
  textHAlign: PerlScalar = 0;
  textWrap: PerlScalar = 0;
  textVAlign: PerlScalar = 0;
  textJustlast: PerlScalar = 0;
  rotation: PerlScalar = 0;
  fgColor: PerlScalar = 0;
  bgColor: PerlScalar = 0;
  pattern: PerlScalar = 0;
  hasFill: PerlScalar = 0;
  hasDxfFill: PerlScalar = 0;
  fillIndex: PerlScalar = 0;
  fillCount: PerlScalar = 0;
  borderIndex: PerlScalar = 0;
  hasBorder: PerlScalar = 0;
  hasDxfBorder: PerlScalar = 0;
  borderCount: PerlScalar = 0;
  bottom: PerlScalar = 0;
  bottomColor: PerlScalar = 0;
  diagBorder: PerlScalar = 0;
  diagColor: PerlScalar = 0;
  diagType: PerlScalar = 0;
  left: PerlScalar = 0;
  leftColor: PerlScalar = 0;
  right: PerlScalar = 0;
  rightColor: PerlScalar = 0;
  top: PerlScalar = 0;
  topColor: PerlScalar = 0;
  indent: PerlScalar = 0;
  shrink: PerlScalar = 0;
  mergeRange: PerlScalar = 0;
  readingOrder: PerlScalar = 0;
  justDistrib: PerlScalar = 0;
  colorIndexed: PerlScalar = 0;
  fontOnly: PerlScalar = 0;
  /** set_type's value, when it was called */
  type: PerlScalar | undefined = undefined;
  /** _prepare_fills' copies of a dxf format's colours (before the solid-fill swap of xf formats) */
  dxfBgColor: PerlScalar = 0;
  dxfFgColor: PerlScalar = 0;

  constructor(idx: number) {
    this.idx = idx;
  }
}

type Fields = Record<string, PerlScalar | number | undefined>;

/**
 * Puts a props set (the shim's whole Format state: fields left out have their default) onto a Format.
 * xf_index/dxf_index left out keep what get_xf_index/get_dxf_index assigned here.
 */
export function setFormatProps(f: Format, props: Readonly<Record<string, unknown>>): void {
  const t = f as unknown as Fields;
  for (const [k, d] of FIELD_DEFAULTS) t[camel(k)] = d;
  f.type = undefined;
  for (const [k, v] of Object.entries(props)) {
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`excel: format property ${k}: not a scalar`);
    if (k === 'xf_index') f.xfIndex = v === '' ? undefined : Math.trunc(pnum(v));
    else if (k === 'dxf_index') f.dxfIndex = v === '' ? undefined : Math.trunc(pnum(v));
    else if (k === 'type') f.type = v;
    else {
      const field = FIELD_OF.get(k);
      if (!field) throw new Error(`excel: unknown format property ${k}`);
      t[field] = v;
    }
  }
}

/** A new Format from a props set. */
export function formatFromProps(idx: number, props: Readonly<Record<string, unknown>>): Format {
  const f = new Format(idx);
  setFormatProps(f, props);
  return f;
}

function join(vals: PerlScalar[]): string {
  return vals.map(pstr).join(':');
}

/** Format::get_font_key. */
export function fontKey(f: Format): string {
  return join([f.bold, f.color, f.fontCharset, f.fontFamily, f.fontOutline, f.fontScript, f.fontShadow, f.fontStrikeout,
    f.font, f.italic, f.size, f.underline, f.theme]);
}

/** Format::get_border_key. */
export function borderKey(f: Format): string {
  return join([f.bottom, f.bottomColor, f.diagBorder, f.diagColor, f.diagType, f.left, f.leftColor, f.right, f.rightColor,
    f.top, f.topColor]);
}

/** Format::get_fill_key. */
export function fillKey(f: Format): string {
  return join([f.pattern, f.bgColor, f.fgColor]);
}

/** Format::get_alignment_key. */
export function alignmentKey(f: Format): string {
  return join([f.textHAlign, f.textVAlign, f.indent, f.rotation, f.textWrap, f.shrink, f.readingOrder]);
}

/** Format::get_format_key. */
export function formatKey(f: Format): string {
  return [fontKey(f), borderKey(f), fillKey(f), alignmentKey(f), pstr(f.numFormat), pstr(f.locked), pstr(f.hidden)].join(':');
}

/** Workbook::{_xf_format_indices} and {_dxf_format_indices}: format key -> index. */
export interface FormatIndices {
  readonly xf: Map<string, number>;
  readonly dxf: Map<string, number>;
}

export function newFormatIndices(): FormatIndices {
  return { xf: new Map(), dxf: new Map() };
}

/**
 * Format::get_xf_index: the index of the first format with this key (1, 2, ... in the order they are
 * first asked for); only that first format keeps it (the others ask again each time).
 */
export function getXfIndex(f: Format, ix: FormatIndices): number {
  if (f.xfIndex !== undefined) return f.xfIndex;
  const key = formatKey(f);
  const known = ix.xf.get(key);
  if (known !== undefined) return known;
  const index = 1 + ix.xf.size;
  ix.xf.set(key, index);
  f.xfIndex = index;
  return index;
}

/** Format::get_dxf_index: as get_xf_index, from 0. */
export function getDxfIndex(f: Format, ix: FormatIndices): number {
  if (f.dxfIndex !== undefined) return f.dxfIndex;
  const key = formatKey(f);
  const known = ix.dxf.get(key);
  if (known !== undefined) return known;
  const index = ix.dxf.size;
  ix.dxf.set(key, index);
  f.dxfIndex = index;
  return index;
}

/**
 * Format::get_align_properties: whether any alignment property changed, and the <alignment>
 * attributes. Like the real method it settles mutually exclusive properties on the format itself.
 */
export function alignProperties(f: Format): { changed: boolean; attrs: Attrs } {
  const n = pnum;
  const changed = n(f.textHAlign) !== 0 || n(f.textVAlign) !== 0 || n(f.indent) !== 0 || n(f.rotation) !== 0
    || n(f.textWrap) !== 0 || n(f.shrink) !== 0 || n(f.readingOrder) !== 0;
  if (!changed) return { changed, attrs: [] };
  // indent only goes with left, right and distributed: anything else becomes left
  if (ptrue(f.indent) && n(f.textHAlign) !== 1 && n(f.textHAlign) !== 3 && n(f.textHAlign) !== 7) f.textHAlign = 1;
  const h = n(f.textHAlign);
  if (ptrue(f.textWrap)) f.shrink = 0;
  if (h === 4 || h === 5 || h === 7) f.shrink = 0;
  if (h !== 7) f.justDistrib = 0;
  if (ptrue(f.indent)) f.justDistrib = 0;
  const a: [string, PerlScalar][] = [];
  const horizontal = ['', 'left', 'center', 'right', 'fill', 'justify', 'centerContinuous', 'distributed'][h];
  if (horizontal) a.push(['horizontal', horizontal]);
  if (ptrue(f.justDistrib)) a.push(['justifyLastLine', 1]);
  const v = n(f.textVAlign);
  // vertical 'bottom' (3) is the default: applyAlignment without an attribute
  const vertical = v === 1 ? 'top' : v === 2 ? 'center' : v === 4 ? 'justify' : v === 5 ? 'distributed' : '';
  if (vertical) a.push(['vertical', vertical]);
  if (ptrue(f.indent)) a.push(['indent', f.indent]);
  if (ptrue(f.rotation)) a.push(['textRotation', f.rotation]);
  if (ptrue(f.textWrap)) a.push(['wrapText', 1]);
  if (ptrue(f.shrink)) a.push(['shrinkToFit', 1]);
  if (n(f.readingOrder) === 1) a.push(['readingOrder', 1]);
  if (n(f.readingOrder) === 2) a.push(['readingOrder', 2]);
  return { changed, attrs: a };
}

/** Format::get_protection_properties. */
export function protectionProperties(f: Format): Attrs {
  const a: [string, number][] = [];
  if (!ptrue(f.locked)) a.push(['locked', 0]);
  if (ptrue(f.hidden)) a.push(['hidden', 1]);
  return a;
}

/** JSON schema of a props set (add_format's `props`): the known fields, each a Perl scalar. */
export const formatPropsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(FORMAT_PROP_NAMES.map((k) => [k, { type: ['string', 'number'], maxLength: 100_000 }])),
};
