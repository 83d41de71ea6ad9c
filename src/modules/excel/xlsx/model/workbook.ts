// Excel::Writer::XLSX::Workbook's state at close, rebuilt by replaying the call log (replay.ts):
// the real module's fields, camelCase. Formats are style's objects (made from the add_format
// property sets the shim sent); charts are chart's objects.
import { getDxfIndex, type Format } from '../format';
import type { Worksheet } from './worksheet';
import type { Chart } from '../chart';
import { newStyleState, type StyleState } from '../styles';

/** [name, sheet index or -1, formula, hidden]: an entry of _defined_names. */
export type DefinedName = [string, number, string, number?];

/** [name, value, type]: a set_custom_property entry. */
export type CustomProperty = [string, string | number | boolean, string];

export interface DocProperties {
  title?: string;
  subject?: string;
  author?: string;
  manager?: string;
  company?: string;
  category?: string;
  keywords?: string;
  comments?: string;
  status?: string;
  hyperlink_base?: string;
  /** gmtime list [sec, min, hour, mday, mon, year-1900, ...] as the real module keeps it */
  created?: number[];
}

export class Workbook {
  worksheets: Worksheet[] = [];
  /** Charts, in add_chart order (chart's objects). */
  charts: Chart[] = [];
  /** carps the real module makes at close (sent back with close's answer) */
  readonly warnings: string[] = [];
  /** the journaled bytes of an image (set by the packager) */
  imageReader?: (key: string) => Buffer;
  /** formats by the shim's index, the palette, the xf/dxf numbering (style's state) */
  readonly styles: StyleState = newStyleState();

  date1904 = false;
  activesheet = 0;
  firstsheet = 0;
  selected = 0;
  sheetnameCount = 0;
  chartnameCount = 0;

  definedNames: DefinedName[] = [];
  namedRanges: string[] = [];
  docProperties: DocProperties = {};
  customProperties: CustomProperty[] = [];
  /** gmtime() at new(): [sec, min, hour, mday, mon, year - 1900] */
  createtime: number[];
  numVmlFiles = 0;
  numCommentFiles = 0;
  optimization = 0;
  xWindow = 240;
  yWindow = 15;
  windowWidth = 16095;
  windowHeight = 9660;
  tabRatio = 600;
  excel2003Style = false;
  maxUrlLength = 2079;
  hasComments = 0;
  readOnly = 0;
  hasMetadata = 0;

  strTotal = 0;
  /** the shared-string table emptied by the script (a regression-suite internal) */
  sstCleared = false;
  strUnique = 0;

  calcId = 124519;
  calcMode = 'auto';
  calcOnLoad = 1;

  /** add_vba_project: the project's bytes (read by the shim, journaled as a blob) */
  vbaProject: Buffer | null = null;
  /** the journaled bytes' key of add_vba_project (read at close) */
  vbaProjectKey: string | undefined;
  vbaCodename: string | undefined;
  /** image extensions used (png, jpeg, ...): content type Defaults */
  imageTypes = new Map<string, number>();

  constructor(createtime: Date = new Date()) {
    this.createtime = [createtime.getUTCSeconds(), createtime.getUTCMinutes(), createtime.getUTCHours(),
      createtime.getUTCDate(), createtime.getUTCMonth(), createtime.getUTCFullYear() - 1900];
  }

  /** Workbook::_get_sheet_index: a sheet's index by name (quotes around the name allowed). */
  /** A format the call log referenced ({ "$fmt": idx }); undefined for none. */
  format(ref: unknown): Format | undefined {
    if (ref === null || ref === undefined) return undefined;
    const idx = (ref as { $fmt?: unknown }).$fmt;
    if (typeof idx !== 'number') throw new Error('excel: a format reference was expected');
    const f = this.styles.formats[idx];
    if (!f) throw new Error(`excel: format ${idx} was never defined`);
    return f;
  }

  imageData(key: string): Buffer {
    if (!this.imageReader) throw new Error('excel: no image store');
    return this.imageReader(key);
  }

  warn(msg: string): void {
    this.warnings.push(msg);
  }

  /** Workbook::{_palette} (style's, after set_custom_color). */
  get palette(): number[][] {
    return this.styles.palette;
  }

  /** Format::get_dxf_index of a referenced format (conditional formats take it at call time). */
  dxfIndex(ref: number): number {
    const f = this.styles.formats[ref];
    if (!f) throw new Error(`excel: format ${ref} was never defined`);
    return getDxfIndex(f, this.styles.indices);
  }

  sheetIndex(name: string): number | undefined {
    const n = name.replace(/^'/, '').replace(/'$/, '');
    const ws = this.worksheets.find((w) => w.name === n);
    return ws?.index;
  }
}
