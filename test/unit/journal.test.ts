import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { compact } from '../../journal/compact';
import { verify } from '../../journal/inspect';
import { Journal } from '../../journal/journal';
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
  assert.equal(j.getMeta('format'), '1');
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
