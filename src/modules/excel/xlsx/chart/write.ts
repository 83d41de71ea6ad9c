// xl/charts/chartN.xml as Chart::_assemble_xml_file writes it.
import type { XmlWriter } from '../xml';
import type { Chart } from './chart';

export function writeChartPart(chart: Chart, w: XmlWriter): void {
  void chart; void w;
  throw new Error('not yet');
}
