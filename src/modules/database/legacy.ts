// The predecessor's database functions (call_python 'database', ...) on ours.
import { flat, type LegacyEntry, type LegacyTable } from '../../kit/legacy';

const str = (v: unknown) => (v === undefined || v === null ? null : String(v));
const binds = (p: Record<string, unknown>) => (Array.isArray(p.bind_values) ? p.bind_values : Array.isArray(p.params) ? p.params : Array.isArray(p.binds) ? p.binds : []);
/** A call on the connection alone, answered with bare success. */
const onConnection = (fn: string): LegacyEntry => ({
  to: (p) => ({ module: 'database', function: fn, params: { dbh: String(p.connection_id) } }),
  shape: () => flat(),
});

export const DATABASE_LEGACY: LegacyTable = {
  'database.connect': {
    to: (p) => ({ module: 'database', function: 'connect', params: { dsn: String(p.dsn ?? ''), user: str(p.username ?? p.user), password: str(p.password), attrs: (p.options as object) ?? {} } }),
    shape: (r) => flat({ connection_id: r.dbh }),
  },
  'database.connect_cached': {
    to: (p) => DATABASE_LEGACY['database.connect'].to(p),
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
    to: (p) => DATABASE_LEGACY['database.do_statement'].to(p),
    shape: (r) => flat({ rows_affected: r.rows }),
  },
  'database.begin_transaction': onConnection('begin_work'),
  'database.commit': onConnection('commit'),
  'database.rollback': onConnection('rollback'),
  'database.disconnect': onConnection('disconnect'),
};
