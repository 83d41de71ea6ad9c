// docProps/custom.xml (Custom.pm): set_custom_property's properties.
import { XmlWriter } from '../xml';
import type { CustomProperty } from '../model/workbook';

export function customXml(props: readonly CustomProperty[]): string {
  const w = new XmlWriter();
  const schema = 'http://schemas.openxmlformats.org/officeDocument/2006/';
  w.declaration();
  w.startTag('Properties', [['xmlns', `${schema}custom-properties`], ['xmlns:vt', `${schema}docPropsVTypes`]]);
  let pid = 1;
  for (const [name, value, type] of props) {
    pid++;
    w.startTag('property', [['fmtid', '{D5CDD505-2E9C-101B-9397-08002B2CF9AE}'], ['pid', pid], ['name', name]]);
    if (type === 'date') w.dataElement('vt:filetime', String(value));
    else if (type === 'number') w.dataElement('vt:r8', value as string | number);
    else if (type === 'number_int') w.dataElement('vt:i4', value as string | number);
    else if (type === 'bool') w.dataElement('vt:bool', value && value !== '0' ? 'true' : 'false');
    else w.dataElement('vt:lpwstr', String(value));
    w.endTag('property');
  }
  w.endTag('Properties');
  return w.take();
}
