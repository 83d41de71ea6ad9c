// exceedsDepth skips strings by searching for their closing quote: checked against the plain
// character-by-character scan on generated JSON texts, escaped quotes and backslashes included.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import { exceedsDepth } from '../../src/protocol/parse';

function reference(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      if (++depth > max) return true;
    } else if (c === ']' || c === '}') depth--;
  }
  return false;
}

test('exceedsDepth agrees with a character-by-character scan', () => {
  const text = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', ',', ':'), maxLength: 80 });
  fc.assert(fc.property(text, fc.integer({ min: 0, max: 6 }), (t, max) => exceedsDepth(t, max) === reference(t, max)), { numRuns: 20_000 });
  const json = fc.json({ depthSize: 'large' });
  fc.assert(fc.property(json, fc.integer({ min: 0, max: 8 }), (t, max) => exceedsDepth(t, max) === reference(t, max)), { numRuns: 5_000 });
});

test('brackets inside strings do not count, escaped quotes do not end them', () => {
  assert.equal(exceedsDepth('{"a":"[[[[[[[[[[[[[[[[[["}', 2), false);
  assert.equal(exceedsDepth('{"a":"\\"[[[[[[[[[[[[[[[[[["}', 2), false);
  assert.equal(exceedsDepth('{"a":"\\\\",[[[[[[[[[[[[]]]]]]]]]]]]}', 2), true);
});
