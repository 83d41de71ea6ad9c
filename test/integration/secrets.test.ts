// A password never reaches the journal, its WAL or the log in clear, wherever the client gives it:
// in the DSN, as the password argument, or as a connect attribute; nor does an error echo it.
import { strict as assert } from 'node:assert';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from 'pg';
import { cli, startDaemon, stateBytes, tempDir, type RunningDaemon } from '../helpers';

const PG = 'dbi:Pg:dbname=test;host=127.0.0.1;port=5432';
let pgUp = true;
let d: RunningDaemon;

before(async () => {
  const pg = new Client({ host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' });
  await pg.connect().then(() => pg.end(), () => { pgUp = false; });
  d = await startDaemon(tempDir(), { CPAN_BRIDGE_LOG_LEVEL: 'debug' });
});
after(async () => d.kill('SIGTERM'));

const secret = (tag: string) => `S3cr3t-${tag}-${crypto.randomBytes(6).toString('hex')}`;

function assertNowhere(home: string, secrets: string[]): void {
  const bytes = stateBytes(home);
  for (const s of secrets) assert.equal(bytes.includes(Buffer.from(s)), false, `${s} found in clear in ${fs.readdirSync(home).join(', ')}`);
  const shown = cli(home, ['journal', 'show', '--json']);
  for (const s of secrets) assert.equal(shown.stdout.includes(s), false, `${s} printed by journal show --json`);
}

test('PostgreSQL: a password in the DSN or in the Password attribute is sealed, and the connection works', { skip: !pgUp && 'no PostgreSQL' }, async () => {
  const inDsn = secret('dsn');
  const inAttr = secret('attr');
  const asArg = secret('arg');
  const c = await d.client();
  try {
    const a = await c.call<{ dbh: string }>('database', 'connect', { dsn: `${PG};password=${inDsn}`, user: 'postgres' });
    const b = await c.call<{ dbh: string }>('database', 'connect', { dsn: PG, user: 'postgres', attrs: { Password: inAttr, AutoCommit: 0 } });
    const e = await c.call<{ dbh: string }>('database', 'connect', { dsn: PG, user: 'postgres', password: asArg });
    for (const h of [a, b, e]) assert.equal((await c.call<{ rows: number }>('database', 'do', { dbh: h.dbh, sql: 'SELECT 1' })).rows, 1);
    // a failing connect: its error (journaled as the reply) does not echo the password
    const bad = secret('bad');
    const r = await c.request('database', 'connect', { dsn: `dbi:Pg:dbname=cb_no_such_db;host=127.0.0.1;password=${bad}`, user: 'postgres' });
    assert.equal(r.success, false);
    assert.equal(JSON.stringify(r).includes(bad), false, 'the error does not echo the password');
    await new Promise((res) => setTimeout(res, 300)); // the log is written asynchronously
    assertNowhere(d.home, [inDsn, inAttr, asArg, bad]);
  } finally {
    c.close();
  }
});

test('a DSN the daemon cannot parse is not echoed with its password', async () => {
  const pw = secret('parse');
  const c = await d.client();
  try {
    const r = await c.request('database', 'connect', { dsn: `nodriver;password=${pw}` });
    assert.equal(r.success, false);
    assert.equal(JSON.stringify(r).includes(pw), false, JSON.stringify(r));
    const s = await c.request('database', 'connect', { dsn: `dbi:SQLite:dbname=${path.join(tempDir(), 'x.db')};password=${pw}` });
    assert.equal(s.success, true, JSON.stringify(s.error));
    await new Promise((res) => setTimeout(res, 300));
    assertNowhere(d.home, [pw]);
  } finally {
    c.close();
  }
});
