// The one place where the journal, the modules and the engine are put together, for the daemon
// and for process mode alike: the modules' migrations and delete hooks reach the journal, their
// tables reach the engine, their declared secrets reach the logger's redaction.
import type { Logger } from 'pino';
import { Journal } from '../journal/journal';
import { statePaths, type Settings } from './config';
import { Engine } from './engine';
import type { CrashInjector } from './faults';
import type { ModuleDef } from './kit/types';
import { deleteHook, moduleMigrations } from './modules';

export interface Bridge {
  journal: Journal;
  engine: Engine;
}

export interface BridgeOptions {
  log: Logger;
  crash?: CrashInjector | null;
  onJournalFailure?: (e: unknown) => void;
  /** Benchmarks only (src/bench-mode.ts): the journal writes nothing. */
  discardJournal?: boolean;
}

/** Opens the state directory's journal (migrated for every module) and the engine over it. */
export function openBridge(settings: Settings, modules: ModuleDef[], opts: BridgeOptions): Bridge {
  const paths = statePaths(settings.home);
  const journal = new Journal(paths.journal, {
    synchronous: settings.synchronous, keyFile: paths.key, migrations: moduleMigrations(modules), onDelete: deleteHook(modules),
    replyBound: { count: settings.maxKeptReplies, bytes: settings.maxKeptReplyBytes }, discardWrites: opts.discardJournal,
  });
  for (const m of modules) {
    try {
      m.onOpen?.(settings);
    } catch (e) {
      opts.log.warn({ module: m.name, err: String((e as Error).message ?? e) }, 'module clean-up at start failed');
    }
  }
  const engine = new Engine({ journal, modules, settings, log: opts.log, crash: opts.crash, onJournalFailure: opts.onJournalFailure });
  return { journal, engine };
}
