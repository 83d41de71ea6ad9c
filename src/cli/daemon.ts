// `cpan-bridge daemon [--detach]`: serve in the foreground, or start in the background and return
// once the daemon answers (exit 0) or has failed to start (exit 1, with its reason).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { statePaths, type Settings } from '../config';
import { ensureHome, openTruncate } from '../state-dir';
import { socketAnswers } from '../server/probe';
import { benchJournalOff } from '../bench-mode';
import { deferCaEnv } from '../extra-ca';

/**
 * `readyFd`: a pipe from the client that started this daemon itself (one node start, no
 * `--detach` launcher: perl/lib/CPANBridge/Daemon.pm): "ready" once it serves, else
 * "fail CODE MESSAGE" before it exits; then closed.
 * `standbyIno`: run as the warm standby of the daemon that started this process (its listening
 * socket on descriptor 3, bound where the socket file had this inode): see src/server/standby-keeper.ts.
 */
export async function runDaemon(settings: Settings, bench = false, readyFd: number | null = null, standbyIno: number | null = null): Promise<void> {
  const report = (line: string) => {
    if (readyFd === null) return;
    try {
      fs.writeSync(readyFd, `${line}\n`);
      fs.closeSync(readyFd);
    } catch { /* the client has gone: nobody to tell */ }
    readyFd = null;
  };
  let journalOff: boolean;
  try {
    journalOff = benchJournalOff(bench);
  } catch (e) {
    process.stderr.write(`cpan-bridge: ${(e as Error).message}\n`);
    report(`fail 2 ${(e as Error).message}`);
    process.exitCode = 2;
    return;
  }
  // loaded here, not at the top: `daemon --detach` only launches, and should start fast
  const { Daemon, DaemonError } = require('../server/daemon') as typeof import('../server/daemon');
  const d = new Daemon(settings, undefined, journalOff);
  let takeover: import('../server/standby-wait').Takeover | undefined;
  if (standbyIno !== null) {
    const { waitForTakeover } = require('../server/standby-wait') as typeof import('../server/standby-wait');
    const t = await waitForTakeover(settings, standbyIno, d.log);
    if (!t) {
      setTimeout(() => process.exit(0), 50); // let the log line reach its file
      return;
    }
    takeover = t;
  }
  try {
    await d.start(takeover);
  } catch (e) {
    const code = e instanceof DaemonError ? e.exitCode : 1;
    process.stderr.write(`cpan-bridge: ${(e as Error).message}\n`);
    report(`fail ${code} ${(e as Error).message.replace(/\s+/g, ' ')}`);
    d.log.error({ err: (e as Error).message }, 'daemon failed to start');
    setTimeout(() => process.exit(code), 50); // let the log line reach its file
    return;
  }
  report('ready');
  const stop = () => void d.stop(0);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('uncaughtException', (e) => {
    d.log.fatal({ err: String(e), stack: e.stack }, 'uncaught exception');
    void d.stop(70);
  });
  process.on('unhandledRejection', (e) => d.log.error({ err: String(e) }, 'unhandled rejection'));
}

export async function detachDaemon(settings: Settings, timeoutMs = 15_000): Promise<number> {
  ensureHome(settings.home);
  if (await socketAnswers(settings.socket)) return 0;
  const errFile = path.join(settings.home, 'daemon.stderr');
  const err = openTruncate(errFile);
  // the child serves the state directory and socket resolved here (--home, --socket, config),
  // not whatever its own environment would default to
  const env = deferCaEnv({ ...process.env, CPAN_BRIDGE_HOME: settings.home, CPAN_BRIDGE_SOCKET: settings.socket });
  // OpenSSL's legacy provider (Blowfish, DES, IDEA, CAST5 for Crypt::CBC) for the daemon only
  const child = spawn(process.execPath, ['--openssl-legacy-provider', path.join(__dirname, '..', '..', 'cli.js'), 'daemon'], {
    detached: true, stdio: ['ignore', 'ignore', err], env, cwd: '/',
  });
  fs.closeSync(err);
  let exited: number | null = null;
  child.on('exit', (code) => { exited = code ?? 1; });
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await socketAnswers(settings.socket, 500)) return 0;
    if (exited !== null) {
      if (exited === 3 && (await socketAnswers(settings.socket, 500))) return 0; // another one won the race
      process.stderr.write(`cpan-bridge: the daemon did not start: ${fs.readFileSync(errFile, 'utf8').trim() || `exit code ${exited}`}\n`);
      // 3: a daemon holds the state directory but does not answer (stopped, hung, busy starting);
      // a client waits for it rather than giving up
      return exited === 3 ? 3 : 1;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  process.stderr.write(`cpan-bridge: the daemon did not answer on ${settings.socket} within ${timeoutMs} ms\n`);
  return 1;
}

export function readPid(settings: Settings): number | null {
  try {
    const n = Number(fs.readFileSync(statePaths(settings.home).pid, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}
