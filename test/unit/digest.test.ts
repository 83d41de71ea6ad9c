// The request digest (id reuse, resends) and when the engine may leave it uncomputed: a new read
// never needs it, but it must be of the params as they came, before decodeValues turns
// {"$b64"} values into Buffers in place.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { LazyDigest, requestDigest } from '../../src/protocol/digest';
import { decodeValues, hasEncodedValues } from '../../src/protocol/values';

test('hasEncodedValues finds exactly what decodeValues would change', () => {
  const cases: [unknown, boolean][] = [
    [{}, false],
    [null, false],
    ['$b64', false],
    [{ sql: 'SELECT 1', binds: [1, 'a', null] }, false],
    [{ $b64: 'QQ==', other: 1 }, false],
    [{ a: { $b64: 5 } }, false],
    [{ a: { $b64: 'QQ==' } }, true],
    [[1, { b: [{ $b64: 'QQ==' }] }], true],
    [{ $b64: 'QQ==' }, true],
  ];
  for (const [v, want] of cases) {
    assert.equal(hasEncodedValues(v), want, JSON.stringify(v));
    const before = JSON.stringify(v);
    const after = JSON.stringify(decodeValues(structuredClone(v)));
    assert.equal(before !== after, want, `decodeValues changes ${before}: ${String(want)}`);
  }
});

test('a LazyDigest is the request digest, and keeps it once taken', () => {
  const params = { dbh: 'h1', binds: [{ $b64: 'AAEC' }, 'x'] };
  const want = requestDigest('database.do', structuredClone(params));
  const d = new LazyDigest('database.do', params);
  assert.equal(d.get(), want);
  decodeValues(params); // the engine decodes in place after taking it
  assert.equal(d.get(), want);
  assert.notEqual(new LazyDigest('database.do', params).get(), want, 'taken after decoding, it would differ');
  assert.notEqual(new LazyDigest('database.prepare', {}).get(), new LazyDigest('database.do', {}).get());
  assert.equal(new LazyDigest('system.ping', undefined).get(), requestDigest('system.ping', {}));
});
