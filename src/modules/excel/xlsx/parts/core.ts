// docProps/core.xml (Core.pm).
import { XmlWriter } from '../xml';
import type { DocProperties } from '../model/workbook';

const p2 = (n: number) => String(n).padStart(2, '0');

/** gmtime list -> 2024-01-31T12:00:00Z */
export function iso8601(t: readonly number[]): string {
  const [sec, min, hour, mday, mon, year] = t;
  return `${String(year + 1900).padStart(4, ' ')}-${p2(mon + 1)}-${p2(mday)}T${p2(hour)}:${p2(min)}:${p2(sec)}Z`;
}

export function coreXml(p: DocProperties, createtime: readonly number[]): string {
  const w = new XmlWriter();
  w.declaration();
  w.startTag('cp:coreProperties', [
    ['xmlns:cp', 'http://schemas.openxmlformats.org/package/2006/metadata/core-properties'],
    ['xmlns:dc', 'http://purl.org/dc/elements/1.1/'],
    ['xmlns:dcterms', 'http://purl.org/dc/terms/'],
    ['xmlns:dcmitype', 'http://purl.org/dc/dcmitype/'],
    ['xmlns:xsi', 'http://www.w3.org/2001/XMLSchema-instance'],
  ]);
  if (p.title) w.dataElement('dc:title', p.title);
  if (p.subject) w.dataElement('dc:subject', p.subject);
  w.dataElement('dc:creator', p.author || '');
  if (p.keywords) w.dataElement('cp:keywords', p.keywords);
  if (p.comments) w.dataElement('dc:description', p.comments);
  w.dataElement('cp:lastModifiedBy', p.author || '');
  const date = iso8601(p.created ?? createtime);
  w.dataElement('dcterms:created', date, [['xsi:type', 'dcterms:W3CDTF']]);
  w.dataElement('dcterms:modified', date, [['xsi:type', 'dcterms:W3CDTF']]);
  if (p.category) w.dataElement('cp:category', p.category);
  if (p.status) w.dataElement('cp:contentStatus', p.status);
  w.endTag('cp:coreProperties');
  return w.take();
}
