// The journal: every state-creating or state-changing request's records, committed before its
// reply is written (the write-ahead rule). SQLite in WAL mode through better-sqlite3.
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import * as fs from 'node:fs';
import { applyMigrations, CORE_MIGRATIONS, FORMAT_VERSION, type Migration } from './migrations';
import { DEFAULT_REPLY_BOUND, KeptReplies, type ReplyBound } from './kept-replies';
import { Sealer } from './secrets';

export interface HandleRow {
  id: string;
  session: string;
  module: string;
  kind: string;
  parent: string | null;
  spec: Record<string, unknown>;
  state: Record<string, unknown> | null;
  created: number;
}

export interface RequestRow {
  session: string;
  id: string;
  fn: string;
  status: 'begun' | 'done';
  /** The stored reply body without its id: `{"success":...}`. */
  reply: string | null;
  /** Fingerprint of what was asked (null in journals written before it was kept). */
  digest: string | null;
}

/** One write of a request; a request's writes commit together, in one SQLite transaction. */
export type Write =
  | { t: 'request'; session: string; id: string; seq: number | null; fn: string; status: 'begun' | 'done'; reply: string | null; digest?: string }
  | { t: 'handle'; row: HandleRow }
  | { t: 'state'; id: string; state: Record<string, unknown> | null }
  | { t: 'delete'; id: string }
  | { t: 'op'; handle: string; op: unknown }
  | { t: 'clear_ops'; handle: string }
  | { t: 'ack'; session: string; seq: number }
  | { t: 'session'; id: string; pid: number | null; host: string | null; script: string | null }
  /** A module's own rows; it must not delete rows of `requests` (their jseq is the commit count). */
  | { t: 'sql'; run: (db: BetterSqlite3.Database) => void };

/** Called inside the deleting transaction for each handle deleted (modules drop their own rows). */
export type DeleteHook = (db: BetterSqlite3.Database, handle: { id: string; module: string; kind: string }) => void;

export interface JournalOptions {
  onDelete?: DeleteHook;
  /** replies kept per session for resends, at most (the oldest go first) */
  replyBound?: ReplyBound;
  synchronous?: 'NORMAL' | 'FULL';
  keyFile: string;
  readonly?: boolean;
  migrations?: Migration[];
  /**
   * Benchmarks only (`daemon --bench` with CPAN_BRIDGE_BENCH_JOURNAL=off, see src/bench-mode.ts):
   * commit() writes nothing, to measure what journaling costs. Nothing survives a crash.
   */
  discardWrites?: boolean;
}

/** Checkpoints run when the journal has been idle this long (not on the reply path), see scheduleCheckpoint. */
const IDLE_CHECKPOINT_MS = 50;
/** The WAL is checkpointed by SQLite itself past this many pages (a journal that is never idle). */
const AUTOCHECKPOINT_PAGES = 8000;

export class Journal {
  readonly db: BetterSqlite3.Database;
  readonly sealer: Sealer;
  private readonly stmts: ReturnType<Journal['prepareStatements']>;
  private closed = false;
  private hasJseq = true;
  private readonly readonly: boolean;
  private kept: KeptReplies | null = null;
  private readonly onDelete: DeleteHook | null;
  private readonly discard: boolean;
  private checkpointTimer: NodeJS.Timeout | null = null;
  private reclaimTimer: NodeJS.Immediate | null = null;
  private lastCommit = 0;
  /** One transaction function for every commit (better-sqlite3 builds four wrappers per transaction() call). */
  private readonly tx: (writes: Write[], next: number, floor: boolean) => boolean;
  /** The commit being applied (its request rows carry it), and whether it deleted kept replies. */
  private applying = 0;
  private repliesDropped = false;
  /**
   * Commits so far, kept in the journal itself. Clients remember the highest value they were told:
   * a journal that comes back lower has lost acknowledged records (a truncated WAL, a restored
   * backup) and the daemon refuses to continue their jobs. Stored as the highest `jseq` of the
   * request rows (each commit's request rows carry its count: no page of its own to write), with
   * `meta.commit_seq` as the floor: written by a commit that has no request row, or that deletes
   * request rows (which could take the highest jseq with them).
   */
  commitSeq = 0;

  constructor(readonly file: string, opts: JournalOptions) {
    this.onDelete = opts.onDelete ?? null;
    this.discard = opts.discardWrites === true;
    this.readonly = opts.readonly === true;
    const existed = fs.existsSync(file);
    this.db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
    if (!existed) fs.chmodSync(file, 0o600);
    this.db.pragma('busy_timeout = 10000');
    if (!opts.readonly) {
      // the file follows live state: pages freed by closed handles are given back (incremental_vacuum)
      if (!existed) this.db.pragma('auto_vacuum = INCREMENTAL');
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('journal_size_limit = 8388608');
      this.db.pragma(`synchronous = ${opts.synchronous ?? 'NORMAL'}`);
      // SQLite's own checkpoint (every 1,000 pages) copies pages back and fsyncs inside whichever
      // commit crosses the mark, i.e. on a request's reply path; see scheduleCheckpoint
      this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      applyMigrations(this.db, [...CORE_MIGRATIONS, ...(opts.migrations ?? [])]);
      const fmt = this.getMeta('format');
      if (fmt === undefined) this.setMeta('format', String(FORMAT_VERSION));
      else if (Number(fmt) > FORMAT_VERSION) {
        throw new Error(`journal ${file} has format ${fmt}, newer than this daemon's ${FORMAT_VERSION}: upgrade the daemon`);
      }
    }
    this.sealer = Sealer.fromKeyFile(opts.keyFile);
    this.stmts = this.prepareStatements();
    if (!opts.readonly) this.kept = new KeptReplies(this.db, opts.replyBound ?? DEFAULT_REPLY_BOUND);
    this.tx = this.db.transaction((writes: Write[], next: number, floor: boolean) => this.applyAll(writes, next, floor));
    // a scan of the kept replies (no index: it would be another page per commit), their first
    // pages only (the reply is the last column); they are few, acknowledged ones are deleted
    const top = this.hasJseq ? ((this.db.prepare('SELECT max(jseq) FROM requests').pluck().get() as number | null) ?? 0) : 0;
    this.commitSeq = Math.max(Number(this.getMeta('commit_seq') ?? 0), top);
    // the row exists, so that each commit updates it in place (one page, no index entry rewritten)
    if (!opts.readonly && this.getMeta('commit_seq') === undefined) this.setMeta('commit_seq', '0');
  }

  private prepareStatements() {
    const db = this.db;
    // a read-only look at a journal of an older daemon (not migrated) has no digest column
    // a read-only look at a journal of an older daemon (not migrated) lacks the later columns;
    // a writable journal has them all (migrated above)
    const cols = new Set((db.prepare('PRAGMA table_info(requests)').all() as { name: string }[]).map((c) => c.name));
    const hasDigest = cols.has('digest');
    this.hasJseq = cols.has('jseq');
    return {
      getRequest: db.prepare(`SELECT session, id, fn, status, reply, ${hasDigest ? 'digest' : 'NULL AS digest'} FROM requests WHERE session = ? AND id = ?`),
      putRequest: this.readonly ? null : db.prepare(`INSERT INTO requests(session, id, seq, fn, status, reply, created, digest, jseq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(session, id) DO UPDATE SET status = excluded.status, reply = excluded.reply, jseq = excluded.jseq`),
      ack: db.prepare("DELETE FROM requests WHERE session = ? AND seq <= ? AND status = 'done' RETURNING length(CAST(reply AS BLOB)) AS len").pluck(),
      getHandle: db.prepare('SELECT * FROM handles WHERE id = ?'),
      putHandle: db.prepare(`INSERT OR REPLACE INTO handles(id, session, module, kind, parent, spec, state, created, updated)
        VALUES (@id, @session, @module, @kind, @parent, @spec, @state, @created, @created)`),
      setState: db.prepare('UPDATE handles SET state = ?, updated = ? WHERE id = ?'),
      children: db.prepare('SELECT id FROM handles WHERE parent = ?'),
      deleteHandle: db.prepare('DELETE FROM handles WHERE id = ?'),
      handleKind: db.prepare('SELECT id, module, kind FROM handles WHERE id = ?'),
      deleteOps: db.prepare('DELETE FROM ops WHERE handle = ?'),
      addOp: db.prepare('INSERT INTO ops(handle, op) VALUES (?, ?)'),
      getOps: db.prepare('SELECT op FROM ops WHERE handle = ? ORDER BY seq'),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)'),
      bumpSeq: db.prepare("UPDATE meta SET value = ? WHERE key = 'commit_seq'"),
      maxSeq: db.prepare('SELECT max(seq) FROM requests WHERE session = ?').pluck(),
      freelistCount: db.prepare('PRAGMA freelist_count').pluck(),
      touchSession: db.prepare(`INSERT INTO sessions(id, pid, host, script, last_seen) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(id) DO UPDATE SET pid = excluded.pid, host = excluded.host, script = excluded.script, last_seen = excluded.last_seen`),
    };
  }

  getMeta(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)').run(key, value);
  }

  getRequest(session: string, id: string): RequestRow | undefined {
    return this.stmts.getRequest.get(session, id) as RequestRow | undefined;
  }

  getHandle(id: string): HandleRow | undefined {
    const r = this.stmts.getHandle.get(id) as (Omit<HandleRow, 'spec' | 'state'> & { spec: string; state: string | null }) | undefined;
    if (!r) return undefined;
    return { ...r, spec: JSON.parse(r.spec), state: r.state === null ? null : JSON.parse(r.state) };
  }

  getOps(handle: string): unknown[] {
    return (this.stmts.getOps.pluck().all(handle) as string[]).map((s) => JSON.parse(s));
  }

  touchSession(id: string, pid: number | null, host: string | null, script: string | null): void {
    this.stmts.touchSession.run(id, pid, host, script, Date.now());
  }

  /** The highest numeric request sequence the journal keeps for a session (0 if none). */
  maxSeq(session: string): number {
    return (this.stmts.maxSeq.get(session) as number | null) ?? 0;
  }

  /** Applies writes in one transaction (all or nothing). */
  commit(writes: Write[]): void {
    this.commitWith(writes, false);
  }

  /** `floor`: the writes delete request rows behind the journal's back (see commitSeq). */
  private commitWith(writes: Write[], floor: boolean): void {
    if (this.closed) throw new Error('journal is closed');
    if (this.readonly) throw new Error('journal is open read-only');
    if (this.discard) return;
    const next = this.commitSeq + 1;
    const deleted = this.tx(writes, next, floor);
    this.commitSeq = next;
    if (deleted) this.scheduleReclaim();
    this.scheduleCheckpoint();
  }

  /** Inside the commit's transaction: returns whether a handle was deleted. */
  private applyAll(writes: Write[], next: number, floor: boolean): boolean {
    this.applying = next;
    this.repliesDropped = false;
    let deleted = false;
    let rows = false;
    for (const w of writes) {
      this.apply(w);
      if (w.t === 'delete') deleted = true;
      else if (w.t === 'request') rows = true;
      else if (w.t === 'ack') floor = true;
    }
    if (!rows || floor || this.repliesDropped) this.stmts.bumpSeq.run(String(next));
    return deleted;
  }

  /**
   * Writes the commit count to its floor (meta), inside the caller's transaction: whoever deletes
   * request rows outside commit() (compaction) calls it, as they may hold the highest jseq.
   */
  saveCommitFloor(): void {
    this.stmts.bumpSeq.run(String(this.commitSeq));
  }

  /**
   * The WAL is copied back into the database file (PASSIVE: it never waits for anyone) once
   * commits have paused for IDLE_CHECKPOINT_MS, between requests rather than inside one; the
   * commits themselves are as durable as before (synchronous applies to them unchanged).
   */
  private scheduleCheckpoint(): void {
    this.lastCommit = Date.now();
    if (this.checkpointTimer) return;
    const tick = () => {
      const quiet = Date.now() - this.lastCommit;
      if (this.closed) return;
      if (quiet < IDLE_CHECKPOINT_MS) {
        this.checkpointTimer = setTimeout(tick, IDLE_CHECKPOINT_MS - quiet);
        this.checkpointTimer.unref();
        return;
      }
      this.checkpointTimer = null;
      try {
        this.db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        /* busy or failing: SQLite's own checkpoint, or the next commit's failure, deals with it */
      }
    };
    this.checkpointTimer = setTimeout(tick, IDLE_CHECKPOINT_MS);
    this.checkpointTimer.unref();
  }

  /**
   * Giving the pages back runs after the reply, not inside the request: after a 600,000-cell
   * workbook's close it took ~250 ms (the vacuum and the TRUNCATE checkpoint), all of it on the
   * close's answer. Space only, never durability: the delete committed already.
   */
  private scheduleReclaim(): void {
    if (this.reclaimTimer) return;
    this.reclaimTimer = setImmediate(() => {
      this.reclaimTimer = null;
      if (!this.closed) this.tryReclaim();
    });
    this.reclaimTimer.unref();
  }

  private tryReclaim(): void {
    try {
      this.reclaim();
    } catch {
      /* busy or failing: the pages stay on the free list until the next large delete */
    }
  }

  /** After a large handle is closed (a workbook's cells), give its pages back to the file system. */
  private reclaim(): void {
    // a prepared statement: db.pragma() prepares one per call, ~15 µs on every deleting commit
    if ((this.stmts.freelistCount.get() as number) < 1024) return;
    this.db.pragma('incremental_vacuum');
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  private apply(w: Write): void {
    const s = this.stmts;
    const now = Date.now();
    switch (w.t) {
      case 'request':
        s.putRequest!.run( // null only when read-only, and commitWith refuses that
          w.session, w.id, w.seq, w.fn, w.status, w.reply, now, w.digest ?? null, this.applying);
        if (w.status === 'done' && w.reply !== null && this.kept?.added(w.session, Buffer.byteLength(w.reply))) this.repliesDropped = true;
        break;
      case 'handle':
        s.putHandle.run({ ...w.row, spec: JSON.stringify(w.row.spec), state: w.row.state === null ? null : JSON.stringify(w.row.state) });
        break;
      case 'state':
        s.setState.run(w.state === null ? null : JSON.stringify(w.state), now, w.id);
        break;
      case 'delete':
        this.deleteTree(w.id);
        break;
      case 'op':
        s.addOp.run(w.handle, JSON.stringify(w.op));
        break;
      case 'clear_ops':
        s.deleteOps.run(w.handle);
        break;
      case 'ack':
        this.kept?.removed(w.session, s.ack.all(w.session, w.seq) as number[]);
        break;
      case 'session':
        s.touchSession.run(w.id, w.pid, w.host, w.script, now);
        break;
      case 'sql':
        w.run(this.db);
        break;
    }
  }

  /** Deletes a handle, its descendants and their replay ops: a closed handle leaves nothing behind. */
  private deleteTree(id: string): void {
    for (const child of this.stmts.children.pluck().all(id) as string[]) this.deleteTree(child);
    const h = this.stmts.handleKind.get(id) as { id: string; module: string; kind: string } | undefined;
    if (h && this.onDelete) this.onDelete(this.db, h);
    this.stmts.deleteOps.run(id);
    this.stmts.deleteHandle.run(id);
  }

  /** Every client session the journal knows, with the process that owns it. */
  sessions(): { id: string; pid: number | null; host: string | null }[] {
    return this.db.prepare('SELECT id, pid, host FROM sessions').all() as { id: string; pid: number | null; host: string | null }[];
  }

  /** Every journaled handle, oldest first (parents before children): eager rehydration. */
  handleIds(): { id: string; session: string }[] {
    return this.db.prepare('SELECT id, session FROM handles ORDER BY created').all() as { id: string; session: string }[];
  }

  handleCount(): number {
    return this.db.prepare('SELECT count(*) FROM handles').pluck().get() as number;
  }

  /** Forgets a session: its handles (with their descendants and module rows), replies and record. */
  forgetSession(session: string): void {
    this.kept?.forget(session);
    const roots = this.db.prepare('SELECT id FROM handles h WHERE session = ? AND (parent IS NULL OR NOT EXISTS (SELECT 1 FROM handles p WHERE p.id = h.parent AND p.session = h.session))').pluck().all(session) as string[];
    this.commitWith([
      ...roots.map((id) => ({ t: 'delete' as const, id })),
      { t: 'sql', run: (db) => {
        db.prepare('DELETE FROM requests WHERE session = ?').run(session);
        db.prepare('DELETE FROM sessions WHERE id = ?').run(session);
      } },
    ], true);
  }

  close(): void {
    if (this.closed) return;
    if (this.reclaimTimer) {
      // a stop right after a large close still leaves the file small (only a commit schedules
      // one, so the journal is writable here)
      clearImmediate(this.reclaimTimer);
      this.reclaimTimer = null;
      this.tryReclaim();
    }
    this.closed = true;
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.db.close();
  }
}
