// Chart.pm's state and public methods, replayed from the call log: the caller's options are
// converted here exactly as the real module converts them at call time (its internal hashes keep
// their `_` keys: see perl.ts). The subclasses' differences are the type's defaults (types.ts) and
// its XML (write.ts).
import { palette as defaultPalette } from '../palette';
import { defined, g, looksNumeric, num, quoteSheetname, rangeFormula, rowcolToCell, str, truthy, type Dict } from './perl';
import { applyTypeDefaults } from './types';

export const CHART_TYPES = ['area', 'bar', 'column', 'doughnut', 'line', 'pie', 'radar', 'scatter', 'stock'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

const DASH_TYPES: Dict = {
  solid: 'solid', round_dot: 'sysDot', square_dot: 'sysDash', dash: 'dash', dash_dot: 'dashDot', long_dash: 'lgDash',
  long_dash_dot: 'lgDashDot', long_dash_dot_dot: 'lgDashDotDot', dot: 'dot', system_dash_dot: 'sysDashDot',
  system_dash_dot_dot: 'sysDashDotDot',
};

const PATTERN_TYPES: Dict = {
  percent_5: 'pct5', percent_10: 'pct10', percent_20: 'pct20', percent_25: 'pct25', percent_30: 'pct30', percent_40: 'pct40',
  percent_50: 'pct50', percent_60: 'pct60', percent_70: 'pct70', percent_75: 'pct75', percent_80: 'pct80', percent_90: 'pct90',
  light_downward_diagonal: 'ltDnDiag', light_upward_diagonal: 'ltUpDiag', dark_downward_diagonal: 'dkDnDiag',
  dark_upward_diagonal: 'dkUpDiag', wide_downward_diagonal: 'wdDnDiag', wide_upward_diagonal: 'wdUpDiag',
  light_vertical: 'ltVert', light_horizontal: 'ltHorz', narrow_vertical: 'narVert', narrow_horizontal: 'narHorz',
  dark_vertical: 'dkVert', dark_horizontal: 'dkHorz', dashed_downward_diagonal: 'dashDnDiag', dashed_upward_diagonal: 'dashUpDiag',
  dashed_horizontal: 'dashHorz', dashed_vertical: 'dashVert', small_confetti: 'smConfetti', large_confetti: 'lgConfetti',
  zigzag: 'zigZag', wave: 'wave', diagonal_brick: 'diagBrick', horizontal_brick: 'horzBrick', weave: 'weave', plaid: 'plaid',
  divot: 'divot', dotted_grid: 'dotGrid', dotted_diamond: 'dotDmnd', shingle: 'shingle', trellis: 'trellis', sphere: 'sphere',
  small_grid: 'smGrid', large_grid: 'lgGrid', small_check: 'smCheck', large_check: 'lgCheck', outlined_diamond: 'openDmnd',
  solid_diamond: 'solidDmnd',
};

const GRADIENT_TYPES: Dict = { linear: 'linear', radial: 'circle', rectangular: 'rect', path: 'shape' };

const MARKER_TYPES: Dict = {
  automatic: 'automatic', none: 'none', square: 'square', diamond: 'diamond', triangle: 'triangle', x: 'x', star: 'star',
  dot: 'dot', short_dash: 'dot', dash: 'dash', long_dash: 'dash', circle: 'circle', plus: 'plus', picture: 'picture',
};

const TRENDLINE_TYPES: Dict = {
  exponential: 'exp', linear: 'linear', log: 'log', moving_average: 'movingAvg', polynomial: 'poly', power: 'power',
};

const ERROR_TYPES: Dict = {
  fixed: 'fixedVal', percentage: 'percentage', standard_deviation: 'stdDev', standard_error: 'stdErr', custom: 'cust',
};

const DISPLAY_UNITS: Dict = {
  hundreds: 'hundreds', thousands: 'thousands', ten_thousands: 'tenThousands', hundred_thousands: 'hundredThousands',
  millions: 'millions', ten_millions: 'tenMillions', hundred_millions: 'hundredMillions', billions: 'billions', trillions: 'trillions',
};

const TICK_TYPES: Dict = { outside: 'out', inside: 'in', none: 'none', cross: 'cross' };

const SEPARATORS: Dict = { ',': ', ', ';': '; ', '.': '. ', '\n': '\n', ' ': ' ' };

const SWE_PATTERNS: Dict = {
  0: 'solid', 1: 'dash', 2: 'dot', 3: 'dash_dot', 4: 'long_dash_dot_dot', 5: 'none', 6: 'solid', 7: 'solid', 8: 'solid',
  solid: 'solid', dash: 'dash', dot: 'dot', 'dash-dot': 'dash_dot', 'dash-dot-dot': 'long_dash_dot_dot', none: 'none',
  'dark-gray': 'solid', 'medium-gray': 'solid', 'light-gray': 'solid',
};

const SWE_WEIGHTS: Dict = { 1: 0.25, 2: 1, 3: 2, 4: 3, hairline: 0.25, narrow: 1, medium: 2, wide: 3 };

/** Format::_get_color's named colours. */
const NAMED_COLORS: Dict = {
  aqua: 0x0f, cyan: 0x0f, black: 0x08, blue: 0x0c, brown: 0x10, magenta: 0x0e, fuchsia: 0x0e, gray: 0x17, grey: 0x17,
  green: 0x11, lime: 0x0b, navy: 0x12, orange: 0x35, pink: 0x21, purple: 0x14, red: 0x0a, silver: 0x16, white: 0x09, yellow: 0x0d,
};

const has = (d: Dict | undefined, k: string) => d !== undefined && d !== null && Object.prototype.hasOwnProperty.call(d, k);

export class Chart {
  subtype: string | undefined;
  id = -1;
  embedded = 0;
  seriesIndex = 0;
  styleId = 2;
  axisIds: (string | number)[] = [];
  axis2Ids: (string | number)[] = [];
  catHasNumFmt = 0;
  requiresCategory = 0;
  legend: Dict = {};
  catAxisPosition = 'b';
  valAxisPosition = 'l';
  formulaIds = new Map<string, number>();
  formulaData: unknown[] = [];
  horizCatAxis = 0;
  horizValAxis = 1;
  protection = 0;
  chartarea: Dict = {};
  plotarea: Dict = {};
  xAxis: Dict = {};
  yAxis: Dict = {};
  y2Axis: Dict = {};
  x2Axis: Dict = {};
  chartName = '';
  showBlanks = 'gap';
  showHiddenData = 0;
  showCrosses = 1;
  width = 480;
  height = 288;
  xScale = 1;
  yScale = 1;
  xOffset = 0;
  yOffset = 0;
  table: Dict | undefined;
  smoothAllowed = 0;
  crossBetween = 'between';
  dateCategory = 0;
  alreadyInserted = 0;
  combined: Chart | undefined;
  isSecondary = 0;
  labelPositions: Dict = {};
  labelPositionDefault = '';
  series: Dict[] = [];
  /** the workbook's palette (shared: set_custom_color after add_chart still counts) */
  palette: number[][] = defaultPalette();
  defaultMarker: Dict | undefined;
  varyDataColor = 0;
  holeSize = 50;
  rotation = 0;
  seriesGap1: unknown;
  seriesGap2: unknown;
  seriesOverlap1: unknown;
  seriesOverlap2: unknown;
  titleName: unknown;
  titleFormula: unknown;
  titleDataId: number | undefined;
  titleFont: Dict | undefined;
  titleLayout: Dict | undefined;
  titleOverlay: unknown;
  titleNone: unknown;
  upDownBars: Dict | undefined;
  dropLines: Dict | undefined;
  hiLowLines: Dict | undefined;
  /**
   * The real module's warnings while it converts options at call time: the shim gives them when the
   * method is called (CPANBridge::Excel::Chart::Check), so replay is silent.
   */
  warn: (msg: string) => void = () => undefined;
  /** Its warnings while it writes the chart (an unknown colour): at close, as the real module. */
  warnAtClose: (msg: string) => void = () => undefined;

  constructor(readonly type: ChartType, subtype?: string) {
    this.subtype = subtype;
    this.setDefaultProperties();
    applyTypeDefaults(this);
  }

  // --- public methods --------------------------------------------------------------------------

  addSeries(arg: Dict): void {
    if (!has(arg, 'values')) throw new Error("Must specify 'values' in add_series()");
    if (this.requiresCategory && !has(arg, 'categories')) throw new Error("Must specify 'categories' in add_series() for this chart type");
    if (this.series.length === 255) {
      this.warn('The maximum number of series that can be added to an Excel Chart is 255');
      return;
    }
    const values = this.arefToFormula(arg.values);
    const categories = this.arefToFormula(arg.categories);
    const [name, nameFormula] = this.processNames(arg.name, arg.name_formula);
    const catId = this.getDataId(categories, arg.categories_data);
    const valId = this.getDataId(values, arg.values_data);
    const nameId = this.getDataId(nameFormula, arg.name_data);
    const f: Dict = {};
    this.fillFormatting(arg, f);
    const marker = this.getMarkerProperties(arg.marker);
    const trendline = this.getTrendlineProperties(arg.trendline);
    const yErrorBars = this.getErrorBarsProperties(arg.y_error_bars);
    const xErrorBars = this.getErrorBarsProperties(arg.x_error_bars);
    const points = this.getPointsProperties(arg.points);
    const labels = this.getLabelsProperties(arg.data_labels);
    if (truthy(arg.x2_axis) || truthy(arg.y2_axis)) this.isSecondary = 1;
    if (defined(arg.gap)) {
      if (truthy(arg.y2_axis)) this.seriesGap2 = arg.gap;
      else this.seriesGap1 = arg.gap;
    }
    if (defined(arg.overlap)) {
      if (truthy(arg.y2_axis)) this.seriesOverlap2 = arg.overlap;
      else this.seriesOverlap1 = arg.overlap;
    }
    this.series.push({
      _values: values, _categories: categories, _name: name, _name_formula: nameFormula, _name_id: nameId,
      _val_data_id: valId, _cat_data_id: catId, _line: f._line, _fill: f._fill, _pattern: f._pattern, _gradient: f._gradient,
      _marker: marker, _trendline: trendline, _smooth: arg.smooth, _labels: labels, _invert_if_neg: arg.invert_if_negative,
      _x2_axis: arg.x2_axis, _y2_axis: arg.y2_axis, _points: points,
      _error_bars: { _x_error_bars: xErrorBars, _y_error_bars: yErrorBars },
    });
  }

  setXAxis(arg: Dict = {}): void { this.xAxis = this.convertAxisArgs(this.xAxis, arg); }
  setYAxis(arg: Dict = {}): void { this.yAxis = this.convertAxisArgs(this.yAxis, arg); }
  setX2Axis(arg: Dict = {}): void { this.x2Axis = this.convertAxisArgs(this.x2Axis, arg); }
  setY2Axis(arg: Dict = {}): void { this.y2Axis = this.convertAxisArgs(this.y2Axis, arg); }

  setTitle(arg: Dict): void {
    const [name, nameFormula] = this.processNames(arg.name, arg.name_formula);
    this.titleName = name;
    this.titleFormula = nameFormula;
    this.titleDataId = this.getDataId(nameFormula, arg.data);
    this.titleFont = this.convertFontArgs(arg.name_font);
    this.titleLayout = this.getLayoutProperties(arg.layout, true);
    this.titleOverlay = arg.overlay;
    this.titleNone = arg.none;
  }

  setLegend(arg: Dict): void { this.legend = this.getLegendProperties(arg); }
  setPlotarea(arg: Dict): void { this.plotarea = this.getAreaProperties(arg); }
  setChartarea(arg: Dict): void { this.chartarea = this.getAreaProperties(arg); }

  setStyle(styleId?: unknown): void {
    let s = defined(styleId) ? num(styleId) : 2;
    if (s < 0 || s > 48) s = 2;
    this.styleId = s;
  }

  showBlanksAs(option?: unknown): void {
    if (!truthy(option)) return;
    const o = str(option);
    if (!['gap', 'zero', 'span'].includes(o)) {
      this.warn(`Unknown show_blanks_as() option '${o}'\n`);
      return;
    }
    this.showBlanks = o;
  }

  setShowHiddenData(): void { this.showHiddenData = 1; }

  setSize(a: Dict): void {
    if (truthy(a.width)) this.width = num(a.width);
    if (truthy(a.height)) this.height = num(a.height);
    if (truthy(a.x_scale)) this.xScale = num(a.x_scale);
    if (truthy(a.y_scale)) this.yScale = num(a.y_scale);
    if (truthy(a.x_offset)) this.xOffset = num(a.x_offset);
    if (truthy(a.y_offset)) this.yOffset = num(a.y_offset);
  }

  setTable(a: Dict): void {
    const t: Dict = { _horizontal: 1, _vertical: 1, _outline: 1, _show_keys: 0 };
    if (defined(a.horizontal)) t._horizontal = a.horizontal;
    if (defined(a.vertical)) t._vertical = a.vertical;
    if (defined(a.outline)) t._outline = a.outline;
    if (defined(a.show_keys)) t._show_keys = a.show_keys;
    t._font = this.convertFontArgs(a.font);
    this.table = t;
  }

  setUpDownBars(a: Dict): void {
    const up: Dict = a.up && typeof a.up === 'object' ? { ...a.up } : {};
    const down: Dict = a.down && typeof a.down === 'object' ? { ...a.down } : {};
    if (defined(up.border)) up.line = up.border;
    if (defined(down.border)) down.line = down.border;
    this.upDownBars = {
      _up: { _line: this.getLineProperties(up.line), _fill: this.getFillProperties(up.fill) },
      _down: { _line: this.getLineProperties(down.line), _fill: this.getFillProperties(down.fill) },
    };
  }

  setDropLines(a: Dict): void { this.dropLines = { _line: this.getLineProperties(a.line) }; }
  setHighLowLines(a: Dict): void { this.hiLowLines = { _line: this.getLineProperties(a.line) }; }

  combine(chart: Chart): void {
    if (this.type === 'bar' && !chart.isSecondary) {
      this.warn('Charts combined with Bar charts must be on a secondary axis');
      return;
    }
    if (this.type === 'scatter') {
      this.warn('Combined chart not currently supported with scatter chart as the primary chart');
      return;
    }
    this.combined = chart;
  }

  /** Pie::set_rotation (pie and doughnut) */
  setRotation(rotation?: unknown): void {
    if (!defined(rotation)) return;
    const r = num(rotation);
    if (r >= 0 && r <= 360) this.rotation = r;
    else this.warn(`Chart rotation ${str(rotation)} outside range: 0 <= rotation <= 360`);
  }

  /** Doughnut::set_hole_size */
  setHoleSize(size?: unknown): void {
    if (!defined(size)) return;
    const s = num(size);
    if (s >= 10 && s <= 90) this.holeSize = s;
    else this.warn(`Hole size ${str(size)} outside Excel range: 10 <= size <= 90`);
  }

  // --- conversions (the real module's private helpers) ------------------------------------------

  convertAxisArgs(axis: Dict, user: Dict): Dict {
    const arg: Dict = { ...(axis._defaults ?? {}), ...user };
    const [name, nameFormula] = this.processNames(arg.name, arg.name_formula);
    const dataId = this.getDataId(nameFormula, arg.data);
    const a: Dict = {
      _defaults: axis._defaults, _name: name, _formula: nameFormula, _data_id: dataId, _reverse: arg.reverse,
      _min: arg.min, _max: arg.max, _minor_unit: arg.minor_unit, _major_unit: arg.major_unit,
      _minor_unit_type: arg.minor_unit_type, _major_unit_type: arg.major_unit_type, _log_base: arg.log_base,
      _crossing: arg.crossing, _position_axis: arg.position_axis, _position: arg.position,
      _label_position: arg.label_position, _label_align: arg.label_align, _num_format: arg.num_format,
      _num_format_linked: arg.num_format_linked, _interval_unit: arg.interval_unit, _interval_tick: arg.interval_tick,
      _visible: defined(arg.visible) ? arg.visible : 1, _text_axis: 0,
    };
    if (truthy(arg.major_gridlines) && truthy(arg.major_gridlines.visible)) a._major_gridlines = this.getGridlineProperties(arg.major_gridlines);
    if (truthy(arg.minor_gridlines) && truthy(arg.minor_gridlines.visible)) a._minor_gridlines = this.getGridlineProperties(arg.minor_gridlines);
    a._display_units = this.getDisplayUnits(arg.display_units);
    a._display_units_visible = defined(arg.display_units_visible) ? arg.display_units_visible : 1;
    if (defined(a._position)) a._position = str(a._position).toLowerCase().slice(0, 1);
    if (defined(a._position_axis)) {
      if (a._position_axis === 'on_tick') a._position_axis = 'midCat';
      else if (a._position_axis !== 'between') a._position_axis = undefined;
    }
    if (truthy(arg.date_axis)) this.dateCategory = 1;
    if (truthy(arg.text_axis)) {
      this.dateCategory = 0;
      a._text_axis = 1;
    }
    a._num_font = this.convertFontArgs(arg.num_font);
    a._name_font = this.convertFontArgs(arg.name_font);
    a._layout = this.getLayoutProperties(arg.name_layout, true);
    a._line = this.getLineProperties(arg.line);
    a._fill = this.getFillProperties(arg.fill);
    a._minor_tick_mark = this.getTickType(arg.minor_tick_mark);
    a._major_tick_mark = this.getTickType(arg.major_tick_mark);
    return a;
  }

  convertFontArgs(args: Dict | undefined): Dict | undefined {
    if (!truthy(args) || typeof args !== 'object') return undefined;
    const f: Dict = {
      _name: args.name, _color: args.color, _size: args.size, _bold: args.bold, _italic: args.italic,
      _underline: args.underline, _pitch_family: args.pitch_family, _charset: args.charset,
      _baseline: truthy(args.baseline) ? args.baseline : 0, _rotation: args.rotation,
    };
    if (truthy(f._size)) f._size = num(f._size) * 100;
    if (truthy(f._rotation)) f._rotation = 60000 * Math.trunc(num(f._rotation));
    return f;
  }

  arefToFormula(data: unknown): unknown {
    if (!Array.isArray(data)) return data;
    return rangeFormula(data[0], data[1], data[2], data[3], data[4]);
  }

  processNames(name: unknown, nameFormula: unknown): [unknown, unknown] {
    if (defined(name)) {
      if (Array.isArray(name)) {
        const cell = rowcolToCell(num(name[1]), num(name[2]), true, true);
        return ['', `${quoteSheetname(str(name[0]))}!${cell}`];
      }
      if (/^=[^!]+!\$/.test(str(name))) return ['', name];
    }
    return [name, nameFormula];
  }

  getDataType(data: unknown): string {
    if (!Array.isArray(data) || data.length === 0) return 'none';
    if (Array.isArray(data[0])) return 'multi_str';
    for (const t of data) {
      if (!defined(t)) continue;
      if (!looksNumeric(t)) return 'str';
    }
    return 'num';
  }

  getDataId(formula: unknown, data: unknown): number | undefined {
    if (!truthy(formula)) return undefined;
    const f = str(formula).replace(/^=/, '');
    const have = this.formulaIds.get(f);
    if (have === undefined) {
      const id = this.formulaData.length;
      this.formulaData.push(data);
      this.formulaIds.set(f, id);
      return id;
    }
    if (!defined(this.formulaData[have])) this.formulaData[have] = data;
    return have;
  }

  getColor(color: unknown): string {
    if (defined(color) && /^#[0-9a-fA-F]{6}$/.test(str(color))) return str(color).slice(1).toUpperCase();
    let index = Number(formatColorIndex(color));
    if (!index) {
      index = 0x08;
      this.warnAtClose(`Unknown color '${str(color)}' used in chart formatting. Converting to black.\n`);
    }
    return this.paletteColor(index);
  }

  paletteColor(index: number): string {
    const rgb = this.palette[index - 8] ?? [0, 0, 0];
    return rgb.slice(0, 3).map((c) => c.toString(16).toUpperCase().padStart(2, '0')).join('');
  }

  getLineProperties(line: unknown): Dict | undefined {
    if (!truthy(line) || typeof line !== 'object') return { _defined: 0 };
    const l: Dict = { ...(line as Dict) };
    if (defined(l.dash_type)) {
      const t = DASH_TYPES[str(l.dash_type)];
      if (t === undefined || !has(DASH_TYPES, str(l.dash_type))) {
        this.warn(`Unknown dash type '${str(l.dash_type)}'\n`);
        return undefined;
      }
      l.dash_type = t;
    }
    l._defined = 1;
    return l;
  }

  getFillProperties(fill: unknown): Dict {
    // (the real module marks the caller's own hash; each call's arguments are fresh here)
    if (!truthy(fill) || typeof fill !== 'object') return { _defined: 0 };
    return { ...(fill as Dict), _defined: 1 };
  }

  getPatternProperties(args: Dict | undefined): Dict | undefined {
    if (!truthy(args) || typeof args !== 'object') return undefined;
    const a = args as Dict;
    if (!truthy(a.pattern)) { this.warn("Pattern must include 'pattern'"); return undefined; }
    if (!truthy(a.fg_color)) { this.warn("Pattern must include 'fg_color'"); return undefined; }
    const p: Dict = {};
    if (!has(PATTERN_TYPES, str(a.pattern))) { this.warn(`Unknown pattern type '${str(a.pattern)}'`); return undefined; }
    p.pattern = PATTERN_TYPES[str(a.pattern)];
    p.bg_color = truthy(a.bg_color) ? a.bg_color : '#FFFFFF';
    p.fg_color = a.fg_color;
    return p;
  }

  getGradientProperties(args: Dict | undefined): Dict | undefined {
    if (!truthy(args) || typeof args !== 'object') return undefined;
    const a = args as Dict;
    const gr: Dict = {};
    if (!truthy(a.colors) || !Array.isArray(a.colors)) { this.warn('Gradient must include colors array'); return undefined; }
    const colors = a.colors as unknown[];
    if (colors.length < 2) { this.warn('Gradient colors array must at least 2 values'); return undefined; }
    gr._colors = colors;
    if (truthy(a.positions)) {
      const pos = a.positions as unknown[];
      if (pos.length !== colors.length) { this.warn('Gradient positions not equal to number of colors'); return undefined; }
      for (const p of pos) {
        if (num(p) < 0 || num(p) > 100) { this.warn(`Gradient position '${str(p)}' must be in range 0 <= pos <= 100`); return undefined; }
      }
      gr._positions = pos;
    } else if (colors.length === 2) gr._positions = [0, 100];
    else if (colors.length === 3) gr._positions = [0, 50, 100];
    else if (colors.length === 4) gr._positions = [0, 33, 66, 100];
    else { this.warn('Must specify gradient positions'); return undefined; }
    if (defined(a.angle)) {
      const ang = num(a.angle);
      if (ang < 0 || ang > 359.9) { this.warn(`Gradient angle '${str(a.angle)}' must be in range 0 <= pos < 360`); return undefined; }
      gr._angle = a.angle;
    } else gr._angle = 90;
    if (defined(a.type)) {
      if (!has(GRADIENT_TYPES, str(a.type))) { this.warn(`Unknown gradient type '${str(a.type)}'`); return undefined; }
      gr._type = GRADIENT_TYPES[str(a.type)];
    } else gr._type = 'linear';
    return gr;
  }

  /** line/border, fill, pattern, gradient of an element, as every _get_*_properties does */
  fillFormatting(src: Dict, into: Dict): void {
    let line = this.getLineProperties(src.line);
    if (truthy(src.border)) line = this.getLineProperties(src.border);
    let fill: Dict | undefined = this.getFillProperties(src.fill);
    let pattern = this.getPatternProperties(src.pattern);
    const gradient = this.getGradientProperties(src.gradient);
    if (pattern) fill = undefined;
    if (gradient) { pattern = undefined; fill = undefined; }
    into._line = line;
    into._fill = fill;
    into._pattern = pattern;
    into._gradient = gradient;
  }

  getMarkerProperties(marker: unknown): Dict | undefined {
    if (!truthy(marker) || typeof marker !== 'object') return undefined;
    const m: Dict = { ...(marker as Dict) };
    if (defined(m.type)) {
      const t = str(m.type);
      if (t === 'automatic') m.automatic = 1;
      if (!has(MARKER_TYPES, t)) { this.warn(`Unknown marker type '${t}'\n`); return undefined; }
      m.type = MARKER_TYPES[t];
    }
    this.fillFormatting(m, m);
    return m;
  }

  getTrendlineProperties(trendline: unknown): Dict | undefined {
    if (!truthy(trendline) || typeof trendline !== 'object') return undefined;
    const t: Dict = { ...(trendline as Dict) };
    if (!has(TRENDLINE_TYPES, str(t.type))) { this.warn(`Unknown trendline type '${str(t.type)}'\n`); return undefined; }
    t.type = TRENDLINE_TYPES[str(t.type)];
    this.fillFormatting(t, t);
    return t;
  }

  getErrorBarsProperties(args: unknown): Dict | undefined {
    if (!truthy(args) || typeof args !== 'object') return undefined;
    const a: Dict = { ...(args as Dict) };
    const e: Dict = {
      _type: 'fixedVal', _value: 1, _endcap: 1, _direction: 'both', _plus_values: [1], _minus_values: [1], _plus_data: [], _minus_data: [],
    };
    if (!has(ERROR_TYPES, str(a.type))) { this.warn(`Unknown error bars type '${str(a.type)}'\n`); return undefined; }
    e._type = ERROR_TYPES[str(a.type)];
    if (defined(a.value)) e._value = a.value;
    if (defined(a.end_style)) e._endcap = a.end_style;
    if (defined(a.direction)) {
      if (a.direction === 'minus') e._direction = 'minus';
      else if (a.direction === 'plus') e._direction = 'plus';
    }
    if (defined(a.plus_values)) e._plus_values = a.plus_values;
    if (defined(a.minus_values)) e._minus_values = a.minus_values;
    if (defined(a.plus_data)) e._plus_data = a.plus_data;
    if (defined(a.minus_data)) e._minus_data = a.minus_data;
    e._line = this.getLineProperties(a.line);
    return e;
  }

  getGridlineProperties(args: Dict): Dict {
    return { _visible: args.visible, _line: this.getLineProperties(args.line) };
  }

  getLabelsProperties(labels: unknown): Dict | undefined {
    if (!truthy(labels) || typeof labels !== 'object') return undefined;
    const l: Dict = { ...(labels as Dict) };
    if (truthy(l.position)) {
      const p = str(l.position);
      if (has(this.labelPositions, p)) {
        l.position = p === this.labelPositionDefault ? undefined : this.labelPositions[p];
      } else {
        this.warn(`Unsupported label position '${p}' for this chart type`);
        return undefined;
      }
    }
    if (truthy(l.separator)) {
      const s = str(l.separator);
      if (!has(SEPARATORS, s)) { this.warn('Unsupported label separator'); return undefined; }
      l.separator = SEPARATORS[s];
    }
    this.fillFormatting(l, l);
    if (truthy(l.font)) l.font = this.convertFontArgs(l.font);
    if (truthy(l.custom)) {
      const custom: (Dict | undefined)[] = [];
      for (const label of (Array.isArray(l.custom) ? l.custom : []) as (Dict | null)[]) {
        if (!defined(label) || typeof label !== 'object') { custom.push(undefined); continue; }
        const p: Dict = { ...(label as Dict) };
        if (truthy(p.value) && /^=[^!]+!\$/.test(str(p.value))) p.formula = p.value;
        if (truthy(p.formula)) {
          p.formula = str(p.formula).replace(/^=/, '');
          p.data_id = this.getDataId(p.formula, p.data);
        }
        if (truthy(p.font)) p.font = this.convertFontArgs(p.font);
        this.fillFormatting(p, p);
        custom.push(p);
      }
      l.custom = custom;
    }
    return l;
  }

  getAreaProperties(user: Dict): Dict {
    const arg: Dict = { ...user };
    const hash = (v: unknown): Dict => (v && typeof v === 'object' ? { ...(v as Dict) } : {});
    if (truthy(arg.color)) { arg.fill = hash(arg.fill); arg.fill.color = arg.color; }
    if (truthy(arg.line_weight)) {
      arg.border = hash(arg.border);
      const w = SWE_WEIGHTS[str(arg.line_weight).toLowerCase()];
      arg.border.width = w === undefined ? 1 : w;
    }
    if (truthy(arg.line_pattern)) {
      arg.border = hash(arg.border);
      const pt = SWE_PATTERNS[str(arg.line_pattern).toLowerCase()] ?? 'solid';
      if (pt === 'none') arg.border.none = 1;
      else arg.border.dash_type = pt;
    }
    if (truthy(arg.line_color)) { arg.border = hash(arg.border); arg.border.color = arg.line_color; }
    const area: Dict = {};
    this.fillFormatting(arg, area);
    area._layout = this.getLayoutProperties(arg.layout, false);
    return area;
  }

  getLegendProperties(arg: Dict): Dict {
    const legend: Dict = {};
    legend._position = truthy(arg.position) ? arg.position : 'right';
    legend._delete_series = arg.delete_series;
    legend._font = this.convertFontArgs(arg.font);
    legend._layout = this.getLayoutProperties(arg.layout, false);
    if (truthy(arg.none)) legend._position = 'none';
    this.fillFormatting(arg, legend);
    legend._layout = this.getLayoutProperties(arg.layout, false);
    return legend;
  }

  getLayoutProperties(args: unknown, isText: boolean): Dict | undefined {
    if (!truthy(args) || typeof args !== 'object') return undefined;
    const a = args as Dict;
    const props = isText ? ['x', 'y'] : ['x', 'y', 'width', 'height'];
    for (const k of Object.keys(a)) {
      if (!props.includes(k)) { this.warn(`Property '${k}' not allowed in layout options\n`); return undefined; }
    }
    const layout: Dict = {};
    for (const p of props) {
      if (!has(a, p)) { this.warn(`Property '${p}' must be specified in layout options\n`); return undefined; }
      const v = a[p];
      if (!looksNumeric(v)) { this.warn(`Property '${p}' value '${str(v)}' must be numeric in layout options\n`); return undefined; }
      if (num(v) < 0 || num(v) > 1) { this.warn(`Property '${p}' value '${str(v)}' must be in range 0 < x <= 1 in layout options\n`); return undefined; }
      layout[p] = g(num(v), 17);
    }
    return layout;
  }

  getPointsProperties(userPoints: unknown): (Dict | undefined)[] | undefined {
    if (!truthy(userPoints) || !Array.isArray(userPoints)) return undefined;
    return userPoints.map((up: unknown) => {
      if (!defined(up) || typeof up !== 'object') return undefined;
      const p: Dict = {};
      this.fillFormatting(up as Dict, p);
      return p;
    });
  }

  getDisplayUnits(u: unknown): string | undefined {
    if (!truthy(u)) return undefined;
    if (!has(DISPLAY_UNITS, str(u))) { this.warn(`Unknown display_units type '${str(u)}'\n`); return undefined; }
    return DISPLAY_UNITS[str(u)];
  }

  getTickType(t: unknown): string | undefined {
    if (!truthy(t)) return undefined;
    if (!has(TICK_TYPES, str(t))) { this.warn(`Unknown tick_type type '${str(t)}'\n`); return undefined; }
    return TICK_TYPES[str(t)];
  }

  primaryAxesSeries(): Dict[] { return this.series.filter((s) => !truthy(s._y2_axis)); }
  secondaryAxesSeries(): Dict[] { return this.series.filter((s) => truthy(s._y2_axis)); }

  addAxisIds(primary: boolean): void {
    const chartId = 5001 + this.id;
    const axisCount = 1 + this.axis2Ids.length + this.axisIds.length;
    const pad = (n: number) => String(n).padStart(4, '0');
    const id1 = `${pad(chartId)}${pad(axisCount)}`;
    const id2 = `${pad(chartId)}${pad(axisCount + 1)}`;
    if (primary) this.axisIds.push(id1, id2);
    else this.axis2Ids.push(id1, id2);
  }

  private setDefaultProperties(): void {
    this.xAxis._defaults = { num_format: 'General', major_gridlines: { visible: 0 } };
    this.yAxis._defaults = { num_format: 'General', major_gridlines: { visible: 1 } };
    this.x2Axis._defaults = { num_format: 'General', label_position: 'none', crossing: 'max', visible: 0 };
    this.y2Axis._defaults = { num_format: 'General', major_gridlines: { visible: 0 }, position: 'right', visible: 1 };
    this.setXAxis();
    this.setYAxis();
    this.setX2Axis();
    this.setY2Axis();
  }
}

/** Format::_get_color: a colour name or index to a palette index (0: unknown). */
export function formatColorIndex(c: unknown): number | string {
  if (!defined(c)) return 0;
  const s = str(c);
  if (/^#[0-9A-F]{6}$/i.test(s)) return s;
  if (has(NAMED_COLORS, s.toLowerCase())) return NAMED_COLORS[s.toLowerCase()] as number;
  if (/\D/.test(s)) return 0;
  const n = num(c);
  if (n < 8) return n + 8;
  if (n > 63) return 0;
  return n;
}

export function createChart(type: string, subtype: string | undefined, embedded: boolean): Chart {
  const t = type.toLowerCase();
  if (!(CHART_TYPES as readonly string[]).includes(t)) {
    const uc = t.charAt(0).toUpperCase() + t.slice(1);
    throw new Error(`Chart type '${uc}' not supported in add_chart()\n`);
  }
  const c = new Chart(t as ChartType, subtype);
  c.embedded = embedded ? 1 : 0;
  return c;
}
