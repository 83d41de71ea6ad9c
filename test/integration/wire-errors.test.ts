// Frames that are not JSON the daemon can use get a precise code (bad_frame, too_deep), never
// `internal` or a retryable journal error, and the connection goes on serving.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import { startDaemon, tempDir, type RunningDaemon } from '../helpers';
import { helloConn, rawFrame, requestFrame, tokenOf } from './wire';

let d: RunningDaemon;
let token: string;

before(async () => {
  d = await startDaemon(tempDir());
  token = tokenOf(d.home);
});
after(async () => d.kill('SIGTERM'));

test('a frame of length 0 is bad_frame, and the connection stays usable', async () => {
  const c = await helloConn(d.settings.socket, token, 'wire-errors-0001');
  c.s.write(Buffer.concat([Buffer.alloc(4), requestFrame('1', 'system', 'ping')]));
  const [bad, ok] = await c.next(2);
  assert.equal(bad.error?.code, 'bad_frame');
  assert.match(bad.error!.message, /length 0/);
  assert.equal(ok.success, true);
  c.s.destroy();
});

test('100k-deep nesting is refused as too_deep, not retryable', async () => {
  const c = await helloConn(d.settings.socket, token, 'wire-errors-0002');
  const deep = `{"id":"2","module":"system","function":"ping","params":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
  c.s.write(rawFrame(Buffer.from(deep)));
  c.s.write(requestFrame('3', 'system', 'ping'));
  const [r, ok] = await c.next(2);
  assert.equal(r.error?.code, 'too_deep');
  assert.equal(r.error?.retryable, false);
  assert.equal(ok.success, true);
  c.s.destroy();
});

test('invalid UTF-8 is refused (bad_frame), never turned into U+FFFD', async () => {
  const c = await helloConn(d.settings.socket, token, 'wire-errors-0003');
  const body = Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xff, 0xfe]), Buffer.from('","module":"system","function":"ping"}')]);
  c.s.write(rawFrame(body));
  c.s.write(rawFrame(Buffer.concat([Buffer.from('{"id":"4","module":"system","function":"ping","params":{"s":"'), Buffer.from([0xc3]), Buffer.from('"}}')])));
  c.s.write(requestFrame('5', 'system', 'ping'));
  const [a, b, ok] = await c.next(3);
  for (const r of [a, b]) {
    assert.equal(r.error?.code, 'bad_frame');
    assert.match(r.error!.message, /UTF-8/);
    assert.equal(r.id, null);
  }
  assert.equal(ok.id, '5');
  c.s.destroy();
});
