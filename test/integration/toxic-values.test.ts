// A sweep, not a fuzz: every parameter of every function, and every argument of every recorded
// Excel method, given a value that JSON can carry but String() and template strings cannot
// convert ({"toString": 1, "valueOf": 1}: both throw "Cannot convert object to primitive value").
// Handles are real, so the value reaches the module's own code. Each reply must be a success or a
// coded error (never `internal`), a workbook that recorded such a call must still close with a
// coded answer, and the daemon must keep serving. (The fuzzer found the first such value in a
// hello: test/integration/protocol.test.ts.)
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { METHOD_TABLES } from '../../src/modules/excel/xlsx/replay';
import { startDaemon, tempDir, type RunningDaemon } from '../helpers';
import { FUNCTIONS } from './fuzz-arbitraries';
import { helloConn, requestFrame, tokenOf, type Frame, type RawConn } from './wire';

const TOXIC = { toString: 1, valueOf: 1 };

let d: RunningDaemon;
let outDir: string;
let c: RawConn;
let ids = 0;

before(async () => {
  outDir = tempDir('cb-toxic-out-');
  d = await startDaemon(tempDir(), { CPAN_BRIDGE_ALLOWED_DIRS: outDir });
  c = await helloConn(d.settings.socket, tokenOf(d.home), 'toxic-sweep-0001');
});
after(async () => {
  c.s.destroy();
  await d.kill('SIGTERM');
});

async function send(module: string, fn: string, params: unknown): Promise<Frame> {
  const id = `t${++ids}`;
  c.s.write(requestFrame(id, module, fn, params));
  const [r] = await c.next(1, 30_000);
  assert.ok(r, `${module}.${fn}: no reply (connection closed: ${c.isClosed()})`);
  assert.equal(r.id, id);
  return r;
}

function assertCoded(r: Frame, what: string): void {
  if (r.success === true) return;
  assert.equal(r.success, false, `${what}: ${JSON.stringify(r)}`);
  assert.ok(typeof r.error?.code === 'string' && r.error.code !== 'internal', `${what}: ${JSON.stringify(r).slice(0, 500)}`);
}

async function ok<T>(module: string, fn: string, params: unknown): Promise<T> {
  const r = await send(module, fn, params);
  assert.equal(r.success, true, `${module}.${fn}: ${JSON.stringify(r)}`);
  return r.result as T;
}

/** Real handles, by parameter name, so that each toxic value gets past the handle lookup. */
async function handles(tag: string): Promise<Record<string, unknown>> {
  const { dbh } = await ok<{ dbh: string }>('database', 'connect', { dsn: 'dbi:SQLite:dbname=:memory:' });
  const { sth } = await ok<{ sth: string }>('database', 'prepare', { dbh, sql: 'SELECT 1' });
  const { wb } = await ok<{ wb: string }>('excel', 'new_workbook', { filename: path.join(outDir, `${tag}.xlsx`) });
  await ok('excel', 'add_worksheet', { wb, idx: 0, name: 'S' });
  const { doc } = await ok<{ doc: string }>('xpath', 'parse', { xml: '<a><b>1</b></a>' });
  return { dbh, sth, wb, doc, sheet: 0 };
}

test('a value String() cannot convert, in every parameter of every function: coded errors, the daemon serves on', async () => {
  const h = await handles('params');
  let sent = 0;
  for (const f of FUNCTIONS) {
    if (f.module === 'system' && f.fn === 'shutdown') continue;
    const props = Object.keys((f.schema?.properties as Record<string, unknown> | undefined) ?? {});
    const base: Record<string, unknown> = {};
    for (const p of props) if (p in h) base[p] = h[p];
    assertCoded(await send(f.module, f.fn, TOXIC), `${f.module}.${f.fn} with toxic params`);
    for (const p of props) {
      for (const v of [TOXIC, { nested: TOXIC, toString: 1 }, [TOXIC]]) {
        assertCoded(await send(f.module, f.fn, { ...base, [p]: v }), `${f.module}.${f.fn} with ${p} = ${JSON.stringify(v)}`);
        sent++;
      }
    }
  }
  assert.ok(sent > 100, `only ${sent} requests sent`);
  assert.equal(d.child.exitCode, null, 'the daemon is still running');
  assert.equal((await ok<{ pong: boolean }>('system', 'ping', {})).pong, true);
});

test('a value String() cannot convert, as every argument of every recorded Excel method: coded answers, the workbook still closes', async () => {
  const targets: [string, Record<string, number>][] = [['workbook', {}], ['worksheet', { sheet: 0 }]];
  for (const [table, target] of targets) {
    for (const method of Object.keys(METHOD_TABLES[table as keyof typeof METHOD_TABLES])) {
      if (method.startsWith('_add_')) continue;
      // a fresh workbook per method: a recorded call is replayed at close, on its own
      const h = await handles(`${table}-${method}`);
      for (const args of [[TOXIC], [{ name: TOXIC, type: TOXIC, value: TOXIC }], [0, 0, TOXIC], [0, 0, 0, 0, TOXIC, TOXIC]]) {
        const r = await send('excel', 'call', { wb: h.wb, target, method, args });
        assertCoded(r, `${table}.${method}(${JSON.stringify(args)})`);
      }
      assertCoded(await send('excel', 'close', { wb: h.wb }), `close after ${table}.${method}`);
      await ok('database', 'disconnect', { dbh: h.dbh });
    }
  }
  assert.equal(d.child.exitCode, null, 'the daemon is still running');
  assert.equal((await ok<{ pong: boolean }>('system', 'ping', {})).pong, true);
});
