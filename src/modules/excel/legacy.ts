// The predecessor's Excel functions (call_python 'excel', ...) on ours.
import { nested, type LegacyTable } from '../../kit/legacy';
import { encodeCell } from './cells';

/** Worksheets are (workbook, index) here; the predecessor had one id for them. */
const sheetId = (wb: unknown, idx: unknown) => `${String(wb)}#${String(idx)}`;
const splitSheet = (id: unknown) => {
  const s = String(id);
  const at = s.lastIndexOf('#');
  return { wb: s.slice(0, at), sheet: Number(s.slice(at + 1)) };
};

export const EXCEL_LEGACY: LegacyTable = {
  'excel.create_workbook': {
    to: (p) => ({ module: 'excel', function: 'new_workbook', params: { filename: String(p.filename) } }),
    shape: (r) => nested({ workbook_id: r.wb }),
  },
  'excel.add_worksheet': {
    to: (p) => ({ module: 'excel', function: 'add_worksheet', params: { wb: String(p.workbook_id), idx: Number(p.index ?? 0), name: String(p.name || `Sheet${Number(p.index ?? 0) + 1}`) } }),
    shape: (r, _all, p) => nested({ worksheet_id: sheetId(p.workbook_id, r.sheet) }),
  },
  'excel.write_cell': {
    to: (p) => {
      const { wb, sheet } = splitSheet(p.worksheet_id);
      const v = p.value;
      const isNum = typeof v === 'number' || (typeof v === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v));
      const t = v === null || v === undefined || v === '' ? 'b' : typeof v === 'string' && v.startsWith('=') ? 'f' : isNum ? 'n' : 's';
      return { module: 'excel', function: 'write_batch', params: { wb, cells: encodeCell([sheet, Number(p.row), Number(p.col), t, '', String(v ?? '')]) } };
    },
    shape: () => nested({}),
  },
  'excel.close_workbook': {
    to: (p) => ({ module: 'excel', function: 'close', params: { wb: String(p.workbook_id) } }),
    shape: () => nested({}),
  },
};
