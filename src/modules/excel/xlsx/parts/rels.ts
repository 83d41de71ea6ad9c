// Relationship parts (Relationships.pm): .rels of the package, the workbook, worksheets, drawings.
import { XmlWriter } from '../xml';

const SCHEMA = 'http://schemas.openxmlformats.org';
export const PACKAGE_SCHEMA = `${SCHEMA}/package/2006/relationships`;
export const DOCUMENT_SCHEMA = `${SCHEMA}/officeDocument/2006/relationships`;
export const MS_SCHEMA = 'http://schemas.microsoft.com/office/2006/relationships';

/** [full type, target, target mode] */
export type FullRel = [string, string, string?];

export function relsXml(rels: readonly FullRel[]): string {
  const w = new XmlWriter();
  w.declaration();
  w.startTag('Relationships', [['xmlns', PACKAGE_SCHEMA]]);
  let id = 1;
  for (const [type, target, mode] of rels) {
    const a: [string, string][] = [['Id', `rId${id++}`], ['Type', type], ['Target', target]];
    if (mode) a.push(['TargetMode', mode]);
    w.emptyTag('Relationship', a);
  }
  w.endTag('Relationships');
  return w.take();
}

/** A worksheet/drawing relationship list ([suffix, target, mode]) with the document schema. */
export function documentRels(links: readonly (readonly [string, string, string?])[]): FullRel[] {
  return links.map(([t, target, mode]) => [DOCUMENT_SCHEMA + t, target, mode]);
}
