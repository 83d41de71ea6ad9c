// The database module on a real PostgreSQL server (127.0.0.1:5432, database "test"): DBI value
// mapping, transaction replay after a daemon crash, a terminated backend, a server restart, and
// replay validation against another session's change.
import { strict as assert } from 'node:assert';
import { execSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { Client } from 'pg';
import { PHASES } from '../../src/faults';
import { Resilient, sleep, startDaemon, tempDir } from '../helpers';

const DSN = process.env.PG_TEST_DSN ?? 'dbi:Pg:dbname=test;host=127.0.0.1;port=5432';
const MARKER = { CPAN_BRIDGE_MARKER_TABLE: '1' };
let pg: Client;
let available = true;

before(async () => {
  pg = new Client({ host: '127.0.0.1', port: 5432, database: 'test', user: process.env.PGUSER ?? 'postgres' });
  try {
    await pg.connect();
  } catch {
    available = false;
  }
});
after(async () => pg?.end().catch(() => undefined));

const table = (name: string) => `cb_${name}_${process.pid}`;

async function fresh(name: string, cols: string): Promise<string> {
  const t = table(name);
  await pg.query(`DROP TABLE IF EXISTS ${t}`);
  await pg.query(`CREATE TABLE ${t} (${cols})`);
  return t;
}

test('values come back as DBD::Pg returns them', { skip: !available && 'no PostgreSQL' }, async () => {
  const t = await fresh('types', 'id int PRIMARY KEY, big bigint, n numeric(10,2), d date, ts timestamp, b boolean, bin bytea, s text');
  const home = tempDir();
  const d = await startDaemon(home);
  const c = await d.client();
  const { dbh } = await c.call<{ dbh: string }>('database', 'connect', { dsn: DSN, user: 'postgres', password: '' });
  const bin = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const ins = await c.call<{ rows: number }>('database', 'do', { dbh, sql: `INSERT INTO ${t} VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, binds: [1, '9007199254740993', '12.50', '2024-02-29', '2024-02-29 13:14:15', true, { $b64: bin.toString('base64') }, 'Grüße, 世界\n\ttab'] });
  assert.equal(ins.rows, 1);
  await c.call('database', 'do', { dbh, sql: `INSERT INTO ${t} (id) VALUES (?)`, binds: [2] });
  const { sth } = await c.call<{ sth: string }>('database', 'prepare', { dbh, sql: `SELECT id, big, n, d, ts, b, bin, s FROM ${t} ORDER BY id` });
  const r = await c.call<{ rows: number; fields: string[]; batch: unknown[][]; done: boolean }>('database', 'execute', { sth, prefetch: 10 });
  // a bigint beyond 2^53 travels as an exact JSON integer, which Perl decodes to an IV (checked
  // exactly in perl/t/20-bytes.t); JSON.parse here can only show that it is a number
  assert.equal(typeof r.batch[0][1], 'number');
  r.batch[0][1] = 'int';
  assert.equal(r.rows, 2, 'DBD::Pg reports the row count of a SELECT');
  assert.deepEqual(r.fields, ['id', 'big', 'n', 'd', 'ts', 'b', 'bin', 's']);
  assert.deepEqual(r.batch[0], [1, 'int', '12.50', '2024-02-29', '2024-02-29 13:14:15', 1, { $b64: bin.toString('base64') }, 'Grüße, 世界\n\ttab']);
  assert.deepEqual(r.batch[1], [2, null, null, null, null, null, null, null]);
  assert.equal(r.done, true);
  const bad = await c.request('database', 'do', { dbh, sql: `INSERT INTO ${t} (id) VALUES (?)`, binds: [1] });
  assert.equal(bad.error?.code, 'db_error');
  assert.equal(bad.error?.state, '23505');
  assert.match(String(bad.error?.errstr), /^ERROR: {2}duplicate key value violates unique constraint/);
  c.close();
  await d.kill('SIGTERM');
});

/** 50 inserts and updates in one transaction, then commit; run through a daemon that dies once. */
async function txnJob(r: Resilient, t: string): Promise<void> {
  const { dbh } = await r.call('1', 'database', 'connect', { dsn: DSN, user: 'postgres', attrs: { AutoCommit: 0 } });
  const { sth } = await r.call('2', 'database', 'prepare', { dbh, sql: `INSERT INTO ${t} (id, v) VALUES (?, ?)` });
  let id = 3;
  for (let i = 1; i <= 40; i++) await r.call(String(id++), 'database', 'execute', { sth, binds: [i, `v${i}`] });
  for (let i = 1; i <= 10; i++) await r.call(String(id++), 'database', 'do', { dbh, sql: `UPDATE ${t} SET v = v || '!' WHERE id = ?`, binds: [i * 4] });
  await r.call(String(id++), 'database', 'commit', { dbh });
  await r.call(String(id++), 'database', 'disconnect', { dbh });
}

async function tableRows(t: string): Promise<string[]> {
  return (await pg.query(`SELECT id || ':' || v AS r FROM ${t} ORDER BY id`)).rows.map((x) => x.r as string);
}

const markerTableExists = async () => (await pg.query("SELECT to_regclass('cpan_bridge_outcome') AS t")).rows[0].t !== null;

// Exactly-once by default: the transaction's txid is journaled before COMMIT and txid_status
// tells a resend whether it committed; or by the marker table when it is configured.
for (const [how, env] of [['by txid_status (default)', {}], ['by the marker table', MARKER]] as const) {
  for (const [label, cols] of [['with a primary key', 'id int PRIMARY KEY, v text'], ['without any key', 'id int, v text']]) test(`exactly-once ${how}: a transaction ${label} survives the daemon dying at every phase of its commit and mid-way: same table, no row twice`, { skip: !available && 'no PostgreSQL' }, async () => {
    const t = await fresh(label.startsWith('with a') ? 'txn' : 'txnnokey', cols);
    if (env === MARKER) await pg.query('DROP TABLE IF EXISTS cpan_bridge_outcome');
    const golden = new Resilient(await startDaemon(tempDir(), env), undefined as never, env);
    golden.c = await golden.d.client();
    await txnJob(golden, t);
    const expected = await tableRows(t);
    assert.equal(expected.length, 40);
    await golden.d.kill('SIGTERM');
    if (env !== MARKER) await pg.query('DROP TABLE IF EXISTS cpan_bridge_outcome');
    const points = [...PHASES.map((p) => `database.commit#1:${p}`), 'database.execute#17:after_journal', 'database.do#5:before_journal', 'database.do#10:after_reply'];
    for (const point of points) {
      await pg.query(`TRUNCATE ${t}`);
      const d = await startDaemon(tempDir(), { ...env, CPAN_BRIDGE_CRASH_AT: point });
      const r = new Resilient(d, await d.client(), env);
      await txnJob(r, t);
      assert.equal(r.restarts, 1, point);
      assert.deepEqual(await tableRows(t), expected, point);
      await r.d.kill('SIGTERM');
    }
    assert.equal(await markerTableExists(), env === MARKER, 'a table of ours in the user\'s schema only when configured');
  });
}

/** 20 AutoCommit inserts, each its own transaction (ids 1..20). */
async function autocommitJob(r: Resilient, t: string): Promise<void> {
  const { dbh } = await r.call('1', 'database', 'connect', { dsn: DSN, user: 'postgres', attrs: { AutoCommit: 1 } });
  for (let i = 1; i <= 20; i++) {
    const res = await r.call(String(i + 1), 'database', 'do', { dbh, sql: `INSERT INTO ${t} (id, v) VALUES (?, ?)`, binds: [i, `a${i}`] });
    assert.equal(res.rows, 1, `insert ${i} reports one row`);
  }
  await r.call('30', 'database', 'disconnect', { dbh });
}

test('exactly-once AutoCommit changes without a marker table: a crash at every phase of one, each row once', { skip: !available && 'no PostgreSQL' }, async () => {
  const t = await fresh('auto', 'id int, v text'); // no key: a row done twice would show
  for (const phase of PHASES) {
    await pg.query(`TRUNCATE ${t}`);
    const d = await startDaemon(tempDir(), { CPAN_BRIDGE_CRASH_AT: `database.do#7:${phase}` });
    const r = new Resilient(d, await d.client());
    await autocommitJob(r, t);
    assert.equal(r.restarts, 1, phase);
    const rows = await tableRows(t);
    assert.deepEqual(rows, Array.from({ length: 20 }, (_, i) => `${i + 1}:a${i + 1}`), `every row once after a crash at do#7:${phase}`);
    await r.d.kill('SIGTERM');
  }
});

test('a commit whose outcome the server cannot tell is reported in doubt, never run twice', { skip: !available && 'no PostgreSQL' }, async () => {
  // SQLite has no transaction ids: without the marker table its commit cut short stays in doubt
  const home = tempDir();
  const db = `${tempDir('cb-sqlite-')}/doubt.db`;
  const d = await startDaemon(home, { CPAN_BRIDGE_CRASH_AT: 'database.commit#1:after_effect' });
  const r = new Resilient(d, await d.client());
  const job = async () => {
    const { dbh } = await r.call('1', 'database', 'connect', { dsn: `dbi:SQLite:dbname=${db}`, attrs: { AutoCommit: 0 } });
    await r.call('2', 'database', 'do', { dbh, sql: 'CREATE TABLE t (v TEXT)' });
    await r.call('3', 'database', 'do', { dbh, sql: "INSERT INTO t VALUES ('once')" });
    await r.call('4', 'database', 'commit', { dbh });
  };
  await assert.rejects(job(), (e: { wire?: { code: string; in_doubt: boolean } }) => e.wire?.code === 'in_doubt' && e.wire.in_doubt === true);
  await r.d.kill('SIGTERM');
});

test('a terminated backend mid-transaction is reconnected and the transaction replayed', { skip: !available && 'no PostgreSQL' }, async () => {
  const t = await fresh('term', 'id int PRIMARY KEY, v text');
  const d = await startDaemon(tempDir());
  const c = await d.client();
  const { dbh } = await c.call<{ dbh: string }>('database', 'connect', { dsn: DSN, user: 'postgres', attrs: { AutoCommit: 0 } });
  for (let i = 1; i <= 5; i++) await c.call('database', 'do', { dbh, sql: `INSERT INTO ${t} VALUES (?, 'x')`, binds: [i] });
  const killed = await pg.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cpan-bridge' AND pid <> pg_backend_pid()");
  assert.ok(killed.rowCount! >= 1);
  await sleep(200);
  await c.call('database', 'do', { dbh, sql: `INSERT INTO ${t} VALUES (?, 'y')`, binds: [6] });
  await c.call('database', 'commit', { dbh });
  assert.deepEqual(await tableRows(t), ['1:x', '2:x', '3:x', '4:x', '5:x', '6:y']);
  c.close();
  await d.kill('SIGTERM');
});

test('a row the transaction read, changed by another session while the daemon was down: replay_diverged, rolled back', { skip: !available && 'no PostgreSQL' }, async () => {
  const t = await fresh('div', 'id int PRIMARY KEY, v text');
  await pg.query(`INSERT INTO ${t} VALUES (1, 'orig'), (2, 'two')`);
  const d = await startDaemon(tempDir());
  const r = new Resilient(d, await d.client());
  const { dbh } = await r.call('1', 'database', 'connect', { dsn: DSN, user: 'postgres', attrs: { AutoCommit: 0 } });
  const { sth } = await r.call('2', 'database', 'prepare', { dbh, sql: `SELECT v FROM ${t} WHERE id = 1` });
  const read = await r.call('3', 'database', 'execute', { sth, prefetch: 10 });
  assert.deepEqual(read.batch, [['orig']]);
  await r.call('4', 'database', 'do', { dbh, sql: `UPDATE ${t} SET v = 'changed by job' WHERE id = 2` });
  await r.d.kill('SIGKILL');
  await pg.query(`UPDATE ${t} SET v = 'changed elsewhere' WHERE id = 1`);
  const after = await r.request('5', 'database', 'do', { dbh, sql: `UPDATE ${t} SET v = 'more' WHERE id = 2` });
  assert.equal(after.success, false);
  assert.equal(after.error?.code, 'replay_diverged');
  assert.match(after.error!.message, /another session changed them/);
  assert.deepEqual(await tableRows(t), ['1:changed elsewhere', '2:two']);
  const again = await r.call('6', 'database', 'do', { dbh, sql: `UPDATE ${t} SET v = 'after' WHERE id = 2` });
  assert.equal(again.rows, 1, 'the handle is usable again after the error');
  await r.call('7', 'database', 'commit', { dbh });
  assert.deepEqual(await tableRows(t), ['1:changed elsewhere', '2:after']);
  await r.d.kill('SIGTERM');
});

test('PostgreSQL restarted mid-workflow: the job completes', { skip: (!available || !process.env.PG_RESTART_CMD && !hasPgCtl()) && 'cannot restart PostgreSQL here' }, async () => {
  const t = await fresh('restart', 'id int PRIMARY KEY, v text');
  const d = await startDaemon(tempDir());
  const c = await d.client();
  const { dbh } = await c.call<{ dbh: string }>('database', 'connect', { dsn: DSN, user: 'postgres', attrs: { AutoCommit: 0 } });
  for (let i = 1; i <= 3; i++) await c.call('database', 'do', { dbh, sql: `INSERT INTO ${t} VALUES (?, 'a')`, binds: [i] });
  await pg.end();
  execSync(process.env.PG_RESTART_CMD ?? `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql | head -n1) main restart`, { stdio: 'ignore' });
  pg = new Client({ host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' });
  for (let i = 0; i < 50; i++) {
    try {
      await pg.connect();
      break;
    } catch {
      await sleep(200);
      pg = new Client({ host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' });
    }
  }
  await c.call('database', 'do', { dbh, sql: `INSERT INTO ${t} VALUES (?, 'b')`, binds: [4] });
  await c.call('database', 'commit', { dbh });
  assert.deepEqual(await tableRows(t), ['1:a', '2:a', '3:a', '4:b']);
  c.close();
  await d.kill('SIGTERM');
});

function hasPgCtl(): boolean {
  try {
    execSync('command -v pg_ctlcluster', { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A bulk load with COPY FROM STDIN in 10 chunks of 50 rows (AutoCommit: its own transaction), then COPY TO STDOUT read back. */
async function copyJob(r: Resilient, t: string, autocommit: boolean): Promise<string[]> {
  const { dbh } = await r.call('1', 'database', 'connect', { dsn: DSN, user: 'postgres', attrs: { AutoCommit: autocommit ? 1 : 0 } });
  assert.deepEqual(await r.call('2', 'database', 'do', { dbh, sql: `COPY ${t} (id, v) FROM STDIN` }), { rows: -1, copy: 'in' });
  for (let k = 0; k < 10; k++) {
    const chunk = Array.from({ length: 50 }, (_, i) => `${k * 50 + i + 1}\tc${k * 50 + i + 1}\n`).join('');
    await r.call(String(3 + k), 'database', 'copy_data', { dbh, data: chunk });
  }
  assert.deepEqual(await r.call('13', 'database', 'copy_end', { dbh }), { rows: 500 });
  if (!autocommit) await r.call('14', 'database', 'commit', { dbh });
  await r.call('15', 'database', 'do', { dbh, sql: `COPY (SELECT id, v FROM ${t} ORDER BY id) TO STDOUT` });
  const got: string[] = [];
  for (let n = 16; n < 40; n++) {
    const res = (await r.call(String(n), 'database', 'copy_get', { dbh, max: 120 })) as { rows: { $b64: string }[]; done: boolean };
    got.push(...res.rows.map((x) => Buffer.from(x.$b64, 'base64').toString()));
    if (res.done) break;
  }
  await r.call('40', 'database', 'disconnect', { dbh });
  return got;
}

for (const autocommit of [true, false]) {
  test(`COPY ${autocommit ? 'under AutoCommit' : 'in a transaction'}: the daemon dying mid-load, at every phase of its end and mid-read loses no row and adds none`, { skip: !available && 'no PostgreSQL' }, async () => {
    const t = await fresh(autocommit ? 'copyac' : 'copytx', 'id int, v text'); // no key: a row loaded twice would show
    const expected = Array.from({ length: 500 }, (_, i) => `${i + 1}\tc${i + 1}\n`);
    const points = ['database.copy_data#4:after_journal', 'database.copy_data#7:before_journal', 'database.copy_data#10:after_reply',
      ...PHASES.map((p) => `database.copy_end#1:${p}`), 'database.copy_get#2:after_journal', 'database.copy_get#3:before_journal'];
    for (const point of points) {
      await pg.query(`TRUNCATE ${t}`);
      const d = await startDaemon(tempDir(), { CPAN_BRIDGE_CRASH_AT: point });
      const r = new Resilient(d, await d.client());
      const got = await copyJob(r, t, autocommit);
      assert.equal(r.restarts, 1, point);
      assert.deepEqual(got, expected, `COPY TO after a crash at ${point}`);
      assert.equal(Number((await pg.query(`SELECT count(*) AS n FROM ${t}`)).rows[0].n), 500, `rows in the table after a crash at ${point}`);
      await r.d.kill('SIGTERM');
    }
  });
}
