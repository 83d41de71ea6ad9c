// Benchmark helpers: statistics, measured child processes, private daemons, dependencies.
// Nothing here decides pass/fail on timing: the bench reports figures, it never asserts them.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const BENCH_SRC = path.join(ROOT, 'test', 'bench');
export const PERL_DIR = path.join(BENCH_SRC, 'perl');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
export const BRIDGE_PERL5LIB = [path.join(ROOT, 'perl', 'lib'), path.join(ROOT, 'perl', 'compat')].join(':');

// ---------------------------------------------------------------------------------------------
// statistics

export function median(xs: number[]): number | null {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function pct(xs: number[], p: number): number | null {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const k = Math.min(v.length - 1, Math.max(0, Math.ceil((p / 100) * v.length) - 1));
  return v[k];
}

export function medianOf<T>(runs: T[], f: (r: T) => number | null | undefined): number | null {
  return median(runs.map(f).filter((x): x is number => typeof x === 'number'));
}

// ---------------------------------------------------------------------------------------------
// environment

/** The environment every child starts from: ours, minus anything that would steer Perl or the bridge. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('CPAN_BRIDGE_') || k === 'PERL5LIB' || k === 'PERL5OPT' || k === 'PERLLIB') continue;
    env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export type Codec = 'xs' | 'pp';

/** Perl arguments that hide JSON::XS / Cpanel::JSON::XS from @INC (core modules only). */
export function perlCodecArgs(codec: Codec): string[] {
  return codec === 'pp' ? [`-I${PERL_DIR}`, '-MBenchNoXS'] : [];
}

export function bridgeEnv(home: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return baseEnv({
    PERL5LIB: BRIDGE_PERL5LIB,
    CPAN_BRIDGE_HOME: home,
    CPAN_BRIDGE_LOG_LEVEL: 'warn',
    ...extra,
  });
}

export function nativeEnv(): NodeJS.ProcessEnv {
  return baseEnv();
}

export function mkTemp(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function rmrf(p: string): void {
  try { fs.rmSync(p, { recursive: true, force: true }); } catch { /* best effort */ }
}

// ---------------------------------------------------------------------------------------------
// measured children

export interface Measured {
  code: number | null;
  signal: string | null;
  wallMs: number;
  /** Peak RSS of the process (KiB), from /usr/bin/time; null when unavailable. */
  maxRssKb: number | null;
  stdout: string;
  stderr: string;
  /** The last `BENCH {json}` line printed, parsed. */
  bench: Record<string, unknown> | null;
}

const TIME_BIN = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

export interface RunOpts {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  input?: string;
  /** Called with each stdout line as it arrives (for scripts that talk to the runner). */
  onLine?: (line: string, child: ReturnType<typeof spawn>) => void;
}

/** Runs a command to its end: wall time (spawn → exit), peak RSS, output. */
export function runMeasured(cmd: string, args: string[], opts: RunOpts): Promise<Measured> {
  const rssFile = TIME_BIN ? path.join(os.tmpdir(), `cbb-rss-${process.pid}-${Math.random().toString(36).slice(2)}`) : null;
  const [c, a] = TIME_BIN && rssFile ? [TIME_BIN, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(c, a, { env: opts.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      if (opts.onLine) {
        pending += d;
        let i: number;
        while ((i = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, i);
          pending = pending.slice(i + 1);
          opts.onLine(line, child);
        }
      }
    });
    child.stderr.on('data', (d: string) => { if (err.length < 200_000) err += d; });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else if (!opts.onLine) child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      let maxRssKb: number | null = null;
      if (rssFile) {
        try {
          const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
          const n = Number(lines[lines.length - 1]);
          maxRssKb = Number.isFinite(n) ? n : null;
        } catch { /* no file */ }
        rmrf(rssFile);
      }
      resolve({ code, signal, wallMs, maxRssKb, stdout: out, stderr: err, bench: parseBench(out) });
    });
  });
}

export function parseBench(out: string): Record<string, unknown> | null {
  const lines = out.split('\n').filter((l) => l.startsWith('BENCH '));
  if (!lines.length) return null;
  try {
    return JSON.parse(lines[lines.length - 1].slice(6)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export function must(m: Measured, what: string): Measured {
  if (m.code !== 0 || !m.bench) {
    throw new Error(`${what} failed (exit ${m.code}${m.signal ? `, ${m.signal}` : ''}):\n${m.stderr.slice(-3000)}\n${m.stdout.slice(-1000)}`);
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// /proc

export function procStatusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(s);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system, ms) a process has used so far, from /proc/PID/stat; null when gone. */
export function procCpuMs(pid: number): number | null {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command's closing parenthesis: state is 3, utime 14, stime 15
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}
// USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK)
const CLK_TCK = 100;

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// ---------------------------------------------------------------------------------------------
// private daemons

export function socketAnswers(sock: string, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(sock);
    const done = (v: boolean) => { s.destroy(); resolve(v); };
    s.setTimeout(timeoutMs, () => done(false));
    s.on('connect', () => done(true));
    s.on('error', () => done(false));
  });
}

export interface DaemonHandle {
  pid: number;
  home: string;
  socket: string;
  startMs: number;
  hwmKb(): number | null;
  rssKb(): number | null;
  cpuMs(): number | null;
  stop(): Promise<void>;
}

export interface DaemonOpts {
  /** Entry script (default dist/cli.js). */
  entry?: string;
  /** More arguments after `daemon` (the journal-off daemon's `--bench`). */
  args?: string[];
  env?: Record<string, string | undefined>;
}

/** Starts a daemon on a private state directory, in the background, and waits until it answers. */
export async function startDaemon(home: string, opts: DaemonOpts = {}): Promise<DaemonHandle> {
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  const socket = path.join(home, 'bridge.sock');
  const env = baseEnv({ CPAN_BRIDGE_HOME: home, CPAN_BRIDGE_LOG_LEVEL: 'warn', ...(opts.env ?? {}) });
  const errFd = fs.openSync(path.join(home, 'bench-daemon.stderr'), 'a');
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [opts.entry ?? CLI, 'daemon', ...(opts.args ?? [])], { env, detached: true, stdio: ['ignore', 'ignore', errFd], cwd: home });
  fs.closeSync(errFd);
  let exited: number | null = null;
  child.on('exit', (c) => { exited = c ?? -1; });
  child.unref();
  const pid = child.pid!;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (await socketAnswers(socket, 200)) break;
    if (exited !== null || Date.now() > deadline) {
      const err = fs.readFileSync(path.join(home, 'bench-daemon.stderr'), 'utf8');
      throw new Error(`daemon did not start (exit ${exited}): ${err.slice(-2000)}`);
    }
    await sleep(5);
  }
  const startMs = Number(process.hrtime.bigint() - t0) / 1e6;
  return {
    pid, home, socket, startMs,
    hwmKb: () => procStatusKb(pid, 'VmHWM'),
    rssKb: () => procStatusKb(pid, 'VmRSS'),
    cpuMs: () => procCpuMs(pid),
    stop: () => stopPid(pid),
  };
}

/** SIGTERM, wait (bounded), then SIGKILL: only for a pid this bench started. */
export async function stopPid(pid: number, waitMs = 15_000): Promise<void> {
  if (!alive(pid)) return;
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  const deadline = Date.now() + waitMs;
  while (alive(pid) && Date.now() < deadline) {
    await sleep(20);
    // a detached child of ours that exited is a zombie until reaped: /proc shows it as Z
    try {
      if (/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))) return;
    } catch { return; }
  }
  if (alive(pid)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
}

export function readPidFile(home: string, name = 'daemon.pid'): number | null {
  try {
    const n = Number(fs.readFileSync(path.join(home, name), 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** Polls `cond` every 10 ms until it holds or `ms` pass; returns whether it held. */
export async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; !cond(); await sleep(10)) if (Date.now() > end) return false;
  return true;
}

export function journalBytes(home: string): { db: number; wal: number; shm: number; total: number } {
  const f = path.join(home, 'journal.sqlite');
  const sz = (p: string) => { try { return fs.statSync(p).size; } catch { return 0; } };
  const db = sz(f);
  const wal = sz(f + '-wal');
  const shm = sz(f + '-shm');
  return { db, wal, shm, total: db + wal + shm };
}

// ---------------------------------------------------------------------------------------------
// dependencies

export const NATIVE_MODULES: Record<string, string> = {
  DBI: 'libdbi-perl',
  'DBD::SQLite': 'libdbd-sqlite3-perl',
  'Excel::Writer::XLSX': 'libexcel-writer-xlsx-perl',
  'JSON::XS': 'libjson-xs-perl',
};

export function perlHas(mod: string): string | null {
  const r = spawnSync('perl', [`-M${mod}`, '-e', `print $${mod}::VERSION`], { env: nativeEnv(), encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() || '?' : null;
}

/** Installs missing native-Perl comparison modules from Debian when we may; else says how. */
export function ensureNativePerl(log: (s: string) => void): { ok: boolean; versions: Record<string, string | null>; hint: string } {
  const missing = () => Object.keys(NATIVE_MODULES).filter((m) => !perlHas(m));
  let miss = missing();
  const pkgs = (ms: string[]) => ms.map((m) => NATIVE_MODULES[m]).join(' ');
  const hint = `apt-get update && apt-get install -y ${pkgs(Object.keys(NATIVE_MODULES))}`;
  if (miss.length && process.env.BENCH_NO_INSTALL !== '1') {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    const aptGet = fs.existsSync('/usr/bin/apt-get');
    const sudo = !isRoot && fs.existsSync('/usr/bin/sudo') ? ['sudo', '-n'] : [];
    if (aptGet && (isRoot || sudo.length)) {
      log(`installing native-Perl comparison modules: ${pkgs(miss)}`);
      const run = (args: string[]) => spawnSync(sudo[0] ?? args[0], sudo.length ? [...sudo.slice(1), ...args] : args.slice(1), {
        stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      // dpkg may be busy (another install in progress): retry a few times, bounded
      for (let i = 0; i < 10 && miss.length; i++) {
        run(['apt-get', 'update', '-qq']);
        run(['apt-get', 'install', '-y', '-qq', ...pkgs(miss).split(' ')]);
        miss = missing();
        if (miss.length) spawnSync('sleep', ['10']);
      }
    }
  }
  const versions: Record<string, string | null> = {};
  for (const m of Object.keys(NATIVE_MODULES)) versions[m] = perlHas(m);
  return { ok: Object.values(versions).every(Boolean), versions, hint };
}
