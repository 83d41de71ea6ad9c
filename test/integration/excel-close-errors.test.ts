// A workbook that cannot be written ends in a coded error reply, never a hang; names that are no
// file (a directory, ".") are refused at new_workbook; no temporary file is ever left behind.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { BridgeClient, ReplyMsg } from '../../src/client';
import { startDaemon, tempDir, type RunningDaemon } from '../helpers';

let d: RunningDaemon;
let c: BridgeClient;

before(async () => {
  d = await startDaemon(tempDir());
  c = await d.client();
});
after(async () => {
  c.close();
  await d.kill('SIGTERM');
});

/** A reply within `ms`, or a failed assertion (the defect was a reply that never came). */
async function within(p: Promise<ReplyMsg>, what: string, ms = 10000): Promise<ReplyMsg> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, rej) => { t = setTimeout(() => rej(new Error(`${what}: no reply within ${ms} ms`)), ms); });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(t);
  }
}

async function openBook(file: string): Promise<string> {
  const r = await c.request('excel', 'new_workbook', { filename: file });
  assert.equal(r.success, true, JSON.stringify(r.error));
  const wb = (r.result as { wb: string }).wb;
  const s = await c.request('excel', 'add_worksheet', { wb, idx: 0, name: 'S' });
  assert.equal(s.success, true, JSON.stringify(s.error));
  return wb;
}

const leftovers = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.includes('.tmp')) : []);

test('close into a removed directory answers with a coded error; the session goes on; a resend gets it again', async () => {
  const dir = path.join(tempDir(), 'gone');
  fs.mkdirSync(dir);
  const wb = await openBook(path.join(dir, 'report.xlsx'));
  fs.rmSync(dir, { recursive: true });
  const r = await within(c.request('excel', 'close', { wb }, 'close-gone'), 'close');
  assert.equal(r.success, false);
  assert.equal(r.error?.code, 'excel_write_failed', JSON.stringify(r.error));
  assert.match(r.error!.message, /report\.xlsx/);
  const again = await within(c.request('excel', 'close', { wb }, 'close-gone'), 'resent close');
  assert.equal(again.error?.code, 'excel_write_failed');
  const ping = await within(c.request('system', 'ping', {}), 'ping after the failed close');
  assert.equal(ping.success, true);
});

test('a basename longer than the file system allows is refused at new_workbook', async () => {
  const dir = tempDir();
  const r = await within(c.request('excel', 'new_workbook', { filename: path.join(dir, `${'x'.repeat(300)}.xlsx`) }), 'new_workbook');
  assert.equal(r.success, false);
  assert.equal(r.error?.code, 'excel_open_failed', JSON.stringify(r.error));
  assert.match(r.error!.message, /File name too long/);
  assert.deepEqual(leftovers(dir), []);
});

test('a basename near the limit closes fine (temporary names do not overflow it)', async () => {
  const dir = tempDir();
  const file = path.join(dir, `${'y'.repeat(250)}.xlsx`);
  const wb = await openBook(file);
  const r = await within(c.request('excel', 'close', { wb }), 'close');
  assert.equal(r.success, true, JSON.stringify(r.error));
  assert.ok(fs.statSync(file).size > 0);
  assert.deepEqual(leftovers(dir), []);
});

test('a directory or "." as the filename is refused at new_workbook', async () => {
  const dir = tempDir();
  for (const name of [dir, '.', '..', path.join(dir, '.'), `${dir}/`, '/tmp']) {
    const r = await within(c.request('excel', 'new_workbook', { filename: name, cwd: dir }), `new_workbook ${name}`);
    assert.equal(r.success, false, name);
    assert.equal(r.error?.code, 'excel_open_failed', `${name}: ${JSON.stringify(r.error)}`);
    assert.match(r.error!.message, /Is a directory|not a file name/, name);
  }
  assert.deepEqual(leftovers(dir), []);
  assert.deepEqual(leftovers(path.dirname(dir)).filter((f) => f.includes(path.basename(dir))), []);
});

test('a target that became a directory before close fails cleanly, leaving no temporary file', async () => {
  const dir = tempDir();
  const file = path.join(dir, 'later.xlsx');
  const wb = await openBook(file);
  fs.mkdirSync(file);
  const r = await within(c.request('excel', 'close', { wb }), 'close');
  assert.equal(r.success, false);
  assert.equal(r.error?.code, 'excel_write_failed', JSON.stringify(r.error));
  assert.deepEqual(leftovers(dir), []);
});
