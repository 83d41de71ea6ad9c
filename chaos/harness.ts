// Process plumbing of the chaos suite: state directories, daemons started through the real CLI,
// Perl workflows run as a scheduler would run them, and bounded waiting everywhere.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pidAlive } from '../src/server/owner';
import { CLI, daemonPid, PERL5LIB, rng, ROOT, sleep } from '../test/helpers';

// shared with the TypeScript tests (test/helpers.ts)
export { CLI, daemonPid, PERL5LIB, rng, ROOT, sleep };

export const WORKFLOW_DIR = path.join(ROOT, 'chaos', 'workflows');
export const RESULTS_DIR = path.join(ROOT, 'chaos', 'results');

/** A stable 32-bit hash of a string (per-run seeds derived from the suite seed and the run id). */
export function hash32(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** One run's private directories. Short paths: a Unix socket path is limited to 107 bytes. */
export interface RunDirs {
  root: string;
  home: string;
  out: string;
  data: string;
  config: string;
}

export function makeRunDirs(tag: string, orphanGraceSeconds: number): RunDirs {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `cbchaos-${tag.replace(/[^\w-]/g, '_').slice(0, 40)}-`));
  const dirs: RunDirs = { root, home: path.join(root, 'h'), out: path.join(root, 'out'), data: path.join(root, 'data'), config: path.join(root, 'config.json') };
  for (const d of [dirs.home, dirs.out, dirs.data]) fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  // A generous orphan grace: handles a finished script left open stay visible to `status`
  // (the sweep would otherwise hide a leak two seconds after the script exits).
  fs.writeFileSync(dirs.config, JSON.stringify({ orphan_grace_seconds: orphanGraceSeconds }));
  return dirs;
}

/** The environment every process of a run shares (daemon, client, CLI). Nothing inherited leaks in. */
export function baseEnv(dirs: RunDirs, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('CPAN_BRIDGE_') || k.startsWith('CHAOS_')) delete env[k];
  env.CPAN_BRIDGE_HOME = dirs.home;
  env.CPAN_BRIDGE_SOCKET = path.join(dirs.home, 'bridge.sock');
  env.CPAN_BRIDGE_CONFIG = dirs.config;
  Object.assign(env, extra);
  return env;
}

export interface CliResult { status: number | null; stdout: string; stderr: string }

export function cli(env: NodeJS.ProcessEnv, args: string[], timeoutMs = 60_000): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/** A process that exists and is not a zombie (a killed detached daemon stays a zombie until init reaps it). */
export const alive = pidAlive;

/** Every daemon process serving `home` (normally one): found by its environment, never by name. */
export function daemonsOf(home: string): number[] {
  return bridgeProcesses(home, (cmd) => cmd.includes('\0daemon'));
}

/**
 * Every node process of the CLI whose environment names this state directory: launchers
 * (`daemon --detach`), daemons, process-mode calls. A zombie has no cmdline and is not listed.
 */
export function bridgeProcesses(home: string, match: (cmdline: string) => boolean = () => true): number[] {
  const found: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (!cmd.includes(CLI) || !match(cmd)) continue;
      const env = fs.readFileSync(`/proc/${d}/environ`, 'utf8');
      if (env.split('\0').includes(`CPAN_BRIDGE_HOME=${home}`)) found.push(Number(d));
    } catch { /* gone, or not ours */ }
  }
  return found;
}

/** Ends every daemon of this run's state directory (started by this run: ours to end). */
export async function killDaemons(home: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const pids = daemonsOf(home);
    if (!pids.length) return;
    for (const p of pids) {
      try { process.kill(p, 'SIGCONT'); process.kill(p, 'SIGKILL'); } catch { /* gone */ }
    }
    await sleep(100);
  }
}

export interface PerlResult {
  exit: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  startedAt: number;
  endedAt: number;
  timedOut: boolean;
  pid: number;
}

/** Runs a workflow script; `during` runs alongside (fault injection) and is awaited too. */
export async function runPerl(script: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number,
  during?: (pid: number, startedAt: number, done: () => boolean) => Promise<void>): Promise<PerlResult> {
  const startedAt = Date.now();
  const child = spawn('perl', [path.join(WORKFLOW_DIR, script), ...args], { env: { ...env, PERL5LIB }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  let finished = false;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try { child.kill('SIGKILL'); } catch { /* gone */ }
  }, timeoutMs);
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on('close', (code, signal) => { finished = true; resolve({ code, signal }); }));
  const side = during ? during(child.pid!, startedAt, () => finished).catch((e) => { stderr += `\n[chaos] fault injector error: ${String(e)}\n`; }) : Promise.resolve();
  const { code, signal } = await exited;
  const endedAt = Date.now();
  clearTimeout(timer);
  await side;
  return { exit: code, signal, stdout, stderr, startedAt, endedAt, timedOut, pid: child.pid! };
}

/** All files under `dir` (relative paths, sorted). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** Client-side debug lines "[CPANBridge PID T] connected to daemon pid N ..." -> their times (ms). */
export function reconnectTimes(stderr: string): number[] {
  const t: number[] = [];
  for (const m of stderr.matchAll(/^\[CPANBridge \d+ ([\d.]+)\] connected to daemon pid/gm)) t.push(Math.round(Number(m[1]) * 1000));
  return t;
}

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : Math.round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
}
