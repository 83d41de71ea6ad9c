// The work-queue pattern of batch jobs: inside one transaction, a cursor selects the pending rows
// and the loop updates each row it reads (so the rows the cursor would select change under it).
// The daemon dies at every phase of every request; the replay must re-open the cursor where the
// original timeline opened it, so the job finishes with every row processed exactly once and no
// false replay_diverged.
import { strict as assert } from 'node:assert';
import Database from 'better-sqlite3';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from 'pg';
import { PHASES } from '../../src/faults';
import { cli, Resilient, startDaemon, tempDir } from '../helpers';

const ROWS = 6;
const BATCH = 2;
const MARKER = { CPAN_BRIDGE_MARKER_TABLE: '1' }; // exactly-once commits, so every crash point must recover

interface Target {
  dsn: string;
  reset(): Promise<void>;
  rows(): Promise<string[]>;
}

async function job(r: Resilient, dsn: string, table: string): Promise<number[]> {
  let n = 1;
  const call = (fn: string, p: unknown) => r.call(String(n++), 'database', fn, p);
  const { dbh } = await call('connect', { dsn, user: 'postgres', attrs: { AutoCommit: 0 } });
  const { sth: sel } = await call('prepare', { dbh, sql: `SELECT id FROM ${table} WHERE status = 'new' ORDER BY id` });
  const { sth: upd } = await call('prepare', { dbh, sql: `UPDATE ${table} SET status = 'done', n = n + 1 WHERE id = ?` });
  const seen: number[] = [];
  let reply = await call('execute', { sth: sel, prefetch: BATCH });
  for (;;) {
    for (const [id] of reply.batch as number[][]) {
      seen.push(id);
      const u = await call('execute', { sth: upd, binds: [id] });
      assert.equal(u.rows, 1);
    }
    if (reply.done) break;
    reply = await call('fetch', { sth: sel, max: BATCH });
  }
  await call('commit', { dbh });
  await call('disconnect', { dbh });
  return seen;
}

async function everyCrashPoint(t: Target, table: string): Promise<void> {
  await t.reset();
  const golden = new Resilient(await startDaemon(tempDir(), MARKER), undefined as never, MARKER);
  golden.c = await golden.d.client();
  const ids = Array.from({ length: ROWS }, (_, i) => i + 1);
  assert.deepEqual(await job(golden, t.dsn, table), ids);
  const expected = ids.map((id) => `${id}:done:1`);
  assert.deepEqual(await t.rows(), expected);
  await golden.d.kill('SIGTERM');
  // connect, 2 prepares, execute, ROWS updates, the fetches (the last one empty), commit, disconnect
  const requests = 4 + ROWS + ROWS / BATCH + 2;
  for (let seq = 1; seq <= requests; seq++) {
    for (const phase of PHASES) {
      const point = `${seq}:${phase}`;
      await t.reset();
      const home = tempDir();
      const r = new Resilient(await startDaemon(home, { ...MARKER, CPAN_BRIDGE_CRASH_AT: point }), undefined as never, MARKER);
      try {
        r.c = await r.d.client();
        assert.deepEqual(await job(r, t.dsn, table), ids, `the job saw every row once (${point})`);
        assert.deepEqual(await t.rows(), expected, `every row updated exactly once (${point})`);
        if (seq === requests && phase === 'after_reply') {
          // the last reply was delivered before the daemon died: nothing left to resend
          assert.equal(r.restarts, 0);
          await r.d.exited;
          continue;
        }
        assert.equal(r.restarts, 1, `the daemon died once at ${point}`);
        assert.equal(cli(home, ['journal', 'verify']).status, 0);
        await r.d.kill('SIGTERM');
      } finally {
        await r.d.kill('SIGKILL'); // a failed point must not leave a daemon holding the test open
      }
    }
  }
}

test('SQLite: a cursor the transaction updates under survives the daemon dying at every request and phase', async () => {
  const file = path.join(tempDir(), 'queue.db');
  const target: Target = {
    dsn: `dbi:SQLite:dbname=${file}`,
    async reset() {
      const db = new Database(file);
      db.exec(`DROP TABLE IF EXISTS queue; CREATE TABLE queue (id INTEGER PRIMARY KEY, status TEXT NOT NULL, n INTEGER NOT NULL);
               DROP TABLE IF EXISTS cpan_bridge_outcome;`);
      const ins = db.prepare("INSERT INTO queue VALUES (?, 'new', 0)");
      for (let i = 1; i <= ROWS; i++) ins.run(i);
      db.close();
    },
    async rows() {
      const db = new Database(file, { readonly: true });
      const out = (db.prepare('SELECT id, status, n FROM queue ORDER BY id').raw().all() as unknown[][]).map((r) => r.join(':'));
      db.close();
      return out;
    },
  };
  await everyCrashPoint(target, 'queue');
});

let pg: Client | null = null;
before(async () => {
  const c = new Client({ host: '127.0.0.1', port: 5432, database: 'test', user: process.env.PGUSER ?? 'postgres' });
  c.on('error', () => undefined); // a server restart fails the next query, it must not crash the run
  pg = await c.connect().then(() => c, () => null);
});
after(async () => pg?.end().catch(() => undefined));

test('PostgreSQL: a cursor the transaction updates under survives the daemon dying at every request and phase', async (t) => {
  if (!pg) return t.skip('no PostgreSQL on 127.0.0.1:5432');
  const db = pg;
  const table = `cb_queue_${process.pid}`;
  const target: Target = {
    dsn: process.env.PG_TEST_DSN ?? 'dbi:Pg:dbname=test;host=127.0.0.1;port=5432',
    async reset() {
      await db.query(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (id int PRIMARY KEY, status text NOT NULL, n int NOT NULL)`);
      await db.query(`INSERT INTO ${table} SELECT g, 'new', 0 FROM generate_series(1, ${ROWS}) g`);
    },
    async rows() {
      return (await db.query(`SELECT id || ':' || status || ':' || n AS r FROM ${table} ORDER BY id`)).rows.map((x) => x.r as string);
    },
  };
  await everyCrashPoint(target, table);
  await db.query(`DROP TABLE IF EXISTS ${table}`);
});
