// Byte strings bound as SQLite TEXT and TEXT that is not UTF-8 read as its bytes (sqlite-bytes.ts),
// on a real in-memory SQLite through better-sqlite3.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { castTextBinds, fromRawTextRow, mayHaveLostBytes, rawTextQuery, textBytes } from '../../src/modules/database/drivers/sqlite-bytes';
import { sqliteParams } from '../../src/modules/database/placeholders';

test('the placeholders of text-bytes binds are cast to TEXT; strings, comments and others are left alone', () => {
  assert.equal(castTextBinds("INSERT INTO t VALUES (?, '?', ? /* ? */, ?)", new Set([1]), new Set()), "INSERT INTO t VALUES (?, '?', CAST(? AS TEXT) /* ? */, ?)");
  // numbered: bind 0 is ?1 wherever it stands; a bare ? after ?3 is ?4
  assert.equal(castTextBinds('SELECT ?2, ?1', new Set([0]), new Set()), 'SELECT ?2, CAST(?1 AS TEXT)');
  assert.equal(castTextBinds('SELECT ?1 + ?2, ?2, ?3, ?', new Set([1, 3]), new Set()), 'SELECT ?1 + CAST(?2 AS TEXT), CAST(?2 AS TEXT), ?3, CAST(? AS TEXT)');
  assert.equal(castTextBinds('SELECT :a, :b, :a, x::int', new Set(), new Set([':a'])), 'SELECT CAST(:a AS TEXT), :b, CAST(:a AS TEXT), x::int');
});

test('SQLite counts ? / ?NNN parameters as sqlite3_bind_parameter_count does (the largest index); ?NNN are the numbered ones', () => {
  assert.deepEqual(sqliteParams('SELECT ?1 + ?2 * 10, ?2'), { count: 2, numbered: new Set([1, 2]) });
  assert.deepEqual(sqliteParams('SELECT ?3'), { count: 3, numbered: new Set([3]) });
  assert.deepEqual(sqliteParams('SELECT ?2, ?'), { count: 3, numbered: new Set([2]) });
  assert.deepEqual(sqliteParams('SELECT ?, ?1'), { count: 1, numbered: new Set([1]) });
  assert.deepEqual(sqliteParams("SELECT '?', ? /* ?9 */ -- ?7\n"), { count: 1, numbered: new Set() });
  assert.deepEqual(sqliteParams('SELECT :a'), { count: 0, numbered: new Set() });
});

test('only a one-key {"$b64t"} object is text bytes', () => {
  assert.deepEqual(textBytes({ $b64t: Buffer.from('Zo\xeb', 'latin1').toString('base64') }), Buffer.from([0x5a, 0x6f, 0xeb]));
  assert.equal(textBytes({ $b64: 'AA==' }), null);
  assert.equal(textBytes({ $b64t: 'AA==', x: 1 }), null);
  assert.equal(textBytes(Buffer.from('x')), null);
  assert.equal(textBytes('x'), null);
});

test('a blob cast to TEXT is stored as TEXT with its bytes, and read back as them through rawTextQuery', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (k TEXT, v)');
  const bytes = Buffer.from([0x5a, 0x6f, 0xeb]);
  db.prepare(castTextBinds('INSERT INTO t VALUES (?, ?)', new Set([1]), new Set())).run('latin', bytes);
  db.prepare('INSERT INTO t VALUES (?, ?)').run('blob', Buffer.from('abc'));
  db.prepare('INSERT INTO t VALUES (?, ?)').run('text', 'caf\u00e9');
  db.prepare('INSERT INTO t VALUES (?, ?)').run('int', 7);
  assert.deepEqual(db.prepare("SELECT typeof(v), hex(v) FROM t WHERE k = 'latin'").raw().get(), ['text', '5A6FEB']);
  // what better-sqlite3 alone reads: the byte is lost
  const lossy = db.prepare("SELECT k, v FROM t WHERE k = 'latin'").raw().get() as unknown[];
  assert.equal(lossy[1], 'Zo\uFFFD');
  assert.ok(mayHaveLostBytes(lossy));
  const sql = 'SELECT k, v, k FROM t ORDER BY rowid; -- a comment';
  const raw = db.prepare(rawTextQuery(sql, 3)).raw().all() as unknown[][];
  assert.deepEqual(raw.map(fromRawTextRow), [
    ['latin', bytes, 'latin'],
    ['blob', Buffer.from('abc'), 'blob'],
    ['text', 'caf\u00e9', 'text'],
    ['int', 7, 'int'],
  ]);
  assert.ok(!mayHaveLostBytes(['caf\u00e9', 1, null, Buffer.from([0xef, 0xbf, 0xbd])]));
  db.close();
});
