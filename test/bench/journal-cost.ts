// What journaling costs the daemon, without the socket and the client: the bench's calls
// (perl/calls.pl) submitted in-process to two engines over the real modules, one with its journal
// on and one writing nothing (the bench-only journal-off mode), interleaved in short slices so that
// the shared machine's load hurts both alike. CPU time (process.cpuUsage) is the figure to compare:
// on this machine wall times move by 2x within a minute.
//   node dist/test/bench/journal-cost.js [rounds=2000] [slices=10] [synchronous=NORMAL]
// Profile: node --cpu-prof dist/test/bench/journal-cost.js
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { loadSettings } from '../../src/config';
import type { Engine, RequestMsg } from '../../src/engine';
import type { Session } from '../../src/kit/types';
import { createLogger } from '../../src/log';
import { allModules } from '../../src/modules';
import { openBridge } from '../../src/wiring';

const ROUNDS = Number(process.argv[2] ?? 2000);
const SLICES = Number(process.argv[3] ?? 10);
const SYNC = (process.argv[4] ?? 'NORMAL') as 'NORMAL' | 'FULL';
/** 'on' or 'off' alone (to profile one engine), else both interleaved */
const ONLY = process.argv[5] ?? 'both';

interface Client {
  engine: Engine;
  session: Session;
  next: number;
  dbh: string;
  wb: string;
  close(): void;
  /** Untimed, after a slice: the WAL copied back as the idle daemon's timer would (not inside the other engine's slice). */
  idle(): void;
}

async function call(c: Client, module: string, fn: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const req: RequestMsg = { id: String(++c.next), module, function: fn, params, ack: c.next - 1 };
  const reply = JSON.parse((await c.engine.submit(c.session, req)).json) as { success: boolean; result?: Record<string, unknown>; error?: unknown };
  if (!reply.success) throw new Error(`${module}.${fn}: ${JSON.stringify(reply.error)}`);
  return reply.result ?? {};
}

async function client(work: string, name: string, off: boolean): Promise<Client> {
  const home = path.join(work, name);
  fs.mkdirSync(home, { mode: 0o700 });
  const settings = loadSettings({ home, synchronous: SYNC }, {});
  const log = createLogger('error', null);
  const modules = allModules({ status: () => ({}), compact: () => ({}), shutdown: () => undefined });
  const { engine, journal } = openBridge(settings, modules, { log, discardJournal: off });
  const session: Session = {
    id: `bench-${name}-session`, pid: process.pid, host: os.hostname(), script: 'journal-cost', cwd: work,
    peer: { pid: process.pid, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 }, // as a local client's socket says
  };
  if (!off) {
    // Journal.commit alone (wall time), by the kind of request committed: the reply path's share
    const commit = journal.commit.bind(journal);
    journal.commit = (writes) => {
      const t = process.hrtime.bigint();
      commit(writes);
      const d = Number(process.hrtime.bigint() - t) / 1000;
      const r = writes.find((w) => w.t === 'request');
      const k = writes.length > 8 ? 'batch' : r && r.t === 'request' ? r.fn : writes.map((w) => w.t).join('+');
      const e = (commitTime[k] ??= []);
      e.push(d);
    };
  }
  const c: Client = { engine, session, next: 0, dbh: '', wb: '', close: () => journal.close(),
    idle: () => void (off || journal.db.pragma('wal_checkpoint(PASSIVE)')) };
  c.dbh = (await call(c, 'database', 'connect', { dsn: `dbi:SQLite:dbname=${path.join(work, 'data.db')}`, attrs: { AutoCommit: true } })).dbh as string;
  c.wb = (await call(c, 'excel', 'new_workbook', { filename: path.join(work, `${name}.xlsx`), cwd: work, options: {} })).wb as string;
  await call(c, 'excel', 'add_worksheet', { wb: c.wb, idx: 0, name: 'S' });
  return c;
}

/** Journal.commit's wall time (µs) by what it committed: the request's function, or a batch. */
const commitTime: Record<string, number[]> = {};

type Kind = 'ping' | 'create' | 'mutate' | 'cell' | 'pipelined';
const KINDS: Kind[] = ['ping', 'create', 'mutate', 'cell', 'pipelined'];

/** CPU µs per call of each kind over n rounds (create includes nothing else: the free is not counted). */
async function slice(c: Client, n: number, out: Record<Kind, number[]>): Promise<void> {
  const t: Record<Kind, number> = { ping: 0, create: 0, mutate: 0, cell: 0, pipelined: 0 };
  const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
  for (let i = 0; i < n; i++) {
    let a = cpu();
    await call(c, 'system', 'ping', {});
    let b = cpu(); t.ping += b - a; a = b;
    const sth = (await call(c, 'database', 'prepare', { dbh: c.dbh, sql: 'SELECT 1' })).sth as string;
    b = cpu(); t.create += b - a; a = b;
    await call(c, 'excel', 'call', { wb: c.wb, target: { sheet: 0 }, method: 'set_zoom', args: [100 + (i % 50)] });
    b = cpu(); t.mutate += b - a; a = b;
    await call(c, 'excel', 'write_batch', { wb: c.wb, cells: ['0', String(c.next), '0', 'n', '', String(i)].join('\x1f') });
    b = cpu(); t.cell += b - a;
    await call(c, 'database', 'free', { sth });
  }
  // pipelined: n*4 cell writes submitted without waiting, as the Excel shim sends them
  const a = cpu();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < n * 4; i++) pending.push(call(c, 'excel', 'write_batch', { wb: c.wb, cells: ['0', String(c.next), '1', 'n', '', String(i)].join('\x1f') }));
  await Promise.all(pending);
  t.pipelined += cpu() - a;
  for (const k of KINDS) out[k].push(t[k] / (k === 'pipelined' ? n * 4 : n));
}

function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const v = [...xs].sort((x, y) => x - y);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cbb-jcost-'));
  const db = new Database(path.join(work, 'data.db'));
  db.exec('CREATE TABLE t (x)');
  db.close();
  const on = await client(work, 'on', false);
  const off = await client(work, 'off', true);
  const res = { on: Object.fromEntries(KINDS.map((k) => [k, [] as number[]])) as Record<Kind, number[]>, off: Object.fromEntries(KINDS.map((k) => [k, [] as number[]])) as Record<Kind, number[]> };
  await slice(on, 50, { ...res.on, ...Object.fromEntries(KINDS.map((k) => [k, []])) }); // warm-up
  await slice(off, 50, { ...res.off, ...Object.fromEntries(KINDS.map((k) => [k, []])) });
  const n = Math.ceil(ROUNDS / SLICES);
  for (let s = 0; s < SLICES; s++) {
    for (const [c, out] of [[on, res.on], [off, res.off]] as const) {
      if (ONLY !== 'both' && c !== (ONLY === 'on' ? on : off)) continue;
      await slice(c, n, out);
      c.idle();
    }
  }
  on.close();
  off.close();
  fs.rmSync(work, { recursive: true, force: true });
  console.log('Journal.commit, wall µs: median / mean (commits)');
  for (const [k, v] of Object.entries(commitTime)) console.log(`  ${k}: ${median(v).toFixed(1)} / ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(1)} (${v.length})`);
  console.log(`daemon CPU µs per call, median of ${SLICES} slices of ${n} rounds, synchronous=${SYNC}`);
  console.log('| kind | journal off | journal on | journaling CPU |');
  console.log('|---|---:|---:|---:|');
  for (const k of KINDS) {
    const a = median(res.off[k]);
    const b = median(res.on[k]);
    if (ONLY !== 'both') { console.log(`| ${k} | ${ONLY === 'off' ? a.toFixed(1) : '-'} | ${ONLY === 'on' ? b.toFixed(1) : '-'} | |`); continue; }
    console.log(`| ${k} | ${a.toFixed(1)} | ${b.toFixed(1)} | +${(b - a).toFixed(1)} |`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
