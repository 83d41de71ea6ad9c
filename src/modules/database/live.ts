// The live objects behind database handles: a connection with its transaction mode, and a
// statement with its cursor and the running checksum of the rows already delivered.
import type { BridgeError } from '../../errors';
import type { Column, CopyIn, CopyOut, Cursor, DriverConnection, DriverStatement, OutBind } from './driver';
import type { RowChecksum } from './rows';

export interface ConnState extends Record<string, unknown> {
  autocommit: boolean;
  begun_work: boolean;
  /** set by sqlite_busy_timeout after connect (journals before it: absent) */
  busy_timeout?: number;
  /** LongReadLen / LongTruncOk stored after connect */
  long_read?: LongRead;
  /** an AutoCommit COPY FROM STDIN runs in a transaction of its own, committed by pg_putcopyend */
  copy_wrap?: boolean;
  /** a COPY TO STDOUT being read: its SQL and the rows handed out */
  copy_out?: { sql: string; delivered: number };
}

/** DBI's LongReadLen / LongTruncOk, as journaled. */
export interface LongRead {
  len: number;
  trunc_ok: boolean;
}

export interface StmtState extends Record<string, unknown> {
  executed: boolean;
  binds: unknown[];
  delivered: number;
  checksum: string | null;
  done: boolean;
}

/** One journaled step of an open transaction, replayed after a crash and checked. */
export interface TxnOp {
  sql: string;
  binds: unknown[];
  /** Rows affected (DML). */
  rows?: number;
  /** In/out binds of a procedure call, and the checksum of the values they returned. */
  out?: OutBind[];
  outSum?: string;
  /** A COPY FROM STDIN inside the transaction: its start (sql), a chunk of its data, its end (rows). */
  copy?: 'start' | 'data' | 'end';
  data?: string;
  /** Rows the client read inside the transaction: rows [from, from+count) of the query, and their checksum. */
  read?: { from: number; count: number; checksum: string };
  /**
   * The statement handle that read them. A replay keeps that statement's cursor open from its
   * execute (from = 0) on, so later reads continue it where the original timeline did instead of
   * re-executing the query after the transaction's own changes (journals before this: absent).
   */
  sth?: string;
  /** That statement's own LongReadLen / LongTruncOk (Oracle), when it set them. */
  long_read?: LongRead;
}

/** A cursor that a transaction replay re-opened at its original place, awaiting its statement's rehydration. */
export interface ReplayedCursor {
  stmt: DriverStatement;
  cursor: Cursor | null;
  columns: Column[] | null;
  sum: RowChecksum;
}

export class DbConnection {
  /** BEGIN issued on the driver connection for the current transaction. */
  txnOpen = false;
  /** An error to report on the next request (a transaction that could not be replayed). */
  pendingError: BridgeError | null = null;
  /** Cursors re-opened by a transaction replay, by statement handle id, until their statements claim them. */
  readonly replayed = new Map<string, ReplayedCursor>();

  /** sqlite_busy_timeout set after connect, kept across a restart */
  busyTimeout: number | null = null;
  /** LongReadLen / LongTruncOk stored after connect, kept across a restart */
  longRead: { len: number; trunc_ok: boolean } | null = null;
  /** A COPY in progress (DBD::Pg: no other statement until it ends). */
  copy: { dir: 'in'; sql: string; stream: CopyIn; wrapped: boolean } | { dir: 'out'; sql: string; stream: CopyOut; delivered: number } | null = null;

  constructor(readonly driver: DriverConnection, public autocommit: boolean, public begunWork: boolean) {}

  get inTxn(): boolean {
    return !this.autocommit || this.begunWork;
  }

  state(): ConnState {
    return { autocommit: this.autocommit, begun_work: this.begunWork, ...(this.busyTimeout !== null ? { busy_timeout: this.busyTimeout } : {}), ...(this.longRead ? { long_read: this.longRead } : {}),
      ...(this.copy?.dir === 'in' && this.copy.wrapped ? { copy_wrap: true } : {}),
      ...(this.copy?.dir === 'out' ? { copy_out: { sql: this.copy.sql, delivered: this.copy.delivered } } : {}) };
  }

  /** Starts the transaction lazily, before the first statement, as DBD drivers do with AutoCommit off. */
  async ensureTxn(): Promise<void> {
    if (this.inTxn && !this.txnOpen) {
      await this.driver.begin();
      this.txnOpen = true;
    }
  }

  /** The replayed cursor of statement `sth`, if it is still open; the others are released with the transaction. */
  claimReplayed(sth: string): ReplayedCursor | undefined {
    const r = this.replayed.get(sth);
    this.replayed.delete(sth);
    return r;
  }

  releaseReplayed(): void {
    for (const r of this.replayed.values()) {
      r.cursor?.close();
      r.stmt.close();
    }
    this.replayed.clear();
  }

  takePendingError(): void {
    const e = this.pendingError;
    if (e) {
      this.pendingError = null;
      throw e;
    }
  }
}

export class DbStatement {
  cursor: Cursor | null = null;
  sum: RowChecksum | null = null;
  columns: Column[] | null = null;
  done = true;
  pendingError: BridgeError | null = null;
  /** Binds of the current execution, as journaled (bytes encoded). */
  binds: unknown[] = [];
  /** The statement's own LongReadLen / LongTruncOk (Oracle), once the client set them. */
  longRead: LongRead | null = null;

  /** Applies the statement's own LongReadLen / LongTruncOk (drivers that read LOBs with them). */
  setLongRead(lr: LongRead | null | undefined): void {
    if (!lr || !this.driver.setLongRead) return;
    this.driver.setLongRead(lr.len, lr.trunc_ok);
    this.longRead = lr;
  }

  constructor(readonly conn: DbConnection, readonly driver: DriverStatement, readonly sql: string) {
    this.columns = driver.columns;
  }

  closeCursor(): void {
    this.cursor?.close();
    this.cursor = null;
    this.done = true;
  }
}
