// [Content_Types].xml (ContentTypes.pm): defaults and overrides in the real module's order.
import { XmlWriter } from '../xml';

const PKG = 'application/vnd.openxmlformats-package.';
const DOC = 'application/vnd.openxmlformats-officedocument.';

export class ContentTypes {
  readonly defaults: [string, string][] = [['rels', `${PKG}relationships+xml`], ['xml', 'application/xml']];
  readonly overrides: [string, string][] = [
    ['/docProps/app.xml', `${DOC}extended-properties+xml`],
    ['/docProps/core.xml', `${PKG}core-properties+xml`],
    ['/xl/styles.xml', `${DOC}spreadsheetml.styles+xml`],
    ['/xl/theme/theme1.xml', `${DOC}theme+xml`],
    ['/xl/workbook.xml', `${DOC}spreadsheetml.sheet.main+xml`],
  ];

  addDefault(ext: string, type: string): void { this.defaults.push([ext, type]); }
  addOverride(part: string, type: string): void { this.overrides.push([part, type]); }
  addWorksheet(name: string): void { this.addOverride(`/xl/worksheets/${name}.xml`, `${DOC}spreadsheetml.worksheet+xml`); }
  addChartsheet(name: string): void { this.addOverride(`/xl/chartsheets/${name}.xml`, `${DOC}spreadsheetml.chartsheet+xml`); }
  addChart(name: string): void { this.addOverride(`/xl/charts/${name}.xml`, `${DOC}drawingml.chart+xml`); }
  addDrawing(name: string): void { this.addOverride(`/xl/drawings/${name}.xml`, `${DOC}drawing+xml`); }
  addVml(): void { this.addDefault('vml', `${DOC}vmlDrawing`); }
  addComment(name: string): void { this.addOverride(`/xl/${name}.xml`, `${DOC}spreadsheetml.comments+xml`); }
  addSharedStrings(): void { this.addOverride('/xl/sharedStrings.xml', `${DOC}spreadsheetml.sharedStrings+xml`); }
  addTable(name: string): void { this.addOverride(`/xl/tables/${name}.xml`, `${DOC}spreadsheetml.table+xml`); }
  addImageTypes(types: Iterable<string>): void { for (const t of types) this.addDefault(t, `image/${t}`); }
  addCustomProperties(): void { this.addOverride('/docProps/custom.xml', `${DOC}custom-properties+xml`); }
  addMetadata(): void { this.addOverride('/xl/metadata.xml', `${DOC}spreadsheetml.sheetMetadata+xml`); }
  addVbaProject(): void {
    for (const o of this.overrides) if (o[0] === '/xl/workbook.xml') o[1] = 'application/vnd.ms-excel.sheet.macroEnabled.main+xml';
    this.addDefault('bin', 'application/vnd.ms-office.vbaProject');
  }

  xml(): string {
    const w = new XmlWriter();
    w.declaration();
    w.startTag('Types', [['xmlns', 'http://schemas.openxmlformats.org/package/2006/content-types']]);
    for (const [e, t] of this.defaults) w.emptyTag('Default', [['Extension', e], ['ContentType', t]]);
    for (const [p, t] of this.overrides) w.emptyTag('Override', [['PartName', p], ['ContentType', t]]);
    w.endTag('Types');
    return w.take();
  }
}
