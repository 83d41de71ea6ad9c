// Schema migrations, applied in order and recorded by name. Modules add their own (named
// "<module>/NNN_..."), so a module's tables live beside the core's in the same file. A migration,
// once released, is never edited: a journal written by an older daemon must open in a newer one.
import type BetterSqlite3 from 'better-sqlite3';

export interface Migration {
  name: string;
  up: string | ((db: BetterSqlite3.Database) => void);
}

/**
 * The journal format; bumped when the core tables change shape so that an older daemon refuses
 * the journal instead of misreading it. 2: the commit count is the highest `requests.jseq`, with
 * `meta.commit_seq` as its floor (core/006). 3: a workbook's cells are packed by sheet row
 * (excel/004); a daemon of format 2 would find none.
 */
export const FORMAT_VERSION = 3;

export const CORE_MIGRATIONS: Migration[] = [
  {
    name: 'core/001_init',
    up: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      -- one row per request id of a client session: 'begun' (side effect started) or 'done' (reply kept)
      CREATE TABLE requests (
        session TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER, fn TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('begun','done')), reply TEXT, created INTEGER NOT NULL,
        PRIMARY KEY (session, id)) WITHOUT ROWID;
      CREATE INDEX requests_created ON requests(created);
      -- live handles: how to rebuild each one (spec, secrets sealed) and where it stands (state)
      CREATE TABLE handles (
        id TEXT PRIMARY KEY, session TEXT NOT NULL, module TEXT NOT NULL, kind TEXT NOT NULL,
        parent TEXT, spec TEXT NOT NULL, state TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL);
      CREATE INDEX handles_parent ON handles(parent);
      CREATE INDEX handles_session ON handles(session);
      -- operations to replay onto a rehydrated handle (e.g. DML of an open transaction)
      CREATE TABLE ops (seq INTEGER PRIMARY KEY AUTOINCREMENT, handle TEXT NOT NULL, op TEXT NOT NULL);
      CREATE INDEX ops_handle ON ops(handle, seq);
      CREATE TABLE sessions (id TEXT PRIMARY KEY, pid INTEGER, host TEXT, script TEXT, last_seen INTEGER NOT NULL);
    `,
  },
  {
    // acknowledgements delete a session's replies up to a sequence number
    name: 'core/002_requests_session_seq',
    up: 'CREATE INDEX requests_session_seq ON requests(session, seq)',
  },
  {
    // what each kept request asked for: a reused id with other parameters is refused (id_reused)
    name: 'core/003_requests_digest',
    up: 'ALTER TABLE requests ADD COLUMN digest TEXT',
  },
  {
    // every request's record and acknowledgement updated this index too (a WAL page per commit);
    // only the ten-minute expiry reads `created`, and a scan of the kept replies does for it
    name: 'core/004_drop_requests_created',
    up: 'DROP INDEX IF EXISTS requests_created',
  },
  {
    // the same for (session, seq): a session keeps few replies (acknowledged ones go), and the
    // acknowledgement's DELETE and the highest-seq look-up read them through the primary key
    name: 'core/005_drop_requests_session_seq',
    up: 'DROP INDEX IF EXISTS requests_session_seq',
  },
  {
    // The commit count (Journal.commitSeq) was a row of `meta` that every commit rewrote: a page of
    // the WAL per request, half of a commit's cost. Each request row now carries the count of the
    // commit that wrote it, on the page written anyway; `meta.commit_seq` stays as the floor, written
    // by commits without a request row and by those that delete request rows. An older daemon would
    // read only the floor (and tell clients a count lower than they saw), so the format goes to 2.
    // The table is rebuilt with the reply last: a reply longer than ~1 KB overflows the row, and
    // the scan for the highest jseq at open (no index: another page per commit), the expiry and
    // the acknowledgements then read only the rows' first pages.
    name: 'core/006_requests_jseq',
    up: `
      CREATE TABLE requests_v2 (
        session TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER, jseq INTEGER, fn TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('begun','done')), created INTEGER NOT NULL, digest TEXT, reply TEXT,
        PRIMARY KEY (session, id)) WITHOUT ROWID;
      INSERT INTO requests_v2 (session, id, seq, fn, status, created, digest, reply)
        SELECT session, id, seq, fn, status, created, digest, reply FROM requests;
      DROP TABLE requests;
      ALTER TABLE requests_v2 RENAME TO requests;
      UPDATE meta SET value = '2' WHERE key = 'format';
    `,
  },
  {
    // handles(session) cost an index page in every create's and close's commit, for one rare
    // reader: forgetting a dead session, which scans the live handles (few) instead
    name: 'core/007_drop_handles_session',
    up: 'DROP INDEX IF EXISTS handles_session',
  },
];

export function applyMigrations(db: BetterSqlite3.Database, migrations: Migration[]): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied INTEGER NOT NULL)');
  const done = new Set((db.prepare('SELECT name FROM migrations').pluck().all() as string[]));
  const applied: string[] = [];
  for (const m of migrations) {
    if (done.has(m.name)) continue;
    db.transaction(() => {
      if (typeof m.up === 'string') db.exec(m.up);
      else m.up(db);
      db.prepare('INSERT INTO migrations(name, applied) VALUES (?, ?)').run(m.name, Date.now());
    })();
    applied.push(m.name);
  }
  return applied;
}
