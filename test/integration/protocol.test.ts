// The daemon against bad input: every case gets a clear error, and the daemon keeps serving.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame';
import { PROTOCOL_VERSION } from '../../src/version';
import { startDaemon, statePaths, tempDir, type RunningDaemon } from '../helpers';
import { legacyCall } from './wire';

let d: RunningDaemon;
let token: string;

before(async () => {
  d = await startDaemon(tempDir());
  token = fs.readFileSync(statePaths(d.home).token, 'utf8').trim();
});
after(async () => d.kill('SIGTERM'));

/** A raw connection: write bytes, read frames. */
async function raw() {
  const s = net.connect(d.settings.socket);
  await new Promise((r) => s.once('connect', r));
  const dec = new FrameDecoder(1 << 30);
  const frames: Record<string, unknown>[] = [];
  let closed = false;
  const waiters: (() => void)[] = [];
  s.on('data', (c) => {
    for (const f of dec.push(c)) frames.push(JSON.parse(f));
    waiters.splice(0).forEach((w) => w());
  });
  s.on('close', () => {
    closed = true;
    waiters.splice(0).forEach((w) => w());
  });
  const next = async (n = 1) => {
    const deadline = Date.now() + 5000;
    while (frames.length < n && !closed && Date.now() < deadline) await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 100); });
    return frames.splice(0, n);
  };
  return { s, next, isClosed: () => closed };
}

const hello = (extra: Record<string, unknown> = {}) => encodeFrame(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, token, session: 'test-session-0001', pid: process.pid, ...extra }));

test('hello with a wrong token or protocol is refused clearly', async () => {
  const a = await raw();
  a.s.write(hello({ token: 'nope' }));
  const [r] = await a.next();
  assert.equal(r.success, false);
  assert.equal((r.error as { code: string }).code, 'auth_failed');
  const b = await raw();
  b.s.write(hello({ protocol: 99 }));
  const [r2] = await b.next();
  assert.equal((r2.error as { code: string }).code, 'protocol_mismatch');
  assert.match((r2.error as { message: string }).message, /protocol 99/);
});

// fuzz seed 800549065: JSON can carry an object whose toString is not a function, on which
// String() and template strings throw; such values must get the same coded errors as others
test('values that cannot be made strings ({"toString": 1}) get coded errors, in hellos and legacy requests', async () => {
  const evil = { toString: 1, valueOf: 1 };
  const a = await raw();
  a.s.write(hello({ protocol: evil }));
  const [r] = await a.next();
  assert.equal((r.error as { code: string }).code, 'protocol_mismatch');
  assert.match((r.error as { message: string }).message, /protocol \{"toString":1,"valueOf":1\}/);
  for (const body of [
    { module: evil, function: 'ping', params: {} },
    { module: 'database', function: 'do_statement', params: { connection_id: evil, sql: evil } },
    { module: 'crypto', function: 'encrypt', params: { cipher_id: evil, plaintext: evil } },
  ]) {
    const rep = await legacyCall(d.settings.socket, body);
    assert.equal(rep.success, false, JSON.stringify(rep));
    assert.notEqual(rep.error_type, 'internal', JSON.stringify(rep));
  }
  const c = await d.client();
  assert.equal((await c.call<{ pong: boolean }>('system', 'ping')).pong, true);
  c.close();
});

test('a frame split over many writes and many frames in one write', async () => {
  const c = await raw();
  const bytes = Buffer.concat([hello(), ...[1, 2, 3].map((i) => encodeFrame(JSON.stringify({ id: String(i), module: 'system', function: 'ping', params: {} })))]);
  for (let i = 0; i < bytes.length; i += 7) {
    c.s.write(bytes.subarray(i, i + 7));
    await new Promise((r) => setImmediate(r));
  }
  const frames = await c.next(4);
  assert.equal(frames[0].success, true);
  assert.deepEqual(frames.slice(1).map((f) => f.id), ['1', '2', '3']);
  assert.ok(frames.slice(1).every((f) => f.success === true));
  const all = await raw();
  all.s.write(Buffer.concat([hello({ session: 'test-session-0002' }), ...Array.from({ length: 20 }, (_, i) => encodeFrame(JSON.stringify({ id: String(i), module: 'system', function: 'ping' })))]));
  assert.equal((await all.next(21)).length, 21);
});

test('malformed JSON, unknown module or function and bad params: clear errors, connection stays', async () => {
  const c = await raw();
  c.s.write(hello());
  await c.next();
  c.s.write(encodeFrame('{not json'));
  c.s.write(encodeFrame(JSON.stringify({ id: 'a', module: 'nosuch', function: 'x', params: {} })));
  c.s.write(encodeFrame(JSON.stringify({ id: 'b', module: 'database', function: 'drop_everything', params: {} })));
  c.s.write(encodeFrame(JSON.stringify({ id: 'c', module: 'database', function: 'connect', params: { dsn: 42 } })));
  c.s.write(encodeFrame(JSON.stringify({ id: 'd', module: 'database', function: 'prepare', params: { dbh: 'x', sql: 'select 1', evil: true } })));
  c.s.write(encodeFrame(JSON.stringify({ id: 'e', module: 'system', function: 'ping' })));
  const [bad, a, b, cc, dd, e] = await c.next(6);
  const code = (f: Record<string, unknown>) => (f.error as { code: string }).code;
  assert.equal(code(bad), 'bad_frame');
  assert.equal(code(a), 'unknown_module');
  assert.match((a.error as { message: string }).message, /available: .*database/);
  assert.equal(code(b), 'unknown_function');
  assert.equal(code(cc), 'bad_params');
  assert.match((cc.error as { message: string }).message, /params\.dsn must be string/);
  assert.equal(code(dd), 'bad_params');
  assert.equal(e.success, true);
});

test('an oversize frame closes that connection only; other clients are unharmed', async () => {
  const other = await d.client();
  const c = await raw();
  c.s.write(hello({ session: 'test-session-0003' }));
  await c.next();
  const head = Buffer.alloc(4);
  head.writeUInt32BE(d.settings.maxFrameBytes + 1, 0);
  c.s.write(head);
  const [r] = await c.next();
  assert.equal((r.error as { code: string }).code, 'frame_too_large');
  await c.next(); // wait for close
  assert.equal(c.isClosed(), true);
  const pong = await other.call('system', 'ping');
  assert.equal(pong.pong, true);
  other.close();
});

test('a handle of another client is refused', async () => {
  const a = await d.client();
  const b = await d.client();
  const db = path.join(tempDir(), 'own.db');
  const { dbh } = await a.call<{ dbh: string }>('database', 'connect', { dsn: `dbi:SQLite:dbname=${db}` });
  const r = await b.request('database', 'prepare', { dbh, sql: 'select 1' });
  assert.equal(r.success, false);
  assert.equal(r.error!.code, 'foreign_handle');
  const u = await b.request('database', 'prepare', { dbh: 'made-up-handle', sql: 'select 1' });
  assert.equal(u.error!.code, 'unknown_handle');
  const ok = await a.call('database', 'prepare', { dbh, sql: 'select 1' });
  assert.ok(ok.sth);
  a.close();
  b.close();
});

test('the predecessor wire format (raw JSON, half-close) is answered', async () => {
  const s = net.connect(d.settings.socket);
  await new Promise((r) => s.once('connect', r));
  s.end(JSON.stringify({ module: 'test', function: 'ping', params: {} }));
  let out = '';
  s.on('data', (c) => (out += c));
  await new Promise((r) => s.on('close', r));
  const r = JSON.parse(out);
  assert.equal(r.success, true);
  assert.equal(r.result.message, 'pong');
});

test('a resent request id is answered from the journal and runs once', async () => {
  const c = await d.client();
  const db = path.join(tempDir(), 'idem.db');
  const { dbh } = await c.call<{ dbh: string }>('database', 'connect', { dsn: `dbi:SQLite:dbname=${db}` });
  await c.call('database', 'do', { dbh, sql: 'CREATE TABLE t (x INTEGER)' });
  const first = await c.request('database', 'do', { dbh, sql: 'INSERT INTO t VALUES (1)' }, 'ins-1');
  const again = await c.request('database', 'do', { dbh, sql: 'INSERT INTO t VALUES (1)' }, 'ins-1');
  assert.deepEqual(again, first);
  const { sth } = await c.call<{ sth: string }>('database', 'prepare', { dbh, sql: 'SELECT count(*) FROM t' });
  const r = await c.call<{ batch: number[][] }>('database', 'execute', { sth, prefetch: 10 });
  assert.deepEqual(r.batch, [[1]]);
  c.close();
});

test('replies carry the journal commit count; a hello from a client that saw more is refused: journal_lost', async () => {
  const c = await d.client();
  const db = path.join(tempDir(), 'j.db');
  const r1 = await c.request('database', 'connect', { dsn: `dbi:SQLite:dbname=${db}` });
  const j1 = (r1 as unknown as { j: number }).j;
  assert.ok(Number.isInteger(j1) && j1 > 0);
  const r2 = await c.request('database', 'do', { dbh: (r1.result as { dbh: string }).dbh, sql: 'CREATE TABLE IF NOT EXISTS x (a)' });
  assert.ok((r2 as unknown as { j: number }).j > j1);
  c.close();
  const lost = await raw();
  lost.s.write(hello({ session: 'test-session-0009', jseq: j1 + 1000 }));
  const [r] = await lost.next();
  assert.equal(r.success, false);
  assert.equal((r.error as { code: string }).code, 'journal_lost');
  const fine = await raw();
  fine.s.write(hello({ session: 'test-session-0010', jseq: j1 }));
  assert.equal((await fine.next())[0].success, true);
});

test('a deleted socket file is recreated: the daemon stays reachable', async () => {
  fs.unlinkSync(d.settings.socket);
  let ok = false;
  for (let i = 0; i < 40 && !ok; i++) {
    await new Promise((r) => setTimeout(r, 100));
    ok = fs.existsSync(d.settings.socket);
  }
  assert.equal(ok, true, 'socket recreated');
  assert.equal(fs.statSync(d.settings.socket).mode & 0o777, 0o600);
  const c = await d.client();
  assert.equal((await c.call('system', 'ping')).pong, true);
  c.close();
});
