// A daemon must resume from journals written by earlier versions (an upgrade happens while jobs
// are mid-workflow): each format's fixture is opened and its open cursor continued.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { makeFixtureData } from '../fixtures/make-journal-v1';
import { cli, ROOT, startDaemon, tempDir } from '../helpers';

test('journal format 1: a cursor left open by a killed daemon continues at row 21', async () => {
  const src = path.join(ROOT, 'test', 'fixtures', 'journal-v1');
  const ids = JSON.parse(fs.readFileSync(path.join(src, 'handles.json'), 'utf8')) as { dbh: string; sth: string; session: string };
  makeFixtureData();
  const home = tempDir();
  for (const f of ['journal.sqlite', 'journal.key']) {
    fs.copyFileSync(path.join(src, f), path.join(home, f));
    fs.chmodSync(path.join(home, f), 0o600);
  }
  assert.equal(cli(home, ['journal', 'verify']).status, 0);
  const d = await startDaemon(home);
  const c = await d.client(ids.session);
  try {
    // the session's request ids continue where the killed daemon's client stopped
    const r = await c.request('database', 'fetch', { sth: ids.sth, max: 100 }, '10');
    assert.equal(r.success, true, JSON.stringify(r.error));
    const res = r.result as { batch: unknown[][]; done: boolean };
    assert.deepEqual(res.batch, Array.from({ length: 30 }, (_, k) => [k + 21, `name ${k + 21}`]));
    assert.equal(res.done, true);
    assert.equal((await c.request('database', 'disconnect', { dbh: ids.dbh }, '11')).success, true);
  } finally {
    c.close();
    await d.kill('SIGTERM');
  }
});
