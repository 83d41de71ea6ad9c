// The Oracle adapter without a server: bind translation, type mapping, LOB limits, error mapping.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { applyLongReadLen, dbiType, oracleSql, oraError } from '../../src/modules/database/drivers/oracle';
import { isConnectionLost } from '../../src/modules/database/driver';
import { namedPlaceholders, translatePlaceholders } from '../../src/modules/database/placeholders';

test('? placeholders become :1..:n outside strings, identifiers and comments', () => {
  assert.deepEqual(oracleSql("SELECT a FROM t WHERE b = ? AND c = '?' AND \"d?\" = ? -- ?\n AND e = ?"), {
    sql: "SELECT a FROM t WHERE b = :1 AND c = '?' AND \"d?\" = :2 -- ?\n AND e = :3", count: 3,
  });
  assert.deepEqual(oracleSql("INSERT INTO t VALUES ('it''s ?', ?)"), { sql: "INSERT INTO t VALUES ('it''s ?', :1)", count: 1 });
  assert.deepEqual(oracleSql('SELECT 1 FROM dual /* ? */'), { sql: 'SELECT 1 FROM dual /* ? */', count: 0 });
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
