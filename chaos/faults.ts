// External faults, injected from outside the daemon while a workflow runs: SIGKILL, SIGSTOP past
// the client's timeout, the socket file deleted, the journal made unwritable, its WAL truncated,
// its filesystem full, PostgreSQL restarted. Each records what it actually did (a fault that never
// happened proves nothing).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bridgeProcesses, daemonPid, sleep, type RunDirs } from './harness';
import { restartSshd } from '../test/sshd';

export type FaultKind = 'sigkill' | 'kill-everything' | 'sigstop' | 'socket' | 'journal-ro' | 'wal-truncate' | 'fs-full' | 'pg-restart' | 'sshd-restart';
export const FAULT_KINDS: FaultKind[] = ['sigkill', 'kill-everything', 'sigstop', 'socket', 'journal-ro', 'wal-truncate', 'fs-full', 'pg-restart', 'sshd-restart'];

export interface FaultLog {
  /** moments (epoch ms) the daemon was made to die, for recovery times */
  deaths: number[];
  actions: string[];
  applied: number;
}

/** How a fault's run is judged besides "identical to golden". */
export interface FaultPolicy {
  /** the script may fail instead of completing, if it fails clearly (journal damage: refusing is right) */
  mayRefuse: boolean;
  /** extra client environment */
  clientEnv: Record<string, string>;
  /** extra time the run may take */
  extraMs: number;
}

export function policy(kind: FaultKind): FaultPolicy {
  switch (kind) {
    case 'sigstop':
      return { mayRefuse: false, clientEnv: { CPAN_BRIDGE_TIMEOUT: '1', CPAN_BRIDGE_RECONNECT_TIMEOUT: '20' }, extraMs: 30_000 };
    case 'journal-ro':
    case 'wal-truncate':
    case 'fs-full':
      return { mayRefuse: true, clientEnv: { CPAN_BRIDGE_RECONNECT_TIMEOUT: '10' }, extraMs: 30_000 };
    case 'pg-restart':
      return { mayRefuse: false, clientEnv: {}, extraMs: 60_000 };
    case 'kill-everything':
      return { mayRefuse: false, clientEnv: {}, extraMs: 30_000 };
    default:
      return { mayRefuse: false, clientEnv: {}, extraMs: 10_000 };
  }
}

async function until(t: number, done: () => boolean): Promise<boolean> {
  while (Date.now() < t) {
    if (done()) return false;
    await sleep(Math.min(10, t - Date.now()));
  }
  return !done();
}

function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

function journalFiles(home: string): string[] {
  return ['journal.sqlite', 'journal.sqlite-wal', 'journal.sqlite-shm'].map((f) => path.join(home, f)).filter((f) => fs.existsSync(f));
}

export function chattr(flag: '+i' | '-i', files: string[]): string | null {
  if (!files.length) return null;
  const r = spawnSync('chattr', [flag, ...files], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? null : (r.stderr || String(r.error)).trim();
}

export function pgRestart(): string | null {
  const versions = fs.existsSync('/etc/postgresql') ? fs.readdirSync('/etc/postgresql').sort() : [];
  if (!versions.length) return 'no PostgreSQL cluster under /etc/postgresql';
  const r = spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0], 'main', 'restart'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) return `pg_ctlcluster restart failed: ${(r.stderr || String(r.error)).trim()}`;
  for (let i = 0; i < 60; i++) {
    const ready = spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q'], { timeout: 5000 });
    if (ready.status === 0) return null;
    spawnSync('sleep', ['0.5']);
  }
  return 'PostgreSQL did not come back within 30 s';
}

/** Mounts a small tmpfs on the state directory (before anything is in it). null, or why not. */
export function mountSmallFs(dir: string, sizeKb: number): string | null {
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k,mode=0700`, 'tmpfs', dir], { encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 ? null : (r.stderr || String(r.error) || `exit ${r.status}`).trim();
}

export function unmount(dir: string): string | null {
  for (let i = 0; i < 20; i++) {
    const r = spawnSync('umount', [dir], { encoding: 'utf8', timeout: 10_000 });
    if (r.status === 0) return null;
    spawnSync('sleep', ['0.2']);
    if (i === 19) return (r.stderr || String(r.error)).trim();
  }
  return 'umount failed';
}

/** Fills the filesystem of `dir` until `leaveBytes` remain free. */
export function fillFs(dir: string, leaveBytes: number): number {
  const st = fs.statfsSync(dir);
  const free = Number(st.bavail) * Number(st.bsize);
  const n = Math.max(0, free - leaveBytes);
  const fd = fs.openSync(path.join(dir, 'filler.bin'), 'w', 0o600);
  const chunk = Buffer.alloc(65536, 0x5a);
  let written = 0;
  try {
    while (written < n) written += fs.writeSync(fd, chunk, 0, Math.min(chunk.length, n - written));
  } catch { /* full already */ }
  fs.closeSync(fd);
  return written;
}

/**
 * SIGKILL every node process of the state directory (launcher, daemon, process-mode calls) at
 * once: first at a seeded moment of the run, then twice within the first second of the next
 * start (`delays`: ms after a new process appears), so that starts themselves are killed.
 */
async function killEverything(home: string, first: number, delays: number[], startedAt: number, done: () => boolean, log: FaultLog): Promise<void> {
  let killed = new Set<number>();
  const killAll = (label: string) => {
    const pids = bridgeProcesses(home);
    for (const p of pids) signal(p, 'SIGKILL');
    if (pids.length) {
      log.deaths.push(Date.now());
      log.applied++;
    }
    log.actions.push(`${label}: SIGKILL ${pids.length ? `every bridge process (${pids.join(',')})` : 'nothing (no bridge process)'}`);
    killed = new Set([...killed, ...pids]);
  };
  if (!(await until(startedAt + first, done))) {
    log.actions.push(`+${first}ms: the workflow had already ended`);
    return;
  }
  killAll(`+${first}ms`);
  for (const d of delays) {
    // the next start: a process not killed before (a launcher, a daemon, a process-mode call)
    const t = Date.now() + 30_000;
    let fresh: number | undefined;
    while (!done() && Date.now() < t && (fresh = bridgeProcesses(home).find((p) => !killed.has(p))) === undefined) await sleep(2);
    if (fresh === undefined) {
      log.actions.push('no new start to kill: the workflow had ended');
      return;
    }
    await sleep(d);
    killAll(`${d} ms after process ${fresh} appeared`);
  }
}

/**
 * The fault's action during the workflow. `at` are offsets (ms from the script's start) chosen by
 * the caller's seeded generator.
 */
export async function inject(kind: FaultKind, dirs: RunDirs, at: number[], startedAt: number, done: () => boolean, log: FaultLog): Promise<void> {
  const home = dirs.home;
  if (kind === 'kill-everything') return killEverything(home, at[0], at.slice(1), startedAt, done, log);
  let lastKilled: number | null = null;
  for (const [i, off] of at.entries()) {
    let when = startedAt + off;
    if (kind === 'sigkill' && lastKilled !== null) {
      // the next kill comes a seeded while after the replacement daemon is up (not during its start)
      const t = Date.now() + 20_000;
      while (!done() && Date.now() < t && (daemonPid(home) === null || daemonPid(home) === lastKilled)) await sleep(10);
      when = Date.now() + 50 + (off - at[i - 1]);
    }
    if (!(await until(when, done))) {
      log.actions.push(`+${off}ms: the workflow had already ended`);
      return;
    }
    const pid = daemonPid(home);
    switch (kind) {
      case 'sigkill': {
        if (pid && signal(pid, 'SIGKILL')) {
          log.deaths.push(Date.now());
          lastKilled = pid;
          log.applied++;
          log.actions.push(`+${off}ms: SIGKILL daemon ${pid}`);
        } else log.actions.push(`+${off}ms: no daemon to kill`);
        break;
      }
      case 'sigstop': {
        const stopMs = 3000;
        if (pid && signal(pid, 'SIGSTOP')) {
          log.applied++;
          log.actions.push(`+${off}ms: SIGSTOP daemon ${pid} for ${stopMs} ms (client timeout 1 s)`);
          await sleep(stopMs);
          signal(pid, 'SIGCONT');
          log.actions.push('SIGCONT');
        } else log.actions.push(`+${off}ms: no daemon to stop`);
        break;
      }
      case 'socket': {
        if (i === 0) {
          try {
            fs.unlinkSync(path.join(home, 'bridge.sock'));
            log.applied++;
            log.actions.push(`+${off}ms: socket file deleted (daemon ${pid ?? '?'} still running)`);
          } catch (e) {
            log.actions.push(`+${off}ms: could not delete the socket: ${(e as Error).message}`);
          }
        } else if (pid && signal(pid, 'SIGKILL')) {
          // then the daemon dies too: the client must get a new one although the socket is gone
          log.deaths.push(Date.now());
          log.actions.push(`+${off}ms: SIGKILL daemon ${pid} (socket already deleted)`);
        } else log.actions.push(`+${off}ms: no daemon to kill`);
        break;
      }
      case 'journal-ro': {
        if (!pid) { log.actions.push(`+${off}ms: no daemon`); break; }
        signal(pid, 'SIGSTOP'); // frozen while its journal changes under it: nothing half-done
        const err = chattr('+i', journalFiles(home));
        signal(pid, 'SIGKILL');
        log.deaths.push(Date.now());
        if (err) log.actions.push(`+${off}ms: chattr +i failed (${err}); daemon ${pid} killed`);
        else { log.applied++; log.actions.push(`+${off}ms: daemon ${pid} killed, journal files made immutable (chattr +i)`); }
        break;
      }
      case 'wal-truncate': {
        if (!pid) { log.actions.push(`+${off}ms: no daemon`); break; }
        signal(pid, 'SIGSTOP');
        const wal = path.join(home, 'journal.sqlite-wal');
        const size = fs.existsSync(wal) ? fs.statSync(wal).size : 0;
        signal(pid, 'SIGKILL');
        log.deaths.push(Date.now());
        // a torn write at the crash: the WAL loses its tail mid-frame
        const keep = size > 32 ? 32 + Math.floor((size - 32) * 0.5) + 7 : 0;
        if (size > 32) {
          fs.truncateSync(wal, keep);
          log.applied++;
          log.actions.push(`+${off}ms: daemon ${pid} killed, WAL truncated from ${size} to ${keep} bytes`);
        } else log.actions.push(`+${off}ms: daemon ${pid} killed, WAL empty (${size} bytes): nothing to truncate`);
        break;
      }
      case 'fs-full':
        // the filesystem was filled before the run; nothing to do at a moment
        break;
      case 'sshd-restart': {
        // the SFTP server restarts, dropping every session: the daemon reconnects on the next call
        const file = path.join(dirs.data, 'sshd.dir');
        if (!fs.existsSync(file)) { log.actions.push(`+${off}ms: no sshd (the workflow starts none)`); break; }
        const sshdDir = fs.readFileSync(file, 'utf8');
        // mid-job, as the fault is meant: once the workflow says its session is up (a restart
        // during the first connect refuses it, which the real module does not survive either)
        if (await until(Date.now() + 10_000, () => done() || fs.existsSync(path.join(sshdDir, 'session.up')))) {
          log.actions.push(`+${off}ms: no SFTP session came up`);
          break;
        }
        if (done()) { log.actions.push(`+${off}ms: the workflow had already ended`); return; }
        restartSshd(sshdDir);
        log.applied++;
        log.actions.push(`+${off}ms: sshd restarted`);
        break;
      }
      case 'pg-restart': {
        const t0 = Date.now();
        const err = pgRestart();
        if (err) log.actions.push(`+${off}ms: ${err}`);
        else { log.applied++; log.actions.push(`+${off}ms: PostgreSQL restarted (${Date.now() - t0} ms)`); }
        break;
      }
    }
  }
}
