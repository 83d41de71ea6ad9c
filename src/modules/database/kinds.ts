// Rehydration of database handles after a restart: the connection is reopened and its open
// transaction replayed (each statement's row count checked); an executed cursor is re-executed
// and positioned after the rows already delivered (their checksum checked). A mismatch is never
// silent: the transaction is rolled back and the next request gets `replay_diverged`.
import { replayCopy, resumeCopyOut } from './copy';
import { replayOps, ReplayDivergedError } from '../../kit/replay';
import { decodeValues } from '../../protocol/values';
import type { HandleKindDef, RehydrateContext } from '../../kit/types';
import type { ConnectArgs } from './driver';
import { getDriver } from './drivers';
import { parseDsn } from './dsn';
import { DbConnection, DbStatement, type ConnState, type LongRead, type StmtState, type TxnOp } from './live';
import { batchChecksum, encodeBatch, outChecksum, RowChecksum } from './rows';
import { closeRefCursors, lostRefCursor } from './ref-cursor';

/** A divergence as DBI reports errors (err/errstr/state beside the code). */
export function diverged(message: string): ReplayDivergedError {
  return new ReplayDivergedError(message, { err: -1, errstr: message, state: 'S1000' });
}

export async function openConnection(spec: Record<string, unknown>, protectedDirs: readonly string[] = []): Promise<DbConnection> {
  const args: ConnectArgs = {
    dsn: String(spec.dsn), user: (spec.user as string | null) ?? null, password: (spec.password as string | null) ?? null,
    attrs: (spec.attrs as Record<string, unknown>) ?? {}, cwd: (spec.cwd as string | null) ?? null, protectedDirs,
  };
  const driver = getDriver(parseDsn(args.dsn).driver);
  const conn = await driver.connect(args);
  const autocommit = args.attrs.AutoCommit === undefined ? true : Boolean(args.attrs.AutoCommit);
  return new DbConnection(conn, autocommit, false);
}

export async function replayTransaction(c: DbConnection, h: { id: string }, rctx: RehydrateContext): Promise<void> {
  const ops = rctx.journalOps(h.id) as TxnOp[];
  c.releaseReplayed();
  if (!ops.length) return;
  await c.ensureTxn();
  const d = await replayOps(ops, async (op) => {
    try {
      if (op.copy) return await replayCopy(c, op);
      if (op.read) {
        // the rows the client read must come back the same
        return { want: op.read.checksum, got: await replayRead(c, op as TxnOp & { read: NonNullable<TxnOp['read']> }) };
      }
      const st = await c.driver.prepare(op.sql);
      const r = await st.execute(decodeValues(op.binds) as unknown[], op.out);
      closeRefCursors(r.out);
      st.close();
      // a procedure must also give back the OUT values the client was told
      const changed = r.changed ?? r.rows;
      return op.outSum === undefined
        ? { want: op.rows ?? -1, got: changed }
        : { want: `${op.rows} ${op.outSum}`, got: `${changed} ${outChecksum(r.out ?? [])}` };
    } catch (e) {
      return { want: op.rows ?? 'rows', got: `an error (${(e as Error).message})` };
    }
  });
  if (!d) return;
  const { op, got } = d;
  c.releaseReplayed();
  await c.driver.rollback().catch(() => undefined);
  c.txnOpen = false;
  c.begunWork = false;
  rctx.clearOps(h.id);
  rctx.setState(h.id, c.state());
  c.pendingError = diverged(
    `replay_diverged: the open transaction could not be restored after the daemon restarted: statement ${d.index + 1} of ${ops.length} ` +
    `(${op.sql.replace(/\s+/g, ' ').slice(0, 120)}) ` +
    (op.read ? `returned different rows than the client read before the restart (another session changed them)`
      : op.outSum !== undefined ? `gave back other OUT values or another row count than the client was told before the restart`
      : `affected ${op.rows} row(s) before and ${String(got)} on replay`) +
    '; the transaction was rolled back');
  rctx.log.warn({ handle: h.id }, 'transaction replay diverged; rolled back');
}

/**
 * One read of the transaction, replayed: the checksum of the rows it gives now. A read at the start
 * of an execution re-executes the query at this point of the timeline and keeps the cursor open
 * for the reads that continued it, so a cursor that the transaction updated under (read a row,
 * update it, read the next) sees what it saw the first time. A read whose cursor was not re-opened
 * here (journals before `sth` was recorded) re-executes the query and skips to its rows.
 */
async function replayRead(c: DbConnection, op: TxnOp & { read: NonNullable<TxnOp['read']> }): Promise<string> {
  const { from, count } = op.read;
  let open = op.sth ? c.replayed.get(op.sth) : undefined;
  if (op.sth && from === 0) {
    c.claimReplayed(op.sth);
    if (open) {
      open.cursor?.close();
      open.stmt.close();
    }
    const stmt = await c.driver.prepare(op.sql);
    if (op.long_read) stmt.setLongRead?.(op.long_read.len, op.long_read.trunc_ok);
    const r = await stmt.execute(decodeValues(structuredClone(op.binds)) as unknown[]);
    open = { stmt, cursor: r.cursor, columns: r.columns, sum: new RowChecksum() };
    c.replayed.set(op.sth, open);
  }
  if (open && open.sum.count === from) {
    const rows = count > 0 && open.cursor ? await open.cursor.read(count) : [];
    return rows.length === count ? batchChecksum(encodeBatch(rows, open.sum)) : `${rows.length} rows`;
  }
  const st = await c.driver.prepare(op.sql);
  if (op.long_read) st.setLongRead?.(op.long_read.len, op.long_read.trunc_ok);
  try {
    const r = await st.execute(decodeValues(structuredClone(op.binds)) as unknown[]);
    const skipped = from > 0 && r.cursor ? await r.cursor.read(from) : [];
    const rows = r.cursor && skipped.length === from ? await r.cursor.read(count) : [];
    r.cursor?.close();
    return rows.length === count ? batchChecksum(encodeBatch(rows, null)) : `${rows.length} rows`;
  } finally {
    st.close();
  }
}

async function positionCursor(st: DbStatement, s: StmtState, binds: unknown[]): Promise<void> {
  await st.conn.ensureTxn();
  const r = await st.driver.execute(binds);
  st.cursor = r.cursor;
  st.columns = r.columns ?? st.columns;
  st.sum = new RowChecksum();
  st.done = false;
  let left = s.delivered;
  while (left > 0 && st.cursor) {
    const rows = await st.cursor.read(Math.min(left, 5000));
    encodeBatch(rows, st.sum);
    left -= rows.length;
    if (rows.length === 0) break;
  }
  if (st.sum.count !== s.delivered || (s.checksum !== null && st.sum.digest() !== s.checksum)) {
    st.closeCursor();
    st.pendingError = diverged(
      `replay_diverged: after the daemon restarted, the cursor of "${st.sql.replace(/\s+/g, ' ').slice(0, 120)}" was re-executed, ` +
      `but its first ${s.delivered} row(s) differ from the rows already delivered (${st.sum.count} found; the data changed, or the query has no ORDER BY)`);
  }
}

export const connectionKind: HandleKindDef = {
  secrets: ['password'],
  async rehydrate(h, rctx) {
    const c = await openConnection(h.spec, [rctx.settings.home]);
    const s = h.state as ConnState | null;
    if (s) {
      c.autocommit = s.autocommit;
      c.begunWork = s.begun_work;
      if (s.long_read) {
        c.longRead = s.long_read;
        c.driver.setLongRead?.(s.long_read.len, s.long_read.trunc_ok);
      }
      if (typeof s.busy_timeout === 'number') {
        c.busyTimeout = s.busy_timeout;
        c.driver.setBusyTimeout?.(s.busy_timeout);
      }
    }
    if (c.inTxn) await replayTransaction(c, h, rctx);
    if (s?.copy_wrap && c.copy?.dir === 'in') c.copy.wrapped = true;
    if (s?.copy_out) await resumeCopyOut(c, s.copy_out);
    return c;
  },
  async dispose(obj) {
    await (obj as DbConnection).driver.close();
  },
};

export const statementKind: HandleKindDef = {
  async rehydrate(h, rctx) {
    const conn = h.parent!.obj as DbConnection;
    if (h.spec.ref_cursor) return lostRefCursor(conn, String(h.spec.sql));
    const s = h.state as StmtState | null;
    // the cursor the transaction replay re-opened at its place, if it is where the client left it
    const replayed = conn.claimReplayed(h.id);
    if (replayed && s?.executed && !s.done && replayed.sum.count === s.delivered && replayed.sum.digest() === s.checksum) {
      const st = new DbStatement(conn, replayed.stmt, String(h.spec.sql));
      Object.assign(st, { cursor: replayed.cursor, columns: replayed.columns ?? st.columns, sum: replayed.sum, done: false });
      const ops = rctx.journalOps(h.id) as { binds: unknown[] }[];
      st.binds = ops[ops.length - 1]?.binds ?? [];
      return st;
    }
    if (replayed) {
      replayed.cursor?.close();
      replayed.stmt.close();
    }
    const st = new DbStatement(conn, await conn.driver.prepare(String(h.spec.sql)), String(h.spec.sql));
    if (s?.executed && !s.done && !conn.pendingError) {
      const ops = rctx.journalOps(h.id) as { binds: unknown[]; long_read?: LongRead }[];
      st.binds = ops[ops.length - 1]?.binds ?? [];
      st.setLongRead(ops[ops.length - 1]?.long_read);
      await positionCursor(st, s, decodeValues(structuredClone(st.binds)) as unknown[]);
    }
    return st;
  },
  dispose(obj) {
    const st = obj as DbStatement;
    st.closeCursor();
    st.driver.close();
  },
};
