// The predecessor's wire format, kept so that tools speaking it directly still work: one raw JSON
// request per connection, ended by the client's half-close; the answer is raw JSON, then close.
// It carries no token: the connection layer admits only peers whose uid the kernel vouches for
// (SO_PEERCRED), and each client process gets a session of its own, keyed by its uid, pid and
// start time, so that no process reaches another's handles or stored replies. A legacy job opens
// one connection per request and reuses its handles across them: per-process, not per-connection.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import type * as net from 'node:net';
import type { Logger } from 'pino';
import type { Engine } from '../engine';
import { toWireError } from '../errors';
import { submitLegacy } from '../legacy/submit';
import type { Session } from '../kit/types';
import { parseMessage } from '../protocol/parse';
import { text } from '../protocol/values';
import type { PeerCredentials } from './peercred';

/** A process's start time (clock ticks since boot): with the pid it names one process, even after pid reuse. */
function startTime(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // field 22; the command name (field 2) may hold spaces and parentheses, so count from its end
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '0';
  } catch {
    return '0';
  }
}

/**
 * The session of one legacy client process. Its id holds ':' , which a framed hello's session id
 * may not contain, so a token holder cannot claim it either.
 */
export function legacySession(peer: PeerCredentials): Session {
  return { id: `legacy:${peer.uid}:${peer.pid}:${startTime(peer.pid)}`, pid: peer.pid, host: os.hostname(), script: null, cwd: null, peer };
}

export function answerLegacy(socket: net.Socket, body: unknown): void {
  if (!socket.destroyed && socket.writable) socket.end(JSON.stringify(body));
}

/** A refusal in the predecessor's error shape, with our code as its error_type. */
export function legacyRefusal(socket: net.Socket, e: unknown): void {
  const w = toWireError(e);
  answerLegacy(socket, { success: false, error: w.message, error_type: w.code });
}

export async function handleLegacy(raw: Buffer, socket: net.Socket, engine: Engine, log: Logger, session: Session, maxDepth: number): Promise<void> {
  let req: Record<string, unknown>;
  try {
    req = parseMessage(raw, maxDepth);
  } catch (e) {
    const w = toWireError(e);
    return answerLegacy(socket, { success: false, error: `Invalid JSON request: ${w.message}`, error_type: w.code === 'bad_frame' ? 'ValueError' : w.code });
  }
  const module = text(req.module ?? '');
  const fn = text(req.function ?? '');
  const id = typeof req.request_id === 'string' ? req.request_id : crypto.randomUUID();
  try {
    const reply = await submitLegacy(engine, session, id, module, fn, req.params ?? {});
    const parsed = JSON.parse(reply.json) as { success: boolean; result?: unknown; error?: { message: string; code: string } };
    answerLegacy(socket, parsed.success
      ? { success: true, result: parsed.result, module, function: fn }
      : { success: false, error: parsed.error?.message, error_type: parsed.error?.code });
  } catch (e) {
    log.error({ err: String(e) }, 'legacy request failed');
    answerLegacy(socket, { success: false, error: String(e), error_type: 'internal' });
  }
}
