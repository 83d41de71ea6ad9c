// The Oracle adapter without a server: bind translation, type mapping, LOB limits, error mapping.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { applyLongReadLen, dbiType, oracleBinds, oracleOutValues, oracleSql, oraError } from '../../src/modules/database/drivers/oracle';
import { isConnectionLost } from '../../src/modules/database/driver';
import { isDdl } from '../../src/modules/database';
import { namedPlaceholders, placeholderNames, translatePlaceholders } from '../../src/modules/database/placeholders';

test('? placeholders become :1..:n outside strings, identifiers and comments', () => {
  assert.deepEqual(oracleSql("SELECT a FROM t WHERE b = ? AND c = '?' AND \"d?\" = ? -- ?\n AND e = ?"), {
    sql: "SELECT a FROM t WHERE b = :1 AND c = '?' AND \"d?\" = :2 -- ?\n AND e = :3", count: 3, names: null,
  });
  assert.deepEqual(oracleSql("INSERT INTO t VALUES ('it''s ?', ?)"), { sql: "INSERT INTO t VALUES ('it''s ?', :1)", count: 1, names: null });
  assert.deepEqual(oracleSql('SELECT 1 FROM dual /* ? */'), { sql: 'SELECT 1 FROM dual /* ? */', count: 0, names: null });
});

test('named placeholders are kept, counted once each, in order of first appearance', () => {
  assert.deepEqual(oracleSql('SELECT * FROM t WHERE a = :id OR b = :name OR c = :id'), {
    sql: 'SELECT * FROM t WHERE a = :id OR b = :name OR c = :id', count: 2, names: [':id', ':name'],
  });
  assert.deepEqual(oracleSql('BEGIN :total := f(:1, :2); END;').names, [':total', ':1', ':2']);
  // PL/SQL assignment, a time inside a string, a cast and a comment are not placeholders
  assert.deepEqual(placeholderNames("BEGIN x := '10:30'; y := a::int; END; -- :c"), null);
  assert.deepEqual(placeholderNames('SELECT :a, :b, :a'), [':a', ':b']);
  assert.equal(placeholderNames('SELECT ? FROM t'), null);
});

const CONSTS = { BIND_INOUT: 3003, BIND_OUT: 3002, STRING: 'DB_TYPE_VARCHAR', CURSOR: 'DB_TYPE_CURSOR' };

test('binds: an array by position, an object by name; in/out binds carry their in-value as text', () => {
  assert.deepEqual(oracleBinds([1, 'x', null], null, [], CONSTS), [1, 'x', null]);
  assert.deepEqual(oracleBinds([7, 'Smith'], [':id', ':name'], [], CONSTS), { id: 7, name: 'Smith' });
  assert.deepEqual(oracleBinds([7, 42, null], null, [{ at: 1, maxLen: 20 }, { at: 2, maxLen: 100 }], CONSTS), [
    7,
    { dir: 3003, type: 'DB_TYPE_VARCHAR', val: '42', maxSize: 20 },
    { dir: 3003, type: 'DB_TYPE_VARCHAR', val: null, maxSize: 100 },
  ]);
  assert.deepEqual(oracleBinds(['in', 'x'], [':p_in', ':p_out'], [{ at: 1, maxLen: 50 }], CONSTS), {
    p_in: 'in', p_out: { dir: 3003, type: 'DB_TYPE_VARCHAR', val: 'x', maxSize: 50 },
  });
  // the caller's values are not changed (they are journaled as sent)
  const values = [1, 2];
  oracleBinds(values, null, [{ at: 0, maxLen: 5 }], CONSTS);
  assert.deepEqual(values, [1, 2]);
});

test('OUT values come back in the order they were asked for', () => {
  // by position, node-oracledb lists the out binds in position order
  assert.deepEqual(oracleOutValues(['a', 'b'], null, [{ at: 3, maxLen: 1 }, { at: 1, maxLen: 1 }]), ['b', 'a']);
  assert.deepEqual(oracleOutValues({ p_out: '42', p_x: null }, [':p_in', ':p_out', ':p_x'], [{ at: 1, maxLen: 9 }, { at: 2, maxLen: 9 }]), ['42', null]);
  assert.deepEqual(oracleOutValues(undefined, null, []), []);
});

test('PostgreSQL numbering leaves dollar-quoted bodies alone', () => {
  assert.deepEqual(translatePlaceholders('SELECT ?, $$ ? $$, $tag$?$tag$, ?', (n) => `$${n}`), { sql: 'SELECT $1, $$ ? $$, $tag$?$tag$, $2', count: 2 });
});

test('named binds are found in order; casts and strings are not binds', () => {
  assert.deepEqual(namedPlaceholders("BEGIN p(:id, :name); END; -- :nope"), ['id', 'name']);
  assert.deepEqual(namedPlaceholders("SELECT x::int, ':str' FROM t WHERE a = :a"), ['a']);
});

test('DBI type codes from Oracle types', () => {
  assert.equal(dbiType('DB_TYPE_NUMBER'), 3);
  assert.equal(dbiType('DB_TYPE_VARCHAR'), 12);
  assert.equal(dbiType('DB_TYPE_DATE'), 93);
  assert.equal(dbiType('DB_TYPE_CLOB'), 40);
  assert.equal(dbiType('DB_TYPE_BLOB'), 30);
  assert.equal(dbiType(undefined), null);
});

test('LOBs honour LongReadLen and LongTruncOk as DBD::Oracle does', () => {
  assert.equal(applyLongReadLen('abcdef', 10, false), 'abcdef');
  assert.equal(applyLongReadLen('abcdef', 4, true), 'abcd');
  assert.deepEqual(applyLongReadLen(Buffer.from([1, 2, 3, 4, 5]), 2, true), Buffer.from([1, 2]));
  assert.equal(applyLongReadLen(null, 1, false), null);
  assert.throws(() => applyLongReadLen('abcdef', 4, false), /ORA-24345.*LongReadLen/);
});

test('Oracle errors keep their number; lost connections are recognised', () => {
  const e = oraError(Object.assign(new Error('ORA-00942: table or view does not exist'), { errorNum: 942 }));
  assert.equal(e.extra.err, 942);
  assert.equal(e.extra.errstr, 'ORA-00942: table or view does not exist');
  assert.equal(isConnectionLost(e), false);
  assert.equal(isConnectionLost(oraError(new Error('ORA-03113: end-of-file on communication channel'))), true);
});

test('DDL, which Oracle commits on its own, is told from DML and queries', () => {
  for (const sql of ['CREATE TABLE t (a NUMBER)', '  /* x */ drop table t', '-- c\nALTER TABLE t ADD b NUMBER', 'TRUNCATE TABLE t', 'COMMENT ON TABLE t IS \'x\'']) assert.equal(isDdl(sql), true, sql);
  for (const sql of ['INSERT INTO t VALUES (1)', 'BEGIN p(:a); END;', 'SELECT 1 FROM dual', 'UPDATE created SET a = 1']) assert.equal(isDdl(sql), false, sql);
});
