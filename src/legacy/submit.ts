// Runs a predecessor-named request through the translation table. The reply keeps our envelope
// ({id, success, result}); `result` is the predecessor's shape, which call_python returns as is.
import type { Engine, Reply } from '../engine';
import { withId } from '../engine';
import { errorBody, successBody } from '../kit/results';
import { BridgeError } from '../errors';
import type { Session } from '../kit/types';
import { LEGACY } from './table';

export async function submitLegacy(engine: Engine, session: Session, id: string, module: string, fn: string, params: unknown): Promise<Reply> {
  const entry = LEGACY[`${module}.${fn}`];
  const p = (params && typeof params === 'object' && !Array.isArray(params) ? params : {}) as Record<string, unknown>;
  if (!entry) {
    const known = Object.keys(LEGACY).filter((k) => k.startsWith(`${module}.`)).map((k) => k.slice(module.length + 1));
    const e = new BridgeError(known.length ? 'unknown_function' : 'unknown_module',
      known.length ? `unknown function ${module}.${fn} (predecessor names: ${known.join(', ')})` : `unknown predecessor module "${module}"`);
    return { json: withId(id, errorBody(e)), afterReply: () => undefined };
  }
  let calls;
  try {
    const c = entry.to(p);
    calls = Array.isArray(c) ? c : [c];
  } catch (e) {
    return { json: withId(id, errorBody(new BridgeError('bad_params', (e as Error).message))), afterReply: () => undefined };
  }
  const results: Record<string, unknown>[] = [];
  let last: Reply | null = null;
  for (let i = 0; i < calls.length; i++) {
    // a sub-id per translated call keeps each of them exactly-once on a resend
    last = await engine.submit(session, { id: calls.length > 1 ? `${id}.${i}` : id, module: calls[i].module, function: calls[i].function, params: calls[i].params });
    const r = JSON.parse(last.json) as { success: boolean; result?: Record<string, unknown> };
    if (!r.success) return last;
    results.push(r.result ?? {});
  }
  const shaped = entry.shape(results[results.length - 1], results, p);
  return { json: withId(id, successBody(shaped)), afterReply: last!.afterReply };
}
