import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { compact } from '../../journal/compact';
import { verify } from '../../journal/inspect';
import Database from 'better-sqlite3';
import { Journal, type Write } from '../../journal/journal';
import { FORMAT_VERSION } from '../../journal/migrations';
import { Sealer } from '../../journal/secrets';
import { tempDir } from '../helpers';

function open(dir: string) {
  return new Journal(path.join(dir, 'j.sqlite'), { keyFile: path.join(dir, 'k') });
}

test('journal and key files are 0600; WAL mode; format recorded', () => {
  const dir = tempDir();
  const j = open(dir);
  assert.equal(fs.statSync(path.join(dir, 'j.sqlite')).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.join(dir, 'k')).mode & 0o777, 0o600);
  assert.equal(j.db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(j.getMeta('format'), String(FORMAT_VERSION));
  j.close();
});

test('sealed secrets do not appear in the file and unseal with the key', () => {
  const dir = tempDir();
  const j = open(dir);
  const spec = j.sealer.sealFields({ dsn: 'x', password: 'Zebra-Quartz-9917' }, ['password']);
  j.commit([{ t: 'handle', row: { id: 'h1', session: 's', module: 'database', kind: 'connection', parent: null, spec, state: null, created: 1 } }]);
  j.db.pragma('wal_checkpoint(TRUNCATE)');
  j.close();
  const bytes = fs.readFileSync(path.join(dir, 'j.sqlite'));
  assert.equal(bytes.includes('Zebra-Quartz-9917'), false);
  const j2 = open(dir);
  assert.equal(j2.sealer.unsealFields(j2.getHandle('h1')!.spec).password, 'Zebra-Quartz-9917');
  assert.deepEqual(verify(j2), []);
  j2.close();
});

test('a tampered sealed value is detected by verify', () => {
  const dir = tempDir();
  const j = open(dir);
  const sealed = j.sealer.seal('secret');
  const bad = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  j.commit([{ t: 'handle', row: { id: 'h', session: 's', module: 'm', kind: 'k', parent: null, spec: { password: bad }, state: null, created: 1 } }]);
  assert.equal(verify(j).length, 1);
  assert.equal(Sealer.isSealed(bad), true);
  j.close();
});

test('deleting a handle removes its descendants and their ops', () => {
  const dir = tempDir();
  const j = open(dir);
  const row = (id: string, parent: string | null) => ({ t: 'handle' as const, row: { id, session: 's', module: 'm', kind: 'k', parent, spec: {}, state: null, created: 1 } });
  j.commit([row('a', null), row('b', 'a'), row('c', 'b'), { t: 'op', handle: 'c', op: { x: 1 } }, { t: 'op', handle: 'a', op: { y: 2 } }]);
  assert.deepEqual(j.getOps('a'), [{ y: 2 }]);
  j.commit([{ t: 'delete', id: 'a' }]);
  assert.equal(j.db.prepare('SELECT count(*) FROM handles').pluck().get(), 0);
  assert.equal(j.db.prepare('SELECT count(*) FROM ops').pluck().get(), 0);
  j.close();
});

test('acknowledged replies are forgotten; expired ones are compacted', () => {
  const dir = tempDir();
  const j = open(dir);
  const req = (id: number) => ({ t: 'request' as const, session: 's', id: String(id), seq: id, fn: 'm.f', status: 'done' as const, reply: '{"success":true}' });
  j.commit([req(1), req(2), req(3)]);
  j.commit([{ t: 'ack', session: 's', seq: 2 }]);
  assert.equal(j.getRequest('s', '1'), undefined);
  assert.ok(j.getRequest('s', '3'));
  const r = compact(j, 0, true);
  assert.equal(r.requests_expired, 1);
  assert.equal(j.getRequest('s', '3'), undefined);
  j.close();
});

test('a journal of a newer format is refused with a clear message', () => {
  const dir = tempDir();
  const j = open(dir);
  j.setMeta('format', '99');
  j.close();
  assert.throws(() => open(dir), /newer than this daemon/);
});

const reqW = (id: string, seq: number | null, session = 's'): Write => ({ t: 'request', session, id, seq, fn: 'm.f', status: 'done', reply: '{"success":true}' });

/** The count a restarted daemon reads must be the count its predecessor told clients. */
function reopened(dir: string, j: Journal, opts: Partial<ConstructorParameters<typeof Journal>[1]> = {}): Journal {
  const n = j.commitSeq;
  j.close();
  const again = new Journal(path.join(dir, 'j.sqlite'), { keyFile: path.join(dir, 'k'), ...opts });
  assert.equal(again.commitSeq, n, 'the commit count after a reopen');
  return again;
}

test('the commit count rides on the request rows (no meta page per commit) and survives every deletion of them', () => {
  const dir = tempDir();
  let j = open(dir);
  const floor = () => Number(j.getMeta('commit_seq'));
  j.commit([reqW('1', 1)]);
  j.commit([reqW('2', 2)]);
  j.commit([reqW('3', 3)]);
  assert.equal(j.commitSeq, 3);
  assert.equal(floor(), 0, 'commits with a request row leave meta alone');
  j = reopened(dir, j);
  // an acknowledgement deletes rows, the newest among them: the floor is written
  j.commit([{ t: 'ack', session: 's', seq: 3 }]);
  assert.equal(j.db.prepare('SELECT count(*) FROM requests').pluck().get(), 0);
  j = reopened(dir, j);
  // a request whose own acknowledgement deletes its row (a client that acknowledges ahead)
  j.commit([reqW('4', 4), { t: 'ack', session: 's', seq: 4 }]);
  j = reopened(dir, j);
  // a commit without a request row (a rehydration's state) writes the floor
  j.commit([{ t: 'state', id: 'nope', state: null }]);
  assert.equal(floor(), j.commitSeq);
  j = reopened(dir, j);
  // expiry (compact) and a forgotten session delete rows outside any request
  j.commit([reqW('5', 5)]);
  compact(j, 0, false);
  j = reopened(dir, j);
  j.commit([reqW('6', 6, 't')]);
  j.forgetSession('t');
  j = reopened(dir, j);
  j.close();
});

test('a reply dropped by the bound of kept replies takes the commit count with it only into the floor', () => {
  const dir = tempDir();
  const bound = { replyBound: { count: 1, bytes: 1 << 20 } };
  let j = new Journal(path.join(dir, 'j.sqlite'), { keyFile: path.join(dir, 'k'), ...bound });
  // kept in the same millisecond, an id without a sequence sorts first: the newest reply is dropped
  const now = Date.now;
  Date.now = () => 1_700_000_000_000;
  try {
    j.commit([reqW('7', 7)]);
    j.commit([reqW('x', null)]);
  } finally {
    Date.now = now;
  }
  assert.ok(j.getRequest('s', '7'), 'the older reply is the one kept');
  assert.equal(j.db.prepare('SELECT count(*) FROM requests').pluck().get(), 1);
  j = reopened(dir, j, bound);
  j.close();
});

test('a format-1 journal is migrated: its commit count (meta) is kept, the format becomes 2 (older daemons refuse it)', () => {
  const dir = tempDir();
  const j = open(dir);
  j.commit([reqW('1', 1)]);
  j.close();
  // make it what a format-1 daemon left: no jseq column, the count in meta only
  const raw = new Database(path.join(dir, 'j.sqlite'));
  raw.exec("ALTER TABLE requests DROP COLUMN jseq; DELETE FROM migrations WHERE name = 'core/006_requests_jseq'");
  raw.exec("UPDATE meta SET value = '1' WHERE key = 'format'; UPDATE meta SET value = '41' WHERE key = 'commit_seq'");
  raw.close();
  const ro = new Journal(path.join(dir, 'j.sqlite'), { keyFile: path.join(dir, 'k'), readonly: true });
  assert.equal(ro.commitSeq, 41, 'read-only, not migrated');
  assert.throws(() => ro.commit([reqW('2', 2)]), /read-only/);
  ro.close();
  let up = open(dir);
  assert.equal(up.getMeta('format'), '2');
  const cols = (up.db.prepare('PRAGMA table_info(requests)').all() as { name: string }[]).map((c) => c.name);
  assert.equal(cols.at(-1), 'reply', 'the reply is the last column: the commit-count scan reads no overflow pages');
  assert.ok(up.getRequest('s', '1'), 'the kept reply survived the rebuild');
  assert.equal(up.commitSeq, 41);
  up.commit([reqW('2', 2)]);
  assert.equal(up.commitSeq, 42);
  up = reopened(dir, up);
  assert.deepEqual(verify(up), []);
  up.close();
});

// a handle with `n` ops of 3 KB each: 2,000 of them are well past the 1,024 free pages of a reclaim
const bigHandle = (id: string, n: number): Write[] => [
  { t: 'handle', row: { id, session: 's', module: 'm', kind: 'k', parent: null, spec: {}, state: null, created: 1 } },
  ...Array.from({ length: n }, (_, i) => ({ t: 'op' as const, handle: id, op: { i, big: 'x'.repeat(3000) } })),
];
const pages = (j: Journal, what: 'freelist_count' | 'page_count') => j.db.pragma(what, { simple: true }) as number;
const assertGivenBack = (j: Journal, pagesFull: number) => {
  assert.equal(pages(j, 'freelist_count'), 0);
  assert.ok(pages(j, 'page_count') < pagesFull / 4, 'the file shrank');
};

test('closing a large handle gives its pages back (incremental vacuum past 1,024 free pages), a small one leaves them', async () => {
  const j = open(tempDir());
  j.commit(bigHandle('small', 50));
  j.commit([{ t: 'delete', id: 'small' }]);
  const freeSmall = pages(j, 'freelist_count');
  assert.ok(freeSmall > 0 && freeSmall < 1024, `a small close leaves its ${freeSmall} pages on the free list`);
  j.commit(bigHandle('large', 2000));
  const pagesFull = pages(j, 'page_count');
  j.commit([{ t: 'delete', id: 'large' }]);
  // given back after the commit returns (the request's reply goes first), not inside it
  assert.ok(pages(j, 'freelist_count') >= 1024, 'not inside the commit');
  await new Promise((resolve) => setImmediate(resolve));
  assertGivenBack(j, pagesFull);
  j.close();
});

test('a journal closed right after a large delete still gives the pages back', () => {
  const dir = tempDir();
  let j = open(dir);
  j.commit(bigHandle('large', 2000));
  const pagesFull = pages(j, 'page_count');
  j.commit([{ t: 'delete', id: 'large' }]);
  j.close();
  j = open(dir);
  assertGivenBack(j, pagesFull);
  j.close();
});

test('handles carry no session index (a page per create and close); forgetting a session removes its handles and no other', () => {
  const dir = tempDir();
  const j = open(dir);
  const indexes = j.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'handles' AND sql IS NOT NULL").pluck().all();
  assert.deepEqual(indexes, ['handles_parent']);
  const row = (id: string, session: string, parent: string | null) => ({ t: 'handle' as const, row: { id, session, module: 'm', kind: 'k', parent, spec: {}, state: null, created: 1 } });
  j.commit([row('a1', 'a', null), row('a2', 'a', 'a1'), row('b1', 'b', null), row('b2', 'b', 'b1'), row('a3', 'a', 'b1')]);
  j.forgetSession('a');
  assert.deepEqual(j.db.prepare('SELECT id FROM handles ORDER BY id').pluck().all(), ['b1', 'b2']);
  j.close();
});
