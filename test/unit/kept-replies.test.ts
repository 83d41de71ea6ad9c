// A session that never acknowledges its replies keeps at most the configured number (and bytes)
// of them: the oldest go first; acknowledged replies free their share.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { test } from 'node:test';
import { Journal, type Write } from '../../journal/journal';
import { tempDir } from '../helpers';

const done = (session: string, n: number, reply = `{"success":true,"result":${n}}`): Write =>
  ({ t: 'request', session, id: String(n), seq: n, fn: 'test.f', status: 'done', reply });

function kept(j: Journal, session: string): string[] {
  return j.db.prepare("SELECT id FROM requests WHERE session = ? AND status = 'done' ORDER BY seq").pluck().all(session) as string[];
}

test('replies kept per session are bounded by count, oldest dropped first, other sessions untouched', () => {
  const dir = tempDir();
  const j = new Journal(path.join(dir, 'j.sqlite'), { keyFile: path.join(dir, 'k'), replyBound: { count: 5, bytes: 1 << 30 } });
  for (let n = 1; n <= 3; n++) j.commit([done('other', n)]);
  for (let n = 1; n <= 20; n++) j.commit([done('greedy', n)]);
  assert.deepEqual(kept(j, 'greedy'), ['16', '17', '18', '19', '20']);
  assert.deepEqual(kept(j, 'other'), ['1', '2', '3']);
  // an acknowledgement frees room: the next replies fit without dropping any
  j.commit([{ t: 'ack', session: 'greedy', seq: 18 }]);
  j.commit([done('greedy', 21)]);
  j.commit([done('greedy', 22)]);
  j.commit([done('greedy', 23)]);
  assert.deepEqual(kept(j, 'greedy'), ['19', '20', '21', '22', '23']);
  j.close();
});

test('replies kept per session are bounded by bytes', () => {
  const dir = tempDir();
  const j = new Journal(path.join(dir, 'j.sqlite'), { keyFile: path.join(dir, 'k'), replyBound: { count: 1000, bytes: 10_000 } });
  const big = (n: number) => done('s', n, `{"success":true,"result":"${'\u00e9'.repeat(1500)}"}`); // 3,000+ bytes each
  for (let n = 1; n <= 10; n++) j.commit([big(n)]);
  const ids = kept(j, 's');
  assert.deepEqual(ids, ['8', '9', '10']);
  const bytes = j.db.prepare("SELECT sum(length(CAST(reply AS BLOB))) FROM requests WHERE session = 's'").pluck().get() as number;
  assert.ok(bytes <= 10_000, `${bytes} bytes kept`);
  j.close();
});
