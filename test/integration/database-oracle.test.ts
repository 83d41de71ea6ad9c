// Oracle integration: runs only when ORACLE_TEST_DSN (and ORACLE_TEST_USER / ORACLE_TEST_PASSWORD)
// name a reachable server, e.g. ORACLE_TEST_DSN='dbi:Oracle://127.0.0.1:1521/FREEPDB1'.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { startDaemon, tempDir } from '../helpers';

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
