// PostgreSQL through node-postgres. Like DBD::Pg, a SELECT's rows are read into memory at execute
// (so `rows` is known, as DBD::Pg reports it), values come back as DBD::Pg gives them: dates and
// numerics as text, booleans as 1/0, bytea as bytes. A connection whose backend was terminated is
// marked lost; the module reconnects it (replaying an open transaction) on next use.
import { Client, types, type FieldDef } from 'pg';
import { parseDsn } from '../dsn';
import { DbError, type Column, type ConnectArgs, type Cursor, type Driver, type DriverConnection, type DriverStatement, type ExecResult, type TxnStatus, type CopyIn, type CopyOut } from '../driver';
import { startCopyIn, startCopyOut } from './pg-copy';
import { translatePlaceholders } from '../placeholders';

const OID = { bool: 16, bytea: 17, int8: 20, int2: 21, int4: 23, oid: 26, float4: 700, float8: 701, numeric: 1700 };

/** DBI type codes by PostgreSQL type oid. */
const DBI_TYPE: Record<number, number> = {
  16: 16, 17: -3, 20: -5, 21: 5, 23: 4, 25: -1, 700: 7, 701: 8, 1042: 1, 1043: 12, 1082: 9, 1083: 10, 1114: 11, 1184: 11, 1700: 3,
};

function parseInt8(v: string): number | string {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
}

/** Type parsers: only what DBD::Pg also turns into something other than the server's text. */
function getTypeParser(oid: number, format?: 'text' | 'binary'): (v: string) => unknown {
  switch (oid) {
    case OID.bool: return (v) => (v === 't' ? 1 : 0);
    case OID.bytea: return types.getTypeParser(oid, format ?? 'text') as (v: string) => unknown;
    case OID.int2: case OID.int4: case OID.oid: return (v) => Number(v);
    case OID.int8: return (v) => { const n = Number(v); return Number.isSafeInteger(n) ? n : BigInt(v); }; // exact, as DBD::Pg's IV
    case OID.float4: case OID.float8: return (v) => (/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v) ? Number(v) : v);
    default: return (v) => v; // dates, numerics, json, arrays...: text, as DBD::Pg returns them
  }
}

export function pgError(e: unknown): DbError {
  if (e instanceof DbError) return e;
  const err = e as { code?: string; message?: string; detail?: string; hint?: string; where?: string; severity?: string };
  const state = typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code) ? err.code : '08006';
  const lost = state.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03' || /Connection terminated|ECONNRESET|ECONNREFUSED|not queryable/i.test(String(err.message));
  // libpq's default verbosity: the message, then DETAIL, HINT and CONTEXT lines when the server sent them
  const extra = (label: string, v?: string) => (v ? `\n${label}:  ${v}` : '');
  const text = err.severity ? `${err.severity}:  ${err.message}${extra('DETAIL', err.detail)}${extra('HINT', err.hint)}${extra('CONTEXT', err.where)}` : String(err.message ?? e);
  return new DbError(text, { err: 7, state, retryable: lost, connectionLost: lost });
}

class ArrayCursor implements Cursor {
  private pos = 0;
  constructor(private rows: unknown[][] | null) {}
  async read(max: number): Promise<unknown[][]> {
    if (!this.rows) return [];
    const out = this.rows.slice(this.pos, this.pos + max);
    this.pos += out.length;
    return out;
  }
  close(): void {
    this.rows = null;
  }
}

function columns(fields: FieldDef[]): Column[] {
  return fields.map((f) => ({ name: f.name, type: DBI_TYPE[f.dataTypeID] ?? 12, nullable: null, ...(f.tableID ? { source: { table: f.tableID, column: f.columnID } } : {}) }));
}

class PgStatement implements DriverStatement {
  readonly columns: Column[] | null = null;
  readonly numParams: number;
  private readonly text: string;
  constructor(private readonly conn: PgConnection, sql: string) {
    const t = translatePlaceholders(sql, (n) => `$${n}`);
    this.text = t.sql;
    this.numParams = t.count;
  }

  async execute(binds: unknown[]): Promise<ExecResult> {
    const values = binds.map((v) => (typeof v === 'boolean' ? (v ? 't' : 'f') : v));
    try {
      const r = await this.conn.client.query({ text: this.text, values, rowMode: 'array', types: { getTypeParser } as never });
      if (r.fields && r.fields.length > 0) {
        return { columns: columns(r.fields), rows: r.rowCount ?? r.rows.length, cursor: new ArrayCursor(r.rows as unknown[][]) };
      }
      return { columns: null, rows: r.rowCount ?? 0, cursor: null }; // DDL: DBD::Pg returns "0E0"
    } catch (e) {
      throw pgError(e);
    }
  }

  close(): void {}
}

export class PgConnection implements DriverConnection {
  readonly driverName = 'Pg';
  readonly wrapsAutocommit = true;
  lost = false;
  client: Client;

  constructor(private readonly config: ConstructorParameters<typeof Client>[0]) {
    this.client = this.newClient();
  }

  private newClient(): Client {
    const c = new Client(this.config);
    c.on('error', () => { this.lost = true; }); // backend terminated while idle
    c.on('end', () => { this.lost = true; });
    return c;
  }

  async open(): Promise<void> {
    try {
      await this.client.connect();
      this.lost = false;
    } catch (e) {
      throw pgError(e);
    }
  }

  isLost(): boolean {
    return this.lost;
  }

  /** A fresh client object (a pg Client cannot connect twice). */
  renew(): void {
    this.client.end().catch(() => undefined);
    this.client = this.newClient();
  }

  /** Replaces a lost connection by a new one (the caller replays what must be replayed). */
  async reconnect(): Promise<void> {
    this.renew();
    await this.open();
  }

  async prepare(sql: string): Promise<DriverStatement> {
    return new PgStatement(this, sql);
  }

  private async run(sql: string): Promise<void> {
    try {
      await this.client.query(sql);
    } catch (e) {
      throw pgError(e);
    }
  }

  /** The open transaction's id (an id is assigned if it has none yet: it must outlive us). */
  async transactionId(): Promise<string | null> {
    const r = await this.client.query({ text: 'SELECT txid_current()::text', rowMode: 'array' }).catch((e: unknown) => { throw pgError(e); });
    return String((r.rows[0] as unknown[])[0]);
  }

  /**
   * txid_status (PostgreSQL 10+): committed, aborted, in progress, or NULL when too old. Asked on a
   * connection of its own: this one may be in the middle of a replayed transaction or COPY.
   */
  async transactionStatus(id: string): Promise<TxnStatus> {
    const c = new Client(this.config);
    c.on('error', () => undefined);
    try {
      await c.connect();
      const r = await c.query({ text: 'SELECT txid_status($1::bigint)', values: [id], rowMode: 'array' });
      const s = (r.rows[0] as unknown[])[0];
      return s === 'committed' ? 'committed' : s === 'aborted' ? 'aborted' : s === 'in progress' ? 'running' : 'unknown';
    } catch (e) {
      throw pgError(e);
    } finally {
      await c.end().catch(() => undefined);
    }
  }

  copyIn(sql: string): Promise<CopyIn> {
    return startCopyIn(this.client, sql, pgError);
  }

  copyOut(sql: string): Promise<CopyOut> {
    return startCopyOut(this.client, sql, pgError);
  }

  begin(): Promise<void> { return this.run('BEGIN'); }
  commit(): Promise<void> { return this.run('COMMIT'); }
  rollback(): Promise<void> { return this.run('ROLLBACK'); }

  async ping(): Promise<boolean> {
    try {
      await this.client.query('SELECT 1');
      return true;
    } catch {
      this.lost = true;
      return false;
    }
  }

  /** As DBD::Pg: a column of a table is nullable unless NOT NULL; an expression is unknown (2). */
  async nullability(cols: Column[]): Promise<number[]> {
    const tables = [...new Set(cols.flatMap((c) => (c.source ? [c.source.table] : [])))];
    const notNull = new Map<string, boolean>();
    if (tables.length) {
      try {
        const r = await this.client.query({ text: 'SELECT attrelid, attnum, attnotnull FROM pg_catalog.pg_attribute WHERE attrelid = ANY($1::oid[]) AND attnum > 0', values: [tables] });
        for (const row of r.rows as { attrelid: number; attnum: number; attnotnull: boolean }[]) notNull.set(`${row.attrelid}:${row.attnum}`, row.attnotnull);
      } catch (e) {
        throw pgError(e);
      }
    }
    return cols.map((c) => {
      const nn = c.source ? notNull.get(`${c.source.table}:${c.source.column}`) : undefined;
      return nn === undefined ? 2 : nn ? 0 : 1;
    });
  }

  async lastInsertId(): Promise<unknown> {
    const r = await this.client.query({ text: 'SELECT lastval()', rowMode: 'array' }).catch((e: unknown) => { throw pgError(e); });
    return parseInt8(String((r.rows[0] as unknown[])[0]));
  }

  async close(): Promise<void> {
    this.lost = true;
    await this.client.end().catch(() => undefined);
  }
}

/**
 * node-postgres settings from DBI's connect arguments. As in DBD::Pg, a non-empty password argument
 * wins over `password=` in the DSN, which is used otherwise (libpq's own reading of the DSN).
 */
export function pgConfig(args: ConnectArgs): ConstructorParameters<typeof Client>[0] & object {
  const a = parseDsn(args.dsn).attrs;
  return {
    database: a.dbname ?? a.database ?? a.db,
    host: a.host ?? a.hostaddr ?? process.env.PGHOST ?? '127.0.0.1',
    port: a.port ? Number(a.port) : undefined,
    user: args.user || a.user || process.env.PGUSER || undefined,
    password: args.password || a.password || undefined,
    // as libpq under DBD::Pg: the DSN's application_name, then PGAPPNAME
    application_name: a.application_name ?? process.env.PGAPPNAME ?? 'cpan-bridge',
    connectionTimeoutMillis: 30_000,
  };
}

export const pgDriver: Driver = {
  name: 'Pg',
  async connect(args: ConnectArgs): Promise<DriverConnection> {
    const conn = new PgConnection(pgConfig(args));
    await openPatiently(conn);
    return conn;
  },
};

/**
 * A server that is restarting answers "the database system is starting up / shutting down"
 * (57P03) or refuses connections for a moment. A nightly job should not fail on that: such a
 * connect is retried (57P03 for up to a minute, a refused connection for a few seconds, so that a
 * wrong port still fails fast). Other errors fail at once, as in DBI.
 */
async function openPatiently(conn: PgConnection): Promise<void> {
  const start = Date.now();
  let restarting = false; // once the server said so, refused connections are part of its restart
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    try {
      await conn.open();
      return;
    } catch (e) {
      const state = (e as DbError).extra?.state;
      const msg = (e as Error).message;
      // "starting up / shutting down", an admin shutdown, or a connection cut while the server stops
      if (state === '57P03' || state === '57P01' || /terminated unexpectedly|ECONNRESET/.test(msg)) restarting = true;
      const window = restarting ? 60_000 : /ECONNREFUSED/.test(msg) ? 5_000 : 0;
      if (Date.now() - start + wait > window) throw e;
      await new Promise((r) => setTimeout(r, wait));
      conn.renew();
    }
  }
}
