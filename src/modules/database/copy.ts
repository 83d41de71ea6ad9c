// PostgreSQL's COPY as DBD::Pg drives it: `do("COPY t FROM STDIN")` then pg_putcopydata ... and
// pg_putcopyend; `do("COPY t TO STDOUT")` then pg_getcopydata until -1. While a COPY is open no
// other statement runs ("Must call pg_endcopy before issuing more commands").
// Journaling: COPY FROM runs in a transaction (its own under AutoCommit, committed by
// pg_putcopyend as a side effect, exactly-once by txid), its start and each chunk of data
// journaled as replay ops, so a restarted daemon reopens the COPY and writes the data again;
// COPY TO journals how many rows it handed out and a restart skips them.
import { encodeValues } from '../../protocol/values';
import type { CallContext, FunctionDef, LiveHandle } from '../../kit/types';
import { DbError } from './driver';
import type { DbConnection, TxnOp } from './live';

/** COPY ... FROM STDIN / TO STDOUT (the forms DBD::Pg's pg_putcopydata / pg_getcopydata serve). */
export function copyDirection(sql: string): 'in' | 'out' | null {
  const s = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ').trim();
  if (!/^COPY\b/i.test(s)) return null;
  if (/\bFROM\s+STDIN\b/i.test(s)) return 'in';
  if (/\bTO\s+STDOUT\b/i.test(s)) return 'out';
  return null;
}

export function copyInProgress(dir: 'in' | 'out'): DbError {
  return new DbError(dir === 'in' ? 'Must call pg_putcopyend before issuing more commands' : 'Must call pg_getcopydata until no more rows before issuing more commands', { err: 1, state: '25000' });
}

export interface CopyHooks {
  conn(ctx: CallContext, dbh: string, opts?: { copy?: boolean }): Promise<LiveHandle<DbConnection>>;
  /** Commits the connection's transaction as a side effect (txid and `rows` journaled first). */
  commit(ctx: CallContext, h: LiveHandle<DbConnection>, rows: number): Promise<void>;
  /** Forgets the transaction (ops cleared, state journaled). */
  reset(ctx: CallContext, h: LiveHandle<DbConnection>): void;
}

/** `do` of a COPY statement on a driver with COPY: starts it; -> DBD::Pg's do() result (-1). */
export async function startCopy(ctx: CallContext, h: LiveHandle<DbConnection>, sql: string, dir: 'in' | 'out'): Promise<{ rows: number; copy: string }> {
  const c = h.obj;
  if (dir === 'out') {
    const stream = await c.driver.copyOut!(sql);
    c.copy = { dir, sql, stream, delivered: 0 };
    ctx.setState(h, c.state());
    return { rows: -1, copy: dir };
  }
  const wrapped = !c.inTxn;
  if (wrapped) c.begunWork = true; // a transaction of its own, so that its data can be replayed
  ctx.effect = 'transactional';
  await c.ensureTxn();
  try {
    const stream = await c.driver.copyIn!(sql);
    c.copy = { dir, sql, stream, wrapped };
  } catch (e) {
    if (wrapped) {
      await c.driver.rollback().catch(() => undefined);
      c.txnOpen = false;
      c.begunWork = false;
    }
    throw e;
  }
  ctx.appendOp(h, { sql, binds: [], copy: 'start' } satisfies TxnOp);
  ctx.setState(h, c.state());
  return { rows: -1, copy: dir };
}

/** A journaled COPY op, replayed after a restart; -> what to compare with the op's record. */
export async function replayCopy(c: DbConnection, op: TxnOp): Promise<{ want: unknown; got: unknown }> {
  if (op.copy === 'start') {
    c.copy = { dir: 'in', sql: op.sql, stream: await c.driver.copyIn!(op.sql), wrapped: c.copy?.dir === 'in' ? c.copy.wrapped : false };
    return { want: 0, got: 0 };
  }
  if (c.copy?.dir !== 'in') return { want: 'an open COPY', got: 'none' };
  if (op.copy === 'data') {
    await c.copy.stream.write(Buffer.from(op.data ?? '', 'base64'));
    return { want: 0, got: 0 };
  }
  const rows = await c.copy.stream.end();
  c.copy = null;
  return { want: op.rows, got: rows };
}

/** A COPY TO STDOUT being read when the daemon stopped: started again, the rows handed out skipped. */
export async function resumeCopyOut(c: DbConnection, out: { sql: string; delivered: number }): Promise<void> {
  const stream = await c.driver.copyOut!(out.sql);
  for (let i = 0; i < out.delivered; i++) if ((await stream.next()) === null) break;
  c.copy = { dir: 'out', sql: out.sql, stream, delivered: out.delivered };
}

const id = { type: 'string', minLength: 1, maxLength: 200 };
const data = { anyOf: [{ type: 'string' }, { type: 'object', required: ['$b64'], additionalProperties: false, properties: { $b64: { type: 'string' } } }] };

export function copyFunctions(k: CopyHooks): Record<string, FunctionDef> {
  const copyIn = async (ctx: CallContext, dbh: string) => {
    const h = await k.conn(ctx, dbh, { copy: true });
    const copy = h.obj.copy;
    if (copy?.dir !== 'in') throw new DbError('pg_putcopydata can only be called directly after issuing a COPY FROM command', { err: 1 });
    return { h, copy };
  };
  return {
    // pg_putcopydata: chunks of COPY data, as written (the client packs many calls into one)
    copy_data: {
      params: { type: 'object', required: ['dbh', 'data'], additionalProperties: false, properties: { dbh: id, data } },
      effect: 'mutate-local',
      async run(p: { dbh: string; data: string | Buffer }, ctx) {
        const { h, copy } = await copyIn(ctx, p.dbh);
        const buf = Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data, 'utf8');
        await copy.stream.write(buf);
        ctx.effect = 'transactional';
        ctx.appendOp(h, { sql: '', binds: [], copy: 'data', data: buf.toString('base64') } satisfies TxnOp);
        return 1;
      },
    },
    // pg_putcopyend: the server's verdict; an AutoCommit COPY is committed here
    copy_end: {
      params: { type: 'object', required: ['dbh'], additionalProperties: false, properties: { dbh: id } },
      effect: 'read', // a side effect when it commits
      async run(p: { dbh: string }, ctx) {
        const { h, copy } = await copyIn(ctx, p.dbh);
        const c = h.obj;
        c.copy = null;
        let rows: number;
        try {
          rows = await copy.stream.end();
        } catch (e) {
          if (copy.wrapped) {
            await c.driver.rollback().catch(() => undefined);
            k.reset(ctx, h);
          } else {
            ctx.setState(h, c.state());
          }
          throw e;
        }
        if (copy.wrapped) {
          await k.commit(ctx, h, rows);
          k.reset(ctx, h);
        } else {
          ctx.effect = 'transactional';
          ctx.appendOp(h, { sql: '', binds: [], copy: 'end', rows } satisfies TxnOp);
          ctx.setState(h, c.state());
        }
        return { rows };
      },
    },
    // pg_getcopydata, up to `max` rows at a time (the client hands them out one per call)
    copy_get: {
      params: { type: 'object', required: ['dbh'], additionalProperties: false, properties: { dbh: id, max: { type: 'integer', minimum: 1, maximum: 100_000 } } },
      effect: 'mutate-local',
      async run(p: { dbh: string; max?: number }, ctx) {
        const h = await k.conn(ctx, p.dbh, { copy: true });
        const c = h.obj;
        if (c.copy?.dir !== 'out') throw new DbError('pg_getcopydata can only be called directly after issuing a COPY TO command', { err: 1 });
        const rows: Buffer[] = [];
        let done = false;
        while (rows.length < (p.max ?? 1000)) {
          const r = await c.copy.stream.next();
          if (r === null) { done = true; break; }
          rows.push(r);
        }
        if (done) c.copy = null;
        else c.copy.delivered += rows.length;
        ctx.setState(h, c.state());
        return { rows: encodeValues(rows), done };
      },
    },
  };
}
