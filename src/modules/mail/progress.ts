// Where each send's SMTP dialog stands, written to the journal the moment it moves (not with the
// reply): after a crash, `outcome` reads it to tell a message that never reached the final "."
// (send again) from one whose "." was sent without a 250 on record (in doubt, never resent
// unless the script chose so) and from one the server accepted (the stored result).
import type BetterSqlite3 from 'better-sqlite3';
import type { Migration } from '../../../journal/migrations';

export type Stage = 'connected' | 'rcpt' | 'data' | 'dot' | 'accepted' | 'failed';

export const MAIL_MIGRATIONS: Migration[] = [{
  name: 'mail/001_progress',
  up: `CREATE TABLE mail_progress (
    session TEXT NOT NULL, request TEXT NOT NULL, handle TEXT, stage TEXT NOT NULL,
    message_id TEXT, detail TEXT, updated INTEGER NOT NULL,
    PRIMARY KEY (session, request)) WITHOUT ROWID;
  CREATE INDEX mail_progress_handle ON mail_progress(handle);`,
}];

export interface Row {
  stage: Stage;
  message_id: string | null;
  detail: string | null;
}

/** Rows of sends without a handle (inline messages) are kept a day: long past any resend. */
const KEEP_MS = 24 * 3600 * 1000;

export function record(db: BetterSqlite3.Database, key: { session: string; request: string; handle: string | null; messageId: string | null }, stage: Stage, detail: unknown = null): void {
  const now = Date.now();
  db.prepare(`INSERT INTO mail_progress (session, request, handle, stage, message_id, detail, updated) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (session, request) DO UPDATE SET stage = excluded.stage, detail = excluded.detail, updated = excluded.updated`)
    .run(key.session, key.request, key.handle, stage, key.messageId, detail === null ? null : JSON.stringify(detail), now);
  if (stage === 'connected') db.prepare('DELETE FROM mail_progress WHERE handle IS NULL AND updated < ?').run(now - KEEP_MS);
}

export function lookup(db: BetterSqlite3.Database, session: string, request: string): Row | undefined {
  return db.prepare('SELECT stage, message_id, detail FROM mail_progress WHERE session = ? AND request = ?').get(session, request) as Row | undefined;
}

export function forgetHandle(db: BetterSqlite3.Database, handle: string): void {
  db.prepare('DELETE FROM mail_progress WHERE handle = ?').run(handle);
}
