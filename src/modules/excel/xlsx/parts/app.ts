// docProps/app.xml (App.pm).
import { XmlWriter } from '../xml';
import type { DocProperties } from '../model/workbook';

export interface AppData {
  worksheetNames: string[];
  chartsheetNames: string[];
  namedRanges: string[];
  properties: DocProperties;
  docSecurity: number;
}

function vector(w: XmlWriter, base: string, data: [string, string | number][]): void {
  w.startTag('vt:vector', [['size', data.length], ['baseType', base]]);
  for (const [t, v] of data) {
    if (base === 'variant') w.startTag('vt:variant');
    w.dataElement(`vt:${t}`, v);
    if (base === 'variant') w.endTag('vt:variant');
  }
  w.endTag('vt:vector');
}

export function appXml(d: AppData): string {
  const w = new XmlWriter();
  const schema = 'http://schemas.openxmlformats.org/officeDocument/2006/';
  w.declaration();
  w.startTag('Properties', [['xmlns', `${schema}extended-properties`], ['xmlns:vt', `${schema}docPropsVTypes`]]);
  w.dataElement('Application', 'Microsoft Excel');
  w.dataElement('DocSecurity', d.docSecurity);
  w.dataElement('ScaleCrop', 'false');
  const pairs: [string, string | number][] = [];
  const heading = (name: string, n: number) => { if (n) pairs.push(['lpstr', name], ['i4', n]); };
  heading('Worksheets', d.worksheetNames.length);
  heading('Charts', d.chartsheetNames.length);
  heading('Named Ranges', d.namedRanges.length);
  w.startTag('HeadingPairs');
  vector(w, 'variant', pairs);
  w.endTag('HeadingPairs');
  w.startTag('TitlesOfParts');
  vector(w, 'lpstr', [...d.worksheetNames, ...d.chartsheetNames, ...d.namedRanges].map((n) => ['lpstr', n]));
  w.endTag('TitlesOfParts');
  if (d.properties.manager) w.dataElement('Manager', d.properties.manager);
  w.dataElement('Company', d.properties.company || '');
  w.dataElement('LinksUpToDate', 'false');
  w.dataElement('SharedDoc', 'false');
  if (d.properties.hyperlink_base) w.dataElement('HyperlinkBase', d.properties.hyperlink_base);
  w.dataElement('HyperlinksChanged', 'false');
  w.dataElement('AppVersion', '12.0000');
  w.endTag('Properties');
  return w.take();
}
