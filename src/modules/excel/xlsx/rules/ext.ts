// The worksheet's extLst (Worksheet::_write_ext_list): Excel 2010 data bars, then sparklines.
import type { XmlWriter } from '../xml';
import { writeExt } from './conditional';
import { perlTrue, type CondFormat, type RulesState, type SparkColor, type Sparkline } from './state';

const XM_NS = 'http://schemas.microsoft.com/office/excel/2006/main';

type A = [string, string | number][];

function s(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

function writeX14Cfvo(w: XmlWriter, type: string, value: unknown): void {
  if (type === 'min' || type === 'max' || type === 'autoMin' || type === 'autoMax') {
    w.emptyTag('x14:cfvo', [['type', type]]);
    return;
  }
  w.startTag('x14:cfvo', [['type', type]]);
  w.dataElement('xm:f', s(value));
  w.endTag('x14:cfvo');
}

function writeDataBar2010(w: XmlWriter, d: CondFormat): void {
  w.startTag('x14:conditionalFormatting', [['xmlns:xm', XM_NS]]);
  w.startTag('x14:cfRule', [['type', 'dataBar'], ['id', s(d._guid)]]);
  const noBorder = perlTrue(d.bar_no_border);
  const negBorderSame = perlTrue(d.bar_negative_border_color_same);
  const a: A = [['minLength', 0], ['maxLength', 100]];
  if (!noBorder) a.push(['border', 1]);
  if (perlTrue(d.bar_solid)) a.push(['gradient', 0]);
  const dir = s(d.bar_direction);
  if (dir === 'left') a.push(['direction', 'leftToRight']);
  if (dir === 'right') a.push(['direction', 'rightToLeft']);
  if (perlTrue(d.bar_negative_color_same)) a.push(['negativeBarColorSameAsPositive', 1]);
  if (!noBorder && !negBorderSame) a.push(['negativeBarBorderColorSameAsPositive', 0]);
  const axis = s(d.bar_axis_position);
  if (axis === 'middle') a.push(['axisPosition', 'middle']);
  if (axis === 'none') a.push(['axisPosition', 'none']);
  w.startTag('x14:dataBar', a);
  writeX14Cfvo(w, s(d._x14_min_type), d.min_value);
  writeX14Cfvo(w, s(d._x14_max_type), d.max_value);
  if (!noBorder) w.emptyTag('x14:borderColor', [['rgb', s(d.bar_border_color)]]);
  if (!perlTrue(d.bar_negative_color_same)) w.emptyTag('x14:negativeFillColor', [['rgb', s(d.bar_negative_color)]]);
  if (!noBorder && !negBorderSame) w.emptyTag('x14:negativeBorderColor', [['rgb', s(d.bar_negative_border_color)]]);
  if (axis !== 'none') w.emptyTag('x14:axisColor', [['rgb', s(d.bar_axis_color)]]);
  w.endTag('x14:dataBar');
  w.endTag('x14:cfRule');
  w.dataElement('xm:sqref', s(d._range));
  w.endTag('x14:conditionalFormatting');
}

function writeSparkColor(w: XmlWriter, element: string, c: SparkColor | undefined): void {
  const a: A = [];
  if (c?._rgb !== undefined) a.push(['rgb', c._rgb]);
  if (c?._theme !== undefined) a.push(['theme', c._theme]);
  if (c?._tint !== undefined) a.push(['tint', c._tint]);
  w.emptyTag(element, a);
}

function writeSparklineGroup(w: XmlWriter, o: Sparkline): void {
  const a: A = [];
  let custMax = '';
  let custMin = '';
  if (o._max !== null && o._max !== undefined) {
    if (o._max === 'group') custMax = 'group';
    else {
      a.push(['manualMax', o._max]);
      custMax = 'custom';
    }
  }
  if (o._min !== null && o._min !== undefined) {
    if (o._min === 'group') custMin = 'group';
    else {
      a.push(['manualMin', o._min]);
      custMin = 'custom';
    }
  }
  if (o._type !== 'line') a.push(['type', o._type]);
  if (perlTrue(o._weight)) a.push(['lineWeight', s(o._weight)]);
  if (perlTrue(o._date_axis)) a.push(['dateAxis', 1]);
  if (perlTrue(o._empty)) a.push(['displayEmptyCellsAs', s(o._empty)]);
  const flags: [string, unknown][] = [
    ['markers', o._markers], ['high', o._high], ['low', o._low], ['first', o._first], ['last', o._last],
    ['negative', o._negative], ['displayXAxis', o._axis], ['displayHidden', o._hidden],
  ];
  for (const [name, v] of flags) if (perlTrue(v)) a.push([name, 1]);
  if (custMin) a.push(['minAxisType', custMin]);
  if (custMax) a.push(['maxAxisType', custMax]);
  if (perlTrue(o._reverse)) a.push(['rightToLeft', 1]);
  w.startTag('x14:sparklineGroup', a);
}

function writeSparklines(w: XmlWriter, sparklines: Sparkline[]): void {
  writeExt(w, '{05C60535-1F16-4fd2-B633-F4F36F0B64E0}');
  w.startTag('x14:sparklineGroups', [['xmlns:xm', XM_NS]]);
  for (const o of [...sparklines].reverse()) {
    writeSparklineGroup(w, o);
    writeSparkColor(w, 'x14:colorSeries', o._series_color);
    writeSparkColor(w, 'x14:colorNegative', o._negative_color);
    writeSparkColor(w, 'x14:colorAxis', { _rgb: 'FF000000' });
    writeSparkColor(w, 'x14:colorMarkers', o._markers_color);
    writeSparkColor(w, 'x14:colorFirst', o._first_color);
    writeSparkColor(w, 'x14:colorLast', o._last_color);
    writeSparkColor(w, 'x14:colorHigh', o._high_color);
    writeSparkColor(w, 'x14:colorLow', o._low_color);
    if (perlTrue(o._date_axis)) w.dataElement('xm:f', s(o._date_axis));
    w.startTag('x14:sparklines');
    for (let i = 0; i < o._count; i++) {
      w.startTag('x14:sparkline');
      w.dataElement('xm:f', s(o._ranges[i]));
      w.dataElement('xm:sqref', s(o._locations[i]));
      w.endTag('x14:sparkline');
    }
    w.endTag('x14:sparklines');
    w.endTag('x14:sparklineGroup');
  }
  w.endTag('x14:sparklineGroups');
  w.endTag('ext');
}

/** Written after tableParts; the 2010 data bars are those writeConditionalFormats collected. */
export function writeExtList(w: XmlWriter, st: RulesState): void {
  const bars = st.dataBars2010;
  if (bars.length === 0 && st.sparklines.length === 0) return;
  w.startTag('extLst');
  if (bars.length) {
    writeExt(w, '{78C0D931-6437-407d-A8EE-F0AAD7539E65}');
    w.startTag('x14:conditionalFormattings');
    for (const d of bars) writeDataBar2010(w, d);
    w.endTag('x14:conditionalFormattings');
    w.endTag('ext');
  }
  if (st.sparklines.length) writeSparklines(w, st.sparklines);
  w.endTag('extLst');
}
