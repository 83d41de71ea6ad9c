// Large document sources live in the module's own table, once per content hash (many jobs parse
// the same partner file); small ones travel in the handle's spec. A source goes when no
// document handle names it any more.
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { Migration } from '../../../journal/migrations';

/** Sources up to this size are kept in the handle's spec itself. */
export const INLINE_MAX = 64 * 1024;

export const XPATH_MIGRATIONS: Migration[] = [
  {
    name: 'xpath/001_sources',
    up: `
      CREATE TABLE xpath_sources (hash TEXT PRIMARY KEY, xml TEXT NOT NULL, created INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE xpath_source_refs (handle TEXT PRIMARY KEY, hash TEXT NOT NULL) WITHOUT ROWID;
      CREATE INDEX xpath_source_refs_hash ON xpath_source_refs(hash);`,
  },
];

export const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

export function putSource(db: BetterSqlite3.Database, handle: string, hash: string, xml: string): void {
  db.prepare('INSERT OR IGNORE INTO xpath_sources (hash, xml, created) VALUES (?, ?, ?)').run(hash, xml, Date.now());
  db.prepare('INSERT OR REPLACE INTO xpath_source_refs (handle, hash) VALUES (?, ?)').run(handle, hash);
}

export function getSource(db: BetterSqlite3.Database, hash: string): string | undefined {
  const r = db.prepare('SELECT xml FROM xpath_sources WHERE hash = ?').get(hash) as { xml: string } | undefined;
  return r?.xml;
}

export function dropSourceRef(db: BetterSqlite3.Database, handle: string): void {
  const r = db.prepare('SELECT hash FROM xpath_source_refs WHERE handle = ?').get(handle) as { hash: string } | undefined;
  if (!r) return;
  db.prepare('DELETE FROM xpath_source_refs WHERE handle = ?').run(handle);
  const left = db.prepare('SELECT 1 FROM xpath_source_refs WHERE hash = ? LIMIT 1').get(r.hash);
  if (!left) db.prepare('DELETE FROM xpath_sources WHERE hash = ?').run(r.hash);
}
