// The chart side's recorded calls: add_chart (workbook), the Chart methods (target { chart: n }),
// insert_chart / insert_image / insert_shape (worksheet). The shim did the call-time checks (argument
// counts, A1 notation, croaks); replay converts the options as the real module does (chart/chart.ts).
import type { Schema } from '../../../../kit/types';
import { Chart, createChart } from '../chart';
import type { Dict } from '../chart/perl';
import { sheetDrawings } from '../drawing';
import type { Shape } from '../shape';
import { Worksheet } from '../model/worksheet';
import type { Workbook } from '../model/workbook';
import { argList, chartRef, type Method } from './types';

const opts: Schema = { type: 'object', maxProperties: 500 };
const optOpts: Schema = { oneOf: [opts, { type: 'null' }] };
const scalar: Schema = { type: ['string', 'number', 'null'] };
const row: Schema = { type: 'integer', minimum: 0, maximum: 1048575 };
const col: Schema = { type: 'integer', minimum: 0, maximum: 16383 };
const imageRef: Schema = {
  type: 'object', required: ['image', 'filename'], additionalProperties: false,
  properties: { image: { type: 'string', pattern: '^[0-9a-f]{64}$' }, filename: { type: 'string', maxLength: 4096 } },
};

const charts = (wb: Workbook) => wb.charts as Chart[];

function chartOf(wb: Workbook, ref: unknown): Chart {
  const i = (ref as { $chart: number }).$chart;
  const c = charts(wb)[i];
  if (!c) throw new Error(`excel: no chart ${i}`);
  return c;
}

const o = (v: unknown): Dict => (v && typeof v === 'object' ? { ...(v as Dict) } : {});

function chartMethod(apply: (c: Chart, a: Dict, wb: Workbook) => void): Method<Chart> {
  return { args: argList([optOpts], 0), apply: (c, args, wb) => apply(c, o(args[0]), wb) };
}

function scalarMethod(apply: (c: Chart, v: unknown) => void): Method<Chart> {
  return { args: argList([scalar], 0), apply: (c, args) => apply(c, args[0]) };
}

export const chartMethods: Record<string, Method<Chart>> = {
  add_series: chartMethod((c, a) => c.addSeries(a)),
  set_x_axis: chartMethod((c, a) => c.setXAxis(a)),
  set_y_axis: chartMethod((c, a) => c.setYAxis(a)),
  set_x2_axis: chartMethod((c, a) => c.setX2Axis(a)),
  set_y2_axis: chartMethod((c, a) => c.setY2Axis(a)),
  set_title: chartMethod((c, a) => c.setTitle(a)),
  set_legend: chartMethod((c, a) => c.setLegend(a)),
  set_plotarea: chartMethod((c, a) => c.setPlotarea(a)),
  set_chartarea: chartMethod((c, a) => c.setChartarea(a)),
  set_size: chartMethod((c, a) => c.setSize(a)),
  set_table: chartMethod((c, a) => c.setTable(a)),
  set_up_down_bars: chartMethod((c, a) => c.setUpDownBars(a)),
  set_drop_lines: chartMethod((c, a) => c.setDropLines(a)),
  set_high_low_lines: chartMethod((c, a) => c.setHighLowLines(a)),
  set_style: scalarMethod((c, v) => c.setStyle(v)),
  show_blanks_as: scalarMethod((c, v) => c.showBlanksAs(v)),
  show_hidden_data: { args: argList([], 0), apply: (c) => c.setShowHiddenData() },
  set_rotation: scalarMethod((c, v) => c.setRotation(v)),
  set_hole_size: scalarMethod((c, v) => c.setHoleSize(v)),
  combine: { args: argList([chartRef]), apply: (c, args, wb) => c.combine(chartOf(wb, args[0])) },
  // $chart->{_cross_between} set by the caller (sent at close)
  _cross_between: { args: argList([{ type: 'string', enum: ['between', 'midCat'] }]), apply: (c, args) => { c.crossBetween = String(args[0]); } },
  // Chartsheet::protect sets its chart's _protection
  _protection: { args: argList([], 0), apply: (c) => { c.protection = 1; } },
  // the caller's own $chart->{_axis_ids} / {_axis2_ids} (the regression suite sets them), sent at close
  _axis_ids: {
    args: argList([{ type: 'array', maxItems: 4, items: scalar }, { type: 'array', maxItems: 4, items: scalar }]),
    apply: (c, args) => {
      const [a, b] = args as (string | number)[][];
      if (a.length) c.axisIds = [...a];
      if (b.length) c.axis2Ids = [...b];
    },
  },
};

/** add_chart: the chart, and for a chart not embedded its chartsheet (the next sheet). */
export const chartBookMethods: Record<string, Method<Workbook>> = {
  add_chart: {
    args: argList([{
      type: 'object', required: ['type'], additionalProperties: false,
      properties: { type: { type: 'string', maxLength: 32 }, subtype: scalar, name: scalar, embedded: scalar, sheet: { type: 'integer', minimum: 0 } },
    }]),
    apply: (wb, args) => {
      const a = args[0] as Dict;
      const embedded = !!a.embedded && a.embedded !== '0';
      const c = createChart(String(a.type), a.subtype === null || a.subtype === undefined ? undefined : String(a.subtype), embedded);
      c.palette = wb.palette;
      // (the option warnings of call time are the shim's; those of the writing are close's)
      c.warnAtClose = (m) => wb.warn(m);
      if (embedded) {
        if (a.name !== null && a.name !== undefined && a.name !== '' && a.name !== '0') c.chartName = String(a.name);
      } else {
        // the sheet itself came first (add_worksheet with the chartsheet's index and name)
        let ws = typeof a.sheet === 'number' ? wb.worksheets[a.sheet] : undefined;
        if (!ws) {
          ws = new Worksheet(String(a.name), wb.worksheets.length);
          ws.date1904 = wb.date1904;
          ws.optimization = wb.optimization;
          ws.excel2003Style = wb.excel2003Style;
          ws.maxUrlLength = wb.maxUrlLength;
          wb.worksheets.push(ws);
        }
        ws.isChartsheet = true;
        ws.orientation = 0;
        ws.zoomScaleNormal = 0;
        const st = sheetDrawings(ws);
        st.charts.push({ row: 0, col: 0, chart: c, xOffset: 0, yOffset: 0, xScale: 1, yScale: 1, anchor: 1 });
      }
      charts(wb).push(c);
    },
  },
};

const num = (v: unknown, dflt: number) => (v === null || v === undefined || v === '' || Number(v) === 0 || Number.isNaN(Number(v)) ? dflt : Number(v));

const SHAPE_NUMBERS = ['xOffset', 'yOffset', 'scaleX', 'scaleY', 'width', 'height', 'rotation', 'lineWeight', 'columnStart',
  'rowStart', 'id', 'anchor', 'drawing', 'flipH', 'flipV', 'connect', 'txBox', 'stencil', 'element'];

const drawOpts: Schema = {
  type: 'object', additionalProperties: false,
  properties: {
    x_offset: scalar, y_offset: scalar, x_scale: scalar, y_scale: scalar, object_position: scalar,
    description: scalar, decorative: scalar, url: scalar, tip: scalar,
  },
};

export const drawingSheetMethods: Record<string, Method<Worksheet>> = {
  insert_chart: {
    args: argList([row, col, chartRef, drawOpts]),
    apply: (ws, args, wb) => {
      const [r, cl, ref, op] = args as [number, number, unknown, Dict];
      const c = chartOf(wb, ref);
      // the real module: the chart's own set_size scale/offset win over insert_chart's
      let xScale = num(op.x_scale, 1);
      let yScale = num(op.y_scale, 1);
      let xOffset = num(op.x_offset, 0);
      let yOffset = num(op.y_offset, 0);
      if (c.xScale !== 1) xScale = c.xScale;
      if (c.yScale !== 1) yScale = c.yScale;
      if (c.xOffset) xOffset = c.xOffset;
      if (c.yOffset) yOffset = c.yOffset;
      sheetDrawings(ws).charts.push({
        row: r, col: cl, chart: c, xOffset, yOffset, xScale, yScale, anchor: num(op.object_position, 1),
        description: op.description === null || op.description === undefined ? undefined : String(op.description),
        decorative: !!op.decorative && op.decorative !== '0',
      });
    },
  },
  insert_image: {
    args: argList([row, col, imageRef, drawOpts]),
    apply: (ws, args) => {
      const [r, cl, im, op] = args as [number, number, { image: string; filename: string }, Dict];
      const s = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
      sheetDrawings(ws).images.push({
        image: im.image, filename: im.filename, row: r, col: cl,
        xOffset: num(op.x_offset, 0), yOffset: num(op.y_offset, 0), xScale: num(op.x_scale, 1), yScale: num(op.y_scale, 1),
        url: s(op.url) || undefined, tip: s(op.tip), anchor: num(op.object_position, 2), description: s(op.description),
        decorative: !!op.decorative && op.decorative !== '0',
      });
    },
  },
  insert_shape: {
    args: argList([opts]),
    apply: (ws, args, wb) => {
      const s = { ...(args[0] as Shape), palette: wb.palette };
      // numbers the caller may have given as strings: the anchor arithmetic needs numbers
      const n = s as unknown as Record<string, unknown>;
      for (const k of SHAPE_NUMBERS) if (n[k] !== undefined && n[k] !== null) n[k] = Number(n[k]) || 0;
      s.adjustments = Array.isArray(s.adjustments) ? s.adjustments.map((a) => Number(a) || 0) : [];
      s.format = s.format && typeof s.format === 'object' ? s.format : {};
      sheetDrawings(ws).shapes.push(s);
    },
  },
};
