import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { oracleConnectString, parseDsn, sqlitePath } from '../../src/modules/database/dsn';
import { isQuery } from '../../src/modules/database';
import { gatherCredentials, maskDsn } from '../../src/modules/database/credentials';
import { pgConfig } from '../../src/modules/database/drivers/pg';

test('SQLite DSN forms', () => {
  assert.equal(sqlitePath(parseDsn('dbi:SQLite:dbname=/tmp/a.db'), '/x'), '/tmp/a.db');
  assert.equal(sqlitePath(parseDsn('dbi:SQLite:/tmp/b.db'), '/x'), '/tmp/b.db');
  assert.equal(sqlitePath(parseDsn('dbi:SQLite:db=rel.db'), '/work'), '/work/rel.db');
  assert.equal(sqlitePath(parseDsn('DBI:SQLite:database=:memory:'), '/x'), ':memory:');
  assert.equal(parseDsn('dbi:SQLite:dbname=x').driver, 'SQLite');
});

test('PostgreSQL DSN attributes', () => {
  const d = parseDsn('dbi:Pg:dbname=test;host=127.0.0.1;port=5432');
  assert.equal(d.driver, 'Pg');
  assert.deepEqual(d.attrs, { dbname: 'test', host: '127.0.0.1', port: '5432' });
});

test('Oracle DSN forms', () => {
  assert.equal(oracleConnectString(parseDsn('dbi:Oracle:PRODDB')), 'PRODDB');
  assert.equal(oracleConnectString(parseDsn('dbi:Oracle://db.example:1522/ORCLPDB1')), 'db.example:1522/ORCLPDB1');
  assert.match(oracleConnectString(parseDsn('dbi:Oracle:host=db1;sid=ORCL;port=1521')), /\(HOST=db1\)\(PORT=1521\).*\(SID=ORCL\)/);
  assert.equal(oracleConnectString(parseDsn('dbi:Oracle:host=db1;service_name=svc')), 'db1:1521/svc');
});

test('a DSN without a driver is a clear error', () => {
  assert.throws(() => parseDsn('SQLite:foo'), /dbi:driver:/);
});

test('query detection decides the effect class before running', () => {
  assert.equal(isQuery('  SELECT 1'), true);
  assert.equal(isQuery('-- c\nselect * from t'), true);
  assert.equal(isQuery('WITH x AS (SELECT 1) SELECT * FROM x'), true);
  assert.equal(isQuery('WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x'), false);
  assert.equal(isQuery('INSERT INTO t VALUES (1)'), false);
  assert.equal(isQuery('update t set a = 1'), false);
});

test('credentials: a password in the DSN or the attributes moves to the sealed field; the argument wins', () => {
  const g = gatherCredentials('dbi:Pg:dbname=test;password=p1;host=h', { Password: 'p2', AutoCommit: 0 }, null);
  assert.deepEqual(g, { dsn: 'dbi:Pg:dbname=test;host=h', attrs: { AutoCommit: 0 }, password: 'p1' });
  assert.equal(gatherCredentials('dbi:Pg:dbname=test', { Password: 'p2' }, null).password, 'p2');
  assert.equal(gatherCredentials('dbi:Pg:dbname=test;PWD=p1', {}, 'p0').password, 'p0');
  assert.equal(gatherCredentials('dbi:Pg:dbname=test;password=p1', {}, '').password, 'p1');
  assert.equal(gatherCredentials('dbi:SQLite:/tmp/x.db', {}, null).dsn, 'dbi:SQLite:/tmp/x.db');
  assert.equal(maskDsn('dbi:Pg:dbname=t;password=abc;host=h'), 'dbi:Pg:dbname=t;password=***;host=h');
  assert.equal(maskDsn('x;Password = abc'), 'x;Password =***');
});

test('the Pg driver uses a password given in the DSN (DBD::Pg does, through libpq)', () => {
  assert.equal(pgConfig({ dsn: 'dbi:Pg:dbname=test;password=indsn', user: 'u', password: null, attrs: {}, cwd: null }).password, 'indsn');
  assert.equal(pgConfig({ dsn: 'dbi:Pg:dbname=test;password=indsn', user: 'u', password: 'arg', attrs: {}, cwd: null }).password, 'arg');
});
