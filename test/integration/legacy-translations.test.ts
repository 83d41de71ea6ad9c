// Every predecessor (call_python) translation of every module, run against a real daemon: each
// one answers in the predecessor's shape, and none is left out.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { LEGACY } from '../../src/legacy/table';
import { startDaemon, tempDir } from '../helpers';
import { startSshd, stopSshd } from '../sshd';
import { startSink } from '../mail-sink';

test('every call_python translation runs against the daemon', async () => {
  const d = await startDaemon(tempDir());
  const covered = new Set<string>();
  try {
    const c = await d.client();
    const call = async (module: string, fn: string, params: Record<string, unknown> = {}) => {
      const r = await c.request(module, fn, params, undefined, true);
      assert.equal(r.success, true, `${module}.${fn}: ${JSON.stringify(r)}`);
      covered.add(`${module}.${fn}`);
      return r.result as Record<string, unknown>;
    };
    assert.equal((await call('test', 'ping')).message, 'pong');
    await call('system', 'info');
    assert.equal((await call('system', 'health')).overall_status, 'healthy');
    for (const fn of ['echo', 'stats', 'health', 'check_module']) assert.equal((await call('test', fn, { module: 'excel' })).success, true);
    for (const fn of ['metrics', 'performance', 'connections', 'cleanup', 'stats']) assert.equal((await call('system', fn)).success, true);

    const dir = tempDir();
    const dsn = `dbi:SQLite:dbname=${path.join(dir, 'legacy.db')}`;
    const cid = (await call('database', 'connect', { dsn })).connection_id;
    assert.equal((await call('database', 'connect_cached', { dsn })).cached, 0);
    assert.equal((await call('database', 'connect_cached', { dsn })).cached, 1);
    await call('database', 'do_statement', { connection_id: cid, sql: 'CREATE TABLE t (v TEXT)' });
    assert.equal((await call('database', 'execute_immediate', { connection_id: cid, sql: 'INSERT INTO t VALUES (?)', bind_values: ['a'] })).rows_affected, 1);
    await call('database', 'begin_transaction', { connection_id: cid });
    await call('database', 'do_statement', { connection_id: cid, sql: "INSERT INTO t VALUES ('b')" });
    await call('database', 'commit', { connection_id: cid });
    await call('database', 'begin_transaction', { connection_id: cid });
    await call('database', 'do_statement', { connection_id: cid, sql: "INSERT INTO t VALUES ('gone')" });
    await call('database', 'rollback', { connection_id: cid });
    const sid = (await call('database', 'prepare', { connection_id: cid, sql: 'SELECT v FROM t ORDER BY v' })).statement_id;
    await call('database', 'execute_statement', { statement_id: sid });
    assert.deepEqual((await call('database', 'fetch_row', { statement_id: sid })).row, ['a']);
    assert.deepEqual((await call('database', 'fetch_all', { statement_id: sid })).rows, [['b']]);
    await call('database', 'finish_statement', { statement_id: sid });
    await call('database', 'disconnect', { connection_id: cid });

    // the other modules' shapes nest their values under `result`
    const file = path.join(dir, 'legacy.xlsx');
    const wb = ((await call('excel', 'create_workbook', { filename: file })).result as Record<string, unknown>).workbook_id;
    const ws = ((await call('excel', 'add_worksheet', { workbook_id: wb, name: 'Data' })).result as Record<string, unknown>).worksheet_id;
    await call('excel', 'write_cell', { worksheet_id: ws, row: 0, col: 0, value: 'tab\there' });
    await call('excel', 'write_cell', { worksheet_id: ws, row: 1, col: 0, value: 42 });
    await call('excel', 'close_workbook', { workbook_id: wb });
    assert.ok(fs.statSync(file).size > 0);

    // crypto: the predecessor's own format, round trip
    const cipher = ((await call('crypto', 'new', { key: 'legacy-key-0123456789', cipher: 'AES' })).result as Record<string, unknown>).cipher_id;
    const enc = (await call('crypto', 'encrypt', { cipher_id: cipher, plaintext: 'line 1\nline 2' })).result as Record<string, unknown>;
    const dec = (await call('crypto', 'decrypt', { cipher_id: cipher, hex_ciphertext: enc.encrypted })).result as Record<string, unknown>;
    assert.equal(dec.decrypted, 'line 1\nline 2');
    await call('crypto', 'cleanup_cipher', { cipher_id: cipher });

    // logging_helper: one message to the daemon's own log, echoed in its shape
    assert.deepEqual((await call('logging_helper', 'log_message', { level: 'INFO', message: 'legacy line\twith tab' })).result, { logged: true, level: 'INFO', message: 'legacy line\twith tab' });
    assert.equal(((await call('logging_helper', 'log_error', { message: 'e' })).result as Record<string, unknown>).level, 'ERROR');
    assert.equal(((await call('logging_helper', 'log_warning', { message: 'w' })).result as Record<string, unknown>).level, 'WARNING');
    assert.equal(((await call('logging_helper', 'log_debug', { message: 'd' })).result as Record<string, unknown>).level, 'DEBUG');

    // sftp, against the test sshd (host key checked against the known_hosts text given)
    const sshd = await startSshd();
    try {
      const session = ((await call('sftp', 'new', {
        host: '127.0.0.1', port: sshd.port, username: sshd.user, private_key: fs.readFileSync(sshd.key, 'utf8'), known_hosts: fs.readFileSync(sshd.knownHosts, 'utf8'),
      })).result as Record<string, unknown>).session_id;
      await call('sftp', 'mkdir', { session_id: session, path: 'in' });
      await call('sftp', 'rename', { session_id: session, old_path: 'in', new_path: 'out' });
      const files = ((await call('sftp', 'ls', { session_id: session, path: '.' })).result as { files: { filename: string; is_dir: boolean }[] }).files;
      assert.deepEqual(files.map((f) => [f.filename, f.is_dir]), [['out', true]]);
      fs.writeFileSync(path.join(sshd.root, 'gone.txt'), 'x');
      await call('sftp', 'remove', { session_id: session, path: 'gone.txt' });
      assert.equal(fs.existsSync(path.join(sshd.root, 'gone.txt')), false);
      await call('sftp', 'disconnect', { session_id: session });
    } finally {
      stopSshd(sshd.dir);
    }

    // mail: a plain text message through a real SMTP sink, with a Message-ID derived from the request
    const sink = await startSink();
    try {
      const sent = (await call('email_helper', 'send_simple', { to: 'ops@example.test', from: 'Bot <bot@example.test>', subject: 'légacy', msg: 'line 1\nline 2', smtp: '127.0.0.1', port: sink.port })).result as Record<string, unknown>;
      assert.equal(sent.sent, true);
      assert.equal(sink.received.length, 1);
      assert.deepEqual([sink.received[0]!.from, sink.received[0]!.to], ['bot@example.test', ['ops@example.test']]);
      assert.match(sink.received[0]!.data.toString(), new RegExp(`^Message-ID: ${String(sent.message_id)}\r\nTo: ops@example.test\r\n[^]*\r\n\r\nline 1\r\nline 2\r\n$`));
    } finally {
      await sink.close();
    }

    // xpath: documents by id, nodes copied eagerly with the predecessor's text rule
    const xfile = path.join(dir, 'legacy.xml');
    fs.writeFileSync(xfile, '<cfg><db host="h1"><name> sales </name></db><db host="h2"><x> a </x><y>b</y></db></cfg>');
    const xdoc = ((await call('xpath', 'load_file', { filename: xfile })).result as Record<string, unknown>).document_id;
    const dbs = (await call('xpath', 'find_nodes', { document_id: xdoc, xpath: '//db' })).result as { nodes: Array<Record<string, unknown>>; count: number };
    assert.deepEqual(dbs.nodes.map((n) => [n.name, n.text, n.attributes]), [['db', 'sales', { host: 'h1' }], ['db', 'ab', { host: 'h2' }]]);
    const inner = (await call('xpath', 'find_in_node', { document_id: xdoc, node_id: dbs.nodes[1]!.node_id, xpath: 'y' })).result as { count: number };
    assert.equal(inner.count, 1);
    const sdoc = ((await call('xpath', 'load_xml_string', { xml_string: '<a><b>1</b></a>' })).result as Record<string, unknown>).document_id;
    await call('xpath', 'dispose_document', { document_id: sdoc });
    await call('xpath', 'dispose_document', { document_id: xdoc });

    // last of all, whatever the modules above add: it stops the daemon
    assert.equal((await call('system', 'shutdown')).message, 'Shutdown initiated');
    assert.equal(await d.exited, 0);
  } finally {
    await d.kill('SIGTERM');
  }
  assert.deepEqual(Object.keys(LEGACY).filter((k) => !covered.has(k)), [], 'translations not exercised');
});
