// A request id names one call of a session: a true resend (same function, same parameters in any
// key order) gets the kept reply and runs nothing; another call under a used id is refused with
// id_reused and not run, before and after a daemon restart.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { startDaemon, tempDir } from '../helpers';

test('a reused request id with other parameters is refused, a resend gets its reply', async () => {
  const home = tempDir();
  const db = path.join(tempDir(), 'ids.db'); // outside the state directory (path_denied there)
  let d = await startDaemon(home);
  try {
    let c = await d.client('ids-session-0001');
    const conn = await c.request('database', 'connect', { dsn: `dbi:SQLite:dbname=${db}`, attrs: { AutoCommit: true, RaiseError: true } }, '1');
    assert.equal(conn.success, true, JSON.stringify(conn));
    const dbh = (conn.result as { dbh: string }).dbh;
    const create = await c.request('database', 'do', { dbh, sql: 'CREATE TABLE t (v TEXT)' }, '2');
    assert.equal(create.success, true, JSON.stringify(create));
    const ins = await c.request('database', 'do', { dbh, sql: 'INSERT INTO t VALUES (?)', binds: ['a'] }, '3');
    assert.equal(ins.success, true, JSON.stringify(ins));

    // the same call again, keys in another order: the kept reply, and no second row
    const again = await c.request('database', 'do', { binds: ['a'], sql: 'INSERT INTO t VALUES (?)', dbh }, '3');
    assert.deepEqual(again.result, ins.result);
    // another call under id 3: refused, not run
    const other = await c.request('database', 'do', { dbh, sql: 'INSERT INTO t VALUES (?)', binds: ['b'] }, '3');
    assert.equal(other.success, false);
    assert.equal(other.error?.code, 'id_reused');
    assert.equal(other.error?.retryable, false);

    // the journal keeps the fingerprint: the same answers after a crash
    c.close();
    await d.kill('SIGKILL');
    d = await startDaemon(home);
    c = await d.client('ids-session-0001');
    const other2 = await c.request('database', 'execute', { sth: 'x' }, '3');
    assert.equal(other2.error?.code, 'id_reused');
    const again2 = await c.request('database', 'do', { dbh, sql: 'INSERT INTO t VALUES (?)', binds: ['a'] }, '3');
    assert.equal(again2.success, true, JSON.stringify(again2));
    c.close();
    const rows = new Database(db, { readonly: true }).prepare('SELECT v FROM t').pluck().all();
    assert.deepEqual(rows, ['a']);
  } finally {
    await d.kill('SIGKILL');
  }
});

test('a client that never acknowledges keeps a bounded number of replies in the journal', async () => {
  const home = tempDir();
  const db = path.join(tempDir('cb-work-'), 'kept.db');
  const d = await startDaemon(home, { CPAN_BRIDGE_MAX_KEPT_REPLIES: '5' });
  try {
    const c = await d.client('never-acks-0001'); // this client sends no `ack` at all
    const conn = await c.request('database', 'connect', { dsn: `dbi:SQLite:dbname=${db}`, attrs: { AutoCommit: true } }, '1');
    const dbh = (conn.result as { dbh: string }).dbh;
    await c.request('database', 'do', { dbh, sql: 'CREATE TABLE t (v INTEGER)' }, '2');
    for (let i = 3; i <= 40; i++) {
      const r = await c.request('database', 'do', { dbh, sql: 'INSERT INTO t VALUES (?)', binds: [String(i)] }, String(i));
      assert.equal(r.success, true, JSON.stringify(r));
    }
    c.close();
    const j = new Database(path.join(home, 'journal.sqlite'), { readonly: true });
    const kept = j.prepare("SELECT count(*) FROM requests WHERE session = 'never-acks-0001' AND status = 'done'").pluck().get() as number;
    j.close();
    assert.ok(kept <= 5, `${kept} replies kept`);
    assert.equal(new Database(db, { readonly: true }).prepare('SELECT count(*) FROM t').pluck().get(), 38);
  } finally {
    await d.kill('SIGKILL');
  }
});
