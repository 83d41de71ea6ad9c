// The database module's function table: what each function accepts, how it is journaled, and
// (through kinds.ts) how its handles are rebuilt. DBI semantics live in the Perl shim; this is the
// state and the effects.
import { EncodedResult } from '../../kit/results';
import { refuseOverMemory } from '../../limits';
import { encodeValues } from '../../protocol/values';
import type { CallContext, FunctionDef, LiveHandle, ModuleDef } from '../../kit/types';
import { DbError, isConnectionLost, type OutBind } from './driver';
import { gatherCredentials } from './credentials';
import { connectionKind, openConnection, replayTransaction, statementKind } from './kinds';
import { DbConnection, DbStatement, type LongRead, type StmtState, type TxnOp } from './live';
import { readMarker, writeMarker } from './marker';
import { transactionOutcome, txnNote } from './txn-outcome';
import { copyDirection, copyFunctions, copyInProgress, startCopy } from './copy';
import { isRefCursor, refCursorHandles } from './ref-cursor';
import { batchChecksum, batchJson, encodeReplyBatch, outChecksum, RowChecksum, type EncodedBatch, type RowFormat } from './rows';

const id = { type: 'string', minLength: 1, maxLength: 100 };
/** How long a lost database connection is retried (a server restart) before the job is told. */
const RECONNECT_WINDOW_MS = 60_000;
const binds = { type: 'array', maxItems: 65535 };
const count = { type: 'integer', minimum: 0, maximum: 1_000_000 };
/** How fetched rows travel (rows.ts): `json` arrays (default) or the compact `sep` string. */
const format = { enum: ['json', 'sep'] };
/** In/out binds (bind_param_inout): the 1-based bind position and the longest value expected back; `cursor`: a REF CURSOR (ORA_RSET). */
const out = {
  type: 'array', maxItems: 1000,
  items: { type: 'object', required: ['at', 'max_len'], additionalProperties: false, properties: { at: { type: 'integer', minimum: 1, maximum: 65535 }, max_len: { type: 'integer', minimum: 1, maximum: 1_048_576 }, cursor: { type: 'boolean' } } },
};

/** A statement's own LongReadLen / LongTruncOk ($sth->{LongReadLen}, prepare attributes), sent with execute on Oracle. */
const longRead = { type: 'object', required: ['len', 'trunc_ok'], additionalProperties: false, properties: { len: { type: 'integer', minimum: 0, maximum: 2_147_483_647 }, trunc_ok: { type: 'boolean' } } };

/** DDL, which Oracle runs in a transaction of its own, committing the open one first. */
export function isDdl(sql: string): boolean {
  const m = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*([A-Za-z]+)/.exec(sql);
  return ['CREATE', 'ALTER', 'DROP', 'TRUNCATE', 'GRANT', 'REVOKE', 'RENAME', 'COMMENT', 'ANALYZE', 'AUDIT', 'PURGE', 'FLASHBACK'].includes((m?.[1] ?? '').toUpperCase());
}

/** Statements that return rows (decided before running, since DML must be marked begun first). */
export function isQuery(sql: string): boolean {
  const m = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/|\()*([A-Za-z]+)/.exec(sql);
  const kw = (m?.[1] ?? '').toUpperCase();
  return ['SELECT', 'WITH', 'VALUES', 'PRAGMA', 'EXPLAIN', 'SHOW', 'TABLE'].includes(kw) && !/\b(INSERT|UPDATE|DELETE|MERGE)\b/i.test(kw === 'WITH' ? sql : '');
}

/**
 * A connection whose server side is gone (backend terminated, server restarted) is reopened before
 * use; an open transaction is replayed onto the new one, exactly as after a daemon restart.
 */
async function revive(ctx: CallContext, dbhId: string, c: DbConnection): Promise<void> {
  // a server that is restarting refuses connections for a while: retry with backoff, bounded
  const deadline = Date.now() + RECONNECT_WINDOW_MS;
  for (let wait = 100; ; wait = Math.min(wait * 2, 2000)) {
    try {
      await c.driver.reconnect!();
      break;
    } catch (e) {
      if (Date.now() + wait > deadline) throw e;
      ctx.log.info({ dbh: dbhId, err: (e as Error).message }, 'database server not reachable yet; retrying');
      await new Promise((r) => setTimeout(r, wait));
    }
  }
  c.txnOpen = false;
  if (c.inTxn) await replayTransaction(c, { id: dbhId }, ctx.rehydration);
  ctx.log.info({ dbh: dbhId }, 'database connection lost and reopened');
}

async function conn(ctx: CallContext, dbh: string, opts: { copy?: boolean } = {}): Promise<LiveHandle<DbConnection>> {
  const h = await ctx.handle<DbConnection>(dbh, 'database', 'connection');
  if (h.obj.driver.isLost?.()) await revive(ctx, h.id, h.obj);
  h.obj.takePendingError();
  if (h.obj.copy && !opts.copy) throw copyInProgress(h.obj.copy.dir);
  return h;
}

/** Runs `f`; if the connection was lost under it and `f` is safe to repeat, reopens and retries once. */
async function retryOnLoss<T>(ctx: CallContext, dbhId: string, c: DbConnection, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (!isConnectionLost(e) || !c.driver.reconnect) throw e;
    await revive(ctx, dbhId, c);
    c.takePendingError();
    return f();
  }
}

async function stmt(ctx: CallContext, sth: string): Promise<LiveHandle<DbStatement>> {
  const h = await ctx.handle<DbStatement>(sth, 'database', 'statement');
  if (h.obj.conn.driver.isLost?.()) await revive(ctx, h.parent!.id, h.obj.conn);
  h.obj.conn.takePendingError();
  if (h.obj.conn.copy) throw copyInProgress(h.obj.conn.copy.dir);
  const e = h.obj.pendingError;
  if (e) {
    h.obj.pendingError = null;
    throw e;
  }
  return h;
}

function fieldsJson(st: DbStatement): string {
  const cols = st.columns ?? [];
  return `"fields":${JSON.stringify(cols.map((c) => c.name))},"types":${JSON.stringify(cols.map((c) => c.type))},"nullable":${JSON.stringify(cols.map((c) => c.nullable))}`;
}

/** What a DML/DDL statement or procedure call did. */
interface Change {
  rows: number;
  changed?: number;
  out?: unknown[];
}

/**
 * Runs a DML/DDL statement under the right effect class: inside a transaction it is journaled
 * as a replay op; under AutoCommit it is a side effect (begun before, done after), made
 * exactly-once by the marker table when configured.
 */
async function runChange(ctx: CallContext, dbh: LiveHandle<DbConnection>, run: () => Promise<Change>, sql: string, bindValues: unknown[], outBinds: OutBind[] = []): Promise<Change> {
  const c = dbh.obj;
  if (c.inTxn && c.driver.ddlCommits && isDdl(sql)) {
    // Oracle commits the open transaction before and after DDL: the work so far is committed
    // (a side effect, in doubt if cut short) and there is nothing left to replay
    await ctx.beginSideEffect();
    const r = await run();
    c.txnOpen = false;
    ctx.clearOps(dbh);
    return r;
  }
  if (c.inTxn) {
    ctx.effect = 'transactional';
    const r = await retryOnLoss(ctx, dbh.id, c, async () => {
      await c.ensureTxn();
      return run();
    });
    // a procedure's OUT values are part of what the replay must reproduce
    const op: TxnOp = { sql, binds: encodeValues(bindValues) as unknown[], rows: r.changed ?? r.rows, ...(outBinds.length ? { out: outBinds, outSum: outChecksum(r.out ?? []) } : {}) };
    ctx.appendOp(dbh, op);
    return r;
  }
  if (!ctx.settings.markerTable && c.driver.wrapsAutocommit && c.driver.transactionId) {
    // in a transaction of its own whose id is journaled before anything runs, the rows with it
    // before COMMIT: a resend after a crash asks the server whether it committed
    await c.driver.begin();
    try {
      const txid = await c.driver.transactionId();
      if (txid === null) {
        await c.driver.rollback();
        await ctx.beginSideEffect();
        return run();
      }
      await ctx.beginSideEffect({ txid });
      const r = await run();
      await ctx.beginSideEffect({ txid, rows: r.rows });
      await c.driver.commit();
      return r;
    } catch (e) {
      await c.driver.rollback().catch(() => undefined);
      throw e;
    }
  }
  await ctx.beginSideEffect();
  if (!ctx.settings.markerTable) return run();
  await c.driver.begin();
  try {
    const r = await run();
    await writeMarker(c.driver, ctx.session.id, ctx.requestId, r.rows);
    await c.driver.commit();
    return r;
  } catch (e) {
    await c.driver.rollback().catch(() => undefined);
    throw e;
  }
}

/**
 * Ends the transaction: a commit is a side effect (begun before, with its marker row written in the
 * same transaction when configured); either way the replay log is cleared.
 */
async function endTransaction(ctx: CallContext, h: LiveHandle<DbConnection>, how: 'commit' | 'rollback'): Promise<void> {
  const c = h.obj;
  if (c.txnOpen) {
    if (how === 'commit') await commitNow(ctx, h);
    else await c.driver.rollback();
  }
  resetTransaction(ctx, h);
}

/** COMMIT as a side effect, its outcome knowable after a crash (marker row, or the server's txid); `rows` kept for the resend. */
async function commitNow(ctx: CallContext, h: LiveHandle<DbConnection>, rows = 0): Promise<void> {
  const c = h.obj;
  if (ctx.settings.markerTable) {
    await ctx.beginSideEffect();
    await writeMarker(c.driver, ctx.session.id, ctx.requestId, rows);
  } else {
    // the server's id of this transaction, journaled before COMMIT (see txn-outcome.ts)
    const txid = c.driver.transactionId ? await c.driver.transactionId() : null;
    await ctx.beginSideEffect(txid ? { txid, rows } : undefined);
  }
  await c.driver.commit();
}

function resetTransaction(ctx: CallContext, h: LiveHandle<DbConnection>): void {
  h.obj.releaseReplayed();
  h.obj.txnOpen = false;
  h.obj.begunWork = false;
  ctx.clearOps(h);
  ctx.setState(h, h.obj.state());
}

/**
 * A commit cut short by a crash: rehydrating the connection replayed the transaction. If the
 * marker says the commit happened, that replay is undone (it would commit the work twice);
 * otherwise the commit runs now, on the replayed transaction.
 */
async function commitOutcome(ctx: CallContext, dbhId: string, result: Record<string, unknown>) {
  const known = await markerOutcome(ctx, dbhId, () => result);
  if (known?.happened) {
    const h = await ctx.handle<DbConnection>(dbhId, 'database', 'connection');
    // a replayed COPY is ended first (the server takes no ROLLBACK in the middle of one)
    if (h.obj.copy?.dir === 'in') await h.obj.copy.stream.end().catch(() => undefined);
    h.obj.copy = null;
    if (h.obj.txnOpen) await h.obj.driver.rollback();
    h.obj.pendingError = null; // a replay that failed because the work was already committed
    if (result.autocommit === true) h.obj.autocommit = true;
    resetTransaction(ctx, h);
  }
  return known;
}

/**
 * The outcome of a begun AutoCommit change or commit: from its marker row when the marker table
 * is configured, else from the server's record of the transaction whose id was journaled.
 */
async function markerOutcome(ctx: CallContext, dbhId: string, result: (rows: number) => unknown) {
  const note = txnNote(ctx.begunNote);
  if (!ctx.settings.markerTable && !note) return undefined;
  const h = await ctx.handle<DbConnection>(dbhId, 'database', 'connection');
  if (!ctx.settings.markerTable) {
    const s = await transactionOutcome(h.obj.driver, note!.txid);
    if (s === 'aborted') return { happened: false as const };
    if (s !== 'committed') return undefined;
    return { happened: true as const, result: result(note!.rows ?? 0) };
  }
  const rows = await readMarker(h.obj.driver, ctx.session.id, ctx.requestId);
  return rows === undefined ? { happened: false as const } : { happened: true as const, result: result(rows) };
}

/** Inside a transaction, the rows the client reads are journaled (by checksum) for replay validation. */
function recordRead(ctx: CallContext, h: LiveHandle<DbStatement>, st: DbStatement, from: number, count: number, batch: EncodedBatch): void {
  // an execute is recorded even without rows: the replay re-opens the cursor at that point
  if (!st.conn.inTxn || (count === 0 && from > 0)) return;
  // over the canonical JSON of the rows, whatever format the reply uses
  const op: TxnOp = { sql: st.sql, binds: st.binds, read: { from, count, checksum: batchChecksum(batchJson(batch)) }, sth: h.id, ...(st.longRead ? { long_read: st.longRead } : {}) };
  ctx.appendOp(h.parent!, op);
}

function checkBinds(st: DbStatement, values: unknown[]): void {
  const need = st.driver.numParams;
  if (need !== null && values.length !== need) {
    throw new DbError(`called with ${values.length} bind variables when ${need} are needed`, { err: -1 });
  }
}

/** The in/out binds asked for, checked against the statement and the driver. */
function outBinds(st: DbStatement, values: unknown[], asked: { at: number; max_len: number; cursor?: boolean }[] | undefined): OutBind[] {
  if (!asked?.length) return [];
  if (!st.conn.driver.inoutBinds) throw new DbError(`bind_param_inout is not supported by DBD::${st.conn.driver.driverName}`, { err: 1, state: 'IM001' });
  return asked.map((o) => {
    if (o.at > values.length) throw new DbError(`in/out bind ${o.at} is beyond the ${values.length} bind value(s)`, { err: 1 });
    return { at: o.at - 1, maxLen: o.max_len, ...(o.cursor ? { cursor: true } : {}) };
  });
}

async function execute(p: { sth: string; binds?: unknown[]; prefetch?: number; format?: RowFormat; out?: { at: number; max_len: number; cursor?: boolean }[]; long_read?: LongRead }, ctx: CallContext) {
  const h = await stmt(ctx, p.sth);
  const st = h.obj;
  st.setLongRead(p.long_read);
  const values = p.binds ?? [];
  checkBinds(st, values);
  const inout = outBinds(st, values, p.out);
  st.closeCursor();
  if (!inout.length && (st.columns !== null || isQuery(st.sql))) {
    const r = await retryOnLoss(ctx, h.parent!.id, st.conn, async () => {
      await st.conn.ensureTxn();
      return st.driver.execute(values);
    });
    st.cursor = r.cursor;
    st.columns = r.columns ?? st.columns;
    st.sum = new RowChecksum();
    st.done = false;
    const want = p.prefetch ?? 0;
    const rows = want > 0 && st.cursor ? await st.cursor.read(want) : [];
    const done = !st.cursor || (want > 0 && rows.length < want);
    const batch = encodeReplyBatch(rows, st.sum, p.format);
    if (done) st.closeCursor();
    st.binds = encodeValues(values) as unknown[];
    recordRead(ctx, h, st, 0, rows.length, batch);
    ctx.clearOps(h);
    ctx.appendOp(h, { binds: st.binds, ...(st.longRead ? { long_read: st.longRead } : {}) });
    ctx.setState(h, { executed: true, delivered: st.sum.count, checksum: st.sum.digest(), done } satisfies Omit<StmtState, 'binds'>);
    // the rows first: a compact batch_sep is then found at the start of the reply
    return new EncodedResult(`{${batch.members},"rows":${r.rows},${fieldsJson(st)},"done":${done}}`);
  }
  const dbh = h.parent as LiveHandle<DbConnection>;
  const r = await runChange(ctx, dbh, async () => st.driver.execute(values, inout), st.sql, values, inout);
  return { rows: r.rows, fields: null, batch: [], done: true, ...(inout.length ? { out: encodeValues(refCursorHandles(ctx, dbh, st.sql, r.out ?? [])) } : {}) };
}

async function fetch(p: { sth: string; max: number; format?: RowFormat }, ctx: CallContext) {
  const h = await stmt(ctx, p.sth);
  const st = h.obj;
  if (!st.cursor || st.done || !st.sum) return new EncodedResult('{"batch":[],"done":true}');
  const from = st.sum.count;
  const rows = await st.cursor.read(p.max);
  const done = rows.length < p.max;
  const batch = encodeReplyBatch(rows, st.sum, p.format);
  if (done) st.closeCursor();
  // a REF CURSOR's rows come from the call that opened it, which the transaction replays itself
  if (st.conn.inTxn && rows.length && !isRefCursor(st)) {
    recordRead(ctx, h, st, from, rows.length, batch);
  }
  ctx.setState(h, { ...(h.state ?? {}), executed: true, delivered: st.sum.count, checksum: st.sum.digest(), done });
  return new EncodedResult(`{${batch.members},"done":${done}}`);
}

const functions: Record<string, FunctionDef> = {
  connect: {
    params: {
      type: 'object', required: ['dsn'], additionalProperties: false,
      properties: { dsn: { type: 'string', minLength: 1, maxLength: 4096 }, user: { type: ['string', 'null'] }, password: { type: ['string', 'null'] }, attrs: { type: 'object' } },
    },
    effect: 'create',
    async run(p: { dsn: string; user?: string | null; password?: string | null; attrs?: Record<string, unknown> }, ctx) {
      refuseOverMemory(ctx.settings, 'a new database connection');
      // the password, wherever it was given, only in the sealed field
      const cred = gatherCredentials(p.dsn, p.attrs ?? {}, p.password ?? null);
      const spec = { dsn: cred.dsn, user: p.user ?? null, password: cred.password, attrs: cred.attrs, cwd: ctx.session.cwd };
      const c = await openConnection(spec, [ctx.settings.home]);
      const h = ctx.create('database', 'connection', spec, c, { state: c.state() });
      return { dbh: h.id, driver: c.driver.driverName, autocommit: c.autocommit };
    },
  },

  prepare: {
    params: { type: 'object', required: ['dbh', 'sql'], additionalProperties: false, properties: { dbh: id, sql: { type: 'string', minLength: 1 } } },
    effect: 'create',
    async run(p: { dbh: string; sql: string }, ctx) {
      const dbh = await conn(ctx, p.dbh);
      const st = new DbStatement(dbh.obj, await dbh.obj.driver.prepare(p.sql), p.sql);
      const h = ctx.create('database', 'statement', { sql: p.sql }, st, { parent: dbh });
      return { sth: h.id, num_params: st.driver.numParams, param_names: st.driver.paramNames ?? null, fields: st.columns?.map((c) => c.name) ?? null };
    },
  },

  execute: {
    params: { type: 'object', required: ['sth'], additionalProperties: false, properties: { sth: id, binds, prefetch: count, format, out, long_read: longRead } },
    effect: 'read', // escalated to transactional or side-effect for DML (runChange)
    run: execute,
    outcome: async (p: { sth: string; out?: unknown[] }, ctx) => {
      const h = await ctx.handle<DbStatement>(p.sth, 'database', 'statement');
      return markerOutcome(ctx, h.parent!.id, (rows) => {
        // the marker keeps the row count, not a procedure's OUT values: say so rather than invent them
        if (p.out?.length) throw new DbError('the call was committed exactly once before the daemon restarted, but its OUT parameter values were lost with it; they were not fetched again', { err: 1 });
        return { rows, fields: null, batch: [], done: true };
      });
    },
  },

  fetch: {
    params: { type: 'object', required: ['sth', 'max'], additionalProperties: false, properties: { sth: id, max: { type: 'integer', minimum: 1, maximum: 1_000_000 }, format } },
    effect: 'read',
    run: fetch,
  },

  finish: {
    params: { type: 'object', required: ['sth'], additionalProperties: false, properties: { sth: id } },
    effect: 'close',
    async run(p: { sth: string }, ctx) {
      const h = await ctx.handle<DbStatement>(p.sth, 'database', 'statement').catch(ignoreUnknown);
      if (h && h.state?.executed) {
        h.obj.closeCursor();
        ctx.clearOps(h);
        ctx.setState(h, { executed: false, delivered: 0, checksum: null, done: true });
      }
      return {};
    },
  },

  free: {
    params: { type: 'object', required: ['sth'], additionalProperties: false, properties: { sth: id } },
    effect: 'close',
    async run(p: { sth: string }, ctx) {
      const h = await ctx.handle<DbStatement>(p.sth, 'database', 'statement').catch(ignoreUnknown);
      if (h) await ctx.close(h);
      return {};
    },
  },

  do: {
    params: { type: 'object', required: ['dbh', 'sql'], additionalProperties: false, properties: { dbh: id, sql: { type: 'string', minLength: 1 }, binds } },
    effect: 'read', // escalated by runChange
    async run(p: { dbh: string; sql: string; binds?: unknown[] }, ctx) {
      const dbh = await conn(ctx, p.dbh);
      const values = p.binds ?? [];
      const copy = dbh.obj.driver.copyIn ? copyDirection(p.sql) : null;
      if (copy) return startCopy(ctx, dbh, p.sql, copy);
      const ds = await dbh.obj.driver.prepare(p.sql);
      try {
        const probe = new DbStatement(dbh.obj, ds, p.sql);
        checkBinds(probe, values);
        if (ds.columns !== null && isQuery(p.sql)) {
          await dbh.obj.ensureTxn();
          const r = await ds.execute(values);
          r.cursor?.close();
          return { rows: r.rows };
        }
        return { rows: (await runChange(ctx, dbh, () => ds.execute(values), p.sql, values)).rows };
      } finally {
        ds.close();
      }
    },
    outcome: (p: { dbh: string }, ctx) => markerOutcome(ctx, p.dbh, (rows) => ({ rows })),
  },

  begin_work: {
    params: { type: 'object', required: ['dbh'], additionalProperties: false, properties: { dbh: id } },
    effect: 'mutate-local',
    async run(p: { dbh: string }, ctx) {
      const h = await conn(ctx, p.dbh);
      if (!h.obj.autocommit || h.obj.begunWork) throw new DbError('Already in a transaction', { err: 1 });
      h.obj.begunWork = true;
      ctx.setState(h, h.obj.state());
      return {};
    },
  },

  commit: {
    params: { type: 'object', required: ['dbh'], additionalProperties: false, properties: { dbh: id } },
    effect: 'read', // a side effect when there is a transaction to commit
    async run(p: { dbh: string }, ctx) {
      const h = await conn(ctx, p.dbh);
      if (!h.obj.inTxn) return { ineffective: true };
      await endTransaction(ctx, h, 'commit');
      return {};
    },
    outcome: (p: { dbh: string }, ctx) => commitOutcome(ctx, p.dbh, {}),
  },

  rollback: {
    params: { type: 'object', required: ['dbh'], additionalProperties: false, properties: { dbh: id } },
    effect: 'mutate-local',
    async run(p: { dbh: string }, ctx) {
      const h = await conn(ctx, p.dbh);
      if (!h.obj.inTxn) return { ineffective: true };
      await endTransaction(ctx, h, 'rollback');
      return {};
    },
  },

  // $dbh->{LongReadLen} / {LongTruncOk} stored after connect (DBD::Oracle fetches LOBs with them)
  set_long_read: {
    params: { type: 'object', required: ['dbh', 'len', 'trunc_ok'], additionalProperties: false, properties: { dbh: id, len: { type: 'integer', minimum: 0, maximum: 2_147_483_647 }, trunc_ok: { type: 'boolean' } } },
    effect: 'mutate-local',
    async run(p: { dbh: string; len: number; trunc_ok: boolean }, ctx) {
      const h = await conn(ctx, p.dbh);
      if (!h.obj.driver.setLongRead) return { applies: false }; // DBD::SQLite and DBD::Pg fetch whole values whatever LongReadLen says
      h.obj.driver.setLongRead(p.len, p.trunc_ok);
      h.obj.longRead = { len: p.len, trunc_ok: p.trunc_ok };
      ctx.setState(h, h.obj.state());
      return { applies: true };
    },
  },

  // DBD::SQLite's $dbh->sqlite_busy_timeout($ms)
  set_busy_timeout: {
    params: { type: 'object', required: ['dbh', 'ms'], additionalProperties: false, properties: { dbh: id, ms: { type: 'integer', minimum: 0, maximum: 2_147_483_647 } } },
    effect: 'mutate-local',
    async run(p: { dbh: string; ms: number }, ctx) {
      const h = await conn(ctx, p.dbh);
      if (!h.obj.driver.setBusyTimeout) throw new DbError(`sqlite_busy_timeout is a DBD::SQLite method (this is DBD::${h.obj.driver.driverName})`, { err: 1, state: 'IM001' });
      h.obj.driver.setBusyTimeout(p.ms);
      h.obj.busyTimeout = p.ms;
      ctx.setState(h, h.obj.state());
      return { ms: p.ms };
    },
  },

  set_autocommit: {
    params: { type: 'object', required: ['dbh', 'on'], additionalProperties: false, properties: { dbh: id, on: { type: 'boolean' } } },
    effect: 'read', // committing outstanding work (DBI does so when AutoCommit is turned on) is a side effect
    async run(p: { dbh: string; on: boolean }, ctx) {
      const h = await conn(ctx, p.dbh);
      if (p.on && h.obj.inTxn) await endTransaction(ctx, h, 'commit');
      h.obj.autocommit = p.on;
      h.obj.begunWork = false;
      ctx.setState(h, h.obj.state());
      return { autocommit: h.obj.autocommit };
    },
    outcome: (p: { dbh: string }, ctx) => commitOutcome(ctx, p.dbh, { autocommit: true }),
  },

  nullable: {
    params: { type: 'object', required: ['sth'], additionalProperties: false, properties: { sth: id } },
    effect: 'read',
    async run(p: { sth: string }, ctx) {
      const h = await stmt(ctx, p.sth);
      const cols = h.obj.columns ?? [];
      const d = h.obj.conn.driver;
      return { nullable: d.nullability ? await d.nullability(cols) : cols.map((c) => c.nullable ?? 2) };
    },
  },

  // the statement's columns and placeholders as far as known (the predecessor's column_info and hash rows)
  describe: {
    params: { type: 'object', required: ['sth'], additionalProperties: false, properties: { sth: id } },
    effect: 'read',
    async run(p: { sth: string }, ctx) {
      const h = await stmt(ctx, p.sth);
      const cols = h.obj.columns ?? [];
      return { fields: cols.map((c) => c.name), types: cols.map((c) => c.type), nullable: cols.map((c) => c.nullable), param_names: h.obj.driver.paramNames ?? null, num_params: h.obj.driver.numParams, executed: Boolean(h.state?.executed) };
    },
  },

  ping: {
    params: { type: 'object', required: ['dbh'], additionalProperties: false, properties: { dbh: id } },
    effect: 'read',
    async run(p: { dbh: string }, ctx) {
      const h = await conn(ctx, p.dbh);
      return { alive: await h.obj.driver.ping() };
    },
  },

  last_insert_id: {
    params: { type: 'object', required: ['dbh'], additionalProperties: false, properties: { dbh: id } },
    effect: 'read',
    async run(p: { dbh: string }, ctx) {
      const h = await conn(ctx, p.dbh);
      return { id: await h.obj.driver.lastInsertId() };
    },
  },

  disconnect: {
    params: { type: 'object', required: ['dbh'], additionalProperties: false, properties: { dbh: id } },
    effect: 'close',
    async run(p: { dbh: string }, ctx) {
      const h = await ctx.handle<DbConnection>(p.dbh, 'database', 'connection').catch(ignoreUnknown);
      if (h) await ctx.close(h);
      return {};
    },
  },
};

/** Closing what is already gone is not an error (close is idempotent). */
function ignoreUnknown(e: unknown): null {
  if ((e as { code?: string }).code === 'unknown_handle') return null;
  throw e;
}

Object.assign(functions, copyFunctions({ conn, commit: (ctx, h, rows) => commitNow(ctx, h, rows), reset: resetTransaction }));
// pg_putcopyend cut short by a crash: committed (the replayed COPY is undone) or run again
functions.copy_end.outcome = async (p: { dbh: string }, ctx) => {
  const known = await commitOutcome(ctx, p.dbh, {});
  return known?.happened ? { happened: true, result: { rows: txnNote(ctx.begunNote)?.rows ?? -1 } } : known;
};

export const databaseModule: ModuleDef = {
  name: 'database',
  functions,
  kinds: { connection: connectionKind, statement: statementKind },
};
