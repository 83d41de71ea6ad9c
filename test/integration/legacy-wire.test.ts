// The predecessor's raw-JSON wire against other processes and users: clients are told apart by
// their kernel credentials (one session per process), foreign uids are refused, bodies are bounded.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { after, before, test } from 'node:test';
import { startDaemon, tempDir, type RunningDaemon } from '../helpers';
import { legacyCall } from './wire';

/** A legacy client process: each stdin line is one request, sent on a connection of its own. */
const CLIENT = String.raw`
const net = require('net');
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const s = net.connect(process.argv[1]);
  let out = '';
  s.on('data', (c) => (out += c));
  s.on('error', (e) => (out = JSON.stringify({ transport_error: String(e) })));
  s.on('close', () => process.stdout.write((out || '{}') + '\n'));
  s.end(line);
});
`;

class LegacyProcess {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private waiter: (() => void) | null = null;

  constructor(socket: string, uid?: number) {
    this.child = spawn(process.execPath, ['-e', CLIENT, socket], { stdio: ['pipe', 'pipe', 'inherit'], cwd: '/', ...(uid === undefined ? {} : { uid, gid: uid }) });
    readline.createInterface({ input: this.child.stdout! }).on('line', (l) => {
      this.lines.push(l);
      this.waiter?.();
    });
  }

  async call(req: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.child.stdin!.write(`${JSON.stringify(req)}\n`);
    while (!this.lines.length) await new Promise<void>((r) => (this.waiter = r));
    return JSON.parse(this.lines.shift()!) as Record<string, unknown>;
  }

  stop(): void {
    this.child.kill();
  }
}

let d: RunningDaemon;
let sockDir: string;
const MAX = 256 * 1024;

before(async () => {
  sockDir = tempDir('cb-sock-');
  const home = tempDir();
  d = await startDaemon(home, { CPAN_BRIDGE_SOCKET: path.join(sockDir, 'bridge.sock'), CPAN_BRIDGE_MAX_FRAME_BYTES: String(MAX) });
});
after(async () => d.kill('SIGTERM'));

test('legacy clients are isolated per process: no access to another process\'s replies or handles', async () => {
  const x = new LegacyProcess(d.settings.socket);
  const y = new LegacyProcess(d.settings.socket);
  try {
    const db = path.join(tempDir(), 'legacy-x.db'); // outside the state directory (path_denied there)
    const conn = await x.call({ module: 'database', function: 'connect', params: { dsn: `dbi:SQLite:dbname=${db}` }, request_id: 'x-1' });
    assert.equal(conn.success, true, JSON.stringify(conn));
    const res = (r: Record<string, unknown>) => r.result as Record<string, unknown>;
    const cid = res(conn).connection_id as string;
    // a legacy job reuses its connection id across connections: still works
    for (const sql of ['CREATE TABLE secret (v TEXT)', "INSERT INTO secret VALUES ('x-only')"]) {
      const r = await x.call({ module: 'database', function: 'do_statement', params: { connection_id: cid, sql } });
      assert.equal(r.success, true, JSON.stringify(r));
    }
    const st = await x.call({ module: 'database', function: 'prepare', params: { connection_id: cid, sql: 'SELECT v FROM secret' }, request_id: 'x-2' });
    assert.equal(st.success, true, JSON.stringify(st));
    await x.call({ module: 'database', function: 'execute_statement', params: { statement_id: res(st).statement_id }, request_id: 'x-3' });
    const row = await x.call({ module: 'database', function: 'fetch_row', params: { statement_id: res(st).statement_id }, request_id: 'x-fetch' });
    assert.deepEqual(res(row).row, ['x-only']);

    // Y resends X's request id: it gets its own answer, not X's stored rows
    const stolen = await y.call({ module: 'test', function: 'ping', params: {}, request_id: 'x-fetch' });
    assert.equal(stolen.success, true, JSON.stringify(stolen));
    assert.equal((stolen.result as { message?: string }).message, 'pong');
    assert.ok(!JSON.stringify(stolen).includes('x-only'));
    // Y uses X's handles: refused
    const foreign = await y.call({ module: 'database', function: 'prepare', params: { connection_id: cid, sql: 'SELECT v FROM secret' } });
    assert.equal(foreign.success, false);
    assert.equal(foreign.error_type, 'foreign_handle');
    const closing = await y.call({ module: 'database', function: 'disconnect', params: { connection_id: cid } });
    assert.equal(closing.success, false);
    // X's handle is unharmed
    const again = await x.call({ module: 'database', function: 'prepare', params: { connection_id: cid, sql: 'SELECT count(*) FROM secret' } });
    assert.equal(again.success, true, JSON.stringify(again));
  } finally {
    x.stop();
    y.stop();
  }
});

test('a legacy client of another uid is refused even when the socket lets it in', { skip: process.getuid?.() !== 0 && 'needs root to run a client as another user' }, async () => {
  fs.chmodSync(sockDir, 0o755);
  fs.chmodSync(d.settings.socket, 0o666);
  const nobody = new LegacyProcess(d.settings.socket, 65534);
  try {
    const r = await nobody.call({ module: 'test', function: 'ping', params: {} });
    assert.equal(r.success, false, JSON.stringify(r));
    assert.equal(r.error_type, 'auth_failed');
    assert.match(String(r.error), /uid 65534/);
    const own = await legacyCall(d.settings.socket, { module: 'test', function: 'ping', params: {} });
    assert.equal(own.success, true);
  } finally {
    nobody.stop();
    fs.chmodSync(d.settings.socket, 0o600);
    fs.chmodSync(sockDir, 0o700);
  }
});

test('a legacy body over the frame limit is refused while it is read; the daemon keeps serving', async () => {
  const big = Buffer.from(JSON.stringify({ module: 'test', function: 'ping', params: { pad: 'x'.repeat(MAX * 4) } }));
  const r = await legacyCall(d.settings.socket, big);
  assert.equal(r.success, false);
  assert.equal(r.error_type, 'frame_too_large');
  assert.match(String(r.error), new RegExp(`${MAX} bytes`));
  const fine = await legacyCall(d.settings.socket, { module: 'test', function: 'ping', params: { pad: 'x'.repeat(MAX / 2) } });
  assert.equal(fine.success, true);
  const deep = await legacyCall(d.settings.socket, Buffer.from(`{"module":"test","function":"ping","params":${'['.repeat(50000)}${']'.repeat(50000)}}`));
  assert.equal(deep.success, false);
  assert.equal(deep.error_type, 'too_deep');
  assert.equal((await d.client()).session.length > 0, true);
});
