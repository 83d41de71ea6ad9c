import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { newHandleId } from '../../src/handles';

test('handle ids: 16 random bytes each (22 base64url characters), none repeated across many pool refills', () => {
  const seen = new Set<string>();
  const bytes = new Array<number>(256).fill(0);
  for (let i = 0; i < 5000; i++) {
    const id = newHandleId();
    assert.match(id, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(seen.has(id), false, `id ${id} repeated after ${i}`);
    seen.add(id);
    for (const b of Buffer.from(id, 'base64url')) bytes[b]++;
  }
  // 80,000 bytes: each value ~312 times; a zeroed or reused pool slice would pile up on a few
  const min = Math.min(...bytes);
  const max = Math.max(...bytes);
  assert.ok(min > 200 && max < 450, `byte counts ${min}..${max}`);
});
