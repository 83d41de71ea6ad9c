// Over max_handles_per_session a new handle is refused with `limit`, and what the module had
// already opened for it (a database connection) is closed, not leaked.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Client } from 'pg';
import { sleep, startDaemon, tempDir } from '../helpers';

const TAG = `cb_limit_${process.pid}`;

async function backends(pg: Client): Promise<number> {
  const r = await pg.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [TAG]);
  return r.rows[0].n as number;
}

test('a connection refused by the per-session handle limit is closed', async (t) => {
  const pg = new Client({ host: '127.0.0.1', port: 5432, database: 'test', user: process.env.PGUSER ?? 'postgres' });
  try {
    await pg.connect();
  } catch (e) {
    t.skip(`PostgreSQL unavailable: ${(e as Error).message}`);
    return;
  }
  const d = await startDaemon(tempDir(), { CPAN_BRIDGE_MAX_HANDLES_PER_SESSION: '1', PGAPPNAME: TAG });
  try {
    const c = await d.client();
    const dsn = 'dbi:Pg:dbname=test;host=127.0.0.1';
    const first = await c.request('database', 'connect', { dsn, user: 'postgres', attrs: { AutoCommit: true } });
    assert.equal(first.success, true, JSON.stringify(first));
    const second = await c.request('database', 'connect', { dsn, user: 'postgres', attrs: { AutoCommit: true } });
    assert.equal(second.success, false);
    assert.equal(second.error?.code, 'limit');
    let n = await backends(pg);
    for (let i = 0; i < 50 && n !== 1; i++) {
      await sleep(100);
      n = await backends(pg);
    }
    assert.equal(n, 1, 'only the accepted connection is open on the server');
    c.close();
  } finally {
    await d.kill('SIGKILL');
    await pg.end();
  }
});
