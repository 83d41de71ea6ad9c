// Limits against hostile or runaway clients: connections (cap, hello and idle timeouts), handles,
// workbooks, memory, backpressure on a client that never reads, and bounded counters. Over a limit
// the one who asked gets a clear code; everyone else goes on.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { test } from 'node:test';
import { sleep, startDaemon, tempDir } from '../helpers';
import { helloConn, rawConn, requestFrame, tokenOf } from './wire';

test('connection cap: one more is refused with too_many_connections; a freed slot is usable again', async () => {
  const d = await startDaemon(tempDir(), { CPAN_BRIDGE_MAX_CONNECTIONS: '4' });
  try {
    const token = tokenOf(d.home);
    const held = await Promise.all([1, 2, 3, 4].map((i) => helloConn(d.settings.socket, token, `cap-session-000${i}`)));
    const over = await rawConn(d.settings.socket);
    const [r] = await over.next();
    assert.equal(r.success, false);
    assert.equal(r.error?.code, 'too_many_connections');
    assert.equal(r.error?.retryable, true);
    await over.closed;
    held[0].s.destroy();
    await held[0].closed;
    await sleep(50);
    const again = await helloConn(d.settings.socket, token, 'cap-session-0005');
    again.s.write(requestFrame('1', 'system', 'ping'));
    assert.equal((await again.next())[0].success, true);
    for (const c of [...held, again]) c.s.destroy();
  } finally {
    await d.kill('SIGTERM');
  }
});

test('a silent unauthenticated socket is closed (idle_timeout); a trickling one at the hello deadline (hello_timeout)', async () => {
  const d = await startDaemon(tempDir(), { CPAN_BRIDGE_HELLO_TIMEOUT: '1.5', CPAN_BRIDGE_UNAUTH_IDLE: '0.5' });
  try {
    const t0 = Date.now();
    const silent = await rawConn(d.settings.socket);
    const [r] = await silent.next(1, 5000);
    assert.equal(r?.error?.code, 'idle_timeout');
    await silent.closed;
    assert.ok(Date.now() - t0 < 3000);
    const trickle = await rawConn(d.settings.socket);
    trickle.s.write(Buffer.from([0, 0, 1, 0])); // a 256-byte frame, sent a byte at a time
    const timer = setInterval(() => trickle.s.write(' '), 200);
    const [h] = await trickle.next(1, 5000);
    clearInterval(timer);
    assert.equal(h?.error?.code, 'hello_timeout');
    await trickle.closed;
    // an authenticated client is not subject to either
    const c = await helloConn(d.settings.socket, tokenOf(d.home), 'timeout-ok-0001');
    await sleep(2000);
    c.s.write(requestFrame('1', 'system', 'ping'));
    assert.equal((await c.next())[0].success, true);
    c.s.destroy();
  } finally {
    await d.kill('SIGTERM');
  }
});

test('a client that pipelines and never reads is paused: bounded memory and journal, every reply delivered once it reads', async () => {
  const d = await startDaemon(tempDir(), { CPAN_BRIDGE_MAX_IN_FLIGHT: '8', CPAN_BRIDGE_MAX_UNREAD_REPLY_BYTES: String(2 * 1024 * 1024) });
  try {
    const setup = await d.client();
    const db = path.join(tempDir(), 'big.db'); // outside the state directory (path_denied there)
    const { dbh } = await setup.call<{ dbh: string }>('database', 'connect', { dsn: `dbi:SQLite:dbname=${db}` });
    await setup.call('database', 'do', { dbh, sql: 'CREATE TABLE t (v TEXT)' });
    await setup.call('database', 'do', { dbh, sql: `INSERT INTO t VALUES (printf('%.*c', ${256 * 1024}, 'x'))` });
    setup.close();
    const token = tokenOf(d.home);
    const c = await helloConn(d.settings.socket, token, 'never-reads-0001');
    const N = 400; // 400 replies of 256 KiB: 100 MiB if nothing held the client back
    c.s.write(requestFrame('c', 'database', 'connect', { dsn: `dbi:SQLite:dbname=${db}` }));
    const [conn] = await c.next();
    const cdbh = (conn.result as { dbh: string }).dbh;
    c.s.write(requestFrame('p', 'database', 'prepare', { dbh: cdbh, sql: 'SELECT v FROM t' }));
    const [prep] = await c.next();
    const sth = (prep.result as { sth: string }).sth;
    c.s.pause(); // from here on the client reads nothing
    for (let i = 0; i < N; i++) c.s.write(requestFrame(String(i), 'database', 'execute', { sth, prefetch: 10 }));
    await sleep(2500);
    const watcher = await d.client();
    const st = await watcher.call<{ requests: { byFunction: Record<string, number> }; journal_bytes: number }>('system', 'status');
    const executed = st.requests.byFunction['database.execute'] ?? 0;
    assert.ok(executed < N / 4, `the daemon kept executing for a client that does not read: ${executed} of ${N}`);
    assert.ok(st.journal_bytes < 40 * 1024 * 1024, `journal grew to ${st.journal_bytes} bytes`);
    assert.equal((await watcher.call('system', 'ping')).pong, true); // others are served meanwhile
    c.s.resume();
    const replies = await c.next(N, 60_000);
    assert.equal(replies.length, N);
    assert.ok(replies.every((r) => r.success === true), JSON.stringify(replies.find((r) => r.success !== true)));
    assert.deepEqual(replies.map((r) => r.id), Array.from({ length: N }, (_, i) => String(i)));
    watcher.close();
    c.s.destroy();
  } finally {
    await d.kill('SIGTERM');
  }
});

test('handles in total, open workbooks and the memory ceiling: a coded refusal, nothing else affected', async () => {
  const home = tempDir();
  const d = await startDaemon(home, { CPAN_BRIDGE_MAX_HANDLES_TOTAL: '3', CPAN_BRIDGE_MAX_OPEN_WORKBOOKS: '2' });
  try {
    const a = await d.client();
    const b = await d.client();
    const dir = tempDir();
    const w1 = await a.call<{ wb: string }>('excel', 'new_workbook', { filename: path.join(dir, '1.xlsx') });
    await a.call('excel', 'new_workbook', { filename: path.join(dir, '2.xlsx') });
    const w3 = await b.request('excel', 'new_workbook', { filename: path.join(dir, '3.xlsx') });
    assert.equal(w3.error?.code, 'limit');
    assert.match(w3.error!.message, /max_open_workbooks/);
    await a.call('excel', 'close', { wb: w1.wb });
    const { dbh } = await b.call<{ dbh: string }>('database', 'connect', { dsn: `dbi:SQLite:dbname=${path.join(dir, 'h.db')}` });
    const st = await b.call<{ sth: string }>('database', 'prepare', { dbh, sql: 'SELECT 1' });
    const over = await b.request('database', 'prepare', { dbh, sql: 'SELECT 2' });
    assert.equal(over.error?.code, 'limit');
    assert.match(over.error!.message, /max_handles_total/);
    const r = await b.call<{ batch: number[][] }>('database', 'execute', { sth: st.sth, prefetch: 5 });
    assert.deepEqual(r.batch, [[1]]);
    a.close();
    b.close();
  } finally {
    await d.kill('SIGTERM');
  }
  const m = await startDaemon(tempDir(), { CPAN_BRIDGE_MEMORY_CEILING: '1048576' }); // 1 MiB: always over
  try {
    const c = await m.client();
    const conn = await c.request('database', 'connect', { dsn: 'dbi:SQLite:dbname=:memory:' });
    assert.equal(conn.error?.code, 'memory_limit');
    assert.equal(conn.error?.retryable, true);
    const wb = await c.request('excel', 'new_workbook', { filename: path.join(tempDir(), 'm.xlsx') });
    assert.equal(wb.error?.code, 'memory_limit');
    assert.equal((await c.call('system', 'ping')).pong, true);
    c.close();
  } finally {
    await m.kill('SIGTERM');
  }
});

test('requests for unknown functions are counted under one key', async () => {
  const d = await startDaemon(tempDir());
  try {
    const c = await d.client();
    for (let i = 0; i < 50; i++) await c.request('nosuch', `made_up_${i}_${'n'.repeat(1000)}`);
    for (let i = 0; i < 5; i++) await c.request('database', `also_made_up_${i}`);
    await c.call('system', 'ping');
    const st = await c.call<{ requests: { byFunction: Record<string, number> } }>('system', 'status');
    const keys = Object.keys(st.requests.byFunction);
    assert.equal(st.requests.byFunction['(unknown)'], 55);
    assert.ok(keys.every((k) => !k.includes('made_up')), keys.join(', '));
    assert.ok(keys.includes('system.ping'));
    c.close();
  } finally {
    await d.kill('SIGTERM');
  }
});
