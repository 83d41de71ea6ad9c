// Every predecessor (call_python) translation of every module, run against a real daemon: each
// one answers in the predecessor's shape, and none is left out.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { LEGACY } from '../../src/legacy/table';
import { startDaemon, tempDir } from '../helpers';

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

    const dir = tempDir();
    const dsn = `dbi:SQLite:dbname=${path.join(dir, 'legacy.db')}`;
    const cid = (await call('database', 'connect', { dsn })).connection_id;
    assert.equal((await call('database', 'connect_cached', { dsn })).cached, true);
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
  } finally {
    await d.kill('SIGTERM');
  }
  assert.deepEqual(Object.keys(LEGACY).filter((k) => !covered.has(k)), [], 'translations not exercised');
});
