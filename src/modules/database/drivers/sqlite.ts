// SQLite through better-sqlite3. better-sqlite3 allows no other statement on a connection while an
// iterator is open, but DBI scripts routinely update while a cursor is open: so open cursors are
// lazy iterators that are drained into memory the moment another statement needs the connection.
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { parseDsn, sqlitePath } from '../dsn';
import { checkDatabaseFile, checkStatements } from './sqlite-guard';
import { wireTag } from '../../../protocol/values';
import { placeholderNames, sqliteParams } from '../placeholders';
import { castTextBinds, fromRawTextRow, mayHaveLostBytes, rawTextQuery, textBytes } from './sqlite-bytes';
import { DbError, type Column, type ConnectArgs, type Cursor, type Driver, type DriverConnection, type DriverStatement, type ExecResult } from '../driver';

const RESULT_CODES: Record<string, number> = {
  SQLITE_ERROR: 1, SQLITE_INTERNAL: 2, SQLITE_PERM: 3, SQLITE_ABORT: 4, SQLITE_BUSY: 5, SQLITE_LOCKED: 6,
  SQLITE_NOMEM: 7, SQLITE_READONLY: 8, SQLITE_INTERRUPT: 9, SQLITE_IOERR: 10, SQLITE_CORRUPT: 11,
  SQLITE_NOTFOUND: 12, SQLITE_FULL: 13, SQLITE_CANTOPEN: 14, SQLITE_PROTOCOL: 15, SQLITE_EMPTY: 16,
  SQLITE_SCHEMA: 17, SQLITE_TOOBIG: 18, SQLITE_CONSTRAINT: 19, SQLITE_MISMATCH: 20, SQLITE_MISUSE: 21,
  SQLITE_NOLFS: 22, SQLITE_AUTH: 23, SQLITE_FORMAT: 24, SQLITE_RANGE: 25, SQLITE_NOTADB: 26,
};

/** DBI type codes from SQLite declared types (as DBD::SQLite reports them). */
export function typeCode(decl: string | null): number | null {
  if (!decl) return null;
  const t = decl.toUpperCase();
  if (t.includes('INT')) return 4;
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 12;
  if (t.includes('BLOB')) return -4;
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 6;
  if (t.includes('NUM') || t.includes('DEC')) return 2;
  if (t.includes('DATE') || t.includes('TIME')) return 9;
  return 12;
}

export function sqliteError(e: unknown): DbError {
  if (e instanceof DbError) return e;
  const err = e as { code?: string; message?: string };
  const base = (err.code ?? 'SQLITE_ERROR').replace(/^(SQLITE_[A-Z]+)_.*$/, '$1');
  const code = RESULT_CODES[base] ?? 1;
  return new DbError(String(err.message ?? e), { err: code, state: 'S1000', retryable: code === 5 || code === 6 });
}

function toBind(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  // a number bound as an integer (SQL_INTEGER) is stored as one, as DBD::SQLite does; a JS number
  // would be bound as a REAL
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (v === undefined) return null;
  // a byte string bound as TEXT: its placeholder is cast to TEXT (withTextBinds)
  const text = textBytes(v);
  if (text) return text;
  const num = numericText(v);
  if (num !== undefined) return num;
  if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) throw new DbError('cannot bind a structure (only scalars, undef and binary data)', { err: 1 });
  return v;
}

/**
 * {"$num": text}: a value bound with a numeric SQL type that DBD::SQLite binds as a number (the
 * client decides, see CPANBridge/DBI/Rows.pm): an integer as a 64-bit integer, exactly; else a float.
 */
function numericText(v: unknown): bigint | number | undefined {
  const t = wireTag(v, '$num');
  if (t === undefined) return undefined;
  if (typeof t !== 'string') throw new DbError('a {"$num"} bind holds the number as a string', { err: 1 });
  if (/^[-+]?\d+$/.test(t)) {
    const n = BigInt(t);
    if (n >= -(2n ** 63n) && n < 2n ** 63n) return n;
  }
  // a float (also digits past int64 bound as SQL_DOUBLE: DBD::SQLite binds their double)
  if (/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t)) return Number(t);
  throw new DbError(`not a number SQLite can bind: ${JSON.stringify(t.slice(0, 40))}`, { err: 1 });
}

/** Runs the statement again as rawTextQuery (null: it cannot be: not a read-only query). */
type RawRerun = () => IterableIterator<unknown[]> | null;

class SqliteCursor implements Cursor {
  private buffer: unknown[][] | null = null;
  private pos = 0;
  private closed = false;
  /** Rows taken from the iterator so far. */
  private taken = 0;
  private raw = false;
  constructor(private readonly conn: SqliteConnection, private it: IterableIterator<unknown[]> | null, first: IteratorResult<unknown[]>, private readonly rerun: RawRerun) {
    // the first row was read when the statement ran (that step is where a lock is waited for)
    if (first.done) {
      this.buffer = [];
      this.it = null;
    } else {
      this.taken = 1;
      this.buffer = [this.checked(first.value)];
    }
  }

  /**
   * The row as DBD::SQLite would give it: a string with U+FFFD may be TEXT that is not UTF-8
   * (better-sqlite3 decodes it lossily), so the query goes on as rawTextQuery from this row.
   */
  private checked(row: unknown[]): unknown[] {
    if (this.raw || !mayHaveLostBytes(row)) return row;
    const it = this.rerun();
    if (!it) return row;
    this.it?.return?.();
    this.raw = true;
    this.it = it;
    for (let skip = this.taken - 1; skip > 0; skip--) if (it.next().done) break;
    const r = it.next();
    return r.done ? row : fromRawTextRow(r.value);
  }

  /** The iterator's next row, or null at its end. */
  private nextRow(): unknown[] | null {
    const r = this.it!.next();
    if (r.done) {
      this.it = null;
      this.conn.open.delete(this);
      return null;
    }
    this.taken++;
    return this.raw ? fromRawTextRow(r.value) : this.checked(r.value);
  }

  /** Moves the remaining rows into memory so the connection can run another statement. */
  drain(): void {
    if (!this.it) return;
    const rest: unknown[][] = [];
    for (let row = this.nextRow(); row; row = this.nextRow()) rest.push(row);
    this.buffer = this.buffer ? this.buffer.slice(this.pos).concat(rest) : rest;
    this.pos = 0;
  }

  async read(max: number): Promise<unknown[][]> {
    const out: unknown[][] = [];
    if (this.closed) return out;
    if (this.buffer) {
      while (out.length < max && this.pos < this.buffer.length) out.push(this.buffer[this.pos++]);
      if (this.pos >= this.buffer.length) this.buffer = this.it ? null : [];
    }
    if (this.it) {
      try {
        while (out.length < max) {
          const row = this.nextRow();
          if (!row) break;
          out.push(row);
        }
      } catch (e) {
        this.close();
        throw sqliteError(e);
      }
    }
    return out;
  }

  close(): void {
    this.closed = true;
    if (this.it) {
      this.it.return?.();
      this.it = null;
    }
    this.buffer = null;
    this.conn.open.delete(this);
  }
}

class SqliteStatement implements DriverStatement {
  readonly numParams: number | null;
  readonly paramNames: string[] | null;
  readonly columns: Column[] | null;
  private cursor: SqliteCursor | null = null;
  /** The parameters written `?NNN`: better-sqlite3 takes them by name ({NNN: value}), see positionalArgs. */
  private readonly numbered: Set<number> | null;

  constructor(private readonly conn: SqliteConnection, private readonly stmt: BetterSqlite3.Statement) {
    this.stmt.safeIntegers(true);
    if (stmt.reader) {
      this.stmt.raw(true);
      // TYPE as DBD::SQLite reports it: the declared type name (null for expressions)
      this.columns = stmt.columns().map((c) => ({ name: c.name, type: c.type, nullable: null }));
    } else {
      this.columns = null;
    }
    // better-sqlite3 does not expose sqlite3_bind_parameter_count; the module checks counts itself
    const positional = sqliteParams(stmt.source);
    this.paramNames = positional.count ? null : placeholderNames(stmt.source);
    this.numParams = this.paramNames ? this.paramNames.length : positional.count;
    this.numbered = positional.numbered.size ? positional.numbered : null;
  }

  /** The statement with the placeholders of byte strings bound as TEXT cast to TEXT (see sqlite-bytes.ts). */
  private variants: Map<string, BetterSqlite3.Statement> | null = null;

  private withTextBinds(binds: unknown[]): BetterSqlite3.Statement {
    const at = new Set<number>();
    binds.forEach((b, i) => { if (textBytes(b)) at.add(i); });
    if (!at.size) return this.stmt;
    const key = [...at].join(',');
    this.variants ??= new Map();
    let v = this.variants.get(key);
    if (!v) {
      const names = new Set(this.paramNames ? [...at].map((i) => this.paramNames![i]) : []);
      v = this.conn.db.prepare(castTextBinds(this.stmt.source, this.paramNames ? new Set() : at, names));
      v.safeIntegers(true);
      if (v.reader) v.raw(true);
      this.variants.set(key, v);
    }
    return v;
  }

  async execute(binds: unknown[]): Promise<ExecResult> {
    this.cursor?.close();
    this.cursor = null;
    this.conn.beforeStatement();
    const names = this.paramNames;
    // named placeholders: better-sqlite3 takes them as one object, keyed without the colon
    const args = names ? [Object.fromEntries(names.map((n, i) => [n.slice(1), toBind(binds[i])]))] : this.positionalArgs(binds);
    try {
      // a variant is prepared the first time: that reads the schema, busy while another connection commits
      const stmt = await this.conn.retryBusy(() => this.withTextBinds(binds));
      if (stmt.reader) {
        // the first step takes the read lock: while another connection commits it is busy, and
        // is waited for as DBD::SQLite's busy timeout would (a failed step ends the iterator: anew)
        const { it, first } = await this.conn.retryBusy(() => {
          const i = stmt.iterate(...args) as IterableIterator<unknown[]>;
          return { it: i, first: i.next() };
        });
        this.cursor = new SqliteCursor(this.conn, it, first, () => this.rawText(stmt, args));
        if (!first.done) this.conn.open.add(this.cursor);
        return { columns: this.columns, rows: 0, cursor: this.cursor };
      }
      const r = await this.conn.retryBusy(() => stmt.run(...args));
      this.conn.lastRowid = r.lastInsertRowid;
      // DBD::SQLite returns sqlite3_changes() after any statement: after DDL that is still the count
      // of the last DML (better-sqlite3 says 0). A DML that changed nothing reads 0 here too.
      return { columns: null, rows: r.changes || this.conn.changes(), changed: r.changes, cursor: null };
    } catch (e) {
      throw sqliteError(e);
    }
  }

  /** Bind i is parameter i + 1: positional values for `?` (and unused indexes), one object for `?NNN`. */
  private positionalArgs(binds: unknown[]): unknown[] {
    if (!this.numbered) return binds.map(toBind);
    const args: unknown[] = [];
    const byNumber: Record<string, unknown> = {};
    binds.forEach((b, i) => {
      if (this.numbered!.has(i + 1)) byNumber[String(i + 1)] = toBind(b);
      else args.push(toBind(b));
    });
    args.push(byNumber);
    return args;
  }

  /** `stmt` run again as rawTextQuery; null when it is not a read-only query or cannot be wrapped (PRAGMA). */
  private rawText(stmt: BetterSqlite3.Statement, args: unknown[]): IterableIterator<unknown[]> | null {
    if (!stmt.readonly || !this.columns?.length) return null;
    let raw: BetterSqlite3.Statement;
    try {
      raw = this.conn.db.prepare(rawTextQuery(stmt.source, this.columns.length));
    } catch {
      return null;
    }
    raw.safeIntegers(true).raw(true);
    return raw.iterate(...args) as IterableIterator<unknown[]>;
  }

  close(): void {
    this.cursor?.close();
    this.cursor = null;
  }
}

export class SqliteConnection implements DriverConnection {
  readonly driverName = 'SQLite';
  readonly open = new Set<SqliteCursor>();
  lastRowid: number | bigint | null = null;

  /**
   * `busyTimeoutMs`: how long a write waits for a lock held by another connection (DBD::SQLite's
   * sqlite_busy_timeout, 30 s by default). SQLite's own busy handler would sleep inside the call and
   * freeze the whole daemon (every client, and the sweep that releases a dead client's locks), so
   * the connection opens with no busy handler and the wait happens here, asynchronously.
   */
  constructor(readonly db: BetterSqlite3.Database, public busyTimeoutMs = 30000, private readonly protectedDirs: readonly string[] = []) {}

  /** $dbh->sqlite_busy_timeout($ms) */
  setBusyTimeout(ms: number): void {
    this.busyTimeoutMs = ms;
  }

  async retryBusy<T>(f: () => T): Promise<T> {
    const deadline = Date.now() + this.busyTimeoutMs;
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      try {
        return f();
      } catch (e) {
        const code = String((e as { code?: string }).code ?? '');
        if (!code.startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw e;
        await new Promise((r) => setTimeout(r, Math.max(1, Math.min(delay, deadline - Date.now()))));
      }
    }
  }

  private changesStmt: BetterSqlite3.Statement | null = null;

  /** sqlite3_changes(): rows changed by the most recent INSERT, UPDATE or DELETE on this connection. */
  changes(): number {
    this.changesStmt ??= this.db.prepare('SELECT changes()').pluck();
    return Number(this.changesStmt.get());
  }

  beforeStatement(): void {
    for (const c of [...this.open]) c.drain();
  }

  async prepare(sql: string): Promise<DriverStatement> {
    checkStatements(sql, this.protectedDirs);
    try {
      // preparing reads the schema: busy while another connection commits, so it waits too
      return new SqliteStatement(this, await this.retryBusy(() => this.db.prepare(sql)));
    } catch (e) {
      throw sqliteError(e);
    }
  }

  private async exec(sql: string): Promise<void> {
    this.beforeStatement();
    try {
      await this.retryBusy(() => this.db.exec(sql));
    } catch (e) {
      throw sqliteError(e);
    }
  }

  async begin(): Promise<void> {
    if (!this.db.inTransaction) await this.exec('BEGIN IMMEDIATE');
  }

  async commit(): Promise<void> {
    if (this.db.inTransaction) await this.exec('COMMIT');
  }

  async rollback(): Promise<void> {
    if (this.db.inTransaction) await this.exec('ROLLBACK');
  }

  async ping(): Promise<boolean> {
    return this.db.open;
  }

  async lastInsertId(): Promise<unknown> {
    return this.lastRowid;
  }

  async close(): Promise<void> {
    for (const c of [...this.open]) c.close();
    if (this.db.open) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.db.close();
    }
  }
}

export const sqliteDriver: Driver = {
  name: 'SQLite',
  async connect(args: ConnectArgs): Promise<DriverConnection> {
    const file = sqlitePath(parseDsn(args.dsn), args.cwd);
    const protectedDirs = args.protectedDirs ?? [];
    checkDatabaseFile(file, protectedDirs, 'dbi:SQLite');
    try {
      const db = new Database(file, { timeout: 0 });
      // defensive: no schema tricks (SQLITE_DBCONFIG_DEFENSIVE is better-sqlite3's default while
      // unsafe mode is off), and no SQL functions run from a schema it did not write
      db.unsafeMode(false);
      db.pragma('trusted_schema = OFF');
      return new SqliteConnection(db, Number(args.attrs.sqlite_busy_timeout ?? 30000), protectedDirs);
    } catch (e) {
      // better-sqlite3 checks the directory itself; DBD::SQLite reports SQLite's own error
      if (/directory does not exist/.test(String((e as Error).message))) throw new DbError('unable to open database file', { err: 14, state: 'S1000' });
      throw sqliteError(e);
    }
  },
};
