// The rules' recorded calls: conditional_formatting, data_validation, add_sparkline, autofilter,
// filter_column(_list), protect, unprotect_range, ignore_errors. The shim has done each method's
// checks and the real module's normalisation at call time and sends the resulting parameters;
// replay adds what needs the workbook (dxf indices, palette colours, the rule priorities) and
// stores them in the worksheet's RulesState for the writers.
import type { Schema } from '../../../../kit/types';
import { perlNum } from '../xml';
import { IGNORE_ERROR_KEYS } from '../rules/ignore';
import { sparkStyle, type SparkColorKey } from '../rules/spark-styles';
import {
  paletteColor, perlTrue, type CondFormat, type IconProp, type PerlScalar, type Protection, type RulesBook,
  type RulesSheet, type Sparkline, type Validation,
} from '../rules/state';
import { argList, fmtRef, type FormatRef } from './types';

/** A method of the rules: applies to a worksheet (or chartsheet) implementing RulesSheet. */
export interface RulesMethod {
  args: Schema;
  apply(target: RulesSheet, args: unknown[], wb: RulesBook): void;
}

const scalar: Schema = { type: ['string', 'number', 'null'], maxLength: 32767 };
const range: Schema = { type: 'string', minLength: 1, maxLength: 65536 };
const col: Schema = { type: 'integer', minimum: 0, maximum: 16383 };
const scalars = (max = 64): Schema => ({ type: 'object', maxProperties: max, additionalProperties: scalar });

/** A scalar as Perl prints it. */
function ps(v: unknown): PerlScalar {
  if (v === null || v === undefined) return null;
  return typeof v === 'number' ? perlNum(v) : String(v);
}

function psObject(o: Record<string, unknown>): Record<string, PerlScalar> {
  const out: Record<string, PerlScalar> = {};
  for (const [k, v] of Object.entries(o)) out[k] = ps(v);
  return out;
}

const icon: Schema = { type: 'object', additionalProperties: false, properties: { type: scalar, value: scalar, criteria: scalar } };
const cfParam: Schema = {
  type: 'object', required: ['type'], maxProperties: 64,
  properties: { type: { type: 'string' }, format: { oneOf: [fmtRef, scalar] }, icons: { type: 'array', maxItems: 5, items: icon } },
  additionalProperties: scalar,
};

const CF_COLORS: Record<string, readonly string[]> = {
  colorScale: ['min_color', 'mid_color', 'max_color'],
  dataBar: ['bar_color', 'bar_border_color', 'bar_negative_color', 'bar_negative_border_color', 'bar_axis_color'],
};

const conditionalFormatting: RulesMethod = {
  args: argList([range, cfParam]),
  apply(ws, args, wb) {
    const [rng, raw] = args as [string, Record<string, unknown>];
    const st = ws.rules;
    const { format, icons, ...rest } = raw;
    const p: CondFormat = { ...psObject(rest), type: String(raw.type), priority: 0 };
    if (format !== null && format !== undefined) {
      // a format object: its dxf index now (get_dxf_index at call time); a plain value stays as given
      p.format = typeof format === 'object' ? wb.dxfIndex((format as FormatRef).$fmt) : Number(format);
      // colour scales and data bars take no format (after its dxf index was taken, as in Perl)
      if (p.type === 'colorScale' || p.type === 'dataBar') delete p.format;
    }
    if (Array.isArray(icons)) {
      p.icons = (icons as Record<string, unknown>[]).map((i): IconProp => ({ type: String(ps(i.type) ?? ''), value: ps(i.value), criteria: ps(i.criteria) }));
    }
    p.priority = st.dxfPriority++;
    for (const key of CF_COLORS[p.type] ?? []) {
      const c = p[key];
      if (typeof c === 'string') p[key] = paletteColor(wb, c);
    }
    if (perlTrue(p._is_data_bar_2010)) {
      if (ws.excelVersion !== 2010) st.excel2010Row = Number(p._flushed_row ?? 0) || 0;
      ws.excelVersion = 2010;
    }
    delete p._flushed_row;
    const list = st.condFormats.get(rng);
    if (list) list.push(p);
    else st.condFormats.set(rng, [p]);
  },
};

const dvParam: Schema = {
  type: 'object', required: ['validate', 'criteria', 'cells'], maxProperties: 64,
  properties: {
    validate: { type: 'string' }, criteria: { type: 'string' },
    value: { oneOf: [scalar, { type: 'array', maxItems: 10000, items: scalar }] },
    cells: { type: 'array', minItems: 1, maxItems: 10000, items: { type: 'array', minItems: 4, maxItems: 4, items: { type: 'integer', minimum: 0, maximum: 1048575 } } },
  },
  additionalProperties: scalar,
};

const dataValidation: RulesMethod = {
  args: argList([dvParam]),
  apply(ws, args) {
    const raw = args[0] as Record<string, unknown>;
    const { value, cells, ...rest } = raw;
    const p = psObject(rest);
    const v: Validation = {
      ...p,
      validate: String(raw.validate), criteria: String(raw.criteria),
      value: Array.isArray(value) ? value.map((x) => String(ps(x) ?? '')) : ps(value),
      maximum: p.maximum ?? null, error_type: p.error_type ?? '0',
      ignore_blank: p.ignore_blank ?? null, dropdown: p.dropdown ?? null, show_input: p.show_input ?? null, show_error: p.show_error ?? null,
      cells: cells as number[][],
    };
    ws.rules.validations.push(v);
  },
};

const SPARK_KEYS = ['_type', '_high', '_low', '_negative', '_first', '_last', '_markers', '_min', '_max', '_axis', '_reverse',
  '_hidden', '_weight', '_empty', '_date_axis'];
const sparkParam: Schema = {
  type: 'object', required: ['_type', '_locations', '_ranges'], additionalProperties: false,
  properties: {
    ...Object.fromEntries(SPARK_KEYS.map((k) => [k, scalar])),
    _locations: { type: 'array', minItems: 1, maxItems: 100000, items: { type: 'string', maxLength: 1000 } },
    _ranges: { type: 'array', minItems: 1, maxItems: 100000, items: { type: 'string', maxLength: 10000 } },
  },
};
const COLOR_KEYS: readonly SparkColorKey[] = ['series', 'negative', 'markers', 'first', 'last', 'high', 'low'];

const addSparkline: RulesMethod = {
  // [the mapped sparkline, the style id, the user's colours (series_color, ...)]
  args: argList([sparkParam, { type: 'integer', minimum: 0, maximum: 1000 }, scalars(16)]),
  apply(ws, args, wb) {
    const [raw, styleId, colors] = args as [Record<string, unknown>, number, Record<string, unknown>];
    const { _locations, _ranges, ...rest } = raw;
    const p = psObject(rest);
    const style = sparkStyle(styleId);
    const sl = { ...p, _type: String(raw._type), _locations: _locations as string[], _ranges: _ranges as string[] } as unknown as Sparkline;
    sl._count = sl._locations.length;
    for (const k of COLOR_KEYS) {
      const user = colors[`${k}_color`];
      sl[`_${k}_color`] = perlTrue(user) ? { _rgb: paletteColor(wb, String(ps(user))) } : style[k];
    }
    ws.rules.sparklines.push(sl);
  },
};

const autofilter: RulesMethod = {
  // [defined name area, autoFilter ref, first col, last col]
  args: argList([range, range, col, col]),
  apply(ws, args) {
    const [area, ref, c1, c2] = args as [string, string, number, number];
    const st = ws.rules;
    st.autofilter = area;
    st.autofilterRef = ref;
    st.filterRange = [c1, c2];
  },
};

const tokens = (min: number, max: number): Schema => ({ type: 'array', minItems: min, maxItems: max, items: scalar });

function setFilter(ws: RulesSheet, col: number, toks: unknown[], type: number): void {
  const st = ws.rules;
  st.filterCols.set(col, toks.map((t) => String(ps(t) ?? '')));
  st.filterType.set(col, type);
  st.filterOn = true;
  ws.filterOn = 1;
}

const filterColumn: RulesMethod = {
  // [column, the parsed tokens: operator, value (, join, operator, value)]
  args: argList([col, { oneOf: [tokens(2, 2), tokens(5, 5)] }]),
  apply(ws, args) {
    setFilter(ws, args[0] as number, args[1] as unknown[], 0);
  },
};

const filterColumnList: RulesMethod = {
  args: argList([col, tokens(1, 100000)]),
  apply(ws, args) {
    setFilter(ws, args[0] as number, args[1] as unknown[], 1);
  },
};

const protect: RulesMethod = {
  // the options after the defaults and the encoded password (Worksheet::protect's %defaults)
  args: argList([scalars(32)]),
  apply(ws, args) {
    ws.rules.protect = psObject(args[0] as Record<string, unknown>) as Protection;
  },
};

const unprotectRange: RulesMethod = {
  // [sqref, name, encoded password or null]
  args: argList([range, { type: 'string', maxLength: 1000 }, scalar]),
  apply(ws, args) {
    const [sqref, name, pw] = args as [string, string, unknown];
    const st = ws.rules;
    st.numProtectedRanges++;
    st.protectedRanges.push([sqref, name, ps(pw)]);
  },
};

const ignoreErrors: RulesMethod = {
  args: argList([{ type: 'object', additionalProperties: false, properties: Object.fromEntries(IGNORE_ERROR_KEYS.map((k) => [k, scalar])) }]),
  apply(ws, args) {
    const o = psObject(args[0] as Record<string, unknown>);
    ws.rules.ignoreErrors = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v ?? '']));
  },
};

export const rulesMethods: Record<string, RulesMethod> = {
  conditional_formatting: conditionalFormatting,
  data_validation: dataValidation,
  add_sparkline: addSparkline,
  autofilter,
  filter_column: filterColumn,
  filter_column_list: filterColumnList,
  protect,
  unprotect_range: unprotectRange,
  ignore_errors: ignoreErrors,
};
