// Replay on SQLite of statements whose DBI row count is not their own: DBD::SQLite returns
// sqlite3_changes() after DDL (the count of the connection's last DML), which a replay on a fresh
// connection cannot reproduce; the replay checks what the statement itself changed.
import { strict as assert } from 'node:assert';
import Database from 'better-sqlite3';
import * as path from 'node:path';
import { test } from 'node:test';
import { Resilient, startDaemon, tempDir } from '../helpers';

test('DDL in a transaction after earlier DML: DBD::SQLite\'s row count, and a replay that does not diverge', async () => {
  const file = path.join(tempDir(), 'ddl.db');
  const db = new Database(file);
  db.exec("CREATE TABLE t (a INTEGER); INSERT INTO t VALUES (1), (2), (3)");
  db.close();
  const home = tempDir();
  const r = new Resilient(await startDaemon(home), undefined as never);
  r.c = await r.d.client();
  const { dbh } = await r.call('1', 'database', 'connect', { dsn: `dbi:SQLite:dbname=${file}` });
  assert.equal((await r.call('2', 'database', 'do', { dbh, sql: 'DELETE FROM t WHERE a < 3' })).rows, 2);
  await r.call('3', 'database', 'begin_work', { dbh });
  const ddl = await r.call('4', 'database', 'do', { dbh, sql: 'CREATE TABLE u (b INTEGER)' });
  assert.equal(ddl.rows, 2, 'after DDL, DBD::SQLite returns the last DML\'s count');
  assert.equal((await r.call('5', 'database', 'do', { dbh, sql: 'INSERT INTO u VALUES (7)' })).rows, 1);
  await r.d.kill('SIGKILL');
  // the next request rehydrates the connection: the replay runs CREATE and INSERT again
  const commit = await r.request('6', 'database', 'commit', { dbh });
  assert.equal(commit.success, true, JSON.stringify(commit.error));
  assert.equal(r.restarts, 1);
  const check = new Database(file, { readonly: true });
  assert.deepEqual(check.prepare('SELECT b FROM u').raw().all(), [[7]]);
  assert.deepEqual(check.prepare('SELECT a FROM t').raw().all(), [[3]]);
  check.close();
  await r.d.kill('SIGTERM');
});
