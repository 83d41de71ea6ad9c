// Runs a predecessor-named request through the translation table. The reply keeps our envelope
// ({id, success, result}); `result` is the predecessor's shape, which call_python returns as is.
import type { Engine, Reply } from '../engine';
import { withId } from '../engine';
import { errorBody, successBody } from '../kit/results';
import { BridgeError } from '../errors';
import type { LegacyCall, LegacyRunner } from '../kit/legacy';
import type { Session } from '../kit/types';
import { LEGACY } from './table';

/** A sub-request failed: its reply is the answer. */
class Failed {
  constructor(readonly error: unknown, readonly reply: Reply) {}
}

/** The predecessor's own words for a name it did not allow (scripts match them). */
function notAllowed(module: string, fn: string): BridgeError {
  const known = Object.keys(LEGACY).filter((k) => k.startsWith(`${module}.`)).map((k) => k.slice(module.length + 1));
  return known.length
    ? new BridgeError('unknown_function', `Request validation failed: Function not allowed: ${module}.${fn} (predecessor names: ${known.join(', ')})`)
    : new BridgeError('unknown_module', `Request validation failed: Module not allowed: ${module}`);
}

export async function submitLegacy(engine: Engine, session: Session, id: string, module: string, fn: string, params: unknown): Promise<Reply> {
  const entry = Object.prototype.hasOwnProperty.call(LEGACY, `${module}.${fn}`) ? LEGACY[`${module}.${fn}`] : undefined;
  const p = (params && typeof params === 'object' && !Array.isArray(params) ? params : {}) as Record<string, unknown>;
  const refuse = (e: unknown): Reply => ({ json: withId(id, errorBody(e)), afterReply: () => undefined });
  if (!entry) return refuse(notAllowed(module, fn));
  let last: Reply | null = null;
  let j: number | undefined; // the journal's commit count, which the client keeps (Requests.pm)
  const one = async (subId: string, c: LegacyCall, soft = false): Promise<Record<string, unknown>> => {
    const reply = await engine.submit(session, { id: subId, module: c.module, function: c.function, params: c.params });
    const r = JSON.parse(reply.json) as { j?: number; success: boolean; result?: Record<string, unknown>; error?: Record<string, unknown> };
    if (r.j !== undefined) j = r.j;
    // a sub-reply the translation has consumed is delivered (its after-reply point, CRASH_AT);
    // the last one's waits for the request's own reply
    const previous = last as Reply | null;
    previous?.afterReply();
    last = null;
    if (!r.success) {
      if (soft) {
        reply.afterReply();
        return { error: r.error ?? {} };
      }
      throw new Failed(r.error ?? {}, reply);
    }
    last = reply;
    return r.result ?? {};
  };
  try {
    let shaped: Record<string, unknown>;
    if ('run' in entry) {
      const runner: LegacyRunner = { session, call: (tag, c, soft) => one(`${id}.${tag}`, c, soft) };
      shaped = await entry.run(p, runner);
    } else {
      const c = entry.to(p);
      const calls = Array.isArray(c) ? c : [c];
      const results: Record<string, unknown>[] = [];
      // a sub-id per translated call keeps each of them exactly-once on a resend
      for (let i = 0; i < calls.length; i++) results.push(await one(calls.length > 1 ? `${id}.${i}` : id, calls[i]));
      shaped = entry.shape(results[results.length - 1], results, p);
    }
    const done = last as Reply | null;
    return { json: withId(id, successBody(shaped), j), afterReply: done ? done.afterReply : () => undefined };
  } catch (e) {
    // answered under the request's own id, whichever sub-request failed
    if (e instanceof Failed) return { json: withId(id, JSON.stringify({ success: false, error: e.error }), j), afterReply: e.reply.afterReply };
    if (e instanceof BridgeError) return refuse(e);
    return refuse(new BridgeError('bad_params', (e as Error).message));
  }
}
