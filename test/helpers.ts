// Test support shared by the TypeScript tests and the chaos suite: private state directories, real
// daemons (the built CLI), clients, daemon pids, seeded randomness, the Perl environment.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BridgeClient, type ReplyMsg } from '../src/client';
import { loadSettings, statePaths, type Settings } from '../src/config';
import { pidAlive } from '../src/server/owner';
import { socketAnswers } from '../src/server/probe';

export const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');
/** The bridge's Perl modules: the client and shims, and the files under the original CPAN names. */
export const PERL_LIB = path.join(ROOT, 'perl', 'lib');
export const PERL_COMPAT = path.join(ROOT, 'perl', 'compat');
export const PERL5LIB = [PERL_LIB, PERL_COMPAT].join(':');

/** The daemon pid of a state directory, if that process is running (a zombie is not). */
export function daemonPid(home: string): number | null {
  try {
    const p = Number(fs.readFileSync(statePaths(home).pid, 'utf8').trim());
    return Number.isInteger(p) && p > 0 && pidAlive(p) ? p : null;
  } catch {
    return null;
  }
}

/** A deterministic pseudo-random generator (mulberry32): the same seed, the same run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function tempDir(prefix = 'cb-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function settingsFor(home: string, extra: Partial<Settings> = {}): Settings {
  return loadSettings({ home, socket: path.join(home, 'bridge.sock'), ...extra }, {});
}

export interface RunningDaemon {
  home: string;
  settings: Settings;
  child: ChildProcess;
  pid: number;
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  client(session?: string): Promise<BridgeClient>;
}

export function daemonEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CPAN_BRIDGE_HOME: home, CPAN_BRIDGE_SOCKET: path.join(home, 'bridge.sock'), ...extra };
  delete env.CPAN_BRIDGE_CONFIG;
  if (!('CPAN_BRIDGE_CRASH_AT' in extra)) delete env.CPAN_BRIDGE_CRASH_AT;
  return env;
}

/** Starts a foreground daemon on `home` and waits until it answers. */
export async function startDaemon(home: string, env: Record<string, string> = {}): Promise<RunningDaemon> {
  const settings = settingsFor(home, env.CPAN_BRIDGE_SOCKET ? { socket: env.CPAN_BRIDGE_SOCKET } : {});
  const child = spawn(process.execPath, ['--openssl-legacy-provider', CLI, 'daemon'], { env: daemonEnv(home, env), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, sig) => resolve(code ?? (sig ? -1 : null))));
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + 15000;
  while (!(await socketAnswers(settings.socket, 200))) {
    if (done) throw new Error(`daemon exited before answering: ${stderr}`);
    if (Date.now() > deadline) throw new Error(`daemon did not answer: ${stderr}`);
    await sleep(20);
  }
  return {
    home, settings, child, pid: child.pid!, exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (!done) {
        child.kill(signal);
        await exited;
      }
    },
    client: (session?: string) => BridgeClient.connect(settings, { session }),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `cond` until it holds or `ms` pass (bounded); returns whether it held. */
export async function eventually(cond: () => boolean, ms = 5000, every = 25): Promise<boolean> {
  for (const end = Date.now() + ms; !cond(); await sleep(every)) if (Date.now() > end) return cond();
  return true;
}

export function cli(home: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { env: daemonEnv(home, env), encoding: 'utf8', timeout: 60000 });
}

/** All files of the state directory, concatenated (for grep-style assertions). */
export function stateBytes(home: string): Buffer {
  return Buffer.concat(fs.readdirSync(home).filter((f) => fs.statSync(path.join(home, f)).isFile()).map((f) => fs.readFileSync(path.join(home, f))));
}

export { statePaths };

/** Drives a workflow through crashes: on a lost connection, restart the daemon, reconnect, resend. */
export class Resilient {
  restarts = 0;
  constructor(public d: RunningDaemon, public c: BridgeClient, private readonly env: Record<string, string> = {}) {}

  async request(id: string, module: string, fn: string, params: unknown): Promise<ReplyMsg> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const r = await this.c.request(module, fn, params, id);
      if (r.success || r.error?.code !== 'disconnected') return r;
      await this.d.exited;
      this.d = await startDaemon(this.d.home, this.env);
      this.c = await this.d.client(this.c.session);
      this.restarts++;
    }
    throw new Error('too many restarts');
  }

  async call(id: string, module: string, fn: string, params: unknown): Promise<Record<string, unknown>> {
    const r = await this.request(id, module, fn, params);
    if (!r.success) throw Object.assign(new Error(`${id} ${fn}: ${r.error?.code} ${r.error?.message}`), { wire: r.error });
    return r.result as Record<string, unknown>;
  }
}
