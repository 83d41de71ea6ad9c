// `npm run bench [-- --quick] [-- --only=seed,bulk,...]`: the benchmarks of issue #6.
// Every figure is the median of several runs; every comparison is measured in the same run, on
// private state directories and loopback Unix sockets only. Prints Markdown tables and writes
// JSON to test/bench/results/. Figures are reported, never asserted: timing is noisy on a shared
// 2-core machine and nothing here fails because something was slow.
// `node --test dist/test/` (npm test) treats every file under a test/ directory as a test file:
// this entry point does nothing when the test runner starts it.
if (process.env.NODE_TEST_CONTEXT) process.exit(0);
import Database from 'better-sqlite3';
import { log4perlBench } from './log4perl';
import { issue21Goals } from './goals';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  BENCH_SRC, bridgeEnv, CLI, type Codec, ensureNativePerl, journalBytes, median, medianOf, mkTemp, must, nativeEnv,
  pct, perlCodecArgs, PERL_DIR, readPidFile, rmrf, ROOT, runMeasured, sleep, startDaemon, stopPid, waitFor, type DaemonHandle, type Measured,
} from './lib';
import { cryptBench } from './crypt';
import { xpathBench } from './xpath';
import { sftpBench } from './sftp';
import { mailBench } from './mail';

// ---------------------------------------------------------------------------------------------
// configuration

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const onlyArg = argv.find((a) => a.startsWith('--only='));
const ONLY = onlyArg ? new Set(onlyArg.slice(7).split(',')) : null;
const want = (s: string) => !ONLY || ONLY.has(s);
const KEEP = argv.includes('--keep');

const CFG = QUICK
  ? {
    seedRuns: 3, seedIters: 3, processRuns: 1, bulkRows: 10_000, bulkRuns: 1, pingN: 1000, pingRuns: 1,
    callsN: 200, callsPipe: 5000, callsRuns: 1, recoveryCells: [10_000], recoveryRuns: 2,
    clients: 32, clientIters: 1, concRuns: 1, closedWorkbooks: 2, closedCells: 50_000, openCells: 100_000, startupRuns: 3,
  }
  : {
    seedRuns: 7, seedIters: 5, processRuns: 3, bulkRows: 100_000, bulkRuns: 3, pingN: 5000, pingRuns: 3,
    callsN: 1000, callsPipe: 20_000, callsRuns: 3, recoveryCells: [10_000, 100_000], recoveryRuns: 5,
    clients: 32, clientIters: 3, concRuns: 3, closedWorkbooks: 10, closedCells: 100_000, openCells: 1_000_000, startupRuns: 7,
  };
const CODECS: Codec[] = ['xs', 'pp'];
const CODEC_NAME: Record<Codec, string> = { xs: 'JSON::XS', pp: 'JSON::PP' };

const WORK = mkTemp('cbb-');
const results: Record<string, unknown> = {};
const md: string[] = [];
const started = Date.now();

function log(s: string): void {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${s}\n`);
}

const f1 = (x: number | null | undefined, d = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));
const ms = (x: number | null | undefined) => (x === null || x === undefined ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const mib = (kb: number | null | undefined) => (kb === null || kb === undefined ? '–' : (kb / 1024).toFixed(0));
const ratio = (a: number | null, b: number | null) => (a && b ? `${(a / b).toFixed(a / b >= 10 ? 0 : 2)}×` : '–');

function table(title: string, head: string[], rows: (string | number)[][], notes: string[] = []): void {
  md.push(`### ${title}`, '', `| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`);
  for (const r of rows) md.push(`| ${r.join(' | ')} |`);
  md.push('');
  for (const n of notes) md.push(`${n}`);
  if (notes.length) md.push('');
}

function perl(script: string, args: string[], env: NodeJS.ProcessEnv, codec: Codec | null, extra: Partial<Parameters<typeof runMeasured>[2]> = {}): Promise<Measured> {
  return runMeasured('perl', [...(codec ? perlCodecArgs(codec) : []), path.join(PERL_DIR, script), ...args], { env, cwd: WORK, ...extra });
}

function freshHome(tag: string): string {
  const h = path.join(WORK, `${tag}-${Math.random().toString(36).slice(2, 8)}`);
  fs.mkdirSync(h, { mode: 0o700 });
  return h;
}

async function withDaemon<T>(tag: string, f: (d: DaemonHandle) => Promise<T>, opts: Parameters<typeof startDaemon>[1] = {}): Promise<T> {
  const home = freshHome(tag);
  const d = await startDaemon(home, opts);
  try {
    return await f(d);
  } finally {
    await d.stop();
    // an autostarted replacement (recovery) is ours too: stop it by its pid file
    const other = readPidFile(home);
    if (other && other !== d.pid) await stopPid(other);
    if (!KEEP) rmrf(home);
  }
}

// ---------------------------------------------------------------------------------------------
// fixtures

function makeDb(file: string, table: 'sales' | 'export', rows: number): void {
  rmrf(file);
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  const cities = ['Zürich', 'Basel', 'Genève', 'Lugano', 'Bern', 'Chur', 'Sion', 'Aarau'];
  if (table === 'sales') {
    db.exec('CREATE TABLE sales (id INTEGER PRIMARY KEY, region TEXT, product TEXT, qty INTEGER, price REAL, sold TEXT)');
    const ins = db.prepare('INSERT INTO sales VALUES (?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= rows; i++) ins.run(i, cities[i % 8], `Product ${i % 37}`, (i * 7) % 100, Math.round(i * 137.31) / 100, `2024-0${1 + (i % 9)}-1${i % 10}`);
    })();
  } else {
    db.exec('CREATE TABLE export (id INTEGER PRIMARY KEY, name TEXT, city TEXT, amount REAL, qty INTEGER, created TEXT)');
    const ins = db.prepare('INSERT INTO export VALUES (?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= rows; i++) {
        ins.run(i, `Customer ${i} Ltd`, cities[i % 8], Math.round(i * 1234.567) / 100, i % 1000, `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')} 12:${String(i % 60).padStart(2, '0')}:00`);
      }
    })();
  }
  db.close();
}

// ---------------------------------------------------------------------------------------------
// machine

function machine(): Record<string, unknown> {
  const cpu = os.cpus();
  const perlV = spawnSync('perl', ['-e', 'print $^V'], { encoding: 'utf8' }).stdout.trim();
  let sqlite = '?';
  try { sqlite = (new Database(':memory:').prepare('select sqlite_version() v').get() as { v: string }).v; } catch { /* ? */ }
  let load = '?';
  try { load = fs.readFileSync('/proc/loadavg', 'utf8').trim(); } catch { /* ? */ }
  return {
    nproc: os.availableParallelism?.() ?? cpu.length, cpu: cpu[0]?.model ?? '?', mem_gib: +(os.totalmem() / 2 ** 30).toFixed(1),
    kernel: os.release(), node: process.version, perl: perlV, sqlite, loadavg_at_start: load,
    node_extra_ca_certs: process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset', quick: QUICK, date: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// 0. startup costs (what a scheduler pays per process)

async function startup(): Promise<void> {
  log('startup costs');
  const n = CFG.startupRuns;
  const rec: Record<string, number | null> = {};
  const time = async (key: string, cmd: string, args: string[], env: NodeJS.ProcessEnv) => {
    const w: number[] = [];
    for (let i = 0; i < n; i++) w.push((await runMeasured(cmd, args, { env, cwd: WORK })).wallMs);
    rec[key] = median(w);
  };
  await time('node_e0', process.execPath, ['-e', '0'], nativeEnv());
  await time('node_e0_no_ca', process.execPath, ['-e', '0'], { ...nativeEnv(), NODE_EXTRA_CA_CERTS: undefined } as NodeJS.ProcessEnv);
  const req = `require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'modules'))})`;
  await time('node_load_modules', process.execPath, ['-e', req], nativeEnv());
  await time('node_load_modules_no_ca', process.execPath, ['-e', req], { ...nativeEnv(), NODE_EXTRA_CA_CERTS: undefined } as NodeJS.ProcessEnv);
  await time('perl_e0', 'perl', ['-e', '0'], nativeEnv());
  await time('native_load', 'perl', ['-e', 'use DBI; use DBD::SQLite; use Excel::Writer::XLSX;'], nativeEnv());
  for (const c of CODECS) {
    await time(`bridge_load_${c}`, 'perl', [...perlCodecArgs(c), '-e', 'use DBI; use Excel::Writer::XLSX; use CPANBridge::Codec; die unless CPANBridge::Codec::backend()'], bridgeEnv(WORK));
  }
  const starts: number[] = [];
  for (let i = 0; i < Math.min(n, 5); i++) starts.push(await withDaemon('start', async (d) => d.startMs));
  rec.daemon_start = median(starts);
  const detach: number[] = [];
  for (let i = 0; i < Math.min(n, 5); i++) {
    const home = freshHome('detach');
    detach.push((await runMeasured(process.execPath, [CLI, 'daemon', '--detach'], { env: bridgeEnv(home), cwd: WORK })).wallMs);
    const pid = readPidFile(home);
    if (pid) await stopPid(pid);
    if (!KEEP) rmrf(home);
  }
  rec.daemon_detach = median(detach);
  // what a job pays: its first call autostarts the daemon (one node start), and a call in process mode
  const auto: number[] = [];
  const procCall: number[] = [];
  for (let i = 0; i < Math.min(n, 5); i++) {
    const home = freshHome('auto');
    const m = must(await perl('ping.pl', ['1', '0'], bridgeEnv(home), 'xs'), 'autostart ping');
    auto.push((m.bench?.us as number[])[0] / 1000);
    const pid = readPidFile(home);
    if (pid) await stopPid(pid);
    const pm = must(await perl('ping.pl', ['3', '1'], bridgeEnv(home, { CPAN_BRIDGE_DAEMON: '0' }), 'xs'), 'process-mode ping');
    procCall.push(...(pm.bench?.us as number[]).map((u) => u / 1000));
    if (!KEEP) rmrf(home);
  }
  rec.autostart_first_call = median(auto);
  rec.process_mode_call = median(procCall);
  results.startup = rec;
  table('Startup costs (whole process, ms)', ['what', 'ms'], [
    ['`node -e 0` (NODE_EXTRA_CA_CERTS as in the environment: ' + (process.env.NODE_EXTRA_CA_CERTS ? 'set' : 'unset') + ')', ms(rec.node_e0)],
    ['`node -e 0` with NODE_EXTRA_CA_CERTS unset', ms(rec.node_e0_no_ca)],
    ['node + require(dist/src/modules) (exceljs, better-sqlite3, pg, oracledb, ...)', ms(rec.node_load_modules)],
    ['  the same with NODE_EXTRA_CA_CERTS unset', ms(rec.node_load_modules_no_ca)],
    ['daemon cold start (spawn → socket answers)', ms(rec.daemon_start)],
    ['`cpan-bridge daemon --detach` (a launcher node, then the daemon: two node starts)', ms(rec.daemon_detach)],
    ['a job\'s first call with no daemon running: autostart (`daemon --ready-fd`, one node start) + hello + ping, from Perl', ms(rec.autostart_first_call)],
    ['one call in process mode (`CPAN_BRIDGE_DAEMON=0`: a `cpan-bridge call` node per call), from Perl', ms(rec.process_mode_call)],
    ['`perl -e 0`', ms(rec.perl_e0)],
    ['native: perl + DBI + DBD::SQLite + Excel::Writer::XLSX', ms(rec.native_load)],
    ['bridge: perl + DBI + Excel::Writer::XLSX shims, JSON::XS', ms(rec.bridge_load_xs)],
    ['bridge: the same, core modules only (JSON::PP)', ms(rec.bridge_load_pp)],
  ]);
}

// ---------------------------------------------------------------------------------------------
// 1. seed workflow

function workMs(m: Measured): number[] {
  return (m.bench?.work_ms as number[]) ?? [];
}

async function seed(db: string): Promise<void> {
  log('seed workflow');
  const out = path.join(WORK, 'seed.xlsx');
  const r: Record<string, unknown> = {};
  // native
  // one workflow per process (what a scheduler sees), and a few processes running several (warm)
  const native: Measured[] = [];
  const nativeWarm: Measured[] = [];
  const runNative = async () => native.push(must(await perl('seed.pl', [db, out, '1'], nativeEnv(), null), 'native seed'));
  const runNativeWarm = async () => nativeWarm.push(must(await perl('seed.pl', [db, out, String(CFG.seedIters)], nativeEnv(), null), 'native seed warm'));
  // bridge daemon, one daemon for all runs (the daemon is long-lived), each codec
  const bridge: Record<string, Measured[]> = {};
  const bridgeWarm: Record<string, Measured[]> = {};
  let daemonRss: number | null = null;
  await withDaemon('seed', async (d) => {
    const env = bridgeEnv(d.home, { CPAN_BRIDGE_AUTOSTART: '0' });
    // the daemon is long-lived: one untimed workflow first (its JIT warms up), then the codecs interleaved
    must(await perl('seed.pl', [db, out, '3'], env, 'xs'), 'bridge seed warm-up');
    for (const c of CODECS) { bridge[c] = []; bridgeWarm[c] = []; }
    for (let i = 0; i < CFG.seedRuns; i++) {
      await runNative(); // interleaved with the bridge runs: a noisy neighbour hurts both alike
      for (const c of CODECS) bridge[c].push(must(await perl('seed.pl', [db, out, '1'], env, c), `bridge seed ${c}`));
    }
    for (let i = 0; i < 3; i++) {
      await runNativeWarm();
      for (const c of CODECS) bridgeWarm[c].push(must(await perl('seed.pl', [db, out, String(CFG.seedIters)], env, c), `bridge seed warm ${c}`));
    }
    daemonRss = d.hwmKb();
  });
  // process mode: no daemon, one `node dist/cli.js call` per request
  const proc: Record<string, Measured[]> = {};
  for (const c of CODECS) {
    proc[c] = [];
    for (let i = 0; i < CFG.processRuns; i++) {
      const home = freshHome('proc');
      proc[c].push(must(await perl('seed.pl', [db, out, '1'], bridgeEnv(home, { CPAN_BRIDGE_DAEMON: '0' }), c), `process-mode seed ${c}`));
      if (!KEEP) rmrf(home);
    }
  }
  const summarize = (runs: Measured[], warm: Measured[] = []) => ({
    first_ms: medianOf(runs, (m) => workMs(m)[0]),
    warm_ms: median(warm.flatMap((m) => workMs(m).slice(1))),
    // the workbook's close alone, in the first workflow: the part of the seed's bound the bench can time
    close_first_ms: medianOf(runs, (m) => (m.bench?.close_ms as number[] | undefined)?.[0]),
    load_ms: medianOf(runs, (m) => m.bench?.load_ms as number),
    process_ms: medianOf(runs, (m) => m.wallMs),
    perl_rss_kb: medianOf(runs, (m) => m.maxRssKb),
    runs: runs.length,
  });
  r.native = summarize(native, nativeWarm);
  for (const c of CODECS) {
    r[`bridge_${c}`] = summarize(bridge[c], bridgeWarm[c]);
    r[`process_${c}`] = summarize(proc[c]);
  }
  r.daemon_hwm_kb = daemonRss;
  r.iterations_per_process = CFG.seedIters;
  results.seed = r;
  const N = r.native as ReturnType<typeof summarize>;
  const rows: (string | number)[][] = [];
  const line = (name: string, s: ReturnType<typeof summarize>, isProc = false) => rows.push([
    name, ms(s.first_ms), ms(s.close_first_ms), isProc ? '–' : ms(s.warm_ms), ms(s.load_ms), ms(s.process_ms), mib(s.perl_rss_kb),
    ratio(s.first_ms, N.first_ms), ratio(s.process_ms, N.process_ms),
  ]);
  line('native Perl (DBI + DBD::SQLite + Excel::Writer::XLSX)', N);
  for (const c of CODECS) line(`bridge, daemon mode, ${CODEC_NAME[c]}`, r[`bridge_${c}`] as ReturnType<typeof summarize>);
  for (const c of CODECS) line(`bridge, process mode (CPAN_BRIDGE_DAEMON=0), ${CODEC_NAME[c]}`, r[`process_${c}`] as ReturnType<typeof summarize>, true);
  const bx = r.bridge_xs as ReturnType<typeof summarize>;
  const px = r.process_xs as ReturnType<typeof summarize>;
  const bp = r.bridge_pp as ReturnType<typeof summarize>;
  const pp = r.process_pp as ReturnType<typeof summarize>;
  table(`1. Seed workflow (connect, workbook, prepare, execute, fetch + write 100 rows × 6 columns, close) — one workflow per process, median of ${CFG.seedRuns} processes (${CFG.processRuns} in process mode)`,
    ['variant', 'in script, first workflow (ms)', 'its close (ms)', `in script, warm (ms, workflows 2..${CFG.seedIters} of 3 processes)`, 'module load (ms)', 'whole process (ms)', 'perl peak RSS (MiB)', 'in script vs native', 'process vs native'], rows, [
      `Daemon mode vs process mode, in script: **${ratio(px.first_ms, bx.first_ms)}** (JSON::XS), **${ratio(pp.first_ms, bp.first_ms)}** (JSON::PP); whole process: ${ratio(px.process_ms, bx.process_ms)} / ${ratio(pp.process_ms, bp.process_ms)}. Daemon peak RSS over these runs: ${mib(daemonRss)} MiB.`,
    ]);
}

// ---------------------------------------------------------------------------------------------
// 2. bulk export

async function bulk(db: string): Promise<void> {
  log(`bulk export (${CFG.bulkRows} rows)`);
  const out = path.join(WORK, 'bulk.xlsx');
  const r: Record<string, unknown> = { rows: CFG.bulkRows, columns: 6 };
  type Run = { m: Measured; daemonKb: number | null; daemonBaseKb: number | null; daemonCpuMs: number | null };
  const summarize = (runs: Run[]) => ({
    wall_ms: medianOf(runs, (x) => x.m.wallMs),
    in_script_ms: medianOf(runs, (x) => x.m.bench?.work_ms as number),
    loop_ms: medianOf(runs, (x) => x.m.bench?.loop_ms as number),
    close_ms: medianOf(runs, (x) => x.m.bench?.close_ms as number),
    // CPU, not wall: the Perl process's in the loop and the close, the daemon's over the whole export
    loop_cpu_ms: medianOf(runs, (x) => x.m.bench?.loop_cpu_ms as number),
    close_cpu_ms: medianOf(runs, (x) => x.m.bench?.close_cpu_ms as number),
    daemon_cpu_ms: medianOf(runs, (x) => x.daemonCpuMs),
    perl_rss_kb: medianOf(runs, (x) => x.m.maxRssKb),
    daemon_hwm_kb: medianOf(runs, (x) => x.daemonKb),
    daemon_base_kb: medianOf(runs, (x) => x.daemonBaseKb),
    xlsx_bytes: fs.existsSync(out) ? fs.statSync(out).size : null,
    runs: runs.length,
  });
  const variants: { key: string; name: string; run: () => Promise<Run> }[] = [
    { key: 'native', name: 'native Perl, Excel::Writer::XLSX default', run: async () => ({ m: must(await perl('bulk.pl', [db, out], nativeEnv(), null), 'native bulk'), daemonKb: null, daemonBaseKb: null, daemonCpuMs: null }) },
    { key: 'native_opt', name: 'native Perl, set_optimization() (constant memory)', run: async () => ({ m: must(await perl('bulk.pl', [db, out], { ...nativeEnv(), BENCH_OPTIMIZE: '1' }, null), 'native bulk opt'), daemonKb: null, daemonBaseKb: null, daemonCpuMs: null }) },
    ...CODECS.map((c) => ({
      key: `bridge_${c}`, name: `bridge, ${CODEC_NAME[c]}`,
      // a fresh daemon per run: its VmHWM is this export's peak
      run: () => withDaemon('bulk', async (d) => {
        const base = d.rssKb();
        const cpu0 = d.cpuMs();
        const m = must(await perl('bulk.pl', [db, out], bridgeEnv(d.home, { CPAN_BRIDGE_AUTOSTART: '0' }), c), `bridge bulk ${c}`);
        const cpu1 = d.cpuMs();
        return { m, daemonKb: d.hwmKb(), daemonBaseKb: base, daemonCpuMs: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null };
      }),
    })),
  ];
  const all: Record<string, ReturnType<typeof summarize>> = {};
  // interleave variants run by run, so that a noisy neighbour hurts all of them alike
  const runs: Record<string, Run[]> = {};
  for (let i = 0; i < CFG.bulkRuns; i++) {
    for (const v of variants) {
      log(`  bulk ${v.key} run ${i + 1}/${CFG.bulkRuns}`);
      (runs[v.key] ??= []).push(await v.run());
    }
  }
  for (const v of variants) all[v.key] = summarize(runs[v.key]);
  Object.assign(r, all);
  results.bulk = r;
  const N = all.native;
  table(`2. Bulk export: ${CFG.bulkRows.toLocaleString('en')} rows × 6 columns, SQLite → xlsx, unchanged DBI + Excel::Writer::XLSX code — median of ${CFG.bulkRuns}`,
    ['variant', 'whole process (ms)', 'in script (ms)', 'fetch+write loop (ms)', 'close (ms)', 'perl CPU: loop / close (ms)', 'daemon CPU (ms)', 'perl peak RSS (MiB)', 'daemon peak RSS (MiB)', 'speed-up vs native default'],
    variants.map((v) => {
      const s = all[v.key];
      return [v.name, ms(s.wall_ms), ms(s.in_script_ms), ms(s.loop_ms), ms(s.close_ms), `${ms(s.loop_cpu_ms)} / ${ms(s.close_cpu_ms)}`, ms(s.daemon_cpu_ms), mib(s.perl_rss_kb),
        s.daemon_hwm_kb ? `${mib(s.daemon_hwm_kb)} (idle ${mib(s.daemon_base_kb)})` : '–', ratio(N.wall_ms, s.wall_ms)];
    }));
}

// ---------------------------------------------------------------------------------------------
// 3a. per-call latency vs the transport floor

async function latency(): Promise<void> {
  log('per-call latency');
  const r: Record<string, unknown> = {};
  const sock = path.join(WORK, 'echo.sock');
  const echo = spawn(process.execPath, [path.join(__dirname, 'echo-server.js'), sock], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    echo.stdout.once('data', () => resolve());
    echo.once('exit', (c) => reject(new Error(`echo server exited ${c}`)));
  });
  const N = String(CFG.pingN);
  const W = String(Math.min(500, CFG.pingN / 5));
  try {
    const stats = (runs: Measured[]) => ({
      p50_us: medianOf(runs, (m) => pct(m.bench?.us as number[], 50)),
      p99_us: medianOf(runs, (m) => pct(m.bench?.us as number[], 99)),
      mean_us: medianOf(runs, (m) => { const u = m.bench?.us as number[]; return u.reduce((a, b) => a + b, 0) / u.length; }),
    });
    const runs: Record<string, Measured[]> = {};
    await withDaemon('ping', async (d) => {
      for (let i = 0; i < CFG.pingRuns; i++) {
        for (const c of CODECS) {
          (runs[`echo_raw_${c}`] ??= []).push(must(await perl('echo.pl', [sock, 'raw', N, W], bridgeEnv(d.home), c), 'echo raw'));
          (runs[`echo_json_${c}`] ??= []).push(must(await perl('echo.pl', [sock, 'json', N, W], bridgeEnv(d.home), c), 'echo json'));
          (runs[`client_${c}`] ??= []).push(must(await perl('ping.pl', [N, W], bridgeEnv(d.home, { CPAN_BRIDGE_SOCKET: sock, CPAN_BRIDGE_AUTOSTART: '0', CPAN_BRIDGE_FALLBACK: '0' }), c), 'client vs echo'));
          (runs[`ping_${c}`] ??= []).push(must(await perl('ping.pl', [N, W], bridgeEnv(d.home, { CPAN_BRIDGE_AUTOSTART: '0' }), c), 'ping'));
        }
      }
    });
    for (const [k, v] of Object.entries(runs)) r[k] = stats(v);
  } finally {
    echo.kill('SIGTERM');
  }
  results.latency = r;
  const g = (k: string) => r[k] as { p50_us: number | null; p99_us: number | null; mean_us: number | null };
  const rows = CODECS.flatMap((c) => [
    [`raw Unix-socket echo, Perl ↔ Node, no JSON (${CODEC_NAME[c]} loaded)`, f1(g(`echo_raw_${c}`).p50_us), f1(g(`echo_raw_${c}`).p99_us), f1(g(`echo_raw_${c}`).mean_us), '1.00×'],
    [`echo with JSON encode/decode both sides, ${CODEC_NAME[c]}`, f1(g(`echo_json_${c}`).p50_us), f1(g(`echo_json_${c}`).p99_us), f1(g(`echo_json_${c}`).mean_us), ratio(g(`echo_json_${c}`).p50_us, g(`echo_raw_${c}`).p50_us)],
    [`CPANBridge::call against the echo server (the client's own cost, no daemon), ${CODEC_NAME[c]}`, f1(g(`client_${c}`).p50_us), f1(g(`client_${c}`).p99_us), f1(g(`client_${c}`).mean_us), ratio(g(`client_${c}`).p50_us, g(`echo_raw_${c}`).p50_us)],
    [`**bridge ping** (CPANBridge::call system.ping), ${CODEC_NAME[c]}`, f1(g(`ping_${c}`).p50_us), f1(g(`ping_${c}`).p99_us), f1(g(`ping_${c}`).mean_us),
      `${ratio(g(`ping_${c}`).p50_us, g(`echo_raw_${c}`).p50_us)} raw, ${ratio(g(`ping_${c}`).p50_us, g(`echo_json_${c}`).p50_us)} JSON echo`],
  ]);
  table(`3a. Per-call latency from Perl (µs) — ${CFG.pingN} sequential calls per run, median of ${CFG.pingRuns} runs`, ['what', 'p50', 'p99', 'mean', 'p50 vs floor'], rows);
}

// ---------------------------------------------------------------------------------------------
// 3b. journaling overhead

async function journaling(db: string): Promise<void> {
  log('journaling overhead');
  const configs: { key: string; name: string; opts: Parameters<typeof startDaemon>[1] }[] = [
    { key: 'off', name: 'journal off (`daemon --bench`, CPAN_BRIDGE_BENCH_JOURNAL=off: benchmarks only)', opts: { args: ['--bench'], env: { CPAN_BRIDGE_BENCH_JOURNAL: 'off' } } },
    { key: 'normal', name: 'journal on, synchronous=NORMAL (default)', opts: { env: { CPAN_BRIDGE_SYNCHRONOUS: 'NORMAL' } } },
    { key: 'full', name: 'journal on, synchronous=FULL', opts: { env: { CPAN_BRIDGE_SYNCHRONOUS: 'FULL' } } },
  ];
  const kinds = ['ping', 'create', 'mutate', 'cell'] as const;
  const runs: Record<string, Measured[]> = {};
  // All daemons run at once and short runs alternate between them, many times: on this shared
  // machine the load drifts within seconds, and it must hurt every configuration alike.
  const slices = CFG.callsRuns * 4;
  const homes = configs.map((c) => freshHome(`calls-${c.key}`));
  const daemons: DaemonHandle[] = [];
  try {
    for (let i = 0; i < configs.length; i++) daemons.push(await startDaemon(homes[i], configs[i].opts));
    for (let i = 0; i < slices; i++) {
      for (let j = 0; j < configs.length; j++) {
        for (const c of CODECS) {
          (runs[`${configs[j].key}_${c}`] ??= []).push(must(await perl('calls.pl', [db, WORK, String(Math.ceil(CFG.callsN / slices)), String(Math.ceil(CFG.callsPipe / slices))],
            bridgeEnv(daemons[j].home, { CPAN_BRIDGE_AUTOSTART: '0' }), c), `calls ${configs[j].key}`));
        }
      }
    }
  } finally {
    for (const d of daemons) await d.stop();
    if (!KEEP) for (const h of homes) rmrf(h);
  }
  const r: Record<string, Record<string, number | null>> = {};
  for (const [k, v] of Object.entries(runs)) {
    const s: Record<string, number | null> = {};
    for (const kind of kinds) {
      const all = v.flatMap((m) => (m.bench?.[kind] as number[]) ?? []);
      s[`${kind}_p50_us`] = pct(all, 50);
      s[`${kind}_p99_us`] = pct(all, 99);
    }
    s.pipelined_us = median(v.map((m) => m.bench?.pipelined_us_per_call as number));
    r[k] = s;
  }
  results.journaling = r;
  const ov = (on: number | null | undefined, off: number | null | undefined) => (on && off ? `${(((on - off) / off) * 100).toFixed(0)}%` : '–');
  const rows: (string | number)[][] = [];
  for (const c of CODECS) {
    for (const cfg of configs) {
      const s = r[`${cfg.key}_${c}`];
      const off = r[`off_${c}`];
      rows.push([
        `${cfg.name}, ${CODEC_NAME[c]}`,
        ...kinds.map((k) => `${f1(s[`${k}_p50_us`])} / ${f1(s[`${k}_p99_us`])}` + (cfg.key === 'off' ? '' : ` (${ov(s[`${k}_p50_us`], off[`${k}_p50_us`])})`)),
        f1(s.pipelined_us, 2) + (cfg.key === 'off' ? '' : ` (${ov(s.pipelined_us, off.pipelined_us)})`),
      ]);
    }
  }
  table(`3b. Journaling overhead: the same calls, journal off vs on — µs p50 / p99 (overhead vs off at p50), ${CFG.callsN} sequential rounds in ${slices} runs alternating between the daemons`,
    ['daemon', 'system.ping (read)', 'database.prepare (create)', 'excel.call set_zoom (mutate)', 'excel.write_batch 1 cell (mutate)', `pipelined write_batch, µs/call (${CFG.callsPipe} calls)`], rows,
    ['"journal off" is the daemon itself with its journal writing nothing (src/bench-mode.ts: `cpan-bridge daemon --bench` with CPAN_BRIDGE_BENCH_JOURNAL=off; either alone refuses to start; benchmarks only, never a user setting): the difference is exactly the cost of writing the journal (the request\'s records, its kept reply, the commit count, the batched acknowledgements).']);
}

// ---------------------------------------------------------------------------------------------
// 4. recovery

async function recovery(db: string): Promise<void> {
  log('recovery');
  const r: Record<string, unknown> = {};
  const variants: { key: string; cells: number; codec: Codec; env?: Record<string, string | undefined>; label?: string; standby?: boolean }[] = [];
  for (const cells of CFG.recoveryCells) for (const c of CODECS) variants.push({ key: `${cells}_${c}`, cells, codec: c });
  if (process.env.NODE_EXTRA_CA_CERTS) variants.push({ key: `${CFG.recoveryCells[0]}_xs_noca`, cells: CFG.recoveryCells[0], codec: 'xs', env: { NODE_EXTRA_CA_CERTS: undefined }, label: 'NODE_EXTRA_CA_CERTS unset' });
  // the warm standby (setting `standby`, off by default): the daemon's standby takes over
  for (const cells of CFG.recoveryCells) for (const c of CODECS) variants.push({ key: `${cells}_${c}_standby`, cells, codec: c, env: { CPAN_BRIDGE_STANDBY: '1' }, label: 'warm standby (`standby` on)', standby: true });
  const runs: Record<string, Measured[]> = {};
  for (let i = 0; i < CFG.recoveryRuns; i++) {
    for (const v of variants) {
      await withDaemon('recovery', async (d) => {
        // a daemon that has run for a while: its standby is up (its pid file says it is waiting)
        if (v.standby && !(await waitFor(() => readPidFile(d.home, 'standby.pid') !== null, 20_000))) throw new Error('recovery: the standby did not start');
        (runs[v.key] ??= []).push(must(await perl('recovery.pl', [db, WORK, String(v.cells)], bridgeEnv(d.home, { CPAN_BRIDGE_RECONNECT_TIMEOUT: '30', ...(v.env ?? {}) }), v.codec), `recovery ${v.key}`));
      }, { env: { CPAN_BRIDGE_CRASH_AT: 'database.fetch#1:before_journal', ...(v.env ?? {}) } });
    }
  }
  for (const v of variants) {
    const x = runs[v.key];
    r[v.key] = {
      cells: v.cells, codec: v.codec,
      fetch_ms: medianOf(x, (m) => m.bench?.fetch_ms as number), workbook_ms: medianOf(x, (m) => m.bench?.workbook_ms as number),
      fetch_all_ms: x.map((m) => m.bench?.fetch_ms), runs: x.length,
    };
  }
  results.recovery = r;
  table(`4. Recovery: SIGKILL of the daemon with a request in flight → its successful reply — median of ${CFG.recoveryRuns} (ms)`,
    ['job state', 'in-flight fetch answered (ms)', '+ first workbook call answered (ms)'],
    variants.map((v) => {
      const s = r[v.key] as { fetch_ms: number; workbook_ms: number };
      return [`open cursor (read-ahead fetch of rows 101-200 in flight) + workbook of ${v.cells.toLocaleString('en')} cells, ${CODEC_NAME[v.codec]}${v.label ? `, ${v.label}` : ''}`, ms(s.fetch_ms), ms(s.workbook_ms)];
    }),
    ['The daemon kills itself (CPAN_BRIDGE_CRASH_AT=database.fetch#1:before_journal) on receiving the fetch, so the request is truly in flight; the clock starts just before the client sends it. The client reconnects, autostarts a new daemon (`cpan-bridge daemon --ready-fd`: one node start), resends (with the warm standby: the client connects at once to the socket the standby shares, and its hello waits until the standby has taken the lock and opened the journal; no node start); the daemon lazily rehydrates connection and statement, re-executes and skips the 100 delivered rows (checksum-checked). The second column adds the first call on the workbook (its rehydration), which also checks every cell survived.']);
}

// ---------------------------------------------------------------------------------------------
// 5. concurrency

async function concurrency(db: string): Promise<void> {
  log(`concurrency (${CFG.clients} clients)`);
  const r: Record<string, unknown> = {};
  const one = async (env: (i: number) => NodeJS.ProcessEnv, codec: Codec | null) => {
    const t0 = process.hrtime.bigint();
    const ms_ = await Promise.all(Array.from({ length: CFG.clients }, (_, i) =>
      perl('seed.pl', [db, path.join(WORK, `conc-${i}.xlsx`), String(CFG.clientIters)], env(i), codec).then((m) => must(m, 'concurrent seed'))));
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    const lat = ms_.flatMap(workMs);
    return { wall_ms: wall, workflows: lat.length, throughput_per_s: lat.length / (wall / 1000), p50_ms: pct(lat, 50), p99_ms: pct(lat, 99), process_p99_ms: pct(ms_.map((m) => m.wallMs), 99), perl_rss_kb: median(ms_.map((m) => m.maxRssKb ?? NaN)) };
  };
  type One = Awaited<ReturnType<typeof one>>;
  const runs: Record<string, (One & { daemon_hwm_kb?: number | null; daemon_base_kb?: number | null })[]> = {};
  for (let i = 0; i < CFG.concRuns; i++) {
    for (const c of CODECS) {
      await withDaemon('conc', async (d) => {
        const base = d.rssKb();
        const x = await one(() => bridgeEnv(d.home, { CPAN_BRIDGE_AUTOSTART: '0' }), c);
        (runs[`bridge_${c}`] ??= []).push({ ...x, daemon_hwm_kb: d.hwmKb(), daemon_base_kb: base });
      });
    }
    (runs.native ??= []).push(await one(() => nativeEnv(), null));
  }
  for (const [k, v] of Object.entries(runs)) {
    r[k] = {
      throughput_per_s: medianOf(v, (x) => x.throughput_per_s), p50_ms: medianOf(v, (x) => x.p50_ms), p99_ms: medianOf(v, (x) => x.p99_ms),
      process_p99_ms: medianOf(v, (x) => x.process_p99_ms), wall_ms: medianOf(v, (x) => x.wall_ms), workflows: v[0].workflows,
      daemon_hwm_kb: medianOf(v, (x) => x.daemon_hwm_kb ?? null), daemon_base_kb: medianOf(v, (x) => x.daemon_base_kb ?? null), perl_rss_kb: medianOf(v, (x) => x.perl_rss_kb),
    };
  }
  results.concurrency = r;
  const row = (name: string, k: string) => {
    const s = r[k] as Record<string, number | null>;
    return [name, f1(s.throughput_per_s), ms(s.p50_ms), ms(s.p99_ms), ms(s.process_p99_ms), ms(s.wall_ms), s.daemon_hwm_kb ? `${mib(s.daemon_hwm_kb)} (idle ${mib(s.daemon_base_kb)})` : '–', mib(s.perl_rss_kb)];
  };
  table(`5. Concurrency: ${CFG.clients} Perl processes running the seed workflow at once (${CFG.clientIters} workflow(s) each) — median of ${CFG.concRuns}`,
    ['variant', 'workflows/s', 'workflow p50 (ms)', 'workflow p99 (ms)', 'process p99 (ms)', 'batch wall (ms)', 'daemon peak RSS (MiB)', 'perl peak RSS each (MiB)'],
    [row('bridge daemon, JSON::XS', 'bridge_xs'), row('bridge daemon, JSON::PP', 'bridge_pp'), row('native Perl (reference)', 'native')]);
}

// ---------------------------------------------------------------------------------------------
// 6. journal size

function journalPages(home: string): Record<string, number> | null {
  try {
    const db = new Database(path.join(home, 'journal.sqlite'), { readonly: true, fileMustExist: true });
    const g = (p: string) => db.pragma(p, { simple: true }) as number;
    const out = { page_size: g('page_size'), page_count: g('page_count'), freelist_count: g('freelist_count'),
      cells: db.prepare('SELECT coalesce(sum(n), 0) FROM excel_row_cells').pluck().get() as number,
      requests: db.prepare('SELECT count(*) FROM requests').pluck().get() as number };
    db.close();
    return out;
  } catch {
    return null;
  }
}

async function journalSize(): Promise<void> {
  log('journal size');
  const r: Record<string, unknown> = {};
  const closedWrites = CFG.closedWorkbooks * CFG.closedCells;
  await withDaemon('jsize-closed', async (d) => {
    const before = journalBytes(d.home);
    const m = must(await perl('cells.pl', [WORK, 'closed', String(CFG.closedWorkbooks), String(CFG.closedCells)], bridgeEnv(d.home, { CPAN_BRIDGE_AUTOSTART: '0' }), 'xs'), 'cells closed');
    const after = journalBytes(d.home);
    const pages = journalPages(d.home);
    const comp = await runMeasured(process.execPath, [CLI, 'journal', 'compact'], { env: bridgeEnv(d.home), cwd: WORK });
    const compacted = journalBytes(d.home);
    r.closed = { writes: closedWrites, workbooks: CFG.closedWorkbooks, empty: before, after, pages, after_compact: compacted, compact_out: comp.stdout.trim(), write_ms: m.bench?.write_ms, close_ms: m.bench?.close_ms, daemon_hwm_kb: d.hwmKb() };
  });
  await withDaemon('jsize-open', async (d) => {
    let atOpen: ReturnType<typeof journalBytes> | null = null;
    let pagesOpen: Record<string, number> | null = null;
    const m = must(await perl('cells.pl', [WORK, 'open', '1', String(CFG.openCells)], bridgeEnv(d.home, { CPAN_BRIDGE_AUTOSTART: '0' }), 'xs', {
      onLine: (line, child) => {
        if (line === 'READY') {
          atOpen = journalBytes(d.home);
          pagesOpen = journalPages(d.home);
          child.stdin?.end('go\n');
        }
      },
    }), 'cells open');
    r.open = { cells: CFG.openCells, while_open: atOpen, pages_open: pagesOpen, after_close: journalBytes(d.home), pages_after_close: journalPages(d.home), write_ms: m.bench?.write_ms, close_ms: m.bench?.close_ms, daemon_hwm_kb: d.hwmKb() };
  });
  results.journal_size = r;
  const c = r.closed as { after: { db: number; wal: number; total: number }; empty: { total: number }; after_compact: { total: number }; pages: Record<string, number> | null; write_ms: number; close_ms: number };
  const o = r.open as { while_open: { db: number; wal: number; total: number } | null; after_close: { total: number }; pages_open: Record<string, number> | null; write_ms: number; close_ms: number; daemon_hwm_kb: number };
  const MB = (b: number | undefined | null) => (b === undefined || b === null ? '–' : (b / 2 ** 20).toFixed(1));
  table('6. Journal size (MiB: journal.sqlite + -wal + -shm)', ['state', 'total', 'main file', 'WAL', 'free pages in main file', 'note'], [
    ['fresh daemon, empty journal', MB(c.empty.total), '', '', '', ''],
    [`after ${closedWrites.toLocaleString('en')} cell writes to ${CFG.closedWorkbooks} workbooks, all closed`, MB(c.after.total), MB(c.after.db), MB(c.after.wal), c.pages ? `${c.pages.freelist_count} of ${c.pages.page_count}` : '–', `writes ${ms(c.write_ms)} ms, closes ${ms(c.close_ms)} ms`],
    ['  the same after `cpan-bridge journal compact`', MB(c.after_compact.total), '', '', '', 'compact = checkpoint(TRUNCATE), no VACUUM'],
    [`while a ${CFG.openCells.toLocaleString('en')}-cell workbook is open`, MB(o.while_open?.total), MB(o.while_open?.db), MB(o.while_open?.wal), o.pages_open ? `${o.pages_open.freelist_count} of ${o.pages_open.page_count}` : '–', `writes ${ms(o.write_ms)} ms; ${o.pages_open?.cells ?? '?'} cell rows`],
    ['  after that workbook is closed', MB(o.after_close.total), '', '', '', `close (render) ${ms(o.close_ms)} ms; daemon peak RSS ${mib(o.daemon_hwm_kb)} MiB`],
  ]);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  log(`work directory ${WORK}${QUICK ? ' (quick)' : ''}`);
  const m = machine();
  results.machine = m;
  const deps = ensureNativePerl(log);
  results.native_modules = deps.versions;
  const nativeOk = deps.ok;
  if (!nativeOk) {
    log(`native-Perl comparison modules missing: ${JSON.stringify(deps.versions)}. Install them with:\n    ${deps.hint}\n  (the native columns need DBI, DBD::SQLite, Excel::Writer::XLSX; JSON::XS for the JSON::XS columns)`);
    if (!deps.versions['DBD::SQLite'] || !deps.versions['Excel::Writer::XLSX'] || !deps.versions.DBI || !deps.versions['JSON::XS']) {
      throw new Error('cannot run the comparison without them; run the command above (as root) and try again');
    }
  }
  md.push(`## Benchmarks${QUICK ? ' (quick subset)' : ''}`, '',
    `Machine: ${m.nproc} CPUs (${m.cpu}), ${m.mem_gib} GiB, Linux ${m.kernel}; Node ${m.node}, Perl ${m.perl}, SQLite ${m.sqlite}; ` +
    `native modules ${Object.entries(deps.versions).map(([k, v]) => `${k} ${v}`).join(', ')}; NODE_EXTRA_CA_CERTS ${m.node_extra_ca_certs}. ` +
    `Load average at start: ${m.loadavg_at_start}. Shared machine: figures are noisy (other jobs run beside), compare within a run.`, '');
  const goalsAt = md.length; // issue 21's goals go here, computed once every section has run
  const seedDb = path.join(WORK, 'seed.db');
  const bulkDb = path.join(WORK, 'bulk.db');
  makeDb(seedDb, 'sales', 100);
  makeDb(bulkDb, 'export', Math.max(CFG.bulkRows, 1000));
  const kit = () => ({ work: WORK, quick: QUICK, runs: QUICK ? 1 : 3, codecs: CODECS, codecName: CODEC_NAME, log, perl, withDaemon: <T>(t: string, f: (d: DaemonHandle) => Promise<T>) => withDaemon(t, f), table });
  const sections: [string, () => Promise<void>][] = [
    ['startup', startup], ['seed', () => seed(seedDb)], ['bulk', () => bulk(bulkDb)], ['latency', latency],
    ['journaling', () => journaling(seedDb)], ['recovery', () => recovery(bulkDb)], ['concurrency', () => concurrency(seedDb)], ['journal-size', journalSize],
    ['crypt', async () => {
      results.crypt = await cryptBench(kit());
    }],
    ['sftp', async () => { results.sftp = await sftpBench(kit()); }],
    ['mail', async () => { results.mail = await mailBench(kit()); }],
    ['log4perl', async () => { const r = await log4perlBench(WORK, QUICK ? 2 : 5, QUICK ? 20_000 : 100_000, log); results.log4perl = r.results; md.push(...r.md); }],
    ['xpath', xpath],
  ];
  for (const [name, f] of sections) {
    if (!want(name)) continue;
    try {
      await f();
    } catch (e) {
      log(`section ${name} failed: ${(e as Error).stack ?? e}`);
      results[`${name}_error`] = String((e as Error).message ?? e);
      md.push(`### ${name}: FAILED`, '', '```', String((e as Error).message ?? e).slice(0, 2000), '```', '');
    }
    await sleep(100);
  }
  const goals = issue21Goals(results, want);
  results.issue21_goals = goals.rows;
  md.splice(goalsAt, 0, ...goals.md);
  results.duration_s = (Date.now() - started) / 1000;
  md.push(`Run time ${results.duration_s} s. Reproduce: \`npm run bench\` (full) or \`npm run bench -- --quick\`; JSON in test/bench/results/.`);
  const dir = path.join(BENCH_SRC, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const kind = `${QUICK ? 'quick' : 'full'}${ONLY ? '-partial' : ''}`; // a partial run never replaces latest-full
  const base = `${kind}-${stamp}`;
  fs.writeFileSync(path.join(dir, `${base}.json`), JSON.stringify(results, null, 2));
  fs.writeFileSync(path.join(dir, `${base}.md`), md.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, `latest-${kind}.json`), JSON.stringify(results, null, 2));
  fs.writeFileSync(path.join(dir, `latest-${kind}.md`), md.join('\n') + '\n');
  process.stdout.write(md.join('\n') + '\n');
  log(`results: ${path.join(dir, base)}.{json,md}`);
  if (!KEEP) rmrf(WORK);
}

async function xpath(): Promise<void> {
  const r = await xpathBench(WORK, QUICK, log);
  results.xpath = r;
  const row = (name: string, m: Record<string, unknown> | null, mem: number | null | undefined) => [name,
    ms(m?.parse_ms as number), ms(m?.lookup_ms as number), ms(m?.filter_ms as number), ms(m?.wallMs as number), mem ?? '–'];
  table(`XML::XPath: a ${r.mib} MiB document (${r.orders} orders)`, ['', 'parse + count (ms)', 'lookup by id (ms)', 'filter + count (ms)', 'script wall (ms)', 'peak memory (MiB)'], [
    row('bridge (daemon)', r.bridge, r.bridge.daemonHwmMib),
    row('real XML::XPath', r.real, r.real?.maxRssMib),
  ], ['Peak memory: the daemon\'s VmHWM (it parsed the document), the Perl process\'s maximum RSS for the real module.']);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
  if (!KEEP) rmrf(WORK);
  process.exit(1);
});
