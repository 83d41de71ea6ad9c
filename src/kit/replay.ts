// Replay after a restart, for any module: a handle's journaled ops are applied again in order and
// each one's result now is checked against what the client was told then (Restate's journal does
// the same). A mismatch is never silent: it is a ReplayDivergedError (`replay_diverged`).
// Database transactions, SFTP cwd, a cipher's stream position, an XPath context, a logger's
// appenders all replay this way.
import { BridgeError } from '../errors';

export class ReplayDivergedError extends BridgeError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super('replay_diverged', message, { extra });
  }
}

/** What one replayed op gave now (`got`) and what it gave the client before the restart (`want`). */
export interface ReplayCheck {
  got: unknown;
  want: unknown;
}

export interface Divergence<Op> extends ReplayCheck {
  /** 0-based position of the op that diverged. */
  index: number;
  op: Op;
}

/**
 * Applies `ops` in order through `step`; stops at the first op whose result differs from the one
 * journaled and returns it (the caller undoes what it must and reports it), or null when all agree.
 */
export async function replayOps<Op>(ops: readonly Op[], step: (op: Op, index: number) => Promise<ReplayCheck>): Promise<Divergence<Op> | null> {
  for (let index = 0; index < ops.length; index++) {
    const { got, want } = await step(ops[index], index);
    if (got !== want) return { index, op: ops[index], got, want };
  }
  return null;
}
