// The driver interface: what the database module needs from SQLite, PostgreSQL or Oracle. Like a
// DBD under DBI, a driver knows its database; the module knows DBI semantics and journaling.
import { BridgeError } from '../../errors';
import type { ErrorCode } from '../../kit/error-codes';

export interface Column {
  name: string;
  /** DBI SQL type code (SQL_VARCHAR = 12, SQL_INTEGER = 4, ...), when known; SQLite: the declared type name, as DBD::SQLite reports it. */
  type: number | string | null;
  nullable: number | null;
  /** Where a result column comes from (PostgreSQL: table oid and attribute number), for nullability(). */
  source?: { table: number; column: number };
}

export interface ExecResult {
  /** Columns for a statement that returns rows; null for DML/DDL. */
  columns: Column[] | null;
  /** Rows affected (-1 when unknown), as the DBD returns it. */
  rows: number;
  /** Rows this statement itself changed, when `rows` can say more (DBD::SQLite: the last DML's count after DDL); replay checks this. */
  changed?: number;
  cursor: Cursor | null;
  /** Values of the in/out binds asked for, in the order asked (bind_param_inout). */
  out?: unknown[];
}

/**
 * An in/out bind (DBI's bind_param_inout): the bind at `at` (0-based) also returns a value of up
 * to `maxLen` characters; `cursor`: an OUT REF CURSOR (DBD::Oracle's ORA_RSET), which comes back
 * as a RefCursorOut.
 */
export interface OutBind {
  at: number;
  maxLen: number;
  cursor?: boolean;
}

/** A REF CURSOR a procedure opened: its columns and rows, fetched as a statement's. */
export class RefCursorOut {
  constructor(readonly columns: Column[], readonly cursor: Cursor) {}
}

export interface Cursor {
  /** Up to `max` further rows; fewer means the end was reached. Values: null, number, string, bigint, Buffer. */
  read(max: number): Promise<unknown[][]>;
  close(): void;
}

export interface DriverStatement {
  readonly numParams: number | null;
  /** The distinct `:name` placeholders, in order of first appearance, when the statement uses them: binds come in that order. */
  readonly paramNames?: string[] | null;
  /** Column names known before execute (SQLite), else null. */
  readonly columns: Column[] | null;
  /** `out`: only on a connection with `inoutBinds`. */
  execute(binds: unknown[], out?: OutBind[]): Promise<ExecResult>;
  /** The statement's own LongReadLen / LongTruncOk (DBD::Oracle reads LOBs with them), from the next execute on. */
  setLongRead?(len: number, truncOk: boolean): void;
  close(): void;
}

/** A COPY ... FROM STDIN in progress (DBD::Pg's pg_putcopydata / pg_putcopyend). */
export interface CopyIn {
  write(data: Buffer): Promise<void>;
  /** Ends the COPY: the rows it loaded, or the server's error. */
  end(): Promise<number>;
}

/** A COPY ... TO STDOUT in progress (pg_getcopydata): one row at a time, null at the end. */
export interface CopyOut {
  next(): Promise<Buffer | null>;
  close(): void;
}

/** A transaction's fate as the server tells it; 'unknown': it cannot tell (too old, no such id). */
export type TxnStatus = 'committed' | 'aborted' | 'running' | 'unknown';

export interface DriverConnection {
  readonly driverName: string;
  /** Supports in/out binds (procedures' OUT parameters). */
  readonly inoutBinds?: boolean;
  /** DDL commits the open transaction (Oracle): it cannot be replayed as part of one. */
  readonly ddlCommits?: boolean;
  /** DBI's NULLABLE of result columns, looked up when asked (0 no, 1 yes, 2 unknown); else Column.nullable. */
  nullability?(cols: Column[]): Promise<number[]>;
  prepare(sql: string): Promise<DriverStatement>;
  /** Starts a transaction (AutoCommit off / begin_work). */
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  ping(): Promise<boolean>;
  lastInsertId(): Promise<unknown>;
  close(): Promise<void>;
  /**
   * An id of the open transaction that the server remembers after the connection is gone
   * (PostgreSQL's txid, Oracle's logical transaction id): journaled just before COMMIT, it lets
   * a resend after a crash ask transactionStatus whether the commit happened, with no table of
   * ours in the user's schema. null: none for this connection (the commit stays in doubt).
   */
  transactionId?(): Promise<string | null>;
  /** AutoCommit changes can be wrapped in begin()..commit() to journal their transactionId (PostgreSQL). */
  readonly wrapsAutocommit?: boolean;
  /** What became of that transaction; 'running': its session has not ended yet. */
  transactionStatus?(id: string): Promise<TxnStatus>;
  /** LongReadLen / LongTruncOk changed on the database handle after connect (DBD::Oracle reads LOBs with them). */
  setLongRead?(len: number, truncOk: boolean): void;
  /** Starts COPY ... FROM STDIN (resolves once the server accepts it, or rejects with its error). */
  copyIn?(sql: string): Promise<CopyIn>;
  /** Starts COPY ... TO STDOUT. */
  copyOut?(sql: string): Promise<CopyOut>;
  /** How long a statement waits for another connection's lock (DBD::SQLite's sqlite_busy_timeout). */
  setBusyTimeout?(ms: number): void;
  /** True once the server side is known to be gone (backend terminated, server restarted). */
  isLost?(): boolean;
  /** Opens a new server connection in place of a lost one. */
  reconnect?(): Promise<void>;
}

export interface ConnectArgs {
  dsn: string;
  user: string | null;
  password: string | null;
  attrs: Record<string, unknown>;
  cwd: string | null;
  /** Directories no user database may be in (the state directory). */
  protectedDirs?: readonly string[];
}

export interface Driver {
  readonly name: string;
  connect(args: ConnectArgs): Promise<DriverConnection>;
}

/** A database error with DBI's err / errstr / state. */
export class DbError extends BridgeError {
  /** The server connection is gone (the statement may be repeated on a new one when that is safe). */
  readonly connectionLost: boolean;
  constructor(message: string, opts: { err?: number | string; state?: string; retryable?: boolean; connectionLost?: boolean; code?: ErrorCode } = {}) {
    super(opts.code ?? 'db_error', message, { retryable: opts.retryable, extra: { err: opts.err ?? 1, errstr: message, state: opts.state ?? 'S1000' } });
    this.connectionLost = opts.connectionLost ?? false;
  }
}

export function isConnectionLost(e: unknown): boolean {
  return e instanceof DbError && e.connectionLost;
}
