// Oracle through node-oracledb in thin mode (no client libraries needed). Values come back as
// DBD::Oracle gives them: NUMBER and DATE as strings (exact decimals, NLS-formatted dates), CLOB as
// text and BLOB as bytes, both cut at LongReadLen unless LongTruncOk. `?` becomes :1, :2...
import type * as OracleDB from 'oracledb';
import { DbError, RefCursorOut, type Column, type ConnectArgs, type Cursor, type Driver, type DriverConnection, type DriverStatement, type ExecResult, type OutBind, type TxnStatus } from '../driver';
import { oracleConnectString, parseDsn } from '../dsn';
import { placeholderNames, translatePlaceholders } from '../placeholders';

type OracleModule = typeof OracleDB;
let oracledb: OracleModule | null = null;
function lib(): OracleModule {
  if (!oracledb) oracledb = require('oracledb') as OracleModule; // loaded on first use: most jobs never touch Oracle
  return oracledb;
}

/** DBI type codes from node-oracledb's DB_TYPE_* names. */
export function dbiType(dbTypeName: string | undefined): number | null {
  switch (dbTypeName) {
    case 'DB_TYPE_NUMBER': case 'DB_TYPE_BINARY_INTEGER': return 3;
    case 'DB_TYPE_BINARY_FLOAT': return 7;
    case 'DB_TYPE_BINARY_DOUBLE': return 8;
    case 'DB_TYPE_CHAR': case 'DB_TYPE_NCHAR': return 1;
    case 'DB_TYPE_VARCHAR': case 'DB_TYPE_NVARCHAR': return 12;
    case 'DB_TYPE_DATE': return 93;
    case 'DB_TYPE_TIMESTAMP': case 'DB_TYPE_TIMESTAMP_TZ': case 'DB_TYPE_TIMESTAMP_LTZ': return 93;
    case 'DB_TYPE_CLOB': case 'DB_TYPE_NCLOB': return 40;
    case 'DB_TYPE_BLOB': return 30;
    case 'DB_TYPE_RAW': return -3;
    case 'DB_TYPE_LONG': return -1;
    default: return dbTypeName ? 12 : null;
  }
}

/** A LOB value as DBD::Oracle returns it under LongReadLen / LongTruncOk. */
export function applyLongReadLen(v: unknown, longReadLen: number, longTruncOk: boolean): unknown {
  if (v === null || v === undefined) return null;
  const len = typeof v === 'string' ? v.length : Buffer.isBuffer(v) ? v.length : -1;
  if (len < 0 || len <= longReadLen) return v;
  if (!longTruncOk) {
    throw new DbError(`ORA-24345: A Truncation or null fetch error occurred (DBD ERROR: LOB value of ${len} exceeds LongReadLen ${longReadLen}, set LongTruncOk or raise LongReadLen)`, { err: 24345, state: 'S1000' });
  }
  return typeof v === 'string' ? v.slice(0, longReadLen) : (v as Buffer).subarray(0, longReadLen);
}

export function oraError(e: unknown): DbError {
  if (e instanceof DbError) return e;
  const err = e as { errorNum?: number; message?: string; code?: string };
  const msg = String(err.message ?? e);
  const lost = /NJS-500|NJS-003|DPI-1080|ORA-03113|ORA-03114|ORA-03135|ORA-00028/.test(msg);
  return new DbError(msg, { err: err.errorNum ?? 1, state: 'S1000', retryable: lost, connectionLost: lost });
}

/**
 * Oracle placeholders: `?` becomes :1..:n, bound by position; a statement written with named
 * placeholders (`:name`, `:1`) keeps them, and its binds arrive in the order of `names`.
 */
export function oracleSql(sql: string): { sql: string; count: number; names: string[] | null } {
  const t = translatePlaceholders(sql, (n) => `:${n}`);
  const names = t.count ? null : placeholderNames(sql);
  return { sql: t.sql, count: names ? names.length : t.count, names };
}

/** The in/out bind of a procedure's OUT parameter: as DBD::Oracle binds it by default, a VARCHAR2 of up to maxLen. */
export interface InOutBind {
  dir: number;
  /** oracledb.STRING (a DbType object in node-oracledb 6) */
  type: unknown;
  val: string | null;
  maxSize: number;
}

/**
 * node-oracledb bind parameters: an array by position, or an object by name for named
 * placeholders; the in/out binds become { dir: BIND_INOUT, ... } (their in-value as text, so a
 * number comes back as Oracle formats it, as DBD::Oracle returns it).
 */
export function oracleBinds(values: unknown[], names: string[] | null, out: OutBind[], consts: { BIND_INOUT: number; BIND_OUT: number; STRING: unknown; CURSOR: unknown }): unknown[] | Record<string, unknown> {
  const vals: unknown[] = values.slice();
  for (const o of out) {
    // a REF CURSOR (ORA_RSET) is OUT only: the in-value (the variable the handle goes into) is not sent
    if (o.cursor) {
      vals[o.at] = { dir: consts.BIND_OUT, type: consts.CURSOR };
      continue;
    }
    const v = vals[o.at];
    const val = v === null || v === undefined ? null : typeof v === 'string' ? v : String(v);
    vals[o.at] = { dir: consts.BIND_INOUT, type: consts.STRING, val, maxSize: Math.max(1, o.maxLen) } satisfies InOutBind;
  }
  if (!names) return vals;
  return Object.fromEntries(names.map((n, i) => [n.slice(1), vals[i]]));
}

/** The values of the in/out binds, in the order asked, from node-oracledb's outBinds. */
export function oracleOutValues(outBinds: unknown, names: string[] | null, out: OutBind[]): unknown[] {
  if (!out.length) return [];
  if (names) {
    const o = (outBinds ?? {}) as Record<string, unknown>;
    return out.map((b) => o[names[b.at].slice(1)] ?? null);
  }
  // by position, node-oracledb lists only the out binds, in position order
  const list = (outBinds ?? []) as unknown[];
  const order = out.map((b) => b.at).sort((a, b) => a - b);
  return out.map((b) => list[order.indexOf(b.at)] ?? null);
}

/** The result columns of node-oracledb's metadata, with DBI type codes. */
export function oracleColumns(meta: readonly OracleDB.Metadata<unknown>[]): Column[] {
  return meta.map((m) => ({ name: m.name, type: dbiType((m.dbType as { name?: string } | undefined)?.name), nullable: m.nullable === undefined ? null : m.nullable ? 1 : 0 }));
}

/** How the rows of a result set are fetched: LOBs as text or bytes, cut at LongReadLen. */
export const FETCH_TYPES = (o: Pick<OracleModule, 'DB_TYPE_NUMBER' | 'DB_TYPE_DATE' | 'DB_TYPE_TIMESTAMP' | 'DB_TYPE_CLOB' | 'DB_TYPE_NCLOB' | 'DB_TYPE_BLOB' | 'STRING' | 'BUFFER'>) =>
  (meta: OracleDB.Metadata<unknown>) => {
    if (meta.dbType === o.DB_TYPE_NUMBER || meta.dbType === o.DB_TYPE_DATE || meta.dbType === o.DB_TYPE_TIMESTAMP) return { type: o.STRING };
    if (meta.dbType === o.DB_TYPE_CLOB || meta.dbType === o.DB_TYPE_NCLOB) return { type: o.STRING };
    if (meta.dbType === o.DB_TYPE_BLOB) return { type: o.BUFFER };
    return undefined;
  };

/** A cursor over a result set (a query's, or a REF CURSOR's), its LOBs under LongReadLen / LongTruncOk. */
export function oracleCursor(rs: OracleDB.ResultSet<unknown[]>, meta: readonly OracleDB.Metadata<unknown>[], o: Pick<OracleModule, 'DB_TYPE_CLOB' | 'DB_TYPE_NCLOB' | 'DB_TYPE_BLOB'>, longReadLen: number, longTruncOk: boolean): Cursor {
  const lobCols = meta.map((m, i) => (m.dbType === o.DB_TYPE_CLOB || m.dbType === o.DB_TYPE_NCLOB || m.dbType === o.DB_TYPE_BLOB ? i : -1)).filter((i) => i >= 0);
  return new OraCursor(rs, (row: unknown[]) => {
    for (const i of lobCols) row[i] = applyLongReadLen(row[i], longReadLen, longTruncOk);
    return row;
  });
}

/**
 * The OUT values of an execute: REF CURSORs (node-oracledb ResultSets, their rows as arrays)
 * become RefCursorOut, fetched as a statement's rows are; the others as they are.
 */
export function oracleRefCursors(values: unknown[], out: OutBind[], o: Pick<OracleModule, 'DB_TYPE_CLOB' | 'DB_TYPE_NCLOB' | 'DB_TYPE_BLOB'>, longReadLen: number, longTruncOk: boolean): unknown[] {
  return values.map((v, k) => {
    if (!out[k]?.cursor) return v;
    // a procedure that did not open the cursor leaves it null; DBD::Oracle then fails the fetch
    if (v === null || v === undefined) return null;
    const rs = v as OracleDB.ResultSet<unknown[]>;
    const meta = (rs.metaData ?? []) as readonly OracleDB.Metadata<unknown>[];
    return new RefCursorOut(oracleColumns(meta), oracleCursor(rs, meta, o, longReadLen, longTruncOk));
  });
}

class OraCursor implements Cursor {
  constructor(private rs: OracleDB.ResultSet<unknown[]> | null, private readonly lobs: (v: unknown[]) => unknown[]) {}
  async read(max: number): Promise<unknown[][]> {
    if (!this.rs) return [];
    try {
      const rows = (await this.rs.getRows(max)) as unknown[][];
      if (rows.length < max) this.close();
      return rows.map(this.lobs);
    } catch (e) {
      throw oraError(e);
    }
  }
  close(): void {
    const rs = this.rs;
    this.rs = null;
    void rs?.close().catch(() => undefined);
  }
}

class OraStatement implements DriverStatement {
  readonly columns: Column[] | null = null;
  readonly numParams: number;
  readonly paramNames: string[] | null;
  private readonly text: string;
  /** The statement's LongReadLen / LongTruncOk: the connection's when prepared (DBI's inheritance), then what the client sends with execute. */
  private longReadLen: number;
  private longTruncOk: boolean;
  constructor(private readonly conn: OraConnection, sql: string) {
    this.longReadLen = conn.longReadLen;
    this.longTruncOk = conn.longTruncOk;
    const t = oracleSql(sql);
    this.text = t.sql;
    this.numParams = t.count;
    this.paramNames = t.names;
  }

  /** $sth->{LongReadLen} / {LongTruncOk}: the LOBs this statement fetches from its next execute. */
  setLongRead(len: number, truncOk: boolean): void {
    this.longReadLen = len;
    this.longTruncOk = truncOk;
  }

  async execute(values: unknown[], out: OutBind[] = []): Promise<ExecResult> {
    const o = lib();
    const binds = oracleBinds(values, this.paramNames, out, o);
    try {
      const { longReadLen, longTruncOk } = this;
      const r = await this.conn.c.execute(this.text, binds as OracleDB.BindParameters, {
        outFormat: o.OUT_FORMAT_ARRAY, resultSet: true, autoCommit: false, fetchTypeHandler: FETCH_TYPES(o),
      } as OracleDB.ExecuteOptions);
      if (r.resultSet) {
        const meta = r.metaData ?? [];
        return { columns: oracleColumns(meta), rows: 0, cursor: oracleCursor(r.resultSet as OracleDB.ResultSet<unknown[]>, meta, o, longReadLen, longTruncOk) };
      }
      // a REF CURSOR is a statement of its own, with the database handle's LongReadLen (DBD::Oracle makes it a new handle)
      const outValues = oracleRefCursors(oracleOutValues(r.outBinds, this.paramNames, out), out, o, this.conn.longReadLen, this.conn.longTruncOk);
      return { columns: null, rows: r.rowsAffected ?? -1, cursor: null, out: outValues };
    } catch (e) {
      throw oraError(e);
    }
  }

  close(): void {}
}

// PL/SQL BOOLEANs cannot be bound: the outcome comes back as numbers
export const LTXID_OUTCOME_SQL = `DECLARE c BOOLEAN; u BOOLEAN;
BEGIN DBMS_APP_CONT.GET_LTXID_OUTCOME(:ltxid, c, u); :committed := CASE WHEN c THEN 1 ELSE 0 END; :completed := CASE WHEN u THEN 1 ELSE 0 END; END;`;

/** The binds of LTXID_OUTCOME_SQL for a journaled (base64) logical transaction id. */
export function ltxidOutcomeBinds(id: string, o: Pick<OracleModule, 'BIND_IN' | 'BIND_OUT' | 'DB_TYPE_RAW' | 'NUMBER'>): OracleDB.BindParameters {
  return { ltxid: { dir: o.BIND_IN, type: o.DB_TYPE_RAW, val: Buffer.from(id, 'base64') }, committed: { dir: o.BIND_OUT, type: o.NUMBER }, completed: { dir: o.BIND_OUT, type: o.NUMBER } };
}

export function ltxidOutcome(out: Record<string, unknown> | undefined): TxnStatus {
  if (!out || typeof out.committed !== 'number') return 'unknown';
  return out.committed === 1 ? 'committed' : 'aborted';
}

export class OraConnection implements DriverConnection {
  readonly driverName = 'Oracle';
  readonly inoutBinds = true;
  readonly ddlCommits = true;
  constructor(readonly c: OracleDB.Connection, public longReadLen: number, public longTruncOk: boolean) {}

  /** $dbh->{LongReadLen} / {LongTruncOk} stored after connect: the LOBs fetched from now on. */
  setLongRead(len: number, truncOk: boolean): void {
    this.longReadLen = len;
    this.longTruncOk = truncOk;
  }
  async prepare(sql: string): Promise<DriverStatement> {
    return new OraStatement(this, sql);
  }
  /**
   * Transaction Guard's logical transaction id (node-oracledb's connection.ltxid), base64. It
   * needs Thick mode and a service with COMMIT_OUTCOME on: without them there is none, and a
   * commit cut short stays in doubt (as with no marker table).
   */
  async transactionId(): Promise<string | null> {
    try {
      const ltxid = this.c.ltxid;
      return ltxid?.length ? ltxid.toString('base64') : null;
    } catch {
      return null; // Thin mode has none
    }
  }

  /** DBMS_APP_CONT.GET_LTXID_OUTCOME: it also blocks that transaction from committing later, so never 'running'. */
  async transactionStatus(id: string): Promise<TxnStatus> {
    try {
      const r = await this.c.execute<unknown>(LTXID_OUTCOME_SQL, ltxidOutcomeBinds(id, lib()));
      return ltxidOutcome(r.outBinds as Record<string, unknown>);
    } catch {
      return 'unknown';
    }
  }

  async begin(): Promise<void> {} // Oracle transactions begin implicitly
  async commit(): Promise<void> {
    await this.c.commit().catch((e: unknown) => { throw oraError(e); });
  }
  async rollback(): Promise<void> {
    await this.c.rollback().catch((e: unknown) => { throw oraError(e); });
  }
  async ping(): Promise<boolean> {
    return this.c.ping().then(() => true, () => false);
  }
  async lastInsertId(): Promise<unknown> {
    return null; // DBD::Oracle has none: scripts use RETURNING ... INTO or a sequence
  }
  async close(): Promise<void> {
    await this.c.close().catch(() => undefined);
  }
}

export const oracleDriver: Driver = {
  name: 'Oracle',
  async connect(args: ConnectArgs): Promise<DriverConnection> {
    const d = parseDsn(args.dsn);
    let user = args.user ?? '';
    let connectString = d.rest.trim() === '' ? '' : oracleConnectString(d);
    const at = user.indexOf('@'); // "scott@TNS" with an empty DSN, as DBD::Oracle accepts
    if (at > 0 && !connectString) {
      connectString = user.slice(at + 1);
      user = user.slice(0, at);
    }
    try {
      const c = await lib().getConnection({ user, password: args.password ?? undefined, connectString });
      return new OraConnection(c, Number(args.attrs.LongReadLen ?? 80), Boolean(args.attrs.LongTruncOk));
    } catch (e) {
      throw oraError(e);
    }
  },
};
