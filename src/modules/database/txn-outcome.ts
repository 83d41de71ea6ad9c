// Whether a commit cut short by a crash happened, from the server itself: the transaction's id
// (DriverConnection.transactionId) is journaled with the 'begun' record just before COMMIT, and
// the resend asks the server what became of it (PostgreSQL's txid_status, Oracle's Transaction
// Guard). A transaction still running belongs to a session the server has not yet seen die: it
// is asked again for a bounded time, then the outcome is unknown (in doubt).
import type { DriverConnection, TxnStatus } from './driver';

export interface TxnNote {
  txid: string;
  /** rows affected by an AutoCommit change, known before its COMMIT */
  rows?: number;
}

export function txnNote(note: Record<string, unknown> | null): TxnNote | null {
  if (!note || typeof note.txid !== 'string') return null;
  return { txid: note.txid, ...(typeof note.rows === 'number' ? { rows: note.rows } : {}) };
}

/** committed / aborted, or unknown (no answer, or still running after `waitMs`). */
export async function transactionOutcome(conn: DriverConnection, txid: string, waitMs = 5000, pollMs = 50): Promise<Exclude<TxnStatus, 'running'>> {
  if (!conn.transactionStatus) return 'unknown';
  const end = Date.now() + waitMs;
  for (;;) {
    const s = await conn.transactionStatus(txid).catch((): TxnStatus => 'unknown');
    if (s !== 'running') return s;
    if (Date.now() >= end) return 'unknown';
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
