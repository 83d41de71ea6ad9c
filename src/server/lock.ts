// The single-writer lock of a state directory. It is an exclusive SQLite lock (POSIX fcntl
// underneath), so the kernel releases it the instant its holder dies, even by SIGKILL: a crashed
// daemon never leaves a stale lock behind, and a restart does not wait for a timeout.
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import * as fs from 'node:fs';

export class StateLock {
  private constructor(private readonly db: BetterSqlite3.Database) {}

  /** Takes the lock, waiting up to `waitMs`; returns null when another process holds it. */
  static acquire(file: string, waitMs: number): StateLock | null {
    const db = new Database(file, { timeout: waitMs });
    try {
      fs.chmodSync(file, 0o600);
      db.pragma('journal_mode = DELETE');
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
      return new StateLock(db);
    } catch (e) {
      db.close();
      if ((e as { code?: string }).code === 'SQLITE_BUSY') return null;
      throw e;
    }
  }

  release(): void {
    if (this.db.open) {
      this.db.exec('ROLLBACK');
      this.db.close();
    }
  }
}
