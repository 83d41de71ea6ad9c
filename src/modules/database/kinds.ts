// Rehydration of database handles after a restart: the connection is reopened and its open
// transaction replayed (each statement's row count checked); an executed cursor is re-executed
// and positioned after the rows already delivered (their checksum checked). A mismatch is never
// silent: the transaction is rolled back and the next request gets `replay_diverged`.
import { BridgeError } from '../../errors';
import { decodeValues } from '../../protocol/values';
import type { HandleKindDef, RehydrateContext } from '../types';
import type { ConnectArgs } from './driver';
import { getDriver } from './drivers';
import { parseDsn } from './dsn';
import { DbConnection, DbStatement, type ConnState, type StmtState, type TxnOp } from './live';
import { batchChecksum, encodeBatch, RowChecksum } from './rows';

export function diverged(message: string): BridgeError {
  return new BridgeError('replay_diverged', message, { extra: { err: -1, errstr: message, state: 'S1000' } });
}

export async function openConnection(spec: Record<string, unknown>): Promise<DbConnection> {
  const args: ConnectArgs = {
    dsn: String(spec.dsn), user: (spec.user as string | null) ?? null, password: (spec.password as string | null) ?? null,
    attrs: (spec.attrs as Record<string, unknown>) ?? {}, cwd: (spec.cwd as string | null) ?? null,
  };
  const driver = getDriver(parseDsn(args.dsn).driver);
  const conn = await driver.connect(args);
  const autocommit = args.attrs.AutoCommit === undefined ? true : Boolean(args.attrs.AutoCommit);
  return new DbConnection(conn, autocommit, false);
}

export async function replayTransaction(c: DbConnection, h: { id: string }, rctx: RehydrateContext): Promise<void> {
  const ops = rctx.journalOps(h.id) as TxnOp[];
  if (!ops.length) return;
  await c.ensureTxn();
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    let got: number | string;
    let want: number | string;
    try {
      const st = await c.driver.prepare(op.sql);
      const r = await st.execute(decodeValues(op.binds) as unknown[]);
      if (op.read) {
        // the rows the client read must come back the same
        want = op.read.checksum;
        const skipped = op.read.from > 0 && r.cursor ? await r.cursor.read(op.read.from) : [];
        const rows = r.cursor && skipped.length === op.read.from ? await r.cursor.read(op.read.count) : [];
        got = rows.length === op.read.count ? batchChecksum(encodeBatch(rows, null)) : `${rows.length} rows`;
        r.cursor?.close();
      } else {
        want = op.rows ?? -1;
        got = r.rows;
      }
      st.close();
    } catch (e) {
      want = op.rows ?? 'rows';
      got = `an error (${(e as Error).message})`;
    }
    if (got !== want) {
      await c.driver.rollback().catch(() => undefined);
      c.txnOpen = false;
      c.begunWork = false;
      rctx.clearOps(h.id);
      rctx.setState(h.id, c.state());
      c.pendingError = diverged(
        `replay_diverged: the open transaction could not be restored after the daemon restarted: statement ${i + 1} of ${ops.length} ` +
        `(${op.sql.replace(/\s+/g, ' ').slice(0, 120)}) ` +
        (op.read ? `returned different rows than the client read before the restart (another session changed them)` : `affected ${op.rows} row(s) before and ${got} on replay`) +
        '; the transaction was rolled back');
      rctx.log.warn({ handle: h.id }, 'transaction replay diverged; rolled back');
      return;
    }
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
  async rehydrate(h, rctx) {
    const c = await openConnection(h.spec);
    const s = h.state as ConnState | null;
    if (s) {
      c.autocommit = s.autocommit;
      c.begunWork = s.begun_work;
    }
    if (c.inTxn) await replayTransaction(c, h, rctx);
    return c;
  },
  async dispose(obj) {
    await (obj as DbConnection).driver.close();
  },
};

export const statementKind: HandleKindDef = {
  async rehydrate(h, rctx) {
    const conn = h.parent!.obj as DbConnection;
    const st = new DbStatement(conn, await conn.driver.prepare(String(h.spec.sql)), String(h.spec.sql));
    const s = h.state as StmtState | null;
    if (s?.executed && !s.done && !conn.pendingError) {
      const ops = rctx.journalOps(h.id) as { binds: unknown[] }[];
      st.binds = ops[ops.length - 1]?.binds ?? [];
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
