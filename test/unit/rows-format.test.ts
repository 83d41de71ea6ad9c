import { strict as assert } from 'node:assert';
import * as crypto from 'node:crypto';
import { test } from 'node:test';
import { batchChecksum, batchJson, encodeBatch, encodeReplyBatch, encodeRow, RowChecksum } from '../../src/modules/database/rows';

// What the Perl client does with a compact batch (perl/lib/CPANBridge/DBI.pm, _reply_rows), in JS:
// numbers come back as numbers, bytes as Buffers.
const UNESC: Record<string, string> = { q: '"', s: '\\', d: '\x7f', '|': '\x1c' };
for (let c = 0; c < 0x20; c++) if (c !== 0x1c) UNESC[String.fromCharCode(c + 0x40)] = String.fromCharCode(c);
function decodeSep(sep: string, num: number[]): unknown[][] {
  const rows = sep.split('\x7f;');
  rows.pop();
  return rows.map((r) => {
    const f: unknown[] = r.split('\x7f,');
    return f.map((v0, k) => {
      const v = v0 as string;
      if (v.startsWith('\x7fn')) return null;
      if (v.startsWith('\x7fb')) return Buffer.from(v.slice(2), 'base64');
      if (v.startsWith('\x7fi') || v.startsWith('\x7ff')) return Number(v.slice(2));
      const t = v.startsWith('\x7ft') ? v.slice(2) : v;
      const s = t.replace(/\x7f([\s\S])/g, (_, m: string) => UNESC[m]);
      return num.includes(k) && !v.startsWith('\x7ft') ? Number(s) : s;
    });
  });
}

function reply(members: string): Record<string, unknown> {
  return JSON.parse(`{${members}}`) as Record<string, unknown>;
}

const allControls = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('');
const rows: unknown[][] = [
  [1n, 'plain', 1.5, null, Buffer.from([0, 1, 0x7f, 0xff])],
  [2n, '', -0.25, 'text', Buffer.alloc(0)],
  [-9223372036854775808n, allControls + '\x7f"\\', 1e300, 7n, null],
  [9007199254740993n, 'tab\tnl\nquote"back\\slash', 2 ** 60, 'x\x7fn', Buffer.from('\x7fn')],
  [5n, 'café ☺ 😀 \u2028', NaN, 3.25, null],
  [6n, '\x7fn', Infinity, -Infinity, null],
];

test('the compact format carries every value, and the string needs no JSON escaping', () => {
  const b = encodeReplyBatch(rows, null, 'sep');
  assert.equal(b.format, 'sep');
  const r = reply(b.members);
  const sep = r.batch_sep as string;
  assert.equal(JSON.stringify(sep), `"${sep}"`, 'no character JSON would escape');
  assert.ok(b.members.startsWith('"batch_sep":"'));
  assert.deepEqual(r.num, [0, 2]);
  assert.equal(r.esc, true);
  const back = decodeSep(sep, r.num as number[]);
  const want = rows.map((row) => row.map((v) => {
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : '-Inf';
    return v;
  }));
  assert.deepEqual(back, want);
  assert.ok(sep.includes('\x7ff1.152921504606847e+18\x7f,'), 'a float beyond 2^53 is marked');
  // 64-bit integers travel as their exact decimal text
  assert.ok(sep.includes('-9223372036854775808\x7f,'));
  assert.ok(sep.includes('9007199254740993\x7f,'));
});

test('checksums are over the canonical JSON rows, whatever the reply format', () => {
  const a = new RowChecksum();
  const b = new RowChecksum();
  const c = new RowChecksum();
  const json = encodeReplyBatch(rows, a, 'json');
  const sep = encodeReplyBatch(rows, b, 'sep');
  for (const row of rows) c.add(encodeRow(row));
  assert.equal(a.digest(), c.digest());
  assert.equal(b.digest(), c.digest());
  assert.equal(a.count, rows.length);
  assert.deepEqual(sep.rows, json.rows);
  assert.equal(batchJson(sep), encodeBatch(rows, null));
  assert.equal(batchChecksum(batchJson(sep)), batchChecksum(`[${rows.map(encodeRow).join(',')}]`));
  // the checksum of one row is as before: sha256 over "row\n"
  const one = new RowChecksum();
  encodeReplyBatch([rows[0]], one, 'sep');
  assert.equal(one.digest(), crypto.createHash('sha256').update(`${encodeRow(rows[0])}\n`).digest('base64'));
});

test('the JSON format is unchanged', () => {
  const b = encodeReplyBatch(rows, null, 'json');
  assert.equal(b.format, 'json');
  assert.equal(b.members, `"batch":[${rows.map(encodeRow).join(',')}]`);
  assert.equal(encodeRow([1n, 'a', null, 1.5]), '[1,"a",null,1.5]');
  assert.equal(encodeRow([2 ** 60, NaN, Buffer.from('hi')]), '[1.152921504606847e+18,"NaN",{"$b64":"aGk="}]');
});

test('columns of mixed types mark the odd values out', () => {
  const b = encodeReplyBatch([['a', 1n], [2n, 'b'], [null, null], ['2.5', 3.5]], null, 'sep');
  const r = reply(b.members);
  assert.deepEqual(r.num, [1]);
  assert.equal(r.batch_sep, 'a\x7f,1\x7f;\x7fi2\x7f,\x7ftb\x7f;\x7fn\x7f,\x7fn\x7f;2.5\x7f,3.5\x7f;');
  assert.deepEqual(decodeSep(r.batch_sep as string, [1]), [['a', 1], [2, 'b'], [null, null], ['2.5', 3.5]]);
});

test('plain batches say so; empty batches and one-column rows', () => {
  const plain = reply(encodeReplyBatch([[1n, 'x'], [2n, 'y']], null, 'sep').members);
  assert.equal(plain.esc, false);
  assert.equal(plain.batch_sep, '1\x7f,x\x7f;2\x7f,y\x7f;');
  const empty = reply(encodeReplyBatch([], null, 'sep').members);
  assert.equal(empty.batch_sep, '');
  assert.deepEqual(empty.num, []);
  const one = reply(encodeReplyBatch([[''], ['a'], ['']], null, 'sep').members);
  assert.equal(one.batch_sep, '\x7f;a\x7f;\x7f;');
});

test('values the compact format cannot carry make the batch travel as JSON', () => {
  const b = encodeReplyBatch([[1n, true], [2n, { a: 1 }]], new RowChecksum(), 'sep');
  assert.equal(b.format, 'json');
  assert.equal(b.members, '"batch":[[1,true],[2,{"a":1}]]');
  const d = encodeReplyBatch([[new Date('2024-01-02T03:04:05Z')]], null, 'sep');
  assert.equal(d.format, 'sep');
  assert.equal(reply(d.members).batch_sep, '2024-01-02T03:04:05.000Z\x7f;');
  assert.equal(d.rows[0], '["2024-01-02T03:04:05.000Z"]');
});
