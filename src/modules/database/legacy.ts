// The predecessor's database functions (call_python 'database', ...) on ours, in its shapes
// (python_helpers/helpers/database.py): flat keys beside `success`, {success: false} at end of data.
// bind_param_inout, get_out_params and get_*_error keep their state in the client
// (perl/lib/CPANBridge/Legacy.pm), which outlives a daemon restart.
import { BridgeError } from '../../errors';
import { flat, text, type LegacyCall, type LegacyEntry, type LegacyRunner, type LegacyTable } from '../../kit/legacy';
import { isQuery } from './index';
import { connectCached } from './legacy-cache';

const str = (v: unknown) => (v === undefined || v === null ? null : text(v));
const binds = (p: Record<string, unknown>) => (Array.isArray(p.bind_values) ? p.bind_values : Array.isArray(p.params) ? p.params : Array.isArray(p.binds) ? p.binds : []);
/** A call on the connection alone, answered with bare success. */
const onConnection = (fn: string): LegacyEntry => ({
  to: (p) => ({ module: 'database', function: fn, params: { dbh: text(p.connection_id) } }),
  shape: () => flat(),
});
const describe = (sth: unknown): LegacyCall => ({ module: 'database', function: 'describe', params: { sth: text(sth) } });
const connectCall = (p: Record<string, unknown>): LegacyCall => ({ module: 'database', function: 'connect', params: { dsn: text(p.dsn ?? ''), user: str(p.username ?? p.user), password: str(p.password), attrs: (p.options as object) ?? {} } });

/** DBI's SQL type codes by name, for the predecessor's `types` (it gave type names). */
const TYPE_NAMES: Record<number, string> = {
  1: 'CHAR', 2: 'NUMERIC', 3: 'DECIMAL', 4: 'INTEGER', 5: 'SMALLINT', 6: 'FLOAT', 7: 'REAL', 8: 'DOUBLE', 9: 'DATE', 10: 'TIME', 11: 'TIMESTAMP',
  12: 'VARCHAR', 16: 'BOOLEAN', 91: 'DATE', 92: 'TIME', 93: 'TIMESTAMP', 95: 'TIMESTAMP WITH TIME ZONE', [-1]: 'LONGVARCHAR', [-2]: 'BINARY', [-3]: 'VARBINARY',
  [-4]: 'LONGVARBINARY', [-5]: 'BIGINT', [-6]: 'TINYINT', [-7]: 'BIT', [-8]: 'WCHAR', [-9]: 'WVARCHAR', [-10]: 'WLONGVARCHAR', 30: 'BLOB', 40: 'CLOB',
};
const typeName = (t: unknown) => (typeof t === 'number' ? TYPE_NAMES[t] ?? text(t) : typeof t === 'string' && t ? t.toUpperCase() : 'UNKNOWN');

/** The predecessor's column_info: count, names, types and one entry per column. */
export function columnInfo(r: Record<string, unknown>): Record<string, unknown> | null {
  const names = r.fields as string[] | null | undefined;
  if (!names || !names.length) return null;
  const types = (r.types as unknown[] | undefined) ?? [];
  const nullable = (r.nullable as unknown[] | undefined) ?? [];
  const columns = names.map((name, i) => ({
    name, type: typeName(types[i]), type_code: types[i] ?? null,
    // not known from the drivers here: said as null rather than guessed
    display_size: null, internal_size: null, precision: null, scale: null,
    nullable: nullable[i] === null || nullable[i] === undefined || nullable[i] === 2 ? null : nullable[i] === 1,
  }));
  return { count: names.length, names, types: columns.map((c) => c.type), columns };
}

const wantHash = (p: Record<string, unknown>) => {
  if (p.format !== undefined && p.format !== null && p.format !== 'array' && p.format !== 'hash') throw new BridgeError('bad_params', `format must be 'array' or 'hash', not '${text(p.format)}'`);
  return p.format === 'hash';
};
const asHash = (names: string[], row: unknown[]) => Object.fromEntries(names.map((n, i) => [n, row[i]]));

/**
 * The bind values of execute_statement: bind_values, then bind_params ({':1' | 1 | ':name' =>
 * {value} or value}) placed by position; a named one by the statement's placeholder names.
 */
async function executeBinds(p: Record<string, unknown>, r: LegacyRunner): Promise<unknown[]> {
  const values = [...binds(p)];
  const bp = p.bind_params;
  if (bp === undefined || bp === null) return values;
  if (typeof bp !== 'object' || Array.isArray(bp)) throw new BridgeError('bad_params', 'bind_params must be a hash of placeholder => {value => ...}');
  let names: string[] | null = null;
  for (const [key, info] of Object.entries(bp as Record<string, unknown>)) {
    const v = info && typeof info === 'object' && !Array.isArray(info) && 'value' in info ? (info as { value: unknown }).value : info;
    const k = key.replace(/^:/, '');
    let at: number;
    if (/^\d+$/.test(k)) at = Number(k);
    else {
      names ??= ((await r.call('describe', describe(p.statement_id))).param_names as string[] | null) ?? [];
      at = names.findIndex((n) => n.replace(/^:/, '').toLowerCase() === k.toLowerCase()) + 1;
      if (at === 0) throw new BridgeError('bad_params', `bind_params: the statement has no placeholder :${k}`);
    }
    if (at < 1) throw new BridgeError('bad_params', `bind_params: placeholder positions start at 1, not ${key}`);
    while (values.length < at) values.push(null);
    values[at - 1] = v;
  }
  return values;
}

/** do_statement / execute_immediate: a SELECT also answers its rows and column_info. */
const immediate: LegacyEntry = {
  reaches: ['database'],
  async run(p, r) {
    const sql = text(p.sql ?? '');
    if (!isQuery(sql)) {
      const d = await r.call('do', { module: 'database', function: 'do', params: { dbh: text(p.connection_id), sql, binds: binds(p) } });
      return flat({ rows_affected: d.rows });
    }
    const sth = (await r.call('prepare', { module: 'database', function: 'prepare', params: { dbh: text(p.connection_id), sql } })).sth;
    try {
      const x = await r.call('execute', { module: 'database', function: 'execute', params: { sth: text(sth), binds: binds(p), prefetch: 1_000_000 } });
      const rows = (x.batch as unknown[][]) ?? [];
      return flat({ rows, rows_affected: rows.length, column_info: columnInfo(x) });
    } finally {
      await r.call('free', { module: 'database', function: 'free', params: { sth: text(sth) } }, true);
    }
  },
};

export const DATABASE_LEGACY: LegacyTable = {
  'database.connect': {
    to: connectCall,
    shape: (r) => flat({ connection_id: r.dbh }),
  },
  'database.connect_cached': { reaches: ['database'], run: (p, r) => connectCached(p, r, connectCall(p)) },
  'database.prepare': {
    to: (p) => ({ module: 'database', function: 'prepare', params: { dbh: text(p.connection_id), sql: text(p.sql) } }),
    shape: (r) => flat({ statement_id: r.sth }),
  },
  'database.execute_statement': {
    reaches: ['database'],
    async run(p, r) {
      const params: Record<string, unknown> = { sth: text(p.statement_id), binds: await executeBinds(p, r), prefetch: 0 };
      // in/out binds, from the client's bind_param_inout (Legacy.pm): [{at, max_len}]
      if (Array.isArray(p.out_binds) && p.out_binds.length) params.out = p.out_binds;
      const x = await r.call('execute', { module: 'database', function: 'execute', params });
      return flat({ rows_affected: x.rows, column_info: columnInfo(x), ...(x.out ? { out_values: x.out } : {}) });
    },
  },
  'database.fetch_row': {
    reaches: ['database'],
    async run(p, r) {
      const hash = wantHash(p);
      const names = hash ? ((await r.call('describe', describe(p.statement_id))).fields as string[]) : [];
      const x = await r.call('fetch', { module: 'database', function: 'fetch', params: { sth: text(p.statement_id), max: 1 } });
      const row = (x.batch as unknown[][])[0];
      // the predecessor's end of data: success 0 (scripts loop `while ($r->{success})`)
      if (!row) return { success: false };
      return flat({ row: hash ? asHash(names, row) : row });
    },
  },
  'database.fetch_all': {
    reaches: ['database'],
    async run(p, r) {
      const hash = wantHash(p);
      const names = hash ? ((await r.call('describe', describe(p.statement_id))).fields as string[]) : [];
      const x = await r.call('fetch', { module: 'database', function: 'fetch', params: { sth: text(p.statement_id), max: 1_000_000 } });
      const rows = x.batch as unknown[][];
      return flat({ rows: hash ? rows.map((row) => asHash(names, row)) : rows, count: rows.length });
    },
  },
  'database.finish_statement': {
    to: (p) => ({ module: 'database', function: 'finish', params: { sth: text(p.statement_id) } }),
    shape: () => flat(),
  },
  'database.do_statement': immediate,
  'database.execute_immediate': immediate,
  'database.begin_transaction': onConnection('begin_work'),
  'database.commit': onConnection('commit'),
  'database.rollback': onConnection('rollback'),
  'database.disconnect': onConnection('disconnect'),
};
