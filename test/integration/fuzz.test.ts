// Property-based fuzzing of the running daemon over its real socket: hostile frames over the
// framing, hellos, every module's schemas and the legacy wire, while a well-behaved client runs a
// SQLite + Excel workflow beside them that must come out right. The daemon must never crash, and
// every frame gets a coded error reply (or a success) or a close.
// CPAN_BRIDGE_FUZZ_FRAMES sets the number of hostile frames (default 100,000; 1,000,000 for the
// long mode), CPAN_BRIDGE_FUZZ_SEED replays a failing run.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import JSZip from 'jszip';
import { startDaemon, tempDir, type RunningDaemon } from '../helpers';
import { garbageBytes, helloBytes, legacyBody, requestFrameBytes } from './fuzz-arbitraries';
import { helloConn, legacyCall, rawConn, tokenOf, type Frame } from './wire';

const TARGET = Number(process.env.CPAN_BRIDGE_FUZZ_FRAMES ?? 100_000);
const SEED = process.env.CPAN_BRIDGE_FUZZ_SEED ? Number(process.env.CPAN_BRIDGE_FUZZ_SEED) : undefined;
const BATCH = 200; // frames per authenticated connection
const PARALLEL = 10; // raw connections opened at once

let d: RunningDaemon;
let token: string;
let outDir: string;
let sent = 0;

before(async () => {
  outDir = tempDir('cb-fuzz-out-');
  d = await startDaemon(tempDir(), { CPAN_BRIDGE_ALLOWED_DIRS: outDir, CPAN_BRIDGE_MAX_OPEN_WORKBOOKS: '100000' });
  token = tokenOf(d.home);
});
after(async () => d.kill('SIGTERM'));

/** fast-check's options; a failure is reported by seed and path (to replay it) and the error, not the huge counterexample. */
function options(numRuns: number): fc.Parameters<unknown> {
  return {
    numRuns, seed: SEED, endOnFailure: true,
    reporter: (out) => {
      if (out.failed) {
        throw new Error(`fuzz failed: CPAN_BRIDGE_FUZZ_SEED=${out.seed} (path ${out.counterexamplePath}): ${String(out.errorInstance).slice(0, 2000)}`);
      }
    },
  };
}

/** A reply is acceptable when it succeeded or carries an error code; `internal` means a bug. */
function coded(f: Frame): boolean {
  if (f.success === true) return true;
  return f.success === false && typeof f.error?.code === 'string' && f.error.code.length > 0 && f.error.code !== 'internal';
}

/** The well-behaved job: SQLite connect/insert/select and a workbook, checked end to end. */
async function workflow(round: number): Promise<void> {
  const c = await d.client();
  try {
    const { dbh } = await c.call<{ dbh: string }>('database', 'connect', { dsn: `dbi:SQLite:dbname=${path.join(outDir, `wf-${round}.db`)}` });
    await c.call('database', 'do', { dbh, sql: 'CREATE TABLE sales (region TEXT, amount INTEGER)' });
    for (let i = 0; i < 40; i++) await c.call('database', 'do', { dbh, sql: 'INSERT INTO sales VALUES (?, ?)', binds: [`r${i % 4}`, i] });
    const { sth } = await c.call<{ sth: string }>('database', 'prepare', { dbh, sql: 'SELECT region, SUM(amount) FROM sales GROUP BY region ORDER BY region' });
    const rows = await c.call<{ batch: unknown[][] }>('database', 'execute', { sth, prefetch: 100 });
    assert.deepEqual(rows.batch, [['r0', 180], ['r1', 190], ['r2', 200], ['r3', 210]]);
    const file = path.join(outDir, `wf-${round}.xlsx`);
    const { wb } = await c.call<{ wb: string }>('excel', 'new_workbook', { filename: file });
    await c.call('excel', 'add_worksheet', { wb, idx: 0, name: 'Sales' });
    const cells = rows.batch.map((r, i) => [`0\x1f${i}\x1f0\x1fs\x1f\x1f${String(r[0])}`, `0\x1f${i}\x1f1\x1fn\x1f\x1f${String(r[1])}`].join('\x1e')).join('\x1e');
    await c.call('excel', 'write_batch', { wb, cells });
    await c.call('excel', 'close', { wb });
    const zip = await JSZip.loadAsync(fs.readFileSync(file));
    const xml = await Promise.all(Object.values(zip.files).filter((f) => f.name.startsWith('xl/')).map((f) => f.async('string')));
    assert.ok(xml.some((x) => x.includes('r3')) && xml.some((x) => x.includes('210')), 'the workbook holds the rows');
    await c.call('database', 'disconnect', { dbh });
  } finally {
    c.close();
  }
}

async function fuzzRequests(runs: number): Promise<void> {
  let run = 0;
  await fc.assert(fc.asyncProperty(fc.array(requestFrameBytes, { minLength: BATCH / 2, maxLength: BATCH * 1.5 }), async (frames) => {
    const c = await helloConn(d.settings.socket, token, `fuzz-session-${run++ % 16}`);
    try {
      c.s.write(Buffer.concat(frames));
      const replies = await c.next(frames.length, 60_000);
      sent += frames.length;
      assert.equal(replies.length, frames.length, `${frames.length} frames, ${replies.length} replies, closed: ${c.isClosed()}`);
      for (const r of replies) assert.ok(coded(r), JSON.stringify(r).slice(0, 500));
    } finally {
      c.s.destroy();
    }
  }), options(runs));
}

/** Raw connections that open with `gen`'s bytes and half-close: coded errors, then a close. */
async function fuzzOpenings(runs: number, gen: fc.Arbitrary<Buffer>): Promise<void> {
  await fc.assert(fc.asyncProperty(fc.array(gen, { minLength: PARALLEL, maxLength: PARALLEL }), async (openings) => {
    await Promise.all(openings.map(async (bytes) => {
      const c = await rawConn(d.settings.socket);
      c.s.end(bytes);
      const frames = await c.next(1000, 15_000);
      assert.ok(c.isClosed(), 'the daemon closes a connection whose client is done');
      for (const f of frames) assert.ok(coded(f), JSON.stringify(f).slice(0, 500));
    }));
    sent += openings.length;
  }), options(runs));
}

async function fuzzLegacy(runs: number): Promise<void> {
  await fc.assert(fc.asyncProperty(fc.array(legacyBody, { minLength: PARALLEL, maxLength: PARALLEL }), async (bodies) => {
    const replies = await Promise.all(bodies.map((b) => legacyCall(d.settings.socket, b)));
    for (const r of replies) {
      assert.equal(typeof r.success, 'boolean', JSON.stringify(r).slice(0, 500));
      if (!r.success) assert.ok(typeof r.error_type === 'string' && r.error_type !== 'internal', JSON.stringify(r).slice(0, 500));
    }
    sent += bodies.length;
  }), options(runs));
}

test(`${TARGET} hostile frames while a well-behaved workflow runs: no crash, every frame answered or closed`, async () => {
  let fuzzing = true;
  let rounds = 0;
  const job = (async () => {
    while (fuzzing || rounds === 0) await workflow(rounds++);
  })();
  const t0 = Date.now();
  const requestRuns = Math.ceil((TARGET * 0.85) / BATCH);
  const openingRuns = Math.ceil((TARGET * 0.03) / PARALLEL);
  const phase = async (name: string, run: () => Promise<void>) => {
    const t = Date.now();
    const before = sent;
    await run();
    console.log(`# fuzz ${name}: ${sent - before} frames in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };
  try {
    await phase('requests', () => fuzzRequests(requestRuns));
    await phase('framing', () => fuzzOpenings(openingRuns, garbageBytes));
    await phase('hello', () => fuzzOpenings(openingRuns, helloBytes(token)));
    await phase('legacy', () => fuzzLegacy(openingRuns));
    // batches vary in size: top up to the target with more requests
    while (sent < TARGET) await phase('requests', () => fuzzRequests(Math.ceil((TARGET - sent) / BATCH)));
  } finally {
    fuzzing = false;
    await job;
  }
  assert.ok(sent >= TARGET, `sent ${sent} hostile frames, wanted ${TARGET}`);
  assert.ok(rounds >= 1);
  assert.equal(d.child.exitCode, null, 'the daemon is still running');
  const c = await d.client();
  assert.equal((await c.call('system', 'ping')).pong, true);
  c.close();
  console.log(`# fuzz: ${sent} hostile frames in ${((Date.now() - t0) / 1000).toFixed(1)} s beside ${rounds} workflow runs`);
});
