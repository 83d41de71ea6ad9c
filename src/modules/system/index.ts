// Built-in functions: liveness, status and journal compaction (the one that changes state).
import type { ModuleDef } from '../../kit/types';
import { VERSION } from '../../version';

export interface SystemHooks {
  status(): Record<string, unknown>;
  compact(): Record<string, unknown>;
}

export function systemModule(hooks: SystemHooks): ModuleDef {
  const started = Date.now();
  const empty = { type: 'object' };
  return {
    name: 'system',
    kinds: {},
    functions: {
      ping: {
        params: empty,
        effect: 'read',
        run: () => ({ pong: true, pid: process.pid, version: VERSION, uptime_ms: Date.now() - started }),
      },
      status: {
        params: empty,
        effect: 'read',
        run: () => ({ pid: process.pid, version: VERSION, uptime_ms: Date.now() - started, ...hooks.status() }),
      },
      compact: {
        params: empty,
        // it deletes journal rows; running it again after a crash is harmless, so never in doubt
        effect: 'side-effect',
        outcome: async () => ({ happened: false }),
        run: () => hooks.compact(),
      },
    },
  };
}
