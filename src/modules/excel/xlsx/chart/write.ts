// xl/charts/chartN.xml as Chart::_assemble_xml_file writes it, with the subclasses' overrides
// (chart type elements, Pie's plot area and legend, Scatter's series and axes, Bar/Column's errDir).
import type { Attrs, XmlWriter } from '../xml';
import type { Chart } from './chart';
import { defined, int, looksNumeric, num, str, truthy, type Dict } from './perl';

type A = [string, string | number][];

function hasFillFormatting(e: Dict | undefined): boolean {
  if (!e) return false;
  return !!(truthy(e._line?._defined) || truthy(e._fill?._defined) || e._pattern || e._gradient);
}

/** Perl writes a scalar as it is: numbers as %.15g (XmlWriter), strings unchanged. */
function val(v: unknown): string | number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : '';
  return str(v);
}

export function writeChartPart(chart: Chart, w: XmlWriter): void {
  new ChartXml(chart, w).assemble();
}

class ChartXml {
  constructor(private readonly c: Chart, private readonly w: XmlWriter) {}

  assemble(): void {
    const { c, w } = this;
    w.declaration();
    w.startTag('c:chartSpace', [
      ['xmlns:c', 'http://schemas.openxmlformats.org/drawingml/2006/chart'],
      ['xmlns:a', 'http://schemas.openxmlformats.org/drawingml/2006/main'],
      ['xmlns:r', 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'],
    ]);
    w.emptyTag('c:lang', [['val', 'en-US']]);
    if (c.styleId !== 2) w.emptyTag('c:style', [['val', c.styleId]]);
    if (c.protection) w.emptyTag('c:protection');
    this.chart();
    this.spPr(c.chartarea);
    if (c.embedded) {
      w.startTag('c:printSettings');
      w.emptyTag('c:headerFooter');
      w.emptyTag('c:pageMargins', [['b', 0.75], ['l', 0.7], ['r', 0.7], ['t', 0.75], ['header', 0.3], ['footer', 0.3]]);
      w.emptyTag('c:pageSetup');
      w.endTag('c:printSettings');
    }
    w.endTag('c:chartSpace');
  }

  private chart(): void {
    const { c, w } = this;
    w.startTag('c:chart');
    if (truthy(c.titleNone)) {
      w.emptyTag('c:autoTitleDeleted', [['val', 1]]);
    } else if (truthy(c.titleFormula)) {
      this.titleFormula(c.titleFormula, c.titleDataId, undefined, c.titleFont, c.titleLayout, c.titleOverlay);
    } else if (truthy(c.titleName)) {
      this.titleRich(c.titleName, undefined, c.titleFont, c.titleLayout, c.titleOverlay);
    }
    this.plotArea();
    this.legend();
    if (!c.showHiddenData) w.emptyTag('c:plotVisOnly', [['val', 1]]);
    if (c.showBlanks !== 'gap') w.emptyTag('c:dispBlanksAs', [['val', c.showBlanks]]);
    w.endTag('c:chart');
  }

  private isPie(): boolean {
    return this.c.type === 'pie' || this.c.type === 'doughnut';
  }

  private plotArea(): void {
    const { c, w } = this;
    if (c.type === 'scatter') return this.scatterPlotArea();
    const second = c.combined;
    w.startTag('c:plotArea');
    this.layout(c.plotarea._layout, 'plot');
    // Pie::_write_plot_area calls _write_chart_type without arguments (secondary series for others)
    if (this.isPie()) {
      this.chartType(false);
    } else {
      this.chartType(true);
      this.chartType(false);
    }
    if (second) {
      second.id = second.isSecondary ? 1000 + c.id : c.id;
      second.seriesIndex = c.seriesIndex;
      const sw = new ChartXml(second, w);
      if (this.isPie()) {
        sw.chartType(false);
      } else {
        sw.chartType(true);
        sw.chartType(false);
      }
      c.seriesIndex = second.seriesIndex;
    }
    if (this.isPie()) {
      this.spPr(c.plotarea);
      w.endTag('c:plotArea');
      return;
    }
    let args = { x: c.xAxis, y: c.yAxis, ids: c.axisIds };
    if (c.dateCategory) this.dateAxis(args.x, args.y, args.ids);
    else this.catAxis(args.x, args.y, args.ids);
    this.valAxis(args.x, args.y, args.ids);
    args = { x: c.x2Axis, y: c.y2Axis, ids: c.axis2Ids };
    this.valAxis(args.x, args.y, args.ids);
    if (second && second.isSecondary) {
      args = { x: second.x2Axis, y: second.y2Axis, ids: second.axis2Ids };
      new ChartXml(second, w).valAxis(args.x, args.y, args.ids);
    }
    if (c.dateCategory) this.dateAxis(args.x, args.y, args.ids);
    else this.catAxis(args.x, args.y, args.ids);
    this.dTable();
    this.spPr(c.plotarea);
    w.endTag('c:plotArea');
  }

  private scatterPlotArea(): void {
    const { c, w } = this;
    w.startTag('c:plotArea');
    this.layout(c.plotarea._layout, 'plot');
    this.chartType(true);
    this.chartType(false);
    this.catValAxis(c.xAxis, c.yAxis, c.axisIds, 'b');
    const tmp = c.horizValAxis;
    c.horizValAxis = 1;
    this.valAxis(c.xAxis, c.yAxis, c.axisIds, 'l');
    c.horizValAxis = tmp;
    this.catValAxis(c.x2Axis, c.y2Axis, c.axis2Ids, 'b');
    c.horizValAxis = 1;
    this.valAxis(c.x2Axis, c.y2Axis, c.axis2Ids, 'l');
    this.spPr(c.plotarea);
    w.endTag('c:plotArea');
  }

  private layout(layout: Dict | undefined, type?: string): void {
    const w = this.w;
    if (!layout) {
      w.emptyTag('c:layout');
      return;
    }
    w.startTag('c:layout');
    w.startTag('c:manualLayout');
    if (type === 'plot') w.emptyTag('c:layoutTarget', [['val', 'inner']]);
    w.emptyTag('c:xMode', [['val', 'edge']]);
    w.emptyTag('c:yMode', [['val', 'edge']]);
    w.emptyTag('c:x', [['val', val(layout.x)]]);
    w.emptyTag('c:y', [['val', val(layout.y)]]);
    if (type !== 'text') {
      w.emptyTag('c:w', [['val', val(layout.width)]]);
      w.emptyTag('c:h', [['val', val(layout.height)]]);
    }
    w.endTag('c:manualLayout');
    w.endTag('c:layout');
  }

  // --- chart type elements (each subclass's _write_chart_type) -----------------------------------

  chartType(primary: boolean): void {
    const c = this.c;
    switch (c.type) {
      case 'area': return this.simpleChart('c:areaChart', primary, () => {
        this.grouping(c.subtype === 'percent_stacked' ? 'percentStacked' : str(c.subtype));
      }, () => this.dropLines());
      case 'bar':
        if (primary) {
          const tmp = c.yAxis;
          c.yAxis = c.xAxis;
          c.xAxis = tmp;
          if (c.y2Axis._position === 'r') c.y2Axis._position = 't';
        }
        return this.barChart(primary, 'bar');
      case 'column': return this.barChart(primary, 'col');
      case 'line': return this.simpleChart('c:lineChart', primary, () => {
        this.grouping(c.subtype === 'percent_stacked' ? 'percentStacked' : str(c.subtype));
      }, () => {
        this.dropLines();
        this.hiLowLines();
        this.upDownBars();
        this.w.emptyTag('c:marker', [['val', 1]]);
      });
      case 'pie':
      case 'doughnut': return this.pieChart();
      case 'radar': return this.simpleChart('c:radarChart', primary, () => {
        this.w.emptyTag('c:radarStyle', [['val', c.subtype === 'filled' ? 'filled' : 'marker']]);
      }, () => undefined);
      case 'scatter': return this.scatterChart(primary);
      case 'stock': return this.stockChart(primary);
    }
  }

  private seriesFor(primary: boolean): Dict[] {
    return primary ? this.c.primaryAxesSeries() : this.c.secondaryAxesSeries();
  }

  private simpleChart(tag: string, primary: boolean, head: () => void, tail: () => void): void {
    const series = this.seriesFor(primary);
    if (!series.length) return;
    this.w.startTag(tag);
    head();
    for (const s of series) this.ser(s);
    tail();
    this.axisIds(primary);
    this.w.endTag(tag);
  }

  private grouping(v: string): void {
    this.w.emptyTag('c:grouping', [['val', v]]);
  }

  private barChart(primary: boolean, dir: string): void {
    const { c, w } = this;
    const series = this.seriesFor(primary);
    if (!series.length) return;
    const subtype = c.subtype === 'percent_stacked' ? 'percentStacked' : str(c.subtype);
    if (/stacked/.test(str(c.subtype)) && !defined(c.seriesOverlap1)) c.seriesOverlap1 = 100;
    w.startTag('c:barChart');
    w.emptyTag('c:barDir', [['val', dir]]);
    this.grouping(subtype);
    for (const s of series) this.ser(s);
    if (primary) {
      this.gapWidth(c.seriesGap1);
      this.overlap(c.seriesOverlap1);
    } else {
      this.gapWidth(c.seriesGap2);
      this.overlap(c.seriesOverlap2);
    }
    this.axisIds(primary);
    w.endTag('c:barChart');
  }

  private pieChart(): void {
    const { c, w } = this;
    const tag = c.type === 'doughnut' ? 'c:doughnutChart' : 'c:pieChart';
    w.startTag(tag);
    w.emptyTag('c:varyColors', [['val', 1]]);
    for (const s of c.series) this.ser(s);
    w.emptyTag('c:firstSliceAng', [['val', c.rotation]]);
    if (c.type === 'doughnut') w.emptyTag('c:holeSize', [['val', c.holeSize]]);
    w.endTag(tag);
  }

  private scatterChart(primary: boolean): void {
    const { c, w } = this;
    const series = this.seriesFor(primary);
    if (!series.length) return;
    let style = 'lineMarker';
    const st = str(c.subtype);
    if (st === 'straight') c.defaultMarker = { type: 'none' };
    if (st === 'smooth_with_markers') style = 'smoothMarker';
    if (st === 'smooth') {
      style = 'smoothMarker';
      c.defaultMarker = { type: 'none' };
    }
    if (st === 'marker_only') {
      for (const s of c.series) {
        if (!truthy(s._line?._defined)) s._line = { width: 2.25, none: 1, _defined: 1 };
      }
    }
    w.startTag('c:scatterChart');
    w.emptyTag('c:scatterStyle', [['val', style]]);
    for (const s of series) this.ser(s);
    this.axisIds(primary);
    w.endTag('c:scatterChart');
  }

  private stockChart(primary: boolean): void {
    const { c, w } = this;
    const series = this.seriesFor(primary);
    if (!series.length) return;
    c.series.forEach((s, i) => {
      if (i % 4 !== 3) {
        if (!truthy(s._line?._defined)) s._line = { width: 2.25, none: 1, _defined: 1 };
        if (!s._marker) s._marker = i % 4 === 2 ? { type: 'dot', size: 3 } : { type: 'none' };
      }
    });
    w.startTag('c:stockChart');
    for (const s of series) this.ser(s);
    this.dropLines();
    if (primary) this.hiLowLines();
    this.upDownBars();
    this.axisIds(primary);
    w.endTag('c:stockChart');
  }

  // --- series ------------------------------------------------------------------------------------

  private ser(s: Dict): void {
    const { c, w } = this;
    const index = c.seriesIndex++;
    w.startTag('c:ser');
    w.emptyTag('c:idx', [['val', index]]);
    w.emptyTag('c:order', [['val', index]]);
    this.seriesName(s);
    this.spPr(s);
    this.marker(s._marker);
    if (c.type !== 'scatter' && truthy(s._invert_if_neg)) w.emptyTag('c:invertIfNegative', [['val', 1]]);
    this.dPt(s._points);
    this.dLbls(s._labels);
    this.trendline(s._trendline);
    this.errorBars(s._error_bars);
    if (c.type === 'scatter') {
      this.xVal(s);
      this.yVal(s);
      if (/smooth/.test(str(c.subtype)) && !defined(s._smooth)) this.smooth(1);
      else this.smooth(s._smooth);
    } else {
      this.cat(s);
      this.val(s);
      if (c.smoothAllowed) this.smooth(s._smooth);
    }
    w.endTag('c:ser');
  }

  private smooth(v: unknown): void {
    if (truthy(v)) this.w.emptyTag('c:smooth', [['val', 1]]);
  }

  private seriesName(s: Dict): void {
    if (truthy(s._name_formula)) this.txFormula(s._name_formula, s._name_id);
    else if (truthy(s._name)) {
      this.w.startTag('c:tx');
      this.w.dataElement('c:v', val(s._name));
      this.w.endTag('c:tx');
    }
  }

  private data(id: number | undefined): unknown {
    return id === undefined ? undefined : this.c.formulaData[id];
  }

  private cat(s: Dict): void {
    const { c, w } = this;
    const formula = s._categories;
    const data = this.data(s._cat_data_id);
    if (!truthy(formula)) return;
    w.startTag('c:cat');
    const type = c.getDataType(data);
    if (type === 'str') {
      c.catHasNumFmt = 0;
      this.strRef(formula, data, type);
    } else if (type === 'multi_str') {
      c.catHasNumFmt = 0;
      this.multiLvlStrRef(formula, data as unknown[][]);
    } else {
      c.catHasNumFmt = 1;
      this.numRef(formula, data, type);
    }
    w.endTag('c:cat');
  }

  private val(s: Dict): void {
    this.w.startTag('c:val');
    this.numRef(s._values, this.data(s._val_data_id), 'num');
    this.w.endTag('c:val');
  }

  private xVal(s: Dict): void {
    const data = this.data(s._cat_data_id);
    this.w.startTag('c:xVal');
    const type = this.c.getDataType(data);
    if (type === 'str') this.strRef(s._categories, data, type);
    else this.numRef(s._categories, data, type);
    this.w.endTag('c:xVal');
  }

  private yVal(s: Dict): void {
    this.w.startTag('c:yVal');
    this.numRef(s._values, this.data(s._val_data_id), 'num');
    this.w.endTag('c:yVal');
  }

  private ref(tag: string, formula: unknown, data: unknown, type: string): void {
    this.w.startTag(tag);
    this.w.dataElement('c:f', str(formula).replace(/^=/, ''));
    if (type === 'num') this.numCache(data as unknown[] | undefined, 'c:numCache');
    else if (type === 'str') this.strCache(data as unknown[]);
    this.w.endTag(tag);
  }

  private numRef(formula: unknown, data: unknown, type: string): void { this.ref('c:numRef', formula, data, type); }
  private strRef(formula: unknown, data: unknown, type: string): void { this.ref('c:strRef', formula, data, type); }

  private multiLvlStrRef(formula: unknown, data: unknown[][]): void {
    const w = this.w;
    if (!data.length) return;
    w.startTag('c:multiLvlStrRef');
    w.dataElement('c:f', str(formula).replace(/^=/, ''));
    w.startTag('c:multiLvlStrCache');
    w.emptyTag('c:ptCount', [['val', (data[data.length - 1] ?? []).length]]);
    for (const aref of [...data].reverse()) {
      w.startTag('c:lvl');
      (aref ?? []).forEach((v, i) => this.pt(i, v));
      w.endTag('c:lvl');
    }
    w.endTag('c:multiLvlStrCache');
    w.endTag('c:multiLvlStrRef');
  }

  private numCache(data: unknown[] | undefined, tag: string): void {
    const w = this.w;
    const count = Array.isArray(data) ? data.length : 0;
    w.startTag(tag);
    w.dataElement('c:formatCode', 'General');
    w.emptyTag('c:ptCount', [['val', count]]);
    for (let i = 0; i < count; i++) {
      let t = (data as unknown[])[i];
      if (defined(t) && !looksNumeric(t)) t = 0;
      this.pt(i, t);
    }
    w.endTag(tag);
  }

  private strCache(data: unknown[] | undefined): void {
    const w = this.w;
    const d = Array.isArray(data) ? data : [];
    w.startTag('c:strCache');
    w.emptyTag('c:ptCount', [['val', d.length]]);
    d.forEach((v, i) => this.pt(i, v));
    w.endTag('c:strCache');
  }

  private pt(i: number, v: unknown): void {
    if (!defined(v)) return;
    this.w.startTag('c:pt', [['idx', i]]);
    this.w.dataElement('c:v', val(v));
    this.w.endTag('c:pt');
  }

  // --- axes --------------------------------------------------------------------------------------

  private axisIds(primary: boolean): void {
    const c = this.c;
    c.addAxisIds(primary);
    const ids = primary ? c.axisIds : c.axis2Ids;
    this.w.emptyTag('c:axId', [['val', val(ids[0])]]);
    this.w.emptyTag('c:axId', [['val', val(ids[1])]]);
  }

  private axisTitle(axis: Dict, isYAxis: unknown): void {
    if (truthy(axis._formula)) this.titleFormula(axis._formula, axis._data_id, isYAxis, axis._name_font, axis._layout);
    else if (truthy(axis._name)) this.titleRich(axis._name, isYAxis, axis._name_font, axis._layout);
  }

  private crosses(axis: Dict): void {
    const cr = axis._crossing;
    if (!defined(cr) || cr === 'max' || cr === 'min') this.w.emptyTag('c:crosses', [['val', truthy(cr) ? str(cr) : 'autoZero']]);
    else this.w.emptyTag('c:crossesAt', [['val', val(cr)]]);
  }

  private catAxis(x: Dict, y: Dict, ids: (string | number)[] | undefined): void {
    const { c, w } = this;
    if (!ids || !ids.length) return;
    const position = truthy(x._position) ? str(x._position) : c.catAxisPosition;
    w.startTag('c:catAx');
    this.axisHead(x, y, ids[0], ids[1], position, c.horizCatAxis, false, true);
    if (c.showCrosses || truthy(x._visible)) this.crosses(y);
    if (!truthy(x._text_axis)) w.emptyTag('c:auto', [['val', 1]]);
    let align = truthy(x._label_align) ? str(x._label_align) : 'ctr';
    if (align === 'right') align = 'r';
    if (align === 'left') align = 'l';
    w.emptyTag('c:lblAlgn', [['val', align]]);
    w.emptyTag('c:lblOffset', [['val', 100]]);
    this.skips(x);
    w.endTag('c:catAx');
  }

  private skips(x: Dict): void {
    if (truthy(x._interval_unit)) this.w.emptyTag('c:tickLblSkip', [['val', val(x._interval_unit)]]);
    if (truthy(x._interval_tick)) this.w.emptyTag('c:tickMarkSkip', [['val', val(x._interval_tick)]]);
  }

  private tickMarks(a: Dict): void {
    const w = this.w;
    if (truthy(a._major_tick_mark)) w.emptyTag('c:majorTickMark', [['val', val(a._major_tick_mark)]]);
    if (truthy(a._minor_tick_mark)) w.emptyTag('c:minorTickMark', [['val', val(a._minor_tick_mark)]]);
    let pos = truthy(a._label_position) ? str(a._label_position) : 'nextTo';
    if (pos === 'next_to') pos = 'nextTo';
    w.emptyTag('c:tickLblPos', [['val', pos]]);
  }

  /** Chart::_write_val_axis (x, y) and _write_cat_val_axis (the same element for the x axis of a scatter chart) */
  valAxis(x: Dict, y: Dict, ids: (string | number)[] | undefined, pos?: string): void {
    if (!ids || !ids.length) return;
    this.valueAx(y, x, ids[1], ids[0], pos);
  }

  private catValAxis(x: Dict, y: Dict, ids: (string | number)[] | undefined, pos: string): void {
    if (!ids || !ids.length) return;
    this.valueAx(x, y, ids[0], ids[1], pos);
  }

  private valueAx(axis: Dict, other: Dict, id: string | number, crossId: string | number, pos?: string): void {
    const { c, w } = this;
    const position = truthy(axis._position) ? str(axis._position) : pos || c.valAxisPosition;
    w.startTag('c:valAx');
    this.axisHead(axis, other, id, crossId, position, c.horizValAxis, true);
    this.crosses(other);
    w.emptyTag('c:crossBetween', [['val', truthy(other._position_axis) ? str(other._position_axis) : c.crossBetween]]);
    this.unit('c:majorUnit', axis._major_unit);
    this.unit('c:minorUnit', axis._minor_unit);
    this.dispUnits(axis._display_units, axis._display_units_visible);
    w.endTag('c:valAx');
  }

  /** the elements every axis starts with, from axId to crossAx */
  private axisHead(axis: Dict, other: Dict, id: string | number, crossId: string | number, position: string, isYAxis: unknown,
    minMax: boolean, catFormat = false): void {
    const w = this.w;
    w.emptyTag('c:axId', [['val', val(id)]]);
    if (minMax) this.scaling(axis._reverse, axis._min, axis._max, axis._log_base);
    else this.scaling(axis._reverse);
    if (!truthy(axis._visible)) w.emptyTag('c:delete', [['val', 1]]);
    this.axisPos(position, other._reverse);
    this.gridlines('c:majorGridlines', axis._major_gridlines);
    this.gridlines('c:minorGridlines', axis._minor_gridlines);
    this.axisTitle(axis, isYAxis);
    if (catFormat) this.catNumberFormat(axis);
    else this.numberFormat(axis);
    this.tickMarks(axis);
    this.spPr(axis);
    this.axisFont(axis._num_font);
    w.emptyTag('c:crossAx', [['val', val(crossId)]]);
  }

  private dateAxis(x: Dict, y: Dict, ids: (string | number)[] | undefined): void {
    const { c, w } = this;
    if (!ids || !ids.length) return;
    const position = truthy(x._position) ? str(x._position) : c.catAxisPosition;
    w.startTag('c:dateAx');
    this.axisHead(x, y, ids[0], ids[1], position, undefined, true);
    if (c.showCrosses || truthy(x._visible)) this.crosses(y);
    w.emptyTag('c:auto', [['val', 1]]);
    w.emptyTag('c:lblOffset', [['val', 100]]);
    this.skips(x);
    this.unit('c:majorUnit', x._major_unit);
    if (defined(x._major_unit)) w.emptyTag('c:majorTimeUnit', [['val', truthy(x._major_unit_type) ? str(x._major_unit_type) : 'days']]);
    this.unit('c:minorUnit', x._minor_unit);
    if (defined(x._minor_unit)) w.emptyTag('c:minorTimeUnit', [['val', truthy(x._minor_unit_type) ? str(x._minor_unit_type) : 'days']]);
    w.endTag('c:dateAx');
  }

  private unit(tag: string, v: unknown): void {
    if (truthy(v)) this.w.emptyTag(tag, [['val', val(v)]]);
  }

  private scaling(reverse: unknown, min?: unknown, max?: unknown, logBase?: unknown): void {
    const w = this.w;
    w.startTag('c:scaling');
    if (truthy(logBase)) w.emptyTag('c:logBase', [['val', val(logBase)]]);
    w.emptyTag('c:orientation', [['val', truthy(reverse) ? 'maxMin' : 'minMax']]);
    if (defined(max)) w.emptyTag('c:max', [['val', val(max)]]);
    if (defined(min)) w.emptyTag('c:min', [['val', val(min)]]);
    w.endTag('c:scaling');
  }

  private axisPos(v: string, reverse: unknown): void {
    let p = v;
    if (truthy(reverse)) {
      if (p === 'l') p = 'r';
      if (p === 'b') p = 't';
    }
    this.w.emptyTag('c:axPos', [['val', p]]);
  }

  private numberFormat(axis: Dict): void {
    const code = str(axis._num_format);
    let linked = 1;
    if (code !== str(axis._defaults?.num_format)) linked = 0;
    if (truthy(axis._num_format_linked)) linked = 1;
    this.w.emptyTag('c:numFmt', [['formatCode', code], ['sourceLinked', linked]]);
  }

  private catNumberFormat(axis: Dict): void {
    const code = str(axis._num_format);
    let linked = 1;
    let dflt = 1;
    if (code !== str(axis._defaults?.num_format)) {
      linked = 0;
      dflt = 0;
    }
    if (truthy(axis._num_format_linked)) linked = 1;
    if (!this.c.catHasNumFmt && dflt) return;
    this.w.emptyTag('c:numFmt', [['formatCode', code], ['sourceLinked', linked]]);
  }

  private gridlines(tag: string, g: Dict | undefined): void {
    if (!g || !truthy(g._visible)) return;
    if (truthy(g._line?._defined)) {
      this.w.startTag(tag);
      this.spPr(g);
      this.w.endTag(tag);
    } else {
      this.w.emptyTag(tag);
    }
  }

  private dispUnits(units: unknown, display: unknown): void {
    const w = this.w;
    if (!truthy(units)) return;
    w.startTag('c:dispUnits');
    w.emptyTag('c:builtInUnit', [['val', val(units)]]);
    if (truthy(display)) {
      w.startTag('c:dispUnitsLbl');
      w.emptyTag('c:layout');
      w.endTag('c:dispUnitsLbl');
    }
    w.endTag('c:dispUnits');
  }

  // --- legend, titles, text ------------------------------------------------------------------------

  private legend(): void {
    const { c, w } = this;
    const legend = c.legend;
    let position = truthy(legend._position) ? str(legend._position) : 'right';
    const font = legend._font as Dict | undefined;
    const del: unknown[] = Array.isArray(legend._delete_series) ? legend._delete_series : [];
    let overlay = false;
    if (position.startsWith('overlay_')) {
      position = position.slice('overlay_'.length);
      overlay = true;
    }
    const allowed: Dict = { right: 'r', left: 'l', top: 't', bottom: 'b', top_right: 'tr' };
    if (position === 'none') return;
    if (!Object.prototype.hasOwnProperty.call(allowed, position)) return;
    w.startTag('c:legend');
    w.emptyTag('c:legendPos', [['val', allowed[position]]]);
    for (const i of del) {
      w.startTag('c:legendEntry');
      w.emptyTag('c:idx', [['val', val(i)]]);
      w.emptyTag('c:delete', [['val', 1]]);
      w.endTag('c:legendEntry');
    }
    this.layout(legend._layout, 'legend');
    if (overlay) w.emptyTag('c:overlay', [['val', 1]]);
    this.spPr(legend);
    if (this.isPie()) {
      // Pie::_write_tx_pr_legend
      w.startTag('c:txPr');
      this.bodyPr(font && Object.prototype.hasOwnProperty.call(font, '_rotation') ? font._rotation : undefined, 0);
      w.emptyTag('a:lstStyle');
      w.startTag('a:p');
      w.startTag('a:pPr', [['rtl', 0]]);
      this.defRPr(font);
      w.endTag('a:pPr');
      w.emptyTag('a:endParaRPr', [['lang', 'en-US']]);
      w.endTag('a:p');
      w.endTag('c:txPr');
    } else if (font) {
      this.txPr(font);
    }
    w.endTag('c:legend');
  }

  private titleRich(title: unknown, isYAxis: unknown, font: Dict | undefined, layout: Dict | undefined, overlay?: unknown): void {
    const w = this.w;
    w.startTag('c:title');
    w.startTag('c:tx');
    this.rich(title, font, isYAxis, false);
    w.endTag('c:tx');
    this.layout(layout, 'text');
    if (truthy(overlay)) w.emptyTag('c:overlay', [['val', 1]]);
    w.endTag('c:title');
  }

  private titleFormula(title: unknown, dataId: number | undefined, isYAxis: unknown, font: Dict | undefined, layout: Dict | undefined, overlay?: unknown): void {
    const w = this.w;
    w.startTag('c:title');
    this.txFormula(title, dataId);
    this.layout(layout, 'text');
    if (truthy(overlay)) w.emptyTag('c:overlay', [['val', 1]]);
    this.txPr(font, isYAxis);
    w.endTag('c:title');
  }

  private txFormula(title: unknown, dataId: number | undefined): void {
    this.w.startTag('c:tx');
    this.strRef(title, this.data(dataId), 'str');
    this.w.endTag('c:tx');
  }

  private rich(title: unknown, font: Dict | undefined, isYAxis: unknown, ignoreRichPr: boolean): void {
    const w = this.w;
    const rotation = font && Object.prototype.hasOwnProperty.call(font, '_rotation') ? font._rotation : undefined;
    w.startTag('c:rich');
    this.bodyPr(rotation, isYAxis);
    w.emptyTag('a:lstStyle');
    w.startTag('a:p');
    if (!ignoreRichPr) {
      w.startTag('a:pPr');
      this.defRPr(font);
      w.endTag('a:pPr');
    }
    w.startTag('a:r');
    this.rPr(font);
    w.dataElement('a:t', val(title));
    w.endTag('a:r');
    w.endTag('a:p');
    w.endTag('c:rich');
  }

  private bodyPr(rot: unknown, isYAxis: unknown): void {
    const a: A = [];
    let r = rot;
    if (!defined(r) && truthy(isYAxis)) r = -5400000;
    if (defined(r)) {
      const n = num(r);
      if (n === 16200000) a.push(['rot', 0], ['vert', 'wordArtVert']);
      else if (n === 16260000) a.push(['rot', 0], ['vert', 'eaVert']);
      else a.push(['rot', val(r)], ['vert', 'horz']);
    }
    this.w.emptyTag('a:bodyPr', a);
  }

  private fontStyle(font: Dict | undefined): A {
    if (!font) return [];
    const a: A = [];
    if (truthy(font._size)) a.push(['sz', val(font._size)]);
    if (defined(font._bold)) a.push(['b', val(font._bold)]);
    if (defined(font._italic)) a.push(['i', val(font._italic)]);
    if (defined(font._underline)) a.push(['u', 'sng']);
    if (num(font._baseline) !== -1) a.push(['baseline', val(font._baseline)]);
    return a;
  }

  private fontLatin(font: Dict | undefined): A {
    if (!font) return [];
    const a: A = [];
    if (truthy(font._name)) a.push(['typeface', val(font._name)]);
    if (defined(font._pitch_family)) a.push(['pitchFamily', val(font._pitch_family)]);
    if (defined(font._charset)) a.push(['charset', val(font._charset)]);
    return a;
  }

  private runProps(tag: string, font: Dict | undefined, style: Attrs): void {
    const w = this.w;
    const latin = this.fontLatin(font);
    const hasColor = !!font && truthy(font._color);
    if (latin.length || hasColor) {
      w.startTag(tag, style);
      if (hasColor) this.solidFill({ color: font?._color });
      if (latin.length) w.emptyTag('a:latin', latin);
      w.endTag(tag);
    } else {
      w.emptyTag(tag, style);
    }
  }

  private defRPr(font: Dict | undefined): void {
    this.runProps('a:defRPr', font, this.fontStyle(font));
  }

  private rPr(font: Dict | undefined): void {
    this.runProps('a:rPr', font, [['lang', 'en-US'], ...this.fontStyle(font)]);
  }

  private txPr(font: Dict | undefined, isYAxis?: unknown): void {
    const w = this.w;
    const rotation = font && Object.prototype.hasOwnProperty.call(font, '_rotation') ? font._rotation : undefined;
    w.startTag('c:txPr');
    this.bodyPr(rotation, isYAxis);
    w.emptyTag('a:lstStyle');
    w.startTag('a:p');
    w.startTag('a:pPr');
    this.defRPr(font);
    w.endTag('a:pPr');
    w.emptyTag('a:endParaRPr', [['lang', 'en-US']]);
    w.endTag('a:p');
    w.endTag('c:txPr');
  }

  private axisFont(font: Dict | undefined): void {
    const w = this.w;
    if (!font) return;
    w.startTag('c:txPr');
    this.bodyPr(font._rotation, undefined);
    w.emptyTag('a:lstStyle');
    w.startTag('a:p');
    w.startTag('a:pPr');
    this.defRPr(font);
    w.endTag('a:pPr');
    w.emptyTag('a:endParaRPr', [['lang', 'en-US']]);
    w.endTag('a:p');
    w.endTag('c:txPr');
  }

  // --- fills and lines -----------------------------------------------------------------------------

  private marker(m: Dict | undefined): void {
    const mk = m || this.c.defaultMarker;
    if (!mk) return;
    if (truthy(mk.automatic)) return;
    const w = this.w;
    w.startTag('c:marker');
    w.emptyTag('c:symbol', [['val', val(mk.type)]]);
    if (truthy(mk.size)) w.emptyTag('c:size', [['val', val(mk.size)]]);
    this.spPr(mk);
    w.endTag('c:marker');
  }

  private spPr(e: Dict | undefined): void {
    if (!e || !hasFillFormatting(e)) return;
    const w = this.w;
    w.startTag('c:spPr');
    if (truthy(e._fill?._defined)) {
      if (truthy(e._fill.none)) w.emptyTag('a:noFill');
      else this.solidFill(e._fill);
    }
    if (e._pattern) this.pattFill(e._pattern);
    if (e._gradient) this.gradFill(e._gradient);
    if (truthy(e._line?._defined)) this.ln(e._line);
    w.endTag('c:spPr');
  }

  private ln(line: Dict): void {
    const w = this.w;
    const a: A = [];
    if (truthy(line.width)) {
      let width = Math.trunc((num(line.width) + 0.125) * 4) / 4;
      width = Math.trunc(0.5 + 12700 * width);
      a.push(['w', width]);
    }
    w.startTag('a:ln', a);
    if (truthy(line.none)) w.emptyTag('a:noFill');
    else if (truthy(line.color)) this.solidFill(line);
    if (truthy(line.dash_type)) w.emptyTag('a:prstDash', [['val', val(line.dash_type)]]);
    w.endTag('a:ln');
  }

  private solidFill(fill: Dict): void {
    const w = this.w;
    w.startTag('a:solidFill');
    if (truthy(fill.color)) this.srgbClr(this.c.getColor(fill.color), fill.transparency);
    w.endTag('a:solidFill');
  }

  private srgbClr(color: string, transparency?: unknown): void {
    const w = this.w;
    if (truthy(transparency)) {
      w.startTag('a:srgbClr', [['val', color]]);
      w.emptyTag('a:alpha', [['val', (100 - int(transparency)) * 1000]]);
      w.endTag('a:srgbClr');
    } else {
      w.emptyTag('a:srgbClr', [['val', color]]);
    }
  }

  private pattFill(p: Dict): void {
    const w = this.w;
    w.startTag('a:pattFill', [['prst', val(p.pattern)]]);
    w.startTag('a:fgClr');
    this.srgbClr(this.c.getColor(p.fg_color));
    w.endTag('a:fgClr');
    w.startTag('a:bgClr');
    this.srgbClr(this.c.getColor(p.bg_color));
    w.endTag('a:bgClr');
    w.endTag('a:pattFill');
  }

  private gradFill(g: Dict): void {
    const w = this.w;
    const linear = g._type === 'linear';
    w.startTag('a:gradFill', linear ? [] : [['flip', 'none'], ['rotWithShape', 1]]);
    w.startTag('a:gsLst');
    (g._colors as unknown[]).forEach((color, i) => {
      w.startTag('a:gs', [['pos', Math.trunc(num((g._positions as unknown[])[i]) * 1000)]]);
      this.srgbClr(this.c.getColor(color));
      w.endTag('a:gs');
    });
    w.endTag('a:gsLst');
    if (linear) {
      w.emptyTag('a:lin', [['ang', Math.trunc(60000 * num(g._angle))], ['scaled', 0]]);
    } else {
      w.startTag('a:path', [['path', val(g._type)]]);
      if (g._type === 'shape') w.emptyTag('a:fillToRect', [['l', 50000], ['t', 50000], ['r', 50000], ['b', 50000]]);
      else w.emptyTag('a:fillToRect', [['l', 100000], ['t', 100000]]);
      w.endTag('a:path');
      if (g._type === 'shape') w.emptyTag('a:tileRect');
      else w.emptyTag('a:tileRect', [['r', -100000], ['b', -100000]]);
    }
    w.endTag('a:gradFill');
  }

  // --- series decorations --------------------------------------------------------------------------

  private dPt(points: (Dict | undefined)[] | undefined): void {
    if (!points) return;
    const w = this.w;
    const markerPoint = this.c.type === 'line' || this.c.type === 'scatter';
    points.forEach((p, i) => {
      if (!p) return;
      w.startTag('c:dPt');
      w.emptyTag('c:idx', [['val', i]]);
      if (markerPoint) {
        w.startTag('c:marker');
        this.spPr(p);
        w.endTag('c:marker');
      } else {
        this.spPr(p);
      }
      w.endTag('c:dPt');
    });
  }

  private dLbls(labels: Dict | undefined): void {
    if (!labels) return;
    const w = this.w;
    w.startTag('c:dLbls');
    if (truthy(labels.custom)) this.customLabels(labels, labels.custom);
    if (truthy(labels.num_format)) w.emptyTag('c:numFmt', [['formatCode', val(labels.num_format)], ['sourceLinked', 0]]);
    this.spPr(labels);
    if (truthy(labels.font)) this.axisFont(labels.font);
    if (truthy(labels.position)) w.emptyTag('c:dLblPos', [['val', val(labels.position)]]);
    if (truthy(labels.legend_key)) w.emptyTag('c:showLegendKey', [['val', 1]]);
    if (truthy(labels.value)) w.emptyTag('c:showVal', [['val', 1]]);
    if (truthy(labels.category)) w.emptyTag('c:showCatName', [['val', 1]]);
    if (truthy(labels.series_name)) w.emptyTag('c:showSerName', [['val', 1]]);
    if (truthy(labels.percentage)) w.emptyTag('c:showPercent', [['val', 1]]);
    if (truthy(labels.separator)) w.dataElement('c:separator', val(labels.separator));
    if (truthy(labels.leader_lines)) w.emptyTag('c:showLeaderLines', [['val', 1]]);
    w.endTag('c:dLbls');
  }

  private labelShows(parent: Dict): void {
    const w = this.w;
    if (truthy(parent.position)) w.emptyTag('c:dLblPos', [['val', val(parent.position)]]);
    if (truthy(parent.value)) w.emptyTag('c:showVal', [['val', 1]]);
    if (truthy(parent.category)) w.emptyTag('c:showCatName', [['val', 1]]);
    if (truthy(parent.series_name)) w.emptyTag('c:showSerName', [['val', 1]]);
  }

  private customLabels(parent: Dict, labels: (Dict | undefined)[]): void {
    const w = this.w;
    labels.forEach((label, i) => {
      if (!label) return;
      w.startTag('c:dLbl');
      w.emptyTag('c:idx', [['val', i]]);
      if (defined(label.delete) && truthy(label.delete)) {
        w.emptyTag('c:delete', [['val', 1]]);
      } else if (defined(label.formula)) {
        w.emptyTag('c:layout');
        w.startTag('c:tx');
        this.strRef(label.formula, this.data(label.data_id), 'str');
        w.endTag('c:tx');
        this.labelFormatOnly(label);
        this.labelShows(parent);
      } else if (defined(label.value)) {
        w.emptyTag('c:layout');
        w.startTag('c:tx');
        this.rich(label.value, label.font, 0, !hasFillFormatting(label));
        w.endTag('c:tx');
        this.spPr(label);
        this.labelShows(parent);
      } else {
        this.labelFormatOnly(label);
      }
      w.endTag('c:dLbl');
    });
  }

  private labelFormatOnly(label: Dict): void {
    if (hasFillFormatting(label)) {
      this.spPr(label);
      this.txPr(label.font);
    } else if (label.font) {
      this.w.emptyTag('c:spPr');
      this.txPr(label.font);
    }
  }

  private trendline(t: Dict | undefined): void {
    if (!t) return;
    const w = this.w;
    w.startTag('c:trendline');
    if (defined(t.name)) w.dataElement('c:name', val(t.name));
    this.spPr(t);
    w.emptyTag('c:trendlineType', [['val', val(t.type)]]);
    if (t.type === 'poly') w.emptyTag('c:order', [['val', defined(t.order) ? val(t.order) : 2]]);
    if (t.type === 'movingAvg') w.emptyTag('c:period', [['val', defined(t.period) ? val(t.period) : 2]]);
    if (truthy(t.forward)) w.emptyTag('c:forward', [['val', val(t.forward)]]);
    if (truthy(t.backward)) w.emptyTag('c:backward', [['val', val(t.backward)]]);
    if (defined(t.intercept)) w.emptyTag('c:intercept', [['val', val(t.intercept)]]);
    if (truthy(t.display_r_squared)) w.emptyTag('c:dispRSqr', [['val', 1]]);
    if (truthy(t.display_equation)) {
      w.emptyTag('c:dispEq', [['val', 1]]);
      w.startTag('c:trendlineLbl');
      w.emptyTag('c:layout');
      w.emptyTag('c:numFmt', [['formatCode', 'General'], ['sourceLinked', 0]]);
      w.endTag('c:trendlineLbl');
    }
    w.endTag('c:trendline');
  }

  private errorBars(e: Dict | undefined): void {
    if (!e) return;
    if (e._x_error_bars) this.errBars('x', e._x_error_bars);
    if (e._y_error_bars) this.errBars('y', e._y_error_bars);
  }

  private errBars(dir: string, e: Dict): void {
    const w = this.w;
    w.startTag('c:errBars');
    // Bar and Column override _write_err_dir with nothing
    if (this.c.type !== 'bar' && this.c.type !== 'column') w.emptyTag('c:errDir', [['val', dir]]);
    w.emptyTag('c:errBarType', [['val', val(e._direction)]]);
    w.emptyTag('c:errValType', [['val', val(e._type)]]);
    if (!truthy(e._endcap)) w.emptyTag('c:noEndCap', [['val', 1]]);
    if (e._type === 'stdErr') {
      // no value
    } else if (e._type === 'cust') {
      this.customError(e);
    } else {
      w.emptyTag('c:val', [['val', val(e._value)]]);
    }
    this.spPr(e);
    w.endTag('c:errBars');
  }

  private customError(e: Dict): void {
    const w = this.w;
    for (const [tag, vk, dk] of [['c:plus', '_plus_values', '_plus_data'], ['c:minus', '_minus_values', '_minus_data']] as const) {
      if (!truthy(e[vk])) continue;
      w.startTag(tag);
      if (Array.isArray(e[vk])) this.numCache(e[vk], 'c:numLit');
      else this.numRef(e[vk], e[dk], 'num');
      w.endTag(tag);
    }
  }

  private dropLines(): void { this.lines('c:dropLines', this.c.dropLines); }
  private hiLowLines(): void { this.lines('c:hiLowLines', this.c.hiLowLines); }

  private lines(tag: string, l: Dict | undefined): void {
    if (!l) return;
    if (truthy(l._line?._defined)) {
      this.w.startTag(tag);
      this.spPr(l);
      this.w.endTag(tag);
    } else {
      this.w.emptyTag(tag);
    }
  }

  private upDownBars(): void {
    const u = this.c.upDownBars;
    if (!u) return;
    const w = this.w;
    w.startTag('c:upDownBars');
    w.emptyTag('c:gapWidth', [['val', 150]]);
    for (const [tag, f] of [['c:upBars', u._up], ['c:downBars', u._down]] as [string, Dict][]) {
      if (truthy(f._line?._defined) || truthy(f._fill?._defined)) {
        w.startTag(tag);
        this.spPr(f);
        w.endTag(tag);
      } else {
        w.emptyTag(tag);
      }
    }
    w.endTag('c:upDownBars');
  }

  private gapWidth(v: unknown): void {
    if (defined(v)) this.w.emptyTag('c:gapWidth', [['val', val(v)]]);
  }

  private overlap(v: unknown): void {
    if (defined(v)) this.w.emptyTag('c:overlap', [['val', val(v)]]);
  }

  private dTable(): void {
    const t = this.c.table;
    if (!t) return;
    const w = this.w;
    w.startTag('c:dTable');
    if (truthy(t._horizontal)) w.emptyTag('c:showHorzBorder', [['val', 1]]);
    if (truthy(t._vertical)) w.emptyTag('c:showVertBorder', [['val', 1]]);
    if (truthy(t._outline)) w.emptyTag('c:showOutline', [['val', 1]]);
    if (truthy(t._show_keys)) w.emptyTag('c:showKeys', [['val', 1]]);
    if (t._font) this.txPr(t._font);
    w.endTag('c:dTable');
  }
}
