// The predecessor's wire format, kept so that tools speaking it directly still work: one raw JSON
// request per connection, ended by the client's half-close; the answer is raw JSON, then close.
// Such clients have no session of their own: they share the "legacy" session.
import * as crypto from 'node:crypto';
import type * as net from 'node:net';
import type { Logger } from 'pino';
import type { Engine } from '../engine';
import { submitLegacy } from '../legacy/submit';

const LEGACY_SESSION = { id: 'legacy-clients', pid: null, host: null, script: null, cwd: null };

function answer(socket: net.Socket, body: unknown): void {
  socket.end(JSON.stringify(body));
}

export async function handleLegacy(raw: Buffer, socket: net.Socket, engine: Engine, log: Logger): Promise<void> {
  let req: Record<string, unknown>;
  try {
    req = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    if (req === null || typeof req !== 'object' || Array.isArray(req)) throw new Error('not an object');
  } catch (e) {
    return answer(socket, { success: false, error: `Invalid JSON request: ${(e as Error).message}`, error_type: 'ValueError' });
  }
  const module = String(req.module ?? '');
  const fn = String(req.function ?? '');
  const id = typeof req.request_id === 'string' ? req.request_id : crypto.randomUUID();
  try {
    const reply = await submitLegacy(engine, LEGACY_SESSION, id, module, fn, req.params ?? {});
    const parsed = JSON.parse(reply.json) as { success: boolean; result?: unknown; error?: { message: string; code: string } };
    answer(socket, parsed.success
      ? { success: true, result: parsed.result, module, function: fn }
      : { success: false, error: parsed.error?.message, error_type: parsed.error?.code });
  } catch (e) {
    log.error({ err: String(e) }, 'legacy request failed');
    answer(socket, { success: false, error: String(e) });
  }
}
