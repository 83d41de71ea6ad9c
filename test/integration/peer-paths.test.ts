// The directory a client claims as its cwd widens nothing: the daemon writes only where the
// client's own user (its uid from the socket, SO_PEERCRED) may write; with no cwd at all the
// default is never "/".
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { PROTOCOL_VERSION } from '../../src/version';
import { cli, settingsFor, startDaemon, statePaths, tempDir } from '../helpers';

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

/** Runs a raw client as `uid`: hello (claiming `cwd`), then each request; prints the replies. */
function clientAs(uid: number, socket: string, token: string, cwd: string | null, requests: unknown[]): Record<string, unknown>[] {
  // self-contained (the other user may not be able to read this checkout): 4-byte length + JSON
  const code = `
    const net = require('net');
    const encodeFrame = (t) => { const b = Buffer.from(t, 'utf8'); const h = Buffer.alloc(4); h.writeUInt32BE(b.length); return Buffer.concat([h, b]); };
    let acc = Buffer.alloc(0);
    const dec = { push(c) { acc = Buffer.concat([acc, c]); const f = []; while (acc.length >= 4 && acc.length >= 4 + acc.readUInt32BE(0)) { const n = acc.readUInt32BE(0); f.push(acc.subarray(4, 4 + n).toString('utf8')); acc = acc.subarray(4 + n); } return f; } };
    const [sock, hello, reqs] = JSON.parse(process.argv[1]);
    const s = net.connect(sock); const out = []; let i = 0;
    const next = () => { if (i < reqs.length) s.write(encodeFrame(JSON.stringify(reqs[i++]))); else { console.log(JSON.stringify(out)); s.destroy(); } };
    s.on('connect', () => s.write(encodeFrame(JSON.stringify(hello))));
    s.on('data', (c) => { for (const f of dec.push(c)) { const m = JSON.parse(f); if (m.type !== 'hello') out.push(m); else if (!m.success) { console.log(JSON.stringify([m])); s.destroy(); return; } next(); } });`;
  const hello = { type: 'hello', protocol: PROTOCOL_VERSION, token, session: `peer-test-${uid}-${Date.now()}`, pid: 0, ...(cwd ? { cwd } : {}) };
  const r = spawnSync(process.execPath, ['-e', code, JSON.stringify([socket, hello, requests])], { uid, gid: uid, encoding: 'utf8', timeout: 20000, cwd: '/' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>[];
}

test("a client of another user cannot make the daemon write where that user may not", { skip: !asRoot && 'needs root (a second user)' }, async () => {
  const home = tempDir();
  const d = await startDaemon(home);
  try {
    // let the other user reach the socket (a shared daemon would do this with a group)
    fs.chmodSync(home, 0o711);
    fs.chmodSync(d.settings.socket, 0o666);
    const token = fs.readFileSync(statePaths(home).token, 'utf8').trim();
    const rootOnly = tempDir(); // 0700, root's
    const theirs = tempDir();
    fs.chownSync(theirs, NOBODY, NOBODY);
    const nb = (filename: string) => ({ id: filename, module: 'excel', function: 'new_workbook', params: { filename } });

    const claimed = clientAs(NOBODY, d.settings.socket, token, rootOnly, [nb(path.join(rootOnly, 'a.xlsx')), nb('b.xlsx'), nb('/etc/cb-peer-test.xlsx')]);
    for (const r of claimed) {
      assert.equal(r.success, false, `${String(r.id)} was accepted for uid ${NOBODY}`);
      assert.equal((r.error as { code: string }).code, 'path_denied');
      assert.match((r.error as { message: string }).message, /uid 65534 may not|outside the allowed/);
    }
    assert.equal(fs.existsSync('/etc/cb-peer-test.xlsx'), false);

    const own = clientAs(NOBODY, d.settings.socket, token, theirs, [nb('mine.xlsx'), nb('missing/x.xlsx')]);
    assert.equal(own[0].success, true, JSON.stringify(own[0]));
    // a directory that does not exist is still the open error DBI scripts expect (ENOENT)
    assert.equal((own[1].error as { code: string; errno: string }).code, 'excel_open_failed', JSON.stringify(own[1]));
    assert.equal((own[1].error as { errno: string }).errno, 'ENOENT');
  } finally {
    await d.kill('SIGTERM');
  }
});

test('with no cwd from the client, a detached daemon (cwd "/") does not allow "/"', () => {
  const home = tempDir();
  const r = cli(home, ['daemon', '--detach']);
  assert.equal(r.status, 0, r.stderr);
  try {
    const socket = settingsFor(home).socket;
    const token = fs.readFileSync(statePaths(home).token, 'utf8').trim();
    // directly under "/": outside the temp directory wherever this checkout is
    const outside = path.join('/', `cb-nocwd-${process.pid}.xlsx`);
    const nb = (id: string, filename: string) => ({ id, module: 'excel', function: 'new_workbook', params: { filename } });
    // a hello without cwd, from a client of our own user
    const replies = clientAs(process.getuid?.() ?? 0, socket, token, null, [nb('1', outside), nb('2', path.join(tempDir(), 'ok.xlsx'))]);
    assert.equal(replies[0].success, false, 'a path under "/" but outside the temp dir is refused');
    assert.equal((replies[0].error as { code: string }).code, 'path_denied');
    assert.equal(replies[1].success, true, JSON.stringify(replies[1]));
  } finally {
    cli(home, ['stop']);
    fs.rmSync(path.join('/', `cb-nocwd-${process.pid}.xlsx`), { force: true });
  }
});
