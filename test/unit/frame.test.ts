import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame';

test('a frame split over many reads is reassembled', () => {
  const frame = encodeFrame(JSON.stringify({ s: 'a\tb\r\n\u0000é'.repeat(100) }));
  const d = new FrameDecoder(1 << 20);
  const out: string[] = [];
  for (let i = 0; i < frame.length; i += 3) out.push(...d.push(frame.subarray(i, i + 3)));
  assert.equal(out.length, 1);
  assert.deepEqual(JSON.parse(out[0]), { s: 'a\tb\r\n\u0000é'.repeat(100) });
});

test('many frames in one read come out in order', () => {
  const d = new FrameDecoder(1 << 20);
  const all = Buffer.concat(Array.from({ length: 50 }, (_, i) => encodeFrame(JSON.stringify({ i }))));
  assert.deepEqual(d.push(all).map((f) => JSON.parse(f).i), Array.from({ length: 50 }, (_, i) => i));
});

test('an oversize frame is refused from its header, before its body arrives', () => {
  const d = new FrameDecoder(1000);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(1001, 0);
  assert.throws(() => d.push(head), (e: { code?: string }) => e.code === 'frame_too_large');
});

test('a frame exactly at the maximum is accepted', () => {
  const body = 'x'.repeat(998);
  const d = new FrameDecoder(1000);
  assert.deepEqual(d.push(encodeFrame(JSON.stringify(body))), [JSON.stringify(body)]);
});
