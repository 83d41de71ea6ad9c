// JSON cannot carry bytes or 64-bit integers: bytes travel as {"$b64": "..."}, integers beyond
// 2^53 as decimal strings (as DBD::Oracle returns them).
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const B64 = '$b64';

/** What a one-key tag object ({"$b64": ...}, {"$b64t": ...}, {"$num": ...}) holds under `key`; undefined for anything else. */
export function wireTag(v: unknown, key: string): unknown {
  if (v === null || typeof v !== 'object' || Buffer.isBuffer(v) || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  return o[key] !== undefined && Object.keys(o).length === 1 ? o[key] : undefined;
}

/** The tag of encoded bytes: {"$b64": string}. */
function b64Tag(o: Record<string, unknown>): string | undefined {
  const tag = wireTag(o, B64);
  return typeof tag === 'string' ? tag : undefined;
}

/** Replaces {"$b64": s} by Buffers, in place where possible. */
export function decodeValues(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x !== null && typeof x === 'object') v[i] = decodeValues(x);
    }
    return v;
  }
  const o = v as Record<string, unknown>;
  const tag = b64Tag(o);
  if (tag !== undefined) return Buffer.from(tag, 'base64');
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (x !== null && typeof x === 'object') o[k] = decodeValues(x);
  }
  return o;
}

/** Whether decodeValues would change anything in `v`: a {"$b64": s} anywhere in it. */
export function hasEncodedValues(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (hasEncodedValues(v[i])) return true;
    return false;
  }
  const o = v as Record<string, unknown>;
  if (b64Tag(o) !== undefined) return true;
  for (const k of Object.keys(o)) if (hasEncodedValues(o[k])) return true;
  return false;
}

/** One value as it travels: bigint → number when exact, else string; bytes → {"$b64"}. */
export function encodeScalar(v: unknown): unknown {
  switch (typeof v) {
    case 'bigint':
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    case 'object':
      if (v === null) return null;
      if (Buffer.isBuffer(v) || v instanceof Uint8Array) return { [B64]: Buffer.from(v as Uint8Array).toString('base64') };
      if (v instanceof Date) return v.toISOString();
      return encodeValues(v);
    case 'undefined':
      return null;
    default:
      return v;
  }
}

export function encodeValues(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(encodeScalar);
  if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v) && !(v instanceof Uint8Array) && !(v instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = encodeScalar(x);
    return out;
  }
  return encodeScalar(v);
}

/**
 * A wire value as text, as String() makes it, except that an object is shown as its JSON:
 * String() throws on a hostile `{"toString": 1}`, and "[object Object]" helps nobody.
 */
export function text(v: unknown): string {
  if (v !== null && typeof v === 'object') return JSON.stringify(v) ?? '';
  return String(v);
}
