// The predecessor's `call_python($module, $function, \%params)` names and result shapes, translated
// onto this daemon's functions. Each entry says which of our functions answers it, how its params
// map, and how our result becomes the predecessor's shape (flat keys beside `success` for the
// database module, nested under `result` for the others).
import { BridgeError } from '../errors';

export interface LegacyCall {
  module: string;
  function: string;
  params: Record<string, unknown>;
}

export interface LegacyEntry {
  to(p: Record<string, unknown>): LegacyCall | LegacyCall[];
  /** Our result (the last call's, or all of them) in the predecessor's shape. */
  shape(r: Record<string, unknown>, all: Record<string, unknown>[], p: Record<string, unknown>): Record<string, unknown>;
}

const str = (v: unknown) => (v === undefined || v === null ? null : String(v));
const binds = (p: Record<string, unknown>) => (Array.isArray(p.bind_values) ? p.bind_values : Array.isArray(p.params) ? p.params : Array.isArray(p.binds) ? p.binds : []);
const flat = (extra: Record<string, unknown> = {}) => ({ success: true, ...extra });
const nested = (result: Record<string, unknown> = {}) => ({ success: true, result });
/** Worksheets are (workbook, index) here; the predecessor had one id for them. */
const sheetId = (wb: unknown, idx: unknown) => `${String(wb)}#${String(idx)}`;
const splitSheet = (id: unknown) => {
  const s = String(id);
  const at = s.lastIndexOf('#');
  return { wb: s.slice(0, at), sheet: Number(s.slice(at + 1)) };
};

export const LEGACY: Record<string, LegacyEntry> = {
  'database.connect': {
    to: (p) => ({ module: 'database', function: 'connect', params: { dsn: String(p.dsn ?? ''), user: str(p.username ?? p.user), password: str(p.password), attrs: (p.options as object) ?? {} } }),
    shape: (r) => flat({ connection_id: r.dbh }),
  },
  'database.connect_cached': {
    to: (p) => LEGACY['database.connect'].to(p),
    shape: (r) => flat({ connection_id: r.dbh, cached: true }),
  },
  'database.prepare': {
    to: (p) => ({ module: 'database', function: 'prepare', params: { dbh: String(p.connection_id), sql: String(p.sql) } }),
    shape: (r) => flat({ statement_id: r.sth }),
  },
  'database.execute_statement': {
    to: (p) => ({ module: 'database', function: 'execute', params: { sth: String(p.statement_id), binds: binds(p), prefetch: 0 } }),
    shape: (r) => flat({ rows_affected: r.rows, column_info: r.fields ? { names: r.fields, count: (r.fields as unknown[]).length } : null }),
  },
  'database.fetch_row': {
    to: (p) => ({ module: 'database', function: 'fetch', params: { sth: String(p.statement_id), max: 1 } }),
    shape: (r) => {
      const row = (r.batch as unknown[][])[0];
      return row ? flat({ row }) : flat({ row: null, end_of_data: true });
    },
  },
  'database.fetch_all': {
    to: (p) => ({ module: 'database', function: 'fetch', params: { sth: String(p.statement_id), max: 1_000_000 } }),
    shape: (r) => flat({ rows: r.batch, count: (r.batch as unknown[]).length }),
  },
  'database.finish_statement': {
    to: (p) => ({ module: 'database', function: 'finish', params: { sth: String(p.statement_id) } }),
    shape: () => flat(),
  },
  'database.do_statement': {
    to: (p) => ({ module: 'database', function: 'do', params: { dbh: String(p.connection_id), sql: String(p.sql), binds: binds(p) } }),
    shape: (r) => flat({ rows_affected: r.rows }),
  },
  'database.execute_immediate': {
    to: (p) => LEGACY['database.do_statement'].to(p),
    shape: (r) => flat({ rows_affected: r.rows }),
  },
  'database.begin_transaction': {
    to: (p) => ({ module: 'database', function: 'begin_work', params: { dbh: String(p.connection_id) } }),
    shape: () => flat(),
  },
  'database.commit': {
    to: (p) => ({ module: 'database', function: 'commit', params: { dbh: String(p.connection_id) } }),
    shape: () => flat(),
  },
  'database.rollback': {
    to: (p) => ({ module: 'database', function: 'rollback', params: { dbh: String(p.connection_id) } }),
    shape: () => flat(),
  },
  'database.disconnect': {
    to: (p) => ({ module: 'database', function: 'disconnect', params: { dbh: String(p.connection_id) } }),
    shape: () => flat(),
  },
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
      const val = String(v ?? '').replace(/[\x1c-\x1f]/g, (c) => '\x1c' + String.fromCharCode(c.charCodeAt(0) + 32));
      return { module: 'excel', function: 'write_batch', params: { wb, cells: [sheet, Number(p.row), Number(p.col), t, '', val].join('\x1f') } };
    },
    shape: () => nested({}),
  },
  'excel.close_workbook': {
    to: (p) => ({ module: 'excel', function: 'close', params: { wb: String(p.workbook_id) } }),
    shape: () => nested({}),
  },
  'test.ping': {
    to: () => ({ module: 'system', function: 'ping', params: {} }),
    shape: (r) => ({ message: 'pong', ...r }), // built-in: no success key, as the predecessor's
  },
  'system.info': {
    to: () => ({ module: 'system', function: 'status', params: {} }),
    shape: (r) => r,
  },
  'system.health': {
    to: () => ({ module: 'system', function: 'status', params: {} }),
    shape: (r) => ({ overall_status: 'healthy', ...r }),
  },
  // crypto: the predecessor's own format (src/modules/crypto/helper.ts); key_file was read by its daemon
  'crypto.new': {
    to: (p) => {
      if (p.key === undefined || p.key === null || p.key === '') throw new BridgeError('bad_params', p.key_file ? 'crypto.new: key_file is not supported through call_python (the file belongs to the script\'s machine): pass key' : 'Either key or key_file must be provided');
      return { module: 'crypto', function: 'helper_new', params: { key: String(p.key), cipher: String(p.cipher ?? 'Blowfish') } };
    },
    shape: (r) => nested(r),
  },
  'crypto.encrypt': {
    to: (p) => ({ module: 'crypto', function: 'helper_encrypt', params: { cipher_id: String(p.cipher_id), plaintext: String(p.plaintext ?? '') } }),
    shape: (r) => nested(r),
  },
  'crypto.decrypt': {
    to: (p) => ({ module: 'crypto', function: 'helper_decrypt', params: { cipher_id: String(p.cipher_id), hex: String(p.hex_ciphertext ?? p.ciphertext ?? '') } }),
    shape: (r) => nested(r),
  },
  'crypto.cleanup_cipher': {
    to: (p) => ({ module: 'crypto', function: 'helper_cleanup', params: { cipher_id: String(p.cipher_id) } }),
    shape: (r) => nested(r),
  },
};
