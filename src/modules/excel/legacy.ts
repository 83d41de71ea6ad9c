// The predecessor's Excel functions (call_python 'excel', ...) on ours.
import { nested, text, type LegacyTable } from '../../kit/legacy';
import { BridgeError } from '../../errors';
import { encodeCell } from './cells';

/** Worksheets are (workbook, index) here; the predecessor had one id for them. */
const sheetId = (wb: unknown, idx: unknown) => `${text(wb)}#${text(idx)}`;
const splitSheet = (id: unknown) => {
  const s = text(id);
  const at = s.lastIndexOf('#');
  return { wb: s.slice(0, at), sheet: Number(s.slice(at + 1)) };
};

export const EXCEL_LEGACY: LegacyTable = {
  'excel.create_workbook': {
    to: (p) => ({ module: 'excel', function: 'new_workbook', params: { filename: text(p.filename) } }),
    shape: (r, _all, p) => nested({ workbook_id: r.wb, library: 'cpan-bridge', filename: text(p.filename) }),
  },
  'excel.add_worksheet': {
    // the next sheet of the workbook (the predecessor had no index), SheetN without a name
    to: (p) => ({ module: 'excel', function: 'add_worksheet', params: { wb: text(p.workbook_id), ...(p.name ? { name: text(p.name) } : {}) } }),
    shape: (r, _all, p) => nested({ worksheet_id: sheetId(p.workbook_id, r.sheet), name: p.name ? text(p.name) : `Sheet${Number(r.sheet) + 1}` }),
  },
  'excel.write_cell': {
    to: (p) => {
      const { wb, sheet } = splitSheet(p.worksheet_id);
      // its formats never worked (add_format was not allowed by its daemon): refused, not dropped
      if (p.format_id !== undefined && p.format_id !== null && p.format_id !== '') throw new BridgeError('bad_params', 'excel.write_cell: format_id is not supported through call_python (use Excel::Writer::XLSX formats)');
      // `data` is the predecessor's name for it; `value` is kept for earlier callers
      const v = p.data !== undefined ? p.data : p.value;
      const isNum = typeof v === 'number' || (typeof v === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v));
      const t = v === null || v === undefined || v === '' ? 'b' : typeof v === 'string' && v.startsWith('=') ? 'f' : isNum ? 'n' : 's';
      return { module: 'excel', function: 'write_batch', params: { wb, cells: encodeCell([sheet, Number(p.row), Number(p.col), t, '', text(v ?? '')]) } };
    },
    shape: () => nested({}),
  },
  'excel.close_workbook': {
    to: (p) => ({ module: 'excel', function: 'close', params: { wb: text(p.workbook_id) } }),
    shape: () => nested({}),
  },
};
