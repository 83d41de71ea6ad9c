// Issue 20: a predecessor (call_python) workflow whose translations run several of our calls
// (SELECT through execute_immediate: prepare, execute, free; connect_cached; hash rows: describe,
// fetch) with the daemon SIGKILLed at each phase of one of them; the client resends under the
// same id. The answers are those of a run without a crash, and nothing is done twice.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { test } from 'node:test';
import type { BridgeClient } from '../../src/client';
import { startDaemon, tempDir, type RunningDaemon } from '../helpers';

type R = Record<string, unknown>;

/** Runs the workflow; every request resent under its id after a crash, the daemon restarted. */
async function workflow(home: string, env: Record<string, string>) {
  let d: RunningDaemon = await startDaemon(home, env);
  let c: BridgeClient = await d.client();
  let restarts = 0;
  let n = 0;
  const call = async (module: string, fn: string, params: R): Promise<R> => {
    const id = String(++n);
    for (let attempt = 0; attempt < 4; attempt++) {
      const r = await c.request(module, fn, params, id, true);
      if (r.success) return r.result as R;
      if (r.error?.code !== 'disconnected') return { failed: r.error?.code };
      await d.exited;
      d = await startDaemon(home, env);
      c = await d.client(c.session);
      restarts++;
    }
    throw new Error('too many restarts');
  };
  const dsn = `dbi:SQLite:dbname=${path.join(home, '..', `${path.basename(home)}.db`)}`;
  const out: unknown[] = [];
  const cid = (await call('database', 'connect', { dsn })).connection_id;
  await call('database', 'do_statement', { connection_id: cid, sql: 'CREATE TABLE t (id INTEGER, name TEXT)' });
  out.push(await call('database', 'do_statement', { connection_id: cid, sql: 'INSERT INTO t VALUES (?, ?)', bind_values: [1, 'a'] }));
  out.push(await call('database', 'execute_immediate', { connection_id: cid, sql: 'INSERT INTO t VALUES (?, ?)', bind_values: [2, 'b'] }));
  out.push(await call('database', 'execute_immediate', { connection_id: cid, sql: 'SELECT id, name FROM t ORDER BY id' }));
  const cc = await call('database', 'connect_cached', { dsn });
  out.push(cc.cached);
  const sid = (await call('database', 'prepare', { connection_id: cc.connection_id, sql: 'SELECT id, name FROM t ORDER BY id' })).statement_id;
  await call('database', 'execute_statement', { statement_id: sid });
  for (let i = 0; i < 3; i++) out.push(await call('database', 'fetch_row', { statement_id: sid, format: 'hash' }));
  const count = (await call('database', 'execute_immediate', { connection_id: cid, sql: 'SELECT COUNT(*) FROM t' })).rows;
  await d.kill('SIGTERM');
  return { out, count, restarts };
}

test('call_python translations of several calls: a crash at each phase of each step changes no answer', async () => {
  const clean = await workflow(tempDir(), {});
  assert.deepEqual(clean.count, [[2]]);
  assert.equal(clean.restarts, 0);
  // with the marker table an AutoCommit INSERT cut short is known to have happened or not
  const env = { CPAN_BRIDGE_MARKER_TABLE: '1' };
  // a step of each multi-call translation, each phase once (the CI time budget: not every pair)
  const points = [
    'database.do#2:after_effect', // the INSERT of do_statement, committed, not answered
    'database.do#3:before_journal', // execute_immediate's INSERT
    'database.prepare#1:after_journal', // execute_immediate SELECT: its prepare
    'database.execute#1:after_reply', // ... its execute
    'database.free#1:after_journal', // ... its free
    'database.connect#2:after_effect', // connect_cached's connect
    'database.describe#1:after_reply', // fetch_row format hash: the column names
    'database.fetch#2:before_journal', // ... the second row
  ];
  for (const spec of points) {
    const r = await workflow(tempDir(), { ...env, CPAN_BRIDGE_CRASH_AT: spec });
    assert.equal(r.restarts, 1, `one crash at ${spec}`);
    assert.deepEqual(r.out, clean.out, `answers after a crash at ${spec}`);
    assert.deepEqual(r.count, [[2]], `rows after a crash at ${spec}`);
  }
});
