// A bound on the replies one session keeps for resends. A client acknowledges the replies it has
// received (the `ack` of its next request) and they go; one that never does (hostile, or a
// protocol bug) would pile them up until they expire. Past the bound the oldest kept replies of
// that session are dropped: a resend of one of them runs again, which only a client that broke
// the protocol can meet.
import type BetterSqlite3 from 'better-sqlite3';

export interface ReplyBound {
  /** replies kept per session */
  count: number;
  /** bytes of kept replies per session */
  bytes: number;
}

export const DEFAULT_REPLY_BOUND: ReplyBound = { count: 10_000, bytes: 64 * 1024 * 1024 };

interface Kept {
  n: number;
  bytes: number;
}

export class KeptReplies {
  private readonly kept = new Map<string, Kept>();
  private readonly totals: BetterSqlite3.Statement;
  private readonly oldest: BetterSqlite3.Statement;
  private readonly drop: BetterSqlite3.Statement;

  constructor(db: BetterSqlite3.Database, private readonly bound: ReplyBound) {
    this.totals = db.prepare("SELECT count(*) AS n, coalesce(sum(length(CAST(reply AS BLOB))), 0) AS bytes FROM requests WHERE session = ? AND status = 'done'");
    this.oldest = db.prepare("SELECT id, length(CAST(reply AS BLOB)) AS len FROM requests WHERE session = ? AND status = 'done' ORDER BY created, seq LIMIT 256");
    this.drop = db.prepare('DELETE FROM requests WHERE session = ? AND id = ?');
  }

  private of(session: string): Kept {
    let k = this.kept.get(session);
    if (!k) {
      k = { ...(this.totals.get(session) as Kept) };
      this.kept.set(session, k);
    }
    return k;
  }

  /** A reply was kept (inside the committing transaction); true when older ones were dropped for it. */
  added(session: string, bytes: number): boolean {
    const k = this.of(session);
    k.n++;
    k.bytes += bytes;
    if (k.n <= this.bound.count && k.bytes <= this.bound.bytes) return false;
    this.trim(session);
    return true;
  }

  /** Replies were acknowledged (and deleted). */
  removed(session: string, lengths: number[]): void {
    const k = this.kept.get(session);
    if (!k) return;
    k.n -= lengths.length;
    for (const l of lengths) k.bytes -= l ?? 0;
  }

  forget(session: string): void {
    this.kept.delete(session);
  }

  private trim(session: string): void {
    // the running count is an estimate (expiry deletes behind its back): start from the truth
    const k = { ...(this.totals.get(session) as Kept) };
    this.kept.set(session, k);
    for (let guard = 0; (k.n > this.bound.count || k.bytes > this.bound.bytes) && guard < 1000; guard++) {
      const rows = this.oldest.all(session) as { id: string; len: number | null }[];
      if (!rows.length) break;
      for (const r of rows) {
        if (k.n <= this.bound.count && k.bytes <= this.bound.bytes) break;
        this.drop.run(session, r.id);
        k.n--;
        k.bytes -= r.len ?? 0;
      }
    }
  }
}
