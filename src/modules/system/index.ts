// Built-in functions: liveness and status. Nothing here changes state.
import type { ModuleDef } from '../types';
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
        effect: 'read',
        run: () => hooks.compact(),
      },
    },
  };
}
