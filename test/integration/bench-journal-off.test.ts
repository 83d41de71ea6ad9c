// The bench's journal-off daemon (src/bench-mode.ts) needs both its environment variable and
// `daemon --bench`; either alone refuses to start, and with both the journal stays empty.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { benchJournalOff, BENCH_JOURNAL_ENV } from '../../src/bench-mode';
import { BridgeClient } from '../../src/client';
import { socketAnswers } from '../../src/server/probe';
import { cli, CLI, daemonEnv, settingsFor, sleep, tempDir } from '../helpers';

test('the switch: off only with the flag and the variable together', () => {
  assert.equal(benchJournalOff(false, {}), false);
  assert.throws(() => benchJournalOff(true, {}), /benchmarks only and needs CPAN_BRIDGE_BENCH_JOURNAL=off/);
  assert.throws(() => benchJournalOff(false, { [BENCH_JOURNAL_ENV]: 'off' }), /refused without --bench/);
  assert.throws(() => benchJournalOff(true, { [BENCH_JOURNAL_ENV]: 'on' }), /the only value is "off"/);
  assert.equal(benchJournalOff(true, { [BENCH_JOURNAL_ENV]: 'off' }), true);
});

test('a daemon with the variable but without --bench does not start', () => {
  const home = tempDir();
  const r = cli(home, ['daemon'], { [BENCH_JOURNAL_ENV]: 'off' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /CPAN_BRIDGE_BENCH_JOURNAL is set: it is for benchmarks only/);
  assert.equal(socketAnswersSync(home), false);
});

function socketAnswersSync(home: string): boolean {
  return fs.existsSync(path.join(home, 'bridge.sock'));
}

test('daemon --bench with the variable serves, and its journal keeps nothing', async () => {
  const home = tempDir();
  const dataDir = tempDir();
  const settings = settingsFor(home);
  const child = spawn(process.execPath, [CLI, 'daemon', '--bench'], { env: daemonEnv(home, { [BENCH_JOURNAL_ENV]: 'off' }), stdio: 'ignore' });
  try {
    for (let i = 0; i < 300 && !(await socketAnswers(settings.socket, 200)); i++) await sleep(20);
    const c = await BridgeClient.connect(settings);
    const r = await c.call<{ dbh: string }>('database', 'connect', { dsn: `dbi:SQLite:dbname=${path.join(dataDir, 'x.db')}`, attrs: { AutoCommit: true } });
    assert.match(r.dbh, /\w/, 'a state-creating call was answered');
    await c.call('system', 'ping', {});
    c.close();
    const db = new Database(path.join(home, 'journal.sqlite'), { readonly: true });
    assert.equal(db.prepare('SELECT count(*) FROM requests').pluck().get(), 0);
    assert.equal(db.prepare('SELECT count(*) FROM handles').pluck().get(), 0);
    db.close();
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
});
