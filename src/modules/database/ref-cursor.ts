// REF CURSOR out binds (DBD::Oracle's ORA_RSET): the cursor a procedure opened becomes a statement
// handle of its own, executed and fetched as a query's. It lives in the server session that opened
// it: a daemon restart loses it (the call that opened it is replayed in a transaction, but the
// client's handle cannot be pointed at the new cursor), so the handle comes back with an error
// that says so, and its reads are not journaled as replayable reads.
import type { CallContext, LiveHandle } from '../../kit/types';
import { DbError, RefCursorOut, type Column, type DriverStatement, type ExecResult } from './driver';
import { DbConnection, DbStatement, type StmtState } from './live';
import { RowChecksum } from './rows';

/** The spec a REF CURSOR's statement handle is journaled with. */
export interface RefCursorSpec extends Record<string, unknown> {
  sql: string;
  ref_cursor: true;
}

/** The driver statement behind a REF CURSOR's handle: it cannot be executed again. */
export class RefCursorStatement implements DriverStatement {
  readonly numParams = 0;
  readonly paramNames = null;
  constructor(readonly columns: Column[] | null, private readonly onClose: () => void = () => undefined) {}
  async execute(): Promise<ExecResult> {
    throw new DbError('this statement handle is a REF CURSOR opened by a procedure: it cannot be executed, only fetched (call the procedure again for a new one)', { err: 1, state: 'S1000' });
  }
  close(): void {
    this.onClose();
  }
}

/** Whether a statement handle is a REF CURSOR's (its reads cannot be replayed by re-running it). */
export function isRefCursor(st: DbStatement): boolean {
  return st.driver instanceof RefCursorStatement;
}

/**
 * The OUT values of a call as they travel: each REF CURSOR becomes a new statement handle under
 * the connection, answered as { sth, fields, types, nullable } (the client makes it a DBI::st).
 */
export function refCursorHandles(ctx: CallContext, dbh: LiveHandle<DbConnection>, caller: string, out: unknown[]): unknown[] {
  return out.map((v) => {
    if (!(v instanceof RefCursorOut)) return v;
    const st = new DbStatement(dbh.obj, new RefCursorStatement(v.columns, () => v.cursor.close()), caller);
    Object.assign(st, { cursor: v.cursor, columns: v.columns, sum: new RowChecksum(), done: false });
    const spec: RefCursorSpec = { sql: caller, ref_cursor: true };
    const state: Omit<StmtState, 'binds'> = { executed: true, delivered: 0, checksum: null, done: false };
    const h = ctx.create('database', 'statement', spec, st, { parent: dbh, state });
    return { sth: h.id, fields: v.columns.map((c) => c.name), types: v.columns.map((c) => c.type), nullable: v.columns.map((c) => c.nullable) };
  });
}

/** A REF CURSOR's handle after a daemon restart: its cursor was lost with the server session. */
export function lostRefCursor(conn: DbConnection, sql: string): DbStatement {
  const st = new DbStatement(conn, new RefCursorStatement(null), sql);
  st.pendingError = new DbError(
    'the REF CURSOR of this statement handle was lost when the daemon restarted (Oracle closes a cursor with the session that opened it); call the procedure again for a new one',
    { err: 1, state: 'S1000' });
  return st;
}

/** Closes the REF CURSORs among OUT values that nobody will fetch (a replayed call's). */
export function closeRefCursors(out: readonly unknown[] | undefined): void {
  for (const v of out ?? []) if (v instanceof RefCursorOut) v.cursor.close();
}
