// Process mode: one request in a short-lived process, against the same journal as the daemon,
// rehydrating the handles it touches. The state directory's lock makes it the only writer while
// it runs (it waits for a process-mode call of another job; it cannot run beside a daemon).
import * as os from 'node:os';
import { Journal } from '../journal/journal';
import { ensureHome, statePaths, type Settings } from './config';
import { Engine, errorBody, withId } from './engine';
import { BridgeError } from './errors';
import { silentLogger } from './log';
import { allModules, moduleMigrations } from './modules';
import { StateLock } from './server/lock';

export interface ProcessCall {
  module: string;
  function: string;
  params: unknown;
  session: string;
  id: string;
  ack?: number;
  clientPid: number | null;
}

export async function runProcessCall(settings: Settings, call: ProcessCall, lockWaitMs = 30_000): Promise<string> {
  ensureHome(settings.home);
  const paths = statePaths(settings.home);
  const lock = StateLock.acquire(paths.lock, lockWaitMs);
  if (!lock) {
    return withId(call.id, errorBody(new BridgeError('busy', `the state directory ${settings.home} is in use by a daemon that does not answer; process mode cannot run beside it`, { retryable: true })));
  }
  let journal: Journal | null = null;
  try {
    const modules = allModules({ status: () => ({ mode: 'process' }), compact: () => ({}) });
    journal = new Journal(paths.journal, { synchronous: settings.synchronous, keyFile: paths.key, migrations: moduleMigrations(modules) });
    const engine = new Engine({ journal, modules, settings, log: silentLogger });
    const session = { id: call.session, pid: call.clientPid, host: os.hostname(), script: null, cwd: process.cwd() };
    journal.touchSession(session.id, session.pid, session.host, session.script);
    const reply = await engine.submit(session, { id: call.id, module: call.module, function: call.function, params: call.params, ack: call.ack });
    await engine.shutdown();
    return reply.json;
  } finally {
    journal?.close();
    lock.release();
  }
}
