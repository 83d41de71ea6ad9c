// Oracle integration: runs only when ORACLE_TEST_DSN (and ORACLE_TEST_USER / ORACLE_TEST_PASSWORD)
// name a reachable server, e.g. ORACLE_TEST_DSN='dbi:Oracle://127.0.0.1:1521/FREEPDB1'.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Resilient, startDaemon, tempDir } from '../helpers';

const DSN = process.env.ORACLE_TEST_DSN;
const skip = !DSN && 'ORACLE_TEST_DSN is not set';

test('Oracle: connect, DML in a transaction, types, cursor in batches', { skip }, async () => {
  const d = await startDaemon(tempDir());
  const c = await d.client();
  const auth = { user: process.env.ORACLE_TEST_USER ?? 'system', password: process.env.ORACLE_TEST_PASSWORD ?? '' };
  const { dbh } = await c.call<{ dbh: string }>('database', 'connect', { dsn: DSN, ...auth, attrs: { AutoCommit: 0, LongReadLen: 1000 } });
  const t = `CB_T_${process.pid}`;
  await c.request('database', 'do', { dbh, sql: `DROP TABLE ${t}` });
  await c.call('database', 'do', { dbh, sql: `CREATE TABLE ${t} (id NUMBER(20), name VARCHAR2(50), d DATE, doc CLOB)` });
  for (let i = 1; i <= 25; i++) {
    await c.call('database', 'do', { dbh, sql: `INSERT INTO ${t} VALUES (?, ?, DATE '2024-01-02', ?)`, binds: [i, `n${i}`, 'x'.repeat(i)] });
  }
  await c.call('database', 'do', { dbh, sql: `INSERT INTO ${t} (id) VALUES (?)`, binds: ['12345678901234567890'] });
  await c.call('database', 'commit', { dbh });
  const { sth } = await c.call<{ sth: string }>('database', 'prepare', { dbh, sql: `SELECT id, name, doc FROM ${t} ORDER BY id` });
  const first = await c.call<{ batch: unknown[][]; fields: string[] }>('database', 'execute', { sth, prefetch: 10 });
  assert.deepEqual(first.fields, ['ID', 'NAME', 'DOC']);
  assert.deepEqual(first.batch[0], ['1', 'n1', 'x']);
  const rest = await c.call<{ batch: unknown[][] }>('database', 'fetch', { sth, max: 100 });
  assert.equal(first.batch.length + rest.batch.length, 26);
  assert.deepEqual(rest.batch.at(-1), ['12345678901234567890', null, null]);
  await c.call('database', 'do', { dbh, sql: `DROP TABLE ${t}` });
  await c.call('database', 'disconnect', { dbh });
  c.close();
  await d.kill('SIGTERM');
});

test('Oracle: named binds, a procedure with IN OUT and OUT parameters, replayed after a crash with its OUT values checked', { skip }, async () => {
  const home = tempDir();
  let d = await startDaemon(home);
  let c = await d.client();
  const auth = { user: process.env.ORACLE_TEST_USER ?? 'system', password: process.env.ORACLE_TEST_PASSWORD ?? '' };
  const { dbh } = await c.call<{ dbh: string }>('database', 'connect', { dsn: DSN, ...auth, attrs: { AutoCommit: 0 } });
  const t = `CB_P_${process.pid}`;
  await c.request('database', 'do', { dbh, sql: `DROP TABLE ${t}` });
  await c.call('database', 'do', { dbh, sql: `CREATE TABLE ${t} (id NUMBER, name VARCHAR2(50))` });
  await c.call('database', 'do', {
    dbh, sql: `CREATE OR REPLACE PROCEDURE ${t}_ADD (p_name IN VARCHAR2, p_tag IN OUT VARCHAR2, p_id OUT NUMBER) AS
      BEGIN SELECT NVL(MAX(id), 0) + 1 INTO p_id FROM ${t}; INSERT INTO ${t} VALUES (p_id, p_name); p_tag := p_tag || '/' || p_id; END;`,
  });
  const ins = await c.call<{ sth: string; param_names: string[]; num_params: number }>('database', 'prepare', { dbh, sql: `INSERT INTO ${t} (id, name) VALUES (:id, :name)` });
  assert.deepEqual([ins.param_names, ins.num_params], [[':id', ':name'], 2]);
  await c.call('database', 'execute', { sth: ins.sth, binds: [100, 'named'] });
  const { sth } = await c.call<{ sth: string }>('database', 'prepare', { dbh, sql: `BEGIN ${t}_ADD(:p_name, :p_tag, :p_id); END;` });
  const first = await c.call<{ out: unknown[] }>('database', 'execute', { sth, binds: ['alpha', 'tag', null], out: [{ at: 2, max_len: 50 }, { at: 3, max_len: 40 }] });
  assert.deepEqual(first.out, ['tag/101', '101']);
  // the daemon dies; the replay repeats the insert and the procedure and checks its OUT values
  await d.kill('SIGKILL');
  d = await startDaemon(home);
  c = await d.client(c.session);
  const { sth: q } = await c.call<{ sth: string }>('database', 'prepare', { dbh, sql: `SELECT id, name FROM ${t} ORDER BY id` });
  const rows = await c.call<{ batch: unknown[][] }>('database', 'execute', { sth: q, prefetch: 10 });
  assert.deepEqual(rows.batch, [['100', 'named'], ['101', 'alpha']]);
  await c.call('database', 'rollback', { dbh });
  await c.call('database', 'do', { dbh, sql: `DROP PROCEDURE ${t}_ADD` });
  await c.call('database', 'do', { dbh, sql: `DROP TABLE ${t}` });
  await c.call('database', 'disconnect', { dbh });
  c.close();
  await d.kill('SIGTERM');
});

test('Oracle: a REF CURSOR out bind becomes a statement handle to fetch from; after a crash it says it was lost', { skip }, async () => {
  const home = tempDir();
  let d = await startDaemon(home);
  let c = await d.client();
  const auth = { user: process.env.ORACLE_TEST_USER ?? 'system', password: process.env.ORACLE_TEST_PASSWORD ?? '' };
  const { dbh } = await c.call<{ dbh: string }>('database', 'connect', { dsn: DSN, ...auth, attrs: { AutoCommit: 1 } });
  const { sth } = await c.call<{ sth: string }>('database', 'prepare', { dbh, sql: 'BEGIN OPEN :cur FOR SELECT level AS n, :tag AS tag FROM dual CONNECT BY level <= 5; END;' });
  const r = await c.call<{ out: { sth: string; fields: string[] }[] }>('database', 'execute', { sth, binds: [null, 'x'], out: [{ at: 1, max_len: 1, cursor: true }] });
  const cur = r.out[0];
  assert.deepEqual(cur.fields, ['N', 'TAG']);
  const a = await c.call<{ batch: unknown[][]; done: boolean }>('database', 'fetch', { sth: cur.sth, max: 2 });
  assert.deepEqual([a.batch, a.done], [[['1', 'x'], ['2', 'x']], false]);
  await d.kill('SIGKILL');
  d = await startDaemon(home);
  c = await d.client(c.session);
  const lost = await c.request('database', 'fetch', { sth: cur.sth, max: 2 });
  assert.match(String(lost.error?.message), /REF CURSOR of this statement handle was lost when the daemon restarted/);
  const again = await c.call<{ out: { sth: string }[] }>('database', 'execute', { sth, binds: [null, 'y'], out: [{ at: 1, max_len: 1, cursor: true }] });
  const all = await c.call<{ batch: unknown[][]; done: boolean }>('database', 'fetch', { sth: again.out[0].sth, max: 10 });
  assert.deepEqual([all.batch.length, all.batch[4], all.done], [5, ['5', 'y'], true]);
  await c.call('database', 'disconnect', { dbh });
  c.close();
  await d.kill('SIGTERM');
});

test('in/out binds on a driver without them: a clear error, nothing run', async () => {
  const dir = tempDir();
  const d = await startDaemon(tempDir());
  const c = await d.client();
  const { dbh } = await c.call<{ dbh: string }>('database', 'connect', { dsn: `dbi:SQLite:dbname=${dir}/x.db` });
  await c.call('database', 'do', { dbh, sql: 'CREATE TABLE t (a)' });
  const { sth } = await c.call<{ sth: string }>('database', 'prepare', { dbh, sql: 'INSERT INTO t VALUES (?)' });
  const r = await c.request('database', 'execute', { sth, binds: [1], out: [{ at: 1, max_len: 10 }] });
  assert.equal(r.error?.code, 'db_error');
  assert.equal(r.error?.state, 'IM001');
  assert.match(String(r.error?.message), /bind_param_inout is not supported by DBD::SQLite/);
  const bad = await c.request('database', 'execute', { sth, binds: [1], out: [{ at: 0, max_len: 10 }] });
  assert.equal(bad.error?.code, 'bad_params');
  const n = await c.call<{ batch: unknown[][] }>('database', 'execute', { sth: (await c.call<{ sth: string }>('database', 'prepare', { dbh, sql: 'SELECT count(*) FROM t' })).sth, prefetch: 1 });
  assert.deepEqual(n.batch, [[0]]);
  c.close();
  await d.kill('SIGTERM');
});

// Transaction Guard: with a logical transaction id (Thick mode, COMMIT_OUTCOME on the service) a
// commit cut short after it happened is answered from GET_LTXID_OUTCOME, once; without one
// (Thin mode) it is reported in doubt. Either way the row is there exactly once.
test('Oracle: a commit cut short after it happened is never run twice (Transaction Guard, or in doubt)', { skip }, async () => {
  const auth = { user: process.env.ORACLE_TEST_USER ?? 'system', password: process.env.ORACLE_TEST_PASSWORD ?? '' };
  const t = `CB_TG_${process.pid}`;
  const setup = await startDaemon(tempDir());
  const s = await setup.client();
  const { dbh: sd } = await s.call<{ dbh: string }>('database', 'connect', { dsn: DSN, ...auth });
  await s.request('database', 'do', { dbh: sd, sql: `DROP TABLE ${t}` });
  await s.call('database', 'do', { dbh: sd, sql: `CREATE TABLE ${t} (id NUMBER)` });
  const d = await startDaemon(tempDir(), { CPAN_BRIDGE_CRASH_AT: 'database.commit#1:after_effect' });
  const r = new Resilient(d, await d.client());
  const job = async () => {
    const { dbh } = await r.call('1', 'database', 'connect', { dsn: DSN, ...auth, attrs: { AutoCommit: 0 } });
    await r.call('2', 'database', 'do', { dbh, sql: `INSERT INTO ${t} VALUES (1)` });
    await r.call('3', 'database', 'commit', { dbh });
  };
  await job().catch((e: { wire?: { code: string } }) => assert.equal(e.wire?.code, 'in_doubt'));
  const { sth } = await s.call<{ sth: string }>('database', 'prepare', { dbh: sd, sql: `SELECT count(*) FROM ${t}` });
  const n = await s.call<{ batch: unknown[][] }>('database', 'execute', { sth, prefetch: 1 });
  assert.equal(String(n.batch[0][0]), '1', 'the commit happened once');
  await s.call('database', 'do', { dbh: sd, sql: `DROP TABLE ${t}` });
  s.close();
  await r.d.kill('SIGTERM');
  await setup.kill('SIGTERM');
});

// $dbh->{LongReadLen} stored after connect (the usual place in batch jobs) applies to the LOBs
// fetched from then on, and is kept when the daemon is replaced
test('Oracle: LongReadLen / LongTruncOk set after connect', { skip }, async () => {
  const auth = { user: process.env.ORACLE_TEST_USER ?? 'system', password: process.env.ORACLE_TEST_PASSWORD ?? '' };
  const d = await startDaemon(tempDir());
  const c = await d.client();
  const { dbh } = await c.call<{ dbh: string }>('database', 'connect', { dsn: DSN, ...auth, attrs: { AutoCommit: 1, LongReadLen: 1000 } });
  const sql = "SELECT TO_CLOB('abcdefghij') FROM dual";
  const fetch = async () => {
    const { sth } = await c.call<{ sth: string }>('database', 'prepare', { dbh, sql });
    return c.request('database', 'execute', { sth, prefetch: 1 });
  };
  assert.deepEqual((await fetch() as { result?: { batch?: unknown } }).result?.batch, [['abcdefghij']]);
  assert.deepEqual(await c.call('database', 'set_long_read', { dbh, len: 4, trunc_ok: true }), { applies: true });
  assert.deepEqual((await fetch() as { result?: { batch?: unknown } }).result?.batch, [['abcd']], 'truncated to the new LongReadLen');
  await c.call('database', 'set_long_read', { dbh, len: 4, trunc_ok: false });
  assert.match(String((await fetch()).error?.errstr), /ORA-24345/, 'LongTruncOk off: the fetch fails as DBD::Oracle does');
  c.close();
  await d.kill('SIGTERM');
});
