// The journal is no user database: a SQLite DSN naming a file of the state directory, an ATTACH
// or a VACUUM INTO aimed there (however the name is spelled) is refused with a coded error, and
// user connections run with SQLite's defensive settings.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { BridgeClient, ReplyMsg } from '../../src/client';
import { startDaemon, statePaths, tempDir, type RunningDaemon } from '../helpers';

let d: RunningDaemon;
let c: BridgeClient;
let dbh: string;
const work = tempDir();

before(async () => {
  d = await startDaemon(tempDir());
  c = await d.client();
  dbh = (await c.call<{ dbh: string }>('database', 'connect', { dsn: `dbi:SQLite:dbname=${path.join(work, 'user.db')}` })).dbh;
});
after(async () => {
  c.close();
  await d.kill('SIGTERM');
});

function denied(r: ReplyMsg, what: string): void {
  assert.equal(r.success, false, `${what} was accepted`);
  assert.equal(r.error?.code, 'path_denied', `${what}: ${JSON.stringify(r.error)}`);
  assert.match(String(r.error?.errstr), /state directory/, `${what}: errstr readable by DBI`);
}

test('a SQLite DSN naming the journal, or a link to it, is refused', async () => {
  const journal = statePaths(d.home).journal;
  denied(await c.request('database', 'connect', { dsn: `dbi:SQLite:dbname=${journal}` }), 'the journal as DSN');
  denied(await c.request('database', 'connect', { dsn: `dbi:SQLite:${d.home}/other.db` }), 'a new file in the state directory');
  const link = path.join(work, 'innocent.db');
  fs.symlinkSync(journal, link);
  denied(await c.request('database', 'connect', { dsn: `dbi:SQLite:dbname=${link}` }), 'a symlink to the journal');
  const dirLink = path.join(work, 'state');
  fs.symlinkSync(d.home, dirLink);
  denied(await c.request('database', 'connect', { dsn: `dbi:SQLite:dbname=${dirLink}/journal.sqlite` }), 'the journal through a linked directory');
});

test('ATTACH and VACUUM INTO into the state directory are refused, in do and in prepare, however spelled', async () => {
  const journal = statePaths(d.home).journal;
  const link = path.join(work, 'via-link.db');
  fs.symlinkSync(journal, link);
  for (const sql of [
    `ATTACH DATABASE '${journal}' AS j`,
    `  attach /* a comment */ '${journal}' as "j"`,
    `-- comment\nATTACH '${link}' AS j`,
    `ATTACH '${d.home}/' || 'journal.sqlite' AS j`,
    `ATTACH ? AS j`,
    `VACUUM INTO '${d.home}/copy.db'`,
    `SELECT 1; ATTACH '${journal}' AS j`,
  ]) {
    denied(await c.request('database', 'do', { dbh, sql, binds: sql.includes('?') ? [journal] : [] }), `do ${sql}`);
    denied(await c.request('database', 'prepare', { dbh, sql }), `prepare ${sql}`);
  }
  assert.equal(fs.existsSync(path.join(d.home, 'copy.db')), false);
});

test('an ATTACH of an ordinary database still works; defensive settings are on', async () => {
  const other = path.join(work, "it's other.db");
  const r = await c.request('database', 'do', { dbh, sql: `ATTACH DATABASE '${other.replace(/'/g, "''")}' AS o` });
  assert.equal(r.success, true, JSON.stringify(r.error));
  assert.equal((await c.request('database', 'do', { dbh, sql: 'CREATE TABLE o.t (x)' })).success, true);
  // under SQLITE_DBCONFIG_DEFENSIVE the schema cannot be written, even with writable_schema on
  await c.request('database', 'do', { dbh, sql: 'PRAGMA writable_schema = ON' });
  const ws = await c.request('database', 'do', { dbh, sql: "UPDATE sqlite_master SET sql = sql WHERE name = 't'" });
  assert.equal(ws.success, false, 'the schema stays read-only');
  const lp = await c.call<{ sth: string }>('database', 'prepare', { dbh, sql: "SELECT load_extension('/nonexistent')" });
  const le = await c.request('database', 'execute', { sth: lp.sth, prefetch: 10 });
  assert.match(JSON.stringify(le), /not authorized/, 'load_extension() is not available');
  const ts = await c.call<{ sth: string }>('database', 'prepare', { dbh, sql: 'PRAGMA trusted_schema' });
  const tv = await c.call<Record<string, unknown>>('database', 'execute', { sth: ts.sth, prefetch: 10 });
  assert.match(JSON.stringify(tv), /\[\[0\]\]|"0"/, `trusted_schema off: ${JSON.stringify(tv)}`);
});
