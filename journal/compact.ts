// Compaction: the journal's size follows live state, not history. Closed handles are deleted when
// they close; here expired replies, stray ops and dead sessions go, and the file is checkpointed.
import type { Journal } from './journal';

export interface CompactResult {
  requests_expired: number;
  stray_ops: number;
  sessions_forgotten: number;
  bytes_before: number;
  bytes_after: number;
}

function size(j: Journal): number {
  return (j.db.pragma('page_count', { simple: true }) as number) * (j.db.pragma('page_size', { simple: true }) as number);
}

export function compact(j: Journal, retentionSeconds: number, vacuum: boolean): CompactResult {
  const before = size(j);
  const cutoff = Date.now() - retentionSeconds * 1000;
  let requests = 0;
  let ops = 0;
  let sessions = 0;
  j.db.transaction(() => {
    requests = j.db.prepare('DELETE FROM requests WHERE created <= ?').run(cutoff).changes;
    if (requests) j.saveCommitFloor(); // the expired rows may have held the highest commit count
    ops = j.db.prepare('DELETE FROM ops WHERE NOT EXISTS (SELECT 1 FROM handles h WHERE h.id = ops.handle)').run().changes;
    sessions = j.db.prepare(`DELETE FROM sessions WHERE last_seen < ? AND NOT EXISTS (SELECT 1 FROM handles h WHERE h.session = sessions.id)
      AND NOT EXISTS (SELECT 1 FROM requests r WHERE r.session = sessions.id)`).run(cutoff).changes;
  })();
  if (vacuum) j.db.exec('VACUUM');
  j.db.pragma('wal_checkpoint(TRUNCATE)');
  return { requests_expired: requests, stray_ops: ops, sessions_forgotten: sessions, bytes_before: before, bytes_after: size(j) };
}
