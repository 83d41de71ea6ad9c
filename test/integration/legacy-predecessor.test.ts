// Issue 20: the predecessor's call_python results, shape by shape, against a real daemon
// (python_helpers/helpers/database.py, excel.py and cpan_daemon.py's built-ins are the reference).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { requireOwner } from '../../src/modules/system/index';
import { dumpXlsx } from './excel-helpers';
import { startDaemon, tempDir, type RunningDaemon } from '../helpers';

type R = Record<string, unknown>;

async function withDaemon(f: (call: (m: string, fn: string, p?: R) => Promise<{ success: boolean; result?: R; error?: R }>, d: RunningDaemon) => Promise<void>) {
  const d = await startDaemon(tempDir());
  try {
    const c = await d.client();
    await f(async (m, fn, p = {}) => (await c.request(m, fn, p, undefined, true)) as { success: boolean; result?: R; error?: R }, d);
  } finally {
    await d.kill('SIGTERM');
  }
}

test('database: the predecessor shapes (connect_cached, SELECT through do, column_info, hash rows, end of data, bind_params)', async () => {
  await withDaemon(async (call) => {
    const ok = async (fn: string, p: R) => {
      const r = await call('database', fn, p);
      assert.equal(r.success, true, `${fn}: ${JSON.stringify(r)}`);
      return r.result!;
    };
    const dsn = `dbi:SQLite:dbname=${path.join(tempDir(), 'p.db')}`;
    const first = await ok('connect_cached', { dsn, options: { AutoCommit: 1 } });
    const again = await ok('connect_cached', { dsn, options: { AutoCommit: 1 } });
    assert.equal(first.cached, 0);
    assert.equal(again.cached, 1);
    assert.equal(again.connection_id, first.connection_id);
    const other = await ok('connect_cached', { dsn, options: { AutoCommit: 1, RaiseError: 1 } });
    assert.equal(other.cached, 0, 'other flags: another cache entry');
    assert.notEqual(other.connection_id, first.connection_id);
    const cid = first.connection_id;
    // a disconnected cached handle is not handed out again
    await ok('disconnect', { connection_id: other.connection_id });
    const fresh = await ok('connect_cached', { dsn, options: { AutoCommit: 1, RaiseError: 1 } });
    assert.equal(fresh.cached, 0);
    assert.notEqual(fresh.connection_id, other.connection_id);

    await ok('do_statement', { connection_id: cid, sql: 'CREATE TABLE t (id INTEGER, name VARCHAR(20))' });
    for (const [i, n] of [[1, 'a'], [2, 'b'], [3, 'c']]) await ok('do_statement', { connection_id: cid, sql: 'INSERT INTO t VALUES (?, ?)', bind_values: [i, n] });
    for (const fn of ['do_statement', 'execute_immediate']) {
      const sel = await ok(fn, { connection_id: cid, sql: 'SELECT id, name FROM t ORDER BY id' });
      assert.deepEqual(sel.rows, [[1, 'a'], [2, 'b'], [3, 'c']], fn);
      assert.equal(sel.rows_affected, 3);
      const ci = sel.column_info as R;
      assert.deepEqual(ci.names, ['id', 'name']);
      assert.deepEqual(ci.types, ['INTEGER', 'VARCHAR(20)']);
      assert.equal(ci.count, 2);
      assert.deepEqual((ci.columns as R[]).map((c) => [c.name, c.type]), [['id', 'INTEGER'], ['name', 'VARCHAR(20)']]);
    }
    assert.deepEqual(Object.keys(await ok('do_statement', { connection_id: cid, sql: "UPDATE t SET name = 'x' WHERE id = 9" })).sort(), ['rows_affected', 'success']);

    const sid = (await ok('prepare', { connection_id: cid, sql: 'SELECT id, name FROM t WHERE id >= ? ORDER BY id' })).statement_id;
    const ex = await ok('execute_statement', { connection_id: cid, statement_id: sid, bind_params: { ':1': { value: 2 } } });
    assert.deepEqual((ex.column_info as R).types, ['INTEGER', 'VARCHAR(20)']);
    assert.deepEqual((await ok('fetch_row', { statement_id: sid, format: 'hash' })).row, { id: 2, name: 'b' });
    assert.deepEqual((await ok('fetch_row', { statement_id: sid })).row, [3, 'c']);
    // end of data: success 0 (scripts loop `while ($r->{success})`), and again after it
    assert.deepEqual(await ok('fetch_row', { statement_id: sid }), { success: false });
    assert.deepEqual(await ok('fetch_row', { statement_id: sid }), { success: false });
    await ok('execute_statement', { statement_id: sid, bind_values: [1] });
    assert.deepEqual((await ok('fetch_all', { statement_id: sid, format: 'hash' })).rows, [{ id: 1, name: 'a' }, { id: 2, name: 'b' }, { id: 3, name: 'c' }]);
    assert.equal((await call('database', 'fetch_all', { statement_id: sid, format: 'xml' })).success, false, 'an unknown format is refused');

    // named placeholders in bind_params
    const named = (await ok('prepare', { connection_id: cid, sql: 'SELECT name FROM t WHERE id = :wanted' })).statement_id;
    await ok('execute_statement', { statement_id: named, bind_params: { ':wanted': { value: 3 } } });
    assert.deepEqual((await ok('fetch_row', { statement_id: named })).row, ['c']);
    const bad = await call('database', 'execute_statement', { statement_id: named, bind_params: { ':nope': { value: 3 } } });
    assert.equal(bad.success, false);
    assert.match(String(bad.error!.message), /no placeholder :nope/);

    // the predecessor's words for a function it did not allow
    const unknown = await call('database', 'x', {});
    assert.equal(unknown.success, false);
    assert.match(String(unknown.error!.message), /^Request validation failed: Function not allowed: database\.x/);
    assert.match(String((await call('nosuch', 'x', {})).error!.message), /^Request validation failed: Module not allowed: nosuch/);
  });
});

test('excel: data, a second sheet without index, library and filename', async () => {
  await withDaemon(async (call) => {
    const file = path.join(tempDir(), 'p.xlsx');
    const wb = (await call('excel', 'create_workbook', { filename: file })).result!;
    const made = wb.result as R;
    assert.equal(made.filename, file);
    assert.equal(typeof made.library, 'string');
    const s1 = (await call('excel', 'add_worksheet', { workbook_id: made.workbook_id, name: 'First' })).result!.result as R;
    const second = await call('excel', 'add_worksheet', { workbook_id: made.workbook_id });
    assert.equal(second.success, true, JSON.stringify(second));
    const s2 = second.result!.result as R;
    assert.equal(s2.name, 'Sheet2');
    await call('excel', 'write_cell', { workbook_id: made.workbook_id, worksheet_id: s1.worksheet_id, row: 0, col: 0, data: 'from data' });
    await call('excel', 'write_cell', { workbook_id: made.workbook_id, worksheet_id: s2.worksheet_id, row: 1, col: 1, data: 7 });
    const fmt = await call('excel', 'write_cell', { workbook_id: made.workbook_id, worksheet_id: s2.worksheet_id, row: 0, col: 0, data: 1, format_id: 'f1' });
    assert.equal(fmt.success, false, 'format_id is refused, not dropped');
    assert.equal((await call('excel', 'close_workbook', { workbook_id: made.workbook_id })).success, true);
    const dump = dumpXlsx(file);
    assert.match(dump, /First/);
    assert.match(dump, /Sheet2/);
    assert.match(dump, /from data/);
    assert.match(dump, /\b7\b/);
  });
});

test('test/system management functions: the predecessor fields, success beside them, shutdown last', async () => {
  await withDaemon(async (call, d) => {
    const ok = async (m: string, fn: string, p: R = {}) => {
      const r = await call(m, fn, p);
      assert.equal(r.success, true, `${m}.${fn}: ${JSON.stringify(r)}`);
      assert.equal(r.result!.success, true, `${m}.${fn}: success beside the fields`);
      return r.result!;
    };
    const ping = await ok('test', 'ping', { hello: 'x' });
    for (const k of ['message', 'daemon_version', 'uptime', 'input', 'stats']) assert.ok(k in ping, `test.ping ${k}`);
    assert.deepEqual(ping.input, { hello: 'x' });
    assert.equal(typeof ping.uptime, 'number');
    assert.deepEqual((await ok('test', 'echo', { a: [1, 2] })).input, { a: [1, 2] });
    assert.equal(typeof (await ok('test', 'stats')).requests_processed, 'number');
    assert.equal((await ok('test', 'check_module', { module: 'database' })).available, true);
    assert.equal((await ok('test', 'check_module', { module: 'no_such' })).available, false);
    const info = await ok('system', 'info');
    for (const k of ['daemon_version', 'socket_path', 'uptime', 'loaded_modules', 'active_connections', 'configuration']) assert.ok(k in info, `system.info ${k}`);
    assert.equal(info.socket_path, d.settings.socket);
    assert.ok((info.loaded_modules as string[]).includes('database'));
    for (const fn of ['health']) {
      const h = await ok('system', fn);
      for (const k of ['timestamp', 'checks', 'warnings', 'errors', 'overall_status']) assert.ok(k in h, `system.health ${k}`);
      assert.equal(h.overall_status, 'healthy');
    }
    const th = await ok('test', 'health');
    assert.equal(th.status, 'healthy');
    for (const k of ['daemon_version', 'active_connections', 'loaded_modules', 'uptime', 'resources']) assert.ok(k in th, `test.health ${k}`);
    // the operations guide reads $r->{result}{...}: the same fields there
    assert.equal((th.result as R).overall_status, 'healthy');
    assert.equal(((await ok('system', 'info')).result as R).socket_path, d.settings.socket);
    const conns = await ok('system', 'connections');
    assert.ok((conns.connections as R[]).some((c) => c.client_pid === process.pid), 'this client among the connections');
    assert.equal(Object.values((await ok('system', 'health')).checks as Record<string, R>).filter((c) => typeof c.message !== 'string').length, 0, 'every check says why');
    const metrics = await ok('system', 'metrics');
    for (const k of ['resource_status', 'daemon_info', 'performance_metrics', 'connection_summary', 'module_status']) assert.ok(k in metrics, `system.metrics ${k}`);
    assert.ok(Array.isArray((metrics.resource_status as R).violations));
    assert.ok(((await ok('system', 'performance')).performance_metrics as R).total_requests as number > 0);
    assert.equal(typeof (await ok('system', 'connections')).active_connections, 'number');
    assert.ok('resource_status' in (await ok('system', 'stats')));
    assert.equal((await ok('system', 'cleanup')).message, 'Cleanup completed');
    assert.equal((await ok('system', 'shutdown')).message, 'Shutdown initiated');
    assert.equal(await d.exited, 0, 'the daemon stopped cleanly');
  });
});

test('system.shutdown and system.cleanup: the daemon owner only', () => {
  const me = process.getuid!();
  const session = (uid: number | null) => ({ id: 's', pid: 1, host: null, script: null, cwd: null, peer: uid === null ? null : { uid, gid: uid, pid: 1 } });
  assert.doesNotThrow(() => requireOwner(session(me), 'system.shutdown'));
  const other = me === 4242 ? 4243 : 4242;
  assert.throws(() => requireOwner(session(other), 'system.shutdown'), (e: { code?: string }) => e.code === 'not_permitted');
  assert.throws(() => requireOwner(session(null), 'system.cleanup'), (e: { code?: string }) => e.code === 'not_permitted');
});

test('crypto: plaintext_hex in, decrypted_hex out (binary data, the predecessor\'s preferred form)', async () => {
  await withDaemon(async (call) => {
    const cipher = ((await call('crypto', 'new', { key: 'TestKey123456789', cipher: 'Blowfish' })).result!.result as R).cipher_id;
    const bytes = Buffer.from([0, 10, 13, 0xff, 0xc3, 0x28, 9, 0]);
    const enc = await call('crypto', 'encrypt', { cipher_id: cipher, plaintext_hex: bytes.toString('hex') });
    assert.equal(enc.success, true, JSON.stringify(enc));
    const hex = (enc.result!.result as R).encrypted as string;
    assert.equal(hex.length, (8 + 16) * 2, 'IV and two blocks');
    const dec = (await call('crypto', 'decrypt', { cipher_id: cipher, hex_ciphertext: hex })).result!.result as R;
    assert.equal(dec.decrypted_hex, bytes.toString('hex'));
    const text = (await call('crypto', 'encrypt', { cipher_id: cipher, plaintext: 'line 1\nline 2' })).result!.result as R;
    const back = (await call('crypto', 'decrypt', { cipher_id: cipher, hex_ciphertext: text.encrypted })).result!.result as R;
    assert.equal(back.decrypted, 'line 1\nline 2');
    assert.equal(back.decrypted_hex, Buffer.from('line 1\nline 2').toString('hex'));
    assert.equal((await call('crypto', 'encrypt', { cipher_id: cipher, plaintext_hex: 'abc' })).success, false, 'odd hex is refused');
  });
});

test('another user admitted to the legacy wire (legacy_uids) may neither shut the daemon down nor clean up', { skip: process.getuid?.() !== 0 && 'needs root (a second user)' }, async () => {
  const NOBODY = 65534;
  const home = tempDir();
  const d = await startDaemon(home, { CPAN_BRIDGE_LEGACY_UIDS: String(NOBODY) });
  try {
    fs.chmodSync(home, 0o711);
    // the daemon makes its socket 0600 once listening: open it to the other user after that
    for (let i = 0; i < 20; i++) {
      fs.chmodSync(d.settings.socket, 0o666);
      await new Promise((res) => setTimeout(res, 100));
      if ((fs.statSync(d.settings.socket).mode & 0o777) === 0o666) break;
    }
    // the predecessor's wire: one raw JSON request per connection, half-closed; self-contained
    // (the other user may not be able to read this checkout)
    const code = `
      const net = require('net');
      const [sock, req] = JSON.parse(process.argv[1]);
      const s = net.connect(sock, () => s.end(JSON.stringify(req)));
      let out = ''; s.on('data', (c) => (out += c)); s.on('end', () => console.log(out));`;
    const as = (req: R) => {
      const r = spawnSync(process.execPath, ['-e', code, JSON.stringify([d.settings.socket, req])], { uid: NOBODY, gid: NOBODY, encoding: 'utf8', timeout: 20000, cwd: '/' });
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout) as R;
    };
    assert.equal(as({ module: 'test', function: 'ping', params: {} }).success, true, 'the other user is served');
    for (const fn of ['shutdown', 'cleanup']) {
      const r = as({ module: 'system', function: fn, params: {} });
      assert.equal(r.success, false, `system.${fn} by uid ${NOBODY}: ${JSON.stringify(r)}`);
      assert.equal(r.error_type, 'not_permitted');
      assert.match(String(r.error), /only the daemon's owner/);
    }
    await new Promise((res) => setTimeout(res, 300));
    const c = await d.client();
    assert.equal((await c.request('system', 'ping', {})).success, true, 'the daemon still serves');
  } finally {
    await d.kill('SIGTERM');
  }
});

test('system.shutdown loses no client state: the next daemon serves the handles and the open transaction', async () => {
  const home = tempDir();
  const dsn = `dbi:SQLite:dbname=${path.join(tempDir(), 's.db')}`;
  let d = await startDaemon(home);
  try {
    const other = await d.client(); // another client, mid-transaction
    const cid = ((await other.request('database', 'connect', { dsn }, undefined, true)).result as R).connection_id;
    await other.request('database', 'do_statement', { connection_id: cid, sql: 'CREATE TABLE t (v TEXT)' }, undefined, true);
    await other.request('database', 'begin_transaction', { connection_id: cid }, undefined, true);
    await other.request('database', 'do_statement', { connection_id: cid, sql: "INSERT INTO t VALUES ('kept')" }, undefined, true);
    const owner = await d.client();
    assert.equal(((await owner.request('system', 'shutdown', {}, undefined, true)).result as R).message, 'Shutdown initiated');
    assert.equal(await d.exited, 0);
    d = await startDaemon(home);
    const again = await d.client(other.session);
    // ids go on from the session's last (a reconnecting client never reuses one)
    const c = (await again.request('database', 'commit', { connection_id: cid }, '100', true));
    assert.equal(c.success, true, JSON.stringify(c));
    const sel = (await again.request('database', 'execute_immediate', { connection_id: cid, sql: 'SELECT v FROM t' }, '101', true)).result as R;
    assert.deepEqual(sel.rows, [['kept']]);
  } finally {
    await d.kill('SIGTERM');
  }
});
