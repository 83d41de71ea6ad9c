// The predecessor's `call_python($module, $function, \%params)` names and result shapes, as each
// module translates them onto its own functions (its legacy.ts). Each entry says which of our
// functions answers it, how its params map, and how our result becomes the predecessor's shape
// (flat keys beside `success` for the database module, nested under `result` for the others).
export interface LegacyCall {
  module: string;
  function: string;
  params: Record<string, unknown>;
}

export interface LegacyEntry {
  to(p: Record<string, unknown>): LegacyCall | LegacyCall[];
  /** Our result (the last call's, or all of them) in the predecessor's shape. */
  shape(r: Record<string, unknown>, all: Record<string, unknown>[], p: Record<string, unknown>): Record<string, unknown>;
}

/** A module's translations, keyed `predecessor_module.predecessor_function`. */
export type LegacyTable = Record<string, LegacyEntry>;

/** The predecessor's database shape: keys beside `success`. */
export const flat = (extra: Record<string, unknown> = {}) => ({ success: true, ...extra });
/** The predecessor's shape of the other modules: under `result`. */
export const nested = (result: Record<string, unknown> = {}) => ({ success: true, result });
