// SIGKILL at every CRASH_AT phase of every request of a cursor workflow, then a restart: the client
// resends its in-flight request under the same id and receives every row once, in order.
import { strict as assert } from 'node:assert';
import Database from 'better-sqlite3';
import * as path from 'node:path';
import { test } from 'node:test';
import { PHASES } from '../../src/faults';
import { cli, Resilient, startDaemon, stateBytes, tempDir } from '../helpers';

const ROWS = 100;
const BATCH = 20;

function makeDb(file: string): void {
  const db = new Database(file);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, note TEXT)');
  const ins = db.prepare('INSERT INTO t VALUES (?, ?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= ROWS; i++) ins.run(i, `row ${i}`, i % 7 === 0 ? null : `line1\nline2\t${i}`);
  })();
  db.close();
}

async function workflow(r: Resilient, dbFile: string): Promise<unknown[][]> {
  const { dbh } = await r.call('1', 'database', 'connect', { dsn: `dbi:SQLite:dbname=${dbFile}`, user: 'batch', password: 'Opal-Heron-4471-secret' });
  const { sth } = await r.call('2', 'database', 'prepare', { dbh, sql: 'SELECT id, name, note\nFROM t\nORDER BY id' });
  const rows: unknown[][] = [];
  await r.call('3', 'database', 'execute', { sth, prefetch: 0 });
  for (let i = 4; ; i++) {
    const f = await r.call(String(i), 'database', 'fetch', { sth, max: BATCH });
    rows.push(...(f.batch as unknown[][]));
    if (f.done) break;
  }
  await r.call('99', 'database', 'finish', { sth });
  return rows;
}

test('rows arrive once and in order whatever request and phase the daemon dies at', async () => {
  const dbDir = tempDir();
  const dbFile = path.join(dbDir, 'src.db');
  makeDb(dbFile);
  const expected = Array.from({ length: ROWS }, (_, k) => [k + 1, `row ${k + 1}`, (k + 1) % 7 === 0 ? null : `line1\nline2\t${k + 1}`]);
  const requests = 3 + Math.ceil(ROWS / BATCH) + 1 + 1; // connect, prepare, execute, fetches (+ the empty last), finish
  let crashed = 0;
  for (let seq = 1; seq <= requests; seq++) {
    for (const phase of PHASES) {
      const home = tempDir();
      const d = await startDaemon(home, { CPAN_BRIDGE_CRASH_AT: `${seq}:${phase}` });
      const r = new Resilient(d, await d.client());
      const rows = await workflow(r, dbFile);
      assert.deepEqual(rows, expected, `crash at ${seq}:${phase}`);
      if (seq === requests && phase === 'after_reply') {
        // the last reply was delivered before the daemon died: nothing left to resend
        assert.equal(r.restarts, 0);
        await r.d.exited;
        crashed++;
        continue;
      }
      crashed += r.restarts;
      assert.equal(r.restarts, 1, `the daemon died once at ${seq}:${phase}`);
      assert.equal(cli(home, ['journal', 'verify']).status, 0);
      await r.d.kill('SIGTERM');
      assert.equal(stateBytes(home).includes('Opal-Heron-4471-secret'), false, 'password in the state directory');
    }
  }
  assert.equal(crashed, requests * PHASES.length);
});

test('compaction: a closed connection leaves nothing in the journal', async () => {
  const home = tempDir();
  const d = await startDaemon(home);
  const c = await d.client();
  const dbFile = path.join(tempDir(), 'x.db');
  makeDb(dbFile);
  const { dbh } = await c.call<{ dbh: string }>('database', 'connect', { dsn: `dbi:SQLite:dbname=${dbFile}` });
  const { sth } = await c.call<{ sth: string }>('database', 'prepare', { dbh, sql: 'SELECT * FROM t' });
  await c.call('database', 'execute', { sth, prefetch: 10 });
  const shown = JSON.parse(cli(home, ['journal', 'show', '--json']).stdout);
  assert.equal(shown.handles.length, 2);
  await c.call('database', 'disconnect', { dbh });
  const after = JSON.parse(cli(home, ['journal', 'show', '--json']).stdout);
  assert.equal(after.handles.length, 0);
  c.close();
  await d.kill('SIGTERM');
});

test('a password is found neither in the journal nor in the logs, even at debug level', async () => {
  const home = tempDir();
  const d = await startDaemon(home, { CPAN_BRIDGE_LOG_LEVEL: 'trace' });
  const c = await d.client();
  const secret = 'Quince-Marlin-8812-pw';
  await c.call('database', 'connect', { dsn: `dbi:SQLite:dbname=${path.join(tempDir(), 'p.db')}`, user: 'u', password: secret });
  const bad = await c.request('database', 'connect', { dsn: 'dbi:Nope:x', password: secret });
  assert.equal(bad.success, false);
  assert.equal(JSON.stringify(bad).includes(secret), false);
  c.close();
  await d.kill('SIGTERM');
  assert.equal(stateBytes(home).includes(secret), false);
});

test('eager rehydration (configuration) rebuilds journaled handles at start, before any request', async () => {
  const home = tempDir();
  const dbFile = path.join(tempDir(), 'e.db');
  makeDb(dbFile);
  const d = await startDaemon(home);
  const c = await d.client();
  const { dbh } = await c.call<{ dbh: string }>('database', 'connect', { dsn: `dbi:SQLite:dbname=${dbFile}` });
  const { sth } = await c.call<{ sth: string }>('database', 'prepare', { dbh, sql: 'SELECT id FROM t ORDER BY id' });
  await c.call('database', 'execute', { sth, prefetch: 5 });
  await d.kill('SIGKILL');
  const d2 = await startDaemon(home, { CPAN_BRIDGE_EAGER_REHYDRATE: '1' });
  let status: { handles: number } = { handles: 0 };
  for (let i = 0; i < 50 && status.handles < 2; i++) {
    status = JSON.parse(cli(home, ['status', '--json']).stdout);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(status.handles, 2);
  const c2 = await d2.client(c.session);
  const f = await c2.request('database', 'fetch', { sth, max: 3 }, '10');
  assert.deepEqual((f.result as { batch: unknown[][] }).batch, [[6], [7], [8]]);
  c2.close();
  await d2.kill('SIGTERM');
});
