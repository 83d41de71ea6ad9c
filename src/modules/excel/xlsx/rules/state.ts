// The rules of one worksheet: conditional formats, data validations, sparklines, the autofilter,
// protection and ignored errors, held in the real module's Worksheet fields (camelCase). The Perl
// shim does each method's argument checks and normalisation at call time (as the real method does)
// and sends the normalised parameters; replay (methods/rules.ts) stores them here; the writers
// (the other files of this directory) turn them into the worksheet XML at close.

/** A parameter hash as the shim sends it: scalars are Perl strings (undef is null). */
export type PerlScalar = string | null;

/** Worksheet->{_protect}: the protect() options (snake_case keys, as the real module) and the encoded password. */
export interface Protection {
  [option: string]: PerlScalar;
}

/** One unprotect_range() call: [sqref, name, encoded password or null]. */
export type ProtectedRange = [string, string, string | null];

/** A data_validation() parameter hash after the real module's checks (validate, criteria, value, ...). */
export interface Validation {
  validate: string;
  criteria: string;
  /** formula1: a string, or a list's items */
  value: PerlScalar | string[];
  maximum: PerlScalar;
  error_type: string;
  ignore_blank: PerlScalar;
  dropdown: PerlScalar;
  show_input: PerlScalar;
  show_error: PerlScalar;
  input_title?: PerlScalar;
  input_message?: PerlScalar;
  error_title?: PerlScalar;
  error_message?: PerlScalar;
  /** [row1, col1, row2, col2] per range */
  cells: number[][];
}

/** One icon of an icon set: cfvo type, value and the criteria flag (1 for >=). */
export interface IconProp {
  type: string;
  value: PerlScalar;
  criteria: PerlScalar;
}

/** A conditional_formatting() parameter hash (the real module's keys), plus what replay adds. */
export interface CondFormat {
  [key: string]: PerlScalar | IconProp[] | number | undefined;
  type: string;
  /** dxf index (replay resolves the format reference), or undefined */
  format?: number;
  priority: number;
  icons?: IconProp[];
  /** the pseudo GUID of a 2010 data bar, set when the worksheet is written */
  _guid?: string;
}

/** A spark colour: rgb, or theme and tint. */
export interface SparkColor {
  _rgb?: string;
  _theme?: string;
  _tint?: string;
}

/** An add_sparkline() group after the real module's mapping (Worksheet's _sparklines entries). */
export interface Sparkline {
  _type: string;
  _locations: string[];
  _ranges: string[];
  _count: number;
  _high: PerlScalar;
  _low: PerlScalar;
  _negative: PerlScalar;
  _first: PerlScalar;
  _last: PerlScalar;
  _markers: PerlScalar;
  _min: PerlScalar;
  _max: PerlScalar;
  _axis: PerlScalar;
  _reverse: PerlScalar;
  _hidden: PerlScalar;
  _weight: PerlScalar;
  _empty: PerlScalar;
  _date_axis: PerlScalar;
  _series_color: SparkColor;
  _negative_color: SparkColor;
  _markers_color: SparkColor;
  _first_color: SparkColor;
  _last_color: SparkColor;
  _high_color: SparkColor;
  _low_color: SparkColor;
}

export interface RulesState {
  /** _protect: null until protect() */
  protect: Protection | null;
  protectedRanges: ProtectedRange[];
  numProtectedRanges: number;
  /** _autofilter: the area for the _xlnm._FilterDatabase name ('Sheet1!$A$1:$D$51'), '' without one */
  autofilter: string;
  /** _autofilter_ref: the autoFilter element's ref ('A1:D51') */
  autofilterRef: string;
  /** _filter_range: [first col, last col] */
  filterRange: number[];
  /** _filter_cols: tokens per column */
  filterCols: Map<number, string[]>;
  /** _filter_type: 1 list filter, 0 custom filter */
  filterType: Map<number, number>;
  /** _filter_on: sheetPr filterMode and the filterColumn elements */
  filterOn: boolean;
  validations: Validation[];
  /** _cond_formats: rules by range, written in sorted range order */
  condFormats: Map<string, CondFormat[]>;
  /** _data_bars_2010: filled while the conditional formats are written */
  dataBars2010: CondFormat[];
  useDataBars2010: boolean;
  dxfPriority: number;
  /**
   * Constant memory mode: the rows before this one were already written when a 2010 data bar made
   * the sheet Excel 2010, so they have no x14ac:dyDescent (the real module writes rows as it goes).
   */
  excel2010Row: number;
  sparklines: Sparkline[];
  /** _ignore_errors: null until ignore_errors() */
  ignoreErrors: Record<string, string> | null;
}

export function newRulesState(): RulesState {
  return {
    protect: null,
    protectedRanges: [],
    numProtectedRanges: 0,
    autofilter: '',
    autofilterRef: '',
    filterRange: [],
    filterCols: new Map(),
    filterType: new Map(),
    filterOn: false,
    validations: [],
    condFormats: new Map(),
    dataBars2010: [],
    useDataBars2010: false,
    dxfPriority: 1,
    excel2010Row: 0,
    sparklines: [],
    ignoreErrors: null,
  };
}

/** Perl's truth of a scalar as the shim sends it. */
export function perlTrue(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v !== '' && v !== '0';
  return true;
}

/**
 * What the rules need from the worksheet they belong to (core's Worksheet implements it).
 */
export interface RulesSheet {
  /** this worksheet's rules (newRulesState()) */
  readonly rules: RulesState;
  /** Worksheet::{_index}: the 2010 data bars' pseudo GUIDs number the worksheet */
  readonly index: number;
  /** Worksheet::{_excel_version}: 2010 once a 2010 data bar is added (mc/x14ac namespaces, row dyDescent) */
  excelVersion: number;
  /** Worksheet::{_filter_on}: sheetPr filterMode */
  filterOn: number;
}

/** What the rules need from the workbook (core's Workbook implements it, as for notes). */
export interface RulesBook {
  /** Workbook::{_palette}: [r, g, b, 0] for colour indices 8.. (after set_custom_color). */
  readonly palette: readonly (readonly number[])[];
  /** Format::get_dxf_index of the format a call referenced as {"$fmt": index}, at call time. */
  dxfIndex(formatRef: number): number;
}

/** Worksheet::_get_palette_color: '#RRGGBB' or a palette index (8..63) as 'FFRRGGBB'. */
export function paletteColor(book: RulesBook, color: string): string {
  const m = /^#([0-9A-F]{6})$/i.exec(color);
  if (m) return `FF${m[1].toUpperCase()}`;
  // Perl numifies the index (a name is 0) and indexes from the end when negative
  const n = Math.trunc(Number.parseFloat(color)) || 0;
  const pal = book.palette;
  let i = n - 8;
  if (i < 0) i += pal.length;
  const rgb = pal[i] ?? [0, 0, 0];
  const h = (x: number | undefined): string => (x ?? 0).toString(16).toUpperCase().padStart(2, '0');
  return `FF${h(rgb[0])}${h(rgb[1])}${h(rgb[2])}`;
}
