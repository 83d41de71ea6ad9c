// The predecessor's `call_python($module, $function, \%params)` names and result shapes, as each
// module translates them onto its own functions (its legacy.ts). Each entry says which of our
// functions answers it, how its params map, and how our result becomes the predecessor's shape
// (flat keys beside `success` for the database module, nested under `result` for the others).
import type { Session } from './types';

export interface LegacyCall {
  module: string;
  function: string;
  params: Record<string, unknown>;
}

/** A fixed translation: the calls to make, then the shape of their results. */
export interface LegacyMapping {
  to(p: Record<string, unknown>): LegacyCall | LegacyCall[];
  /** Our result (the last call's, or all of them) in the predecessor's shape. */
  shape(r: Record<string, unknown>, all: Record<string, unknown>[], p: Record<string, unknown>): Record<string, unknown>;
}

/** What a translation that decides its calls as it goes may do. */
export interface LegacyRunner {
  readonly session: Session;
  /**
   * Runs one of our calls as a sub-request tagged `tag` (`<id>.<tag>`): the same tag for the same
   * call, so a resend finds it in the journal. A failure ends the whole request with its error,
   * unless `soft` (then it comes back as `{ error: {code, message} }`).
   */
  call(tag: string, c: LegacyCall, soft?: boolean): Promise<Record<string, unknown>>;
}

/** A translation whose calls depend on earlier results (or on state kept between requests). */
export interface LegacyProgram {
  /** The modules of ours it calls (for the layout check; a mapping's are read from its `to`). */
  reaches: string[];
  run(p: Record<string, unknown>, r: LegacyRunner): Promise<Record<string, unknown>>;
}

export type LegacyEntry = LegacyMapping | LegacyProgram;

/** A module's translations, keyed `predecessor_module.predecessor_function`. */
export type LegacyTable = Record<string, LegacyEntry>;

/** The predecessor's database shape: keys beside `success`. */
export const flat = (extra: Record<string, unknown> = {}) => ({ success: true, ...extra });
/** The predecessor's shape of the other modules: under `result`. */
export const nested = (result: Record<string, unknown> = {}) => ({ success: true, result });

/** The modules of ours an entry calls. */
export function legacyTargets(e: LegacyEntry): string[] {
  if ('run' in e) return e.reaches;
  try {
    return [e.to({})].flat().map((c) => c.module);
  } catch {
    return [];
  }
}

/** A predecessor param as text (String() that cannot throw: see protocol/values). */
export { text } from '../protocol/values';
