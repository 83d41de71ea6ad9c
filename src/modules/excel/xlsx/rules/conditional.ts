// conditionalFormatting elements (Worksheet::_write_conditional_formats and _write_cf_rule).
import type { XmlWriter } from '../xml';
import { perlTrue, type CondFormat, type IconProp, type PerlScalar, type RulesSheet } from './state';

type A = [string, string | number][];

function s(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

function writeFormula(w: XmlWriter, data: unknown): void {
  w.dataElement('formula', s(data).replace(/^=/, ''));
}

function writeCfvo(w: XmlWriter, type: unknown, value: unknown, criteria?: unknown): void {
  const a: A = [['type', s(type)]];
  if (value !== null && value !== undefined) a.push(['val', s(value)]);
  if (perlTrue(criteria)) a.push(['gte', 0]);
  w.emptyTag('cfvo', a);
}

const CELL_REF = /(\$?)([A-Z]{1,3})(\$?)(\d+)/;
const NUMBER = /^([+-]?)(?=\d|\.\d)\d*(\.\d*)?([Ee]([+-]?\d+))?$/;

/** A cellIs value: strings are quoted, apart from numbers and ranges. */
function cellValue(v: PerlScalar): string {
  let value = s(v);
  if (!CELL_REF.test(value) && !NUMBER.test(value) && !/^".*"$/.test(value)) value = `"${value}"`;
  return value;
}

function writeColorScale(w: XmlWriter, p: CondFormat): void {
  w.startTag('colorScale');
  writeCfvo(w, p.min_type, p.min_value);
  if (p.mid_type !== null && p.mid_type !== undefined) writeCfvo(w, p.mid_type, p.mid_value);
  writeCfvo(w, p.max_type, p.max_value);
  w.emptyTag('color', [['rgb', s(p.min_color)]]);
  if (p.mid_color !== null && p.mid_color !== undefined) w.emptyTag('color', [['rgb', s(p.mid_color)]]);
  w.emptyTag('color', [['rgb', s(p.max_color)]]);
  w.endTag('colorScale');
}

function writeDataBar(w: XmlWriter, p: CondFormat): void {
  w.startTag('dataBar', perlTrue(p.bar_only) ? [['showValue', 0]] : []);
  writeCfvo(w, p.min_type, p.min_value);
  writeCfvo(w, p.max_type, p.max_value);
  w.emptyTag('color', [['rgb', s(p.bar_color)]]);
  w.endTag('dataBar');
}

export const X14_NS = 'http://schemas.microsoft.com/office/spreadsheetml/2009/9/main';

/** An <ext> start tag with the x14 namespace (Worksheet::_write_ext). */
export function writeExt(w: XmlWriter, uri: string): void {
  w.startTag('ext', [['xmlns:x14', X14_NS], ['uri', uri]]);
}

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}

/** The extLst of a 2010 data bar: its pseudo GUID, kept for the worksheet's extLst. */
function writeDataBarExt(w: XmlWriter, p: CondFormat, sheet: RulesSheet): void {
  const st = sheet.rules;
  p._guid = `{DA7ABA51-AAAA-BBBB-${hex(sheet.index + 1, 4)}-${hex(st.dataBars2010.length + 1, 12)}}`;
  st.dataBars2010.push(p);
  w.startTag('extLst');
  writeExt(w, '{B025F937-C7B1-47D3-B67F-A62EFF666E3E}');
  w.dataElement('x14:id', p._guid);
  w.endTag('ext');
  w.endTag('extLst');
}

function writeIconSet(w: XmlWriter, p: CondFormat): void {
  const style = s(p.icon_style);
  const a: A = style !== '3TrafficLights' ? [['iconSet', style]] : [];
  if (perlTrue(p.icons_only)) a.push(['showValue', 0]);
  if (perlTrue(p.reverse_icons)) a.push(['reverse', 1]);
  w.startTag('iconSet', a);
  const icons: IconProp[] = [...(p.icons ?? [])].reverse();
  for (const icon of icons) writeCfvo(w, icon.type, icon.value, icon.criteria);
  w.endTag('iconSet');
}

const TEXT_TYPES = new Set(['containsText', 'notContainsText', 'beginsWith', 'endsWith']);
const FORMULA_TYPES = new Set(['containsBlanks', 'notContainsBlanks', 'containsErrors', 'notContainsErrors']);

function writeCfRule(w: XmlWriter, p: CondFormat, sheet: RulesSheet): void {
  const a: A = [['type', p.type]];
  if (p.format !== undefined && p.format !== null) a.push(['dxfId', p.format]);
  a.push(['priority', p.priority]);
  if (perlTrue(p.stop_if_true)) a.push(['stopIfTrue', 1]);
  const t = p.type;
  if (t === 'cellIs') {
    a.push(['operator', s(p.criteria)]);
    w.startTag('cfRule', a);
    if (p.minimum !== null && p.minimum !== undefined && p.maximum !== null && p.maximum !== undefined) {
      writeFormula(w, p.minimum);
      writeFormula(w, p.maximum);
    } else {
      writeFormula(w, cellValue(p.value as PerlScalar));
    }
    w.endTag('cfRule');
  } else if (t === 'aboveAverage') {
    const c = s(p.criteria);
    if (/below/.test(c)) a.push(['aboveAverage', 0]);
    if (/equal/.test(c)) a.push(['equalAverage', 1]);
    const m = /([123]) std dev/.exec(c);
    if (m) a.push(['stdDev', m[1]]);
    w.emptyTag('cfRule', a);
  } else if (t === 'top10') {
    if (s(p.criteria) === '%') a.push(['percent', 1]);
    if (perlTrue(p.direction)) a.push(['bottom', 1]);
    a.push(['rank', perlTrue(p.value) ? s(p.value) : 10]);
    w.emptyTag('cfRule', a);
  } else if (t === 'duplicateValues' || t === 'uniqueValues') {
    w.emptyTag('cfRule', a);
  } else if (TEXT_TYPES.has(t)) {
    a.push(['operator', s(p.criteria)], ['text', s(p.value)]);
    w.startTag('cfRule', a);
    writeFormula(w, p.formula);
    w.endTag('cfRule');
  } else if (t === 'timePeriod') {
    a.push(['timePeriod', s(p.criteria)]);
    w.startTag('cfRule', a);
    writeFormula(w, p.formula);
    w.endTag('cfRule');
  } else if (FORMULA_TYPES.has(t)) {
    w.startTag('cfRule', a);
    writeFormula(w, p.formula);
    w.endTag('cfRule');
  } else if (t === 'colorScale') {
    w.startTag('cfRule', a);
    writeColorScale(w, p);
    w.endTag('cfRule');
  } else if (t === 'dataBar') {
    w.startTag('cfRule', a);
    writeDataBar(w, p);
    if (perlTrue(p._is_data_bar_2010)) writeDataBarExt(w, p, sheet);
    w.endTag('cfRule');
  } else if (t === 'expression') {
    w.startTag('cfRule', a);
    writeFormula(w, p.criteria);
    w.endTag('cfRule');
  } else if (t === 'iconSet') {
    w.startTag('cfRule', a);
    writeIconSet(w, p);
    w.endTag('cfRule');
  }
  // any other type (the real module's 'text' with an invalid criteria) writes nothing, as in Perl
}

/** Perl's sort of the ranges: by code point. */
function sortedRanges(keys: Iterable<string>): string[] {
  return [...keys].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

export function writeConditionalFormats(w: XmlWriter, sheet: RulesSheet): void {
  const st = sheet.rules;
  st.dataBars2010 = [];
  for (const range of sortedRanges(st.condFormats.keys())) {
    w.startTag('conditionalFormatting', [['sqref', range]]);
    for (const p of st.condFormats.get(range) ?? []) writeCfRule(w, p, sheet);
    w.endTag('conditionalFormatting');
  }
}
