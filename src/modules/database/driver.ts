// The driver interface: what the database module needs from SQLite, PostgreSQL or Oracle. Like a
// DBD under DBI, a driver knows its database; the module knows DBI semantics and journaling.
import { BridgeError } from '../../errors';

export interface Column {
  name: string;
  /** DBI SQL type code (SQL_VARCHAR = 12, SQL_INTEGER = 4, ...), when known; SQLite: the declared type name, as DBD::SQLite reports it. */
  type: number | string | null;
  nullable: number | null;
}

export interface ExecResult {
  /** Columns for a statement that returns rows; null for DML/DDL. */
  columns: Column[] | null;
  /** Rows affected (-1 when unknown). */
  rows: number;
  cursor: Cursor | null;
}

export interface Cursor {
  /** Up to `max` further rows; fewer means the end was reached. Values: null, number, string, bigint, Buffer. */
  read(max: number): Promise<unknown[][]>;
  close(): void;
}

export interface DriverStatement {
  readonly numParams: number | null;
  /** Column names known before execute (SQLite), else null. */
  readonly columns: Column[] | null;
  execute(binds: unknown[]): Promise<ExecResult>;
  close(): void;
}

export interface DriverConnection {
  readonly driverName: string;
  prepare(sql: string): Promise<DriverStatement>;
  /** Starts a transaction (AutoCommit off / begin_work). */
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  ping(): Promise<boolean>;
  lastInsertId(): Promise<unknown>;
  close(): Promise<void>;
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
}

export interface Driver {
  readonly name: string;
  connect(args: ConnectArgs): Promise<DriverConnection>;
}

/** A database error with DBI's err / errstr / state. */
export class DbError extends BridgeError {
  /** The server connection is gone (the statement may be repeated on a new one when that is safe). */
  readonly connectionLost: boolean;
  constructor(message: string, opts: { err?: number | string; state?: string; retryable?: boolean; connectionLost?: boolean } = {}) {
    super('db_error', message, { retryable: opts.retryable, extra: { err: opts.err ?? 1, errstr: message, state: opts.state ?? 'S1000' } });
    this.connectionLost = opts.connectionLost ?? false;
  }
}

export function isConnectionLost(e: unknown): boolean {
  return e instanceof DbError && e.connectionLost;
}
