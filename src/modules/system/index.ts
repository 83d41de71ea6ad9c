// Built-in functions: liveness, status, journal compaction and shutdown (the owner's only).
import { BridgeError } from '../../errors';
import type { ModuleDef, Session } from '../../kit/types';
import { VERSION } from '../../version';

export interface SystemHooks {
  status(): Record<string, unknown>;
  compact(): Record<string, unknown>;
  /** Stops the daemon after the reply is out; absent in process mode (no daemon to stop). */
  shutdown?(): void;
}

/** Privileged calls: only the daemon's own user (or root), known from the socket. */
export function requireOwner(session: Session, what: string): void {
  const me = process.getuid?.();
  const peer = session.peer;
  if (!peer) throw new BridgeError('not_permitted', `${what}: the caller's identity is unknown (process mode or no SO_PEERCRED): refused`);
  if (peer.uid !== me && peer.uid !== 0) throw new BridgeError('not_permitted', `${what}: only the daemon's owner (uid ${String(me)}) may do this, not uid ${peer.uid}`);
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
        run: (_p, ctx) => {
          const s = ctx.settings;
          const limits = { max_connections: s.maxConnections, max_frame_bytes: s.maxFrameBytes, hello_timeout_seconds: s.helloTimeoutSeconds, reply_retention_seconds: s.replyRetentionSeconds, max_handles_total: s.maxHandlesTotal, memory_ceiling_bytes: s.memoryCeilingBytes };
          return { pid: process.pid, version: VERSION, uptime_ms: Date.now() - started, limits, ...hooks.status() };
        },
      },
      compact: {
        params: empty,
        // it deletes journal rows; running it again after a crash is harmless, so never in doubt
        effect: 'side-effect',
        outcome: async () => ({ happened: false }),
        run: () => hooks.compact(),
      },
      shutdown: {
        params: empty,
        // a resend after the restart it caused must not stop the new daemon: it happened
        effect: 'side-effect',
        outcome: async () => ({ happened: true, result: { stopping: true } }),
        run: (_p, ctx) => {
          requireOwner(ctx.session, 'system.shutdown');
          if (!hooks.shutdown) throw new BridgeError('bad_params', 'system.shutdown: there is no daemon to stop in process mode');
          hooks.shutdown();
          return { stopping: true };
        },
      },
    },
  };
}
