// The logging module's files with the daemon SIGKILLed at every CRASH_AT phase of open, of several
// appends (one that rotates a Log::Dispatch::FileRotate file, one that switches a file) and of close, and once
// between two appends: the client resends under the same id and every file is byte-identical to
// the run without a crash (no line lost, none written twice). Also: a batch resent with a new id
// but the same number is not written again, and bad input is refused with a clear error.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { PHASES } from '../../src/faults';
import { Resilient, startDaemon, tempDir } from '../helpers';

const b64 = (s: string) => ({ $b64: Buffer.from(s).toString('base64') });

function batches(): [number, ReturnType<typeof b64>][][] {
  const out: [number, ReturnType<typeof b64>][][] = [];
  let n = 0;
  for (let b = 0; b < 12; b++) {
    const chunks: [number, ReturnType<typeof b64>][] = [];
    for (let i = 0; i < 15; i++, n++) {
      chunks.push([n % 3 === 2 ? 1 : 0, b64(`2026/12/01 12:00:00 INFO line ${n} \u00e9\t${'x'.repeat(n % 7)}\n`)]);
      if (n % 5 === 0) chunks.push([2, b64(`rot ${n}\n`)]);
    }
    out.push(chunks);
  }
  return out;
}

async function job(r: Resilient, dir: string, killAfter = -1): Promise<void> {
  const files = [
    { path: path.join(dir, 'app.log'), mode: 'clobber', umask: 0o022 },
    { path: path.join(dir, 'sub', 'deep', 'err.log'), mode: 'append', mkpath: true, umask: 0o027 },
    { path: path.join(dir, 'rot.log'), mode: 'clobber', umask: 0o022, rotate: { size: 60, max: 3 } },
  ];
  const { writer } = await r.call('1', 'logging', 'open', { files });
  const all = batches();
  for (let i = 0; i < all.length; i++) {
    // batch 7 ends with a file_switch of the first file: later lines go to app-2.log
    const sw = i === 6 ? { switch: [[0, path.join(dir, 'app-2.log')]] } : {};
    await r.call(String(i + 2), 'logging', 'append', { writer, seq: i + 1, chunks: all[i], ...sw });
    if (i === killAfter) await r.d.kill('SIGKILL');
  }
  await r.call('99', 'logging', 'close', { writer });
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const f of fs.readdirSync(d).sort()) {
      const p = path.join(d, f);
      if (fs.statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'latin1') + `|mode ${(fs.statSync(p).mode & 0o777).toString(8)}`;
    }
  };
  walk(dir);
  return out;
}

test('a crash anywhere in a logging job leaves every file byte-identical to the run without one', async () => {
  const home0 = tempDir();
  const dir0 = tempDir('cb-log-');
  const d0 = await startDaemon(home0);
  await job(new Resilient(d0, await d0.client()), dir0);
  await d0.kill('SIGTERM');
  const expected = snapshot(dir0);
  assert.deepEqual(Object.keys(expected), ['app-2.log', 'app.log', 'rot.log', 'rot.log.1', 'rot.log.2', 'rot.log.3', 'sub/deep/err.log']);
  assert.match(expected['sub/deep/err.log']!, /\|mode 640$/);
  assert.ok(expected['app.log']!.includes('line 99 ') && !expected['app.log']!.includes('line 105 '));
  assert.ok(expected['app-2.log']!.includes('line 177 ') && !expected['app-2.log']!.includes('line 99 '));

  const points = ['logging.open#1', 'logging.append#1', 'logging.append#2', 'logging.append#7', 'logging.append#12', 'logging.close#1'];
  for (const fn of points) {
    for (const phase of PHASES) {
      const home = tempDir();
      const dir = tempDir('cb-log-');
      const d = await startDaemon(home, { CPAN_BRIDGE_CRASH_AT: `${fn}:${phase}` });
      const r = new Resilient(d, await d.client(), {});
      await job(r, dir);
      assert.deepEqual(snapshot(dir), expected, `files differ after a crash at ${fn}:${phase}`);
      if (!(fn === 'logging.close#1' && phase === 'after_reply')) assert.equal(r.restarts, 1, `one crash at ${fn}:${phase}`);
      await r.d.kill('SIGTERM');
    }
  }
  const home = tempDir();
  const dir = tempDir('cb-log-');
  const d = await startDaemon(home);
  const r = new Resilient(d, await d.client());
  await job(r, dir, 5);
  assert.deepEqual(snapshot(dir), expected, 'files differ after a SIGKILL between two appends');
  assert.equal(r.restarts, 1);
  await r.d.kill('SIGTERM');
});

test('a batch number already written is not written again; bad input gets a clear error', async () => {
  const home = tempDir();
  const dir = tempDir('cb-log-');
  const d = await startDaemon(home);
  const r = new Resilient(d, await d.client());
  const { writer } = await r.call('1', 'logging', 'open', { files: [{ path: path.join(dir, 'a.log'), mode: 'append' }] });
  await r.call('2', 'logging', 'append', { writer, seq: 1, chunks: [[0, b64('one\n')]] });
  const again = await r.call('3', 'logging', 'append', { writer, seq: 1, chunks: [[0, b64('one\n')]] });
  assert.equal(again.written, false);
  assert.equal(fs.readFileSync(path.join(dir, 'a.log'), 'utf8'), 'one\n');
  const bad = await r.request('4', 'logging', 'append', { writer, seq: 2, chunks: [[5, b64('x')]] });
  assert.equal((bad as { error?: { code: string } }).error?.code, 'bad_params');
  const missing = await r.request('5', 'logging', 'open', { files: [{ path: path.join(dir, 'nope', 'x.log'), mode: 'append' }] });
  assert.equal((missing as { error?: { code: string; errno?: string } }).error?.code, 'log_open_failed');
  assert.equal((missing as { error?: { errno?: string } }).error?.errno, 'ENOENT');
  await d.kill('SIGTERM');
});
