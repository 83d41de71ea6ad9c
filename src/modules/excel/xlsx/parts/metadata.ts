// xl/metadata.xml (Metadata.pm): written when a dynamic array formula is in the workbook.
import { XmlWriter } from '../xml';

export function metadataXml(): string {
  const w = new XmlWriter();
  w.declaration();
  w.startTag('metadata', [['xmlns', 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'],
    ['xmlns:xda', 'http://schemas.microsoft.com/office/spreadsheetml/2017/dynamicarray']]);
  w.startTag('metadataTypes', [['count', 1]]);
  w.emptyTag('metadataType', [['name', 'XLDAPR'], ['minSupportedVersion', 120000], ['copy', 1], ['pasteAll', 1],
    ['pasteValues', 1], ['merge', 1], ['splitFirst', 1], ['rowColShift', 1], ['clearFormats', 1], ['clearComments', 1],
    ['assign', 1], ['coerce', 1], ['cellMeta', 1]]);
  w.endTag('metadataTypes');
  w.startTag('futureMetadata', [['name', 'XLDAPR'], ['count', 1]]);
  w.startTag('bk');
  w.startTag('extLst');
  w.startTag('ext', [['uri', '{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}']]);
  w.emptyTag('xda:dynamicArrayProperties', [['fDynamic', 1], ['fCollapsed', 0]]);
  w.endTag('ext');
  w.endTag('extLst');
  w.endTag('bk');
  w.endTag('futureMetadata');
  w.startTag('cellMetadata', [['count', 1]]);
  w.startTag('bk');
  w.emptyTag('rc', [['t', 1], ['v', 0]]);
  w.endTag('bk');
  w.endTag('cellMetadata');
  w.endTag('metadata');
  return w.take();
}
