// Core workbook methods as recorded calls (the shim has checked and carped at call time).
import type { Workbook } from '../model/workbook';
import { argList, type MethodTable } from './types';
import { truthy } from './worksheet';

const str = { type: 'string', maxLength: 100_000 };
const optStr = { type: ['string', 'null'], maxLength: 100_000 };
const optNum = { type: ['number', 'string', 'null'] };
const none = argList([]);

const PROPS = ['title', 'subject', 'author', 'keywords', 'comments', 'last_author', 'created', 'category', 'manager', 'company', 'status', 'hyperlink_base'];

export const WORKBOOK_METHODS: MethodTable<Workbook> = {
  // set_properties({...}): `created` as a gmtime list (the shim converts it)
  set_properties: {
    args: argList([{ type: 'object', additionalProperties: false, properties: Object.fromEntries(PROPS.map((p) => [p, p === 'created' ? { type: 'array', items: { type: 'number' } } : { type: ['string', 'number'] }])) }]),
    apply(wb, a) {
      const p = { ...(a[0] as Record<string, unknown>) };
      const props: Workbook['docProperties'] = {};
      for (const [k, v] of Object.entries(p)) (props as Record<string, unknown>)[k] = k === 'created' ? v : String(v);
      wb.docProperties = props;
    },
  },
  // define_name(name, sheet index or -1, formula) after the shim's checks
  define_name: {
    args: argList([str, { type: 'integer', minimum: -1 }, str]),
    apply(wb, a) { wb.definedNames.push([String(a[0]), Number(a[1]), String(a[2])]); },
  },
  set_size: {
    args: argList([optNum, optNum]),
    apply(wb, a) {
      wb.windowWidth = truthy(a[0]) ? Math.trunc(Number(a[0]) * 1440 / 96) : 16095;
      wb.windowHeight = truthy(a[1]) ? Math.trunc(Number(a[1]) * 1440 / 96) : 9660;
    },
  },
  set_tab_ratio: { args: argList([{ type: ['number', 'string'] }]), apply(wb, a) { wb.tabRatio = Math.trunc(Number(a[0]) * 10); } },
  set_calc_mode: {
    args: argList([optStr, optNum]),
    apply(wb, a) {
      const mode = a[0] ? String(a[0]) : 'auto';
      wb.calcMode = mode;
      if (mode === 'manual') wb.calcOnLoad = 0;
      else if (mode === 'auto_except_tables') wb.calcMode = 'autoNoTable';
      if (a[1] !== null && a[1] !== undefined) wb.calcId = Number(a[1]);
    },
  },
  set_custom_property: {
    args: argList([str, { type: ['string', 'number'] }, { enum: ['text', 'date', 'number', 'number_int', 'bool'] }]),
    apply(wb, a) { wb.customProperties.push([String(a[0]), a[1] as string, String(a[2])]); },
  },
  read_only_recommended: { args: none, apply(wb) { wb.readOnly = 2; } },
  set_optimization: {
    args: argList([{ type: 'number' }]),
    apply(wb, a) { wb.optimization = Number(a[0]) ? 1 : 0; for (const ws of wb.worksheets) ws.optimization = wb.optimization; },
  },
  set_1904: { args: argList([{ type: ['number', 'string'] }]), apply(wb, a) { wb.date1904 = truthy(a[0]); for (const ws of wb.worksheets) ws.date1904 = wb.date1904; } },
  // add_vba_project(key of the journaled vbaProject.bin bytes)
  add_vba_project: {
    args: argList([{ type: 'string', pattern: '^[0-9a-f]{64}$' }]),
    apply(wb, a) { wb.vbaProjectKey = String(a[0]); if (!wb.vbaCodename) wb.vbaCodename = 'ThisWorkbook'; },
  },
  // the script emptied the real module's shared-string table before close ($workbook->{_str_total} = 0, ...):
  // the cells keep their indices, the workbook has no sharedStrings part
  clear_shared_strings: { args: none, apply(wb) { wb.sstCleared = true; } },
  set_vba_name: { args: argList([optStr]), apply(wb, a) { wb.vbaCodename = a[0] ? String(a[0]) : 'ThisWorkbook'; } },
};
