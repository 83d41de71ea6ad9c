// The standby's side (see src/server/standby-keeper.ts): with the daemon's modules loaded, wait
// for the primary's end (end-of-file on stdin), then take the state directory's lock that its
// death released. The lock decides: a standby that does not get it (another daemon was faster)
// exits, so a standby never lingers beside a daemon that is not its primary.
import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import type { Logger } from 'pino';
import { statePaths, type Settings } from '../config';
import { newAjv } from '../engine';
import { writeAtomic } from '../state-dir';
import { StateLock } from './lock';
import { peerCredentialsAvailable } from './peercred';

/** The primary's exit closes our stdin and releases its lock in the same moment, but in no fixed order. */
const LOCK_WITHIN_MS = 2000;

export interface Takeover {
  lock: StateLock;
  /** The inherited listening socket (descriptor 3) and the inode its file had when it was bound. */
  fd: number;
  ino: number;
}

/** Resolves when the primary is gone: its end of our stdin closes, even when it is SIGKILLed. */
function primaryGone(): Promise<void> {
  return new Promise((resolve) => {
    const input = process.stdin;
    input.on('data', () => { /* nothing is sent: reading is how the end is seen */ });
    input.once('end', () => resolve());
    input.once('close', () => resolve());
    input.once('error', () => resolve());
    input.resume();
  });
}

/**
 * What a daemon loads lazily as it starts, on its first connection and first request, loaded now,
 * off the recovery path (each seen in the profile of a takeover): better-sqlite3's native addon
 * (loaded by the first database opened, here the lock's), node's cluster module (a server's first
 * listen), koffi with libc's getsockopt (peer credentials, ~10 ms), and ajv with its code generator
 * run once (a first schema compile in a fresh node costs tens of ms more than later ones).
 */
function warmUp(): void {
  new Database(':memory:').close();
  require('node:cluster');
  peerCredentialsAvailable();
  newAjv().compile({ type: 'object', properties: { a: { type: 'string' }, n: { type: 'integer', minimum: 0 } }, required: ['a'] });
}

async function takeLock(file: string): Promise<StateLock | null> {
  const end = Date.now() + LOCK_WITHIN_MS;
  for (;;) {
    const lock = StateLock.acquire(file, 0);
    if (lock || Date.now() >= end) return lock;
    await new Promise((r) => setTimeout(r, 1));
  }
}

function removePidFile(file: string): void {
  try { if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file); } catch { /* gone */ }
}

/** Waits as the standby; returns the takeover, or null when this standby should just exit. */
export async function waitForTakeover(settings: Settings, ino: number, log: Logger): Promise<Takeover | null> {
  const paths = statePaths(settings.home);
  let inherited = false;
  try { inherited = fs.fstatSync(3).isSocket(); } catch { /* no descriptor 3 */ }
  if (!Number.isInteger(ino) || !inherited) throw new Error('--standby: only a daemon with the standby setting starts its standby (with its socket on descriptor 3)');
  const quit = () => {
    removePidFile(paths.standbyPid);
    process.exit(0);
  };
  // told to stop by the primary (graceful stop), or interrupted with it: never take over
  process.on('SIGTERM', quit);
  process.on('SIGINT', quit);
  warmUp();
  writeAtomic(paths.standbyPid, `${process.pid}\n`, true);
  await primaryGone();
  const lock = await takeLock(paths.lock);
  process.off('SIGTERM', quit);
  process.off('SIGINT', quit);
  removePidFile(paths.standbyPid);
  if (!lock) {
    log.info('standby: the primary is gone but another process holds the state directory: exiting');
    return null;
  }
  log.info('standby: the primary is gone: taking over');
  return { lock, fd: 3, ino };
}
