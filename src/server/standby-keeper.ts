// The primary's side of the warm standby (setting `standby`): a second node, started once the
// daemon serves, with the daemon's modules loaded and the journal not opened, that takes over the
// moment this process dies (src/server/standby-wait.ts). It shares this daemon's listening socket
// (descriptor 3), so a client reconnecting after a crash connects at once and its hello waits in
// the socket's queue until the standby answers it: no refused connection, no autostart, no race.
// Its stdin is a socket pair whose other end only this process holds: the kernel closes it when
// this process ends, however it ends, and that end-of-file is the standby's signal.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { statePaths, type Settings } from '../config';
import { deferCaEnv } from '../extra-ca';
import { openAppend } from '../state-dir';

/** Not at the very moment the daemon serves: its first client's start competes for the CPU. */
const SPAWN_DELAY_MS = 300;
/** A standby that dies is started again, but not more often than this. */
const RESPAWN_EVERY_MS = 1000;
/** A standby told to stop that has not exited by then is killed. */
const STOP_WAIT_MS = 3000;

export interface ListeningSocket {
  /** The listening socket's descriptor in this process. */
  fd: number;
  /** The socket file's inode when it was bound: the standby checks it still names this socket. */
  ino: number;
}

export class StandbyKeeper {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private lastSpawn = 0;
  private stopped = false;

  constructor(private readonly settings: Settings, private socket: ListeningSocket, private readonly bench: boolean, private readonly log: Logger) {}

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Starts the standby after a short delay (and again whenever it dies, until stop()). */
  start(delayMs = SPAWN_DELAY_MS): void {
    if (this.stopped || this.timer || this.child) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.spawnNow();
    }, delayMs);
    this.timer.unref();
  }

  /** The daemon listens on a new socket (its file was replaced): the standby must share that one. */
  async replaceSocket(socket: ListeningSocket): Promise<void> {
    this.socket = socket;
    await this.kill();
    this.start();
  }

  /** Graceful stop: the standby exits before the daemon releases its lock, so it never takes over. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.kill();
  }

  private async kill(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_WAIT_MS);
    await this.exited;
    clearTimeout(killer);
  }

  private spawnNow(): void {
    const { settings } = this;
    const paths = statePaths(settings.home);
    const cli = path.join(__dirname, '..', '..', 'cli.js');
    let err: number | 'ignore' = 'ignore';
    try {
      err = openAppend(path.join(settings.home, 'standby.stderr'));
    } catch { /* its output is lost, the standby is not */ }
    const args = [...process.execArgv, cli, 'daemon', '--standby', '--socket-ino', String(this.socket.ino), ...(this.bench ? ['--bench'] : [])];
    const env = deferCaEnv({ ...process.env, CPAN_BRIDGE_HOME: settings.home, CPAN_BRIDGE_SOCKET: settings.socket });
    this.lastSpawn = Date.now();
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, args, { stdio: ['pipe', 'ignore', err, this.socket.fd], env, cwd: process.cwd() });
    } finally {
      if (typeof err === 'number') fs.closeSync(err);
    }
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      // a standby killed before it could remove its pid file leaves it behind
      try { if (fs.readFileSync(paths.standbyPid, 'utf8').trim() === String(child.pid)) fs.unlinkSync(paths.standbyPid); } catch { /* none */ }
      if (!this.stopped) {
        this.log.warn({ standby: child.pid, code, signal }, 'standby daemon exited: starting another');
        this.start(Math.max(SPAWN_DELAY_MS, RESPAWN_EVERY_MS - (Date.now() - this.lastSpawn)));
      }
      resolve();
    }));
    child.once('error', (e) => this.log.error({ err: String(e) }, 'cannot start the standby daemon'));
    child.stdin?.on('error', () => { /* the standby is gone: its exit says so */ });
    child.unref();
    this.log.info({ standby: child.pid }, 'standby daemon started');
  }
}
