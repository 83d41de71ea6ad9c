// The Oracle driver's REF CURSOR out binds and statement-level LongReadLen, against an object of
// node-oracledb's API shape (connection.execute with its binds and options; a ResultSet with
// metaData, getRows and close) standing in for the server: the binds node-oracledb is given, and
// what comes back of what it returns.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import * as oracledb from 'oracledb';
import { OraConnection, oracleBinds } from '../../src/modules/database/drivers/oracle';
import { RefCursorOut } from '../../src/modules/database/driver';

/** node-oracledb's ResultSet: rows as arrays, handed out getRows(n) at a time. */
function resultSet(metaData: { name: string; dbType: unknown; nullable?: boolean }[], rows: unknown[][]) {
  const rs = { metaData, closed: false, async getRows(n: number) { return rows.splice(0, n); }, async close() { rs.closed = true; } };
  return rs;
}

/** node-oracledb's Connection.execute, answering with `reply` and keeping what it was called with. */
function connection(reply: (sql: string) => Record<string, unknown>) {
  const calls: { sql: string; binds: unknown; options: Record<string, unknown> }[] = [];
  const c = { calls, async execute(sql: string, binds: unknown, options: Record<string, unknown>) { calls.push({ sql, binds, options }); return reply(sql); } };
  return c;
}

test('a REF CURSOR is bound OUT as oracledb.CURSOR, whatever the in-value', () => {
  const b = oracleBinds(['7', 'ignored'], [':id', ':cur'], [{ at: 1, maxLen: 1, cursor: true }], oracledb);
  assert.deepEqual(b, { id: '7', cur: { dir: oracledb.BIND_OUT, type: oracledb.CURSOR } });
  assert.deepEqual(oracleBinds([null, 'x'], null, [{ at: 0, maxLen: 1, cursor: true }, { at: 1, maxLen: 10 }], oracledb), [
    { dir: oracledb.BIND_OUT, type: oracledb.CURSOR },
    { dir: oracledb.BIND_INOUT, type: oracledb.STRING, val: 'x', maxSize: 10 },
  ]);
});

test('the ResultSet of a REF CURSOR out bind comes back as a RefCursorOut: its columns, its rows, LOBs under LongReadLen', async () => {
  const rs = resultSet([
    { name: 'ID', dbType: oracledb.DB_TYPE_NUMBER, nullable: false },
    { name: 'NOTE', dbType: oracledb.DB_TYPE_CLOB, nullable: true },
  ], [['1', 'abcdef'], ['2', null], ['3', 'xy']]);
  const c = connection(() => ({ outBinds: { cur: rs, n: '42' } }));
  const conn = new OraConnection(c as unknown as oracledb.Connection, 80, false);
  const st = await conn.prepare('BEGIN open_it(:dept, :cur, :n); END;');
  st.setLongRead?.(1000, false); // the calling statement's: not the cursor's
  conn.setLongRead(4, true); // the database handle's: a REF CURSOR is a new handle of it
  const r = await st.execute(['10', null, null], [{ at: 1, maxLen: 1, cursor: true }, { at: 2, maxLen: 40 }]);
  const call = c.calls[0];
  assert.deepEqual(call.binds, {
    dept: '10', cur: { dir: oracledb.BIND_OUT, type: oracledb.CURSOR }, n: { dir: oracledb.BIND_INOUT, type: oracledb.STRING, val: null, maxSize: 40 },
  });
  assert.equal(call.options.outFormat, oracledb.OUT_FORMAT_ARRAY, 'rows as arrays (the REF CURSOR is set up with these options)');
  assert.equal(typeof call.options.fetchTypeHandler, 'function', 'LOBs fetched as values');
  assert.equal(r.cursor, null);
  assert.equal(r.out?.length, 2);
  assert.equal(r.out?.[1], '42', 'an ordinary OUT value beside it');
  const ref = r.out?.[0];
  assert.ok(ref instanceof RefCursorOut);
  assert.deepEqual(ref.columns, [{ name: 'ID', type: 3, nullable: 0 }, { name: 'NOTE', type: 40, nullable: 1 }]);
  assert.deepEqual(await ref.cursor.read(2), [['1', 'abcd'], ['2', null]], "CLOB cut at the database handle's LongReadLen 4 (LongTruncOk)");
  assert.deepEqual(await ref.cursor.read(2), [['3', 'xy']]);
  assert.ok(rs.closed, 'the result set is closed once read to its end');
});

test('a procedure that leaves its REF CURSOR unopened gives null', async () => {
  const c = connection(() => ({ outBinds: [null] }));
  const st = await new OraConnection(c as unknown as oracledb.Connection, 80, false).prepare('BEGIN maybe(?); END;');
  assert.deepEqual((await st.execute([null], [{ at: 0, maxLen: 1, cursor: true }])).out, [null]);
});

test("a statement's own LongReadLen / LongTruncOk: inherited from the connection when prepared, then its own", async () => {
  const c = connection(() => ({ metaData: [{ name: 'DOC', dbType: oracledb.DB_TYPE_CLOB }], resultSet: resultSet([{ name: 'DOC', dbType: oracledb.DB_TYPE_CLOB }], [['0123456789']]) }));
  const conn = new OraConnection(c as unknown as oracledb.Connection, 5, true);
  const inherits = await conn.prepare('SELECT doc FROM t');
  const own = await conn.prepare('SELECT doc FROM t');
  own.setLongRead?.(8, true);
  conn.setLongRead(2, true); // the database handle's, changed after both were prepared
  assert.deepEqual(await (await inherits.execute([])).cursor!.read(5), [['01234']], "the connection's value when it was prepared");
  assert.deepEqual(await (await own.execute([])).cursor!.read(5), [['01234567']], "the statement's own");
  assert.deepEqual(await (await (await conn.prepare('SELECT doc FROM t')).execute([])).cursor!.read(5), [['01']], 'a new statement inherits the new value');
  own.setLongRead?.(3, false);
  await assert.rejects((await own.execute([])).cursor!.read(5), /ORA-24345.*LongReadLen 3/, 'LongTruncOk off: the fetch fails');
});
