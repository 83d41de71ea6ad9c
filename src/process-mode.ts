// Process mode: one request in a short-lived process, against the same journal as the daemon,
// rehydrating the handles it touches. The state directory's lock makes it the only writer while
// it runs (it waits for a process-mode call of another job; it cannot run beside a daemon).
import * as os from 'node:os';
import type { Journal } from '../journal/journal';
import { statePaths, type Settings } from './config';
import { ensureHome } from './state-dir';
import { withId } from './engine';
import { errorBody } from './kit/results';
import { BridgeError } from './errors';
import { submitLegacy } from './legacy/submit';
import { silentLogger } from './log';
import { allModules } from './modules';
import { StateLock } from './server/lock';
import { ownerGone } from './server/owner';
import { openBridge } from './wiring';

export interface ProcessCall {
  module: string;
  function: string;
  params: unknown;
  session: string;
  id: string;
  ack?: number;
  clientPid: number | null;
  /** Predecessor names and shapes (call_python). */
  legacy?: boolean;
}

export async function runProcessCall(settings: Settings, call: ProcessCall, lockWaitMs = 30_000): Promise<string> {
  ensureHome(settings.home);
  const paths = statePaths(settings.home);
  const lock = StateLock.acquire(paths.lock, lockWaitMs);
  if (!lock) {
    return withId(call.id, errorBody(new BridgeError('busy', `the state directory ${settings.home} is held by a daemon that does not answer on ${settings.socket} (stopped or hung?); process mode cannot run beside it`)));
  }
  let journal: Journal | null = null;
  try {
    const modules = allModules({ status: () => ({ mode: 'process' }), compact: () => ({}) });
    const bridge = openBridge(settings, modules, { log: silentLogger });
    journal = bridge.journal;
    const engine = bridge.engine;
    // this process runs as the client's user: it is its own peer
    const peer = { pid: process.pid, uid: process.getuid?.() ?? -1, gid: process.getgid?.() ?? -1 };
    const session = { id: call.session, pid: call.clientPid, host: os.hostname(), script: null, cwd: process.cwd(), peer };
    engine.recordSession(session);
    // with no daemon to sweep them, the journal's sessions of scripts that have ended go here
    for (const s of journal.sessions()) if (s.id !== session.id && ownerGone(s, session.host)) journal.forgetSession(s.id);
    const reply = call.legacy
      ? await submitLegacy(engine, session, call.id, call.module, call.function, call.params)
      : await engine.submit(session, { id: call.id, module: call.module, function: call.function, params: call.params, ack: call.ack });
    await engine.shutdown();
    return reply.json;
  } finally {
    journal?.close();
    lock.release();
  }
}
