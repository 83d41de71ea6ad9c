// A request's fingerprint: its function and its parameters in a canonical form (object keys
// sorted), so that a true resend matches whatever key order the client's JSON encoder chose,
// and a different request under a reused id does not.
import { createHash } from 'node:crypto';

function canonical(v: unknown, out: string[]): void {
  if (v === null || typeof v !== 'object') {
    out.push(v === undefined ? 'null' : JSON.stringify(v));
    return;
  }
  if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i) out.push(',');
      canonical(v[i], out);
    }
    out.push(']');
    return;
  }
  const o = v as Record<string, unknown>;
  out.push('{');
  let first = true;
  for (const k of Object.keys(o).sort()) {
    if (o[k] === undefined) continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(k), ':');
    canonical(o[k], out);
  }
  out.push('}');
}

export function requestDigest(fn: string, params: unknown): string {
  const parts: string[] = [fn, '\n'];
  canonical(params ?? {}, parts);
  return createHash('sha256').update(parts.join('')).digest('base64url').slice(0, 22);
}

/**
 * A request's digest, computed the first time it is asked for: a new read that journals
 * nothing never needs it (sha256 was the largest part of a ping's daemon CPU after the socket
 * write). It must be asked for before decodeValues changes the params in place (Engine.run).
 */
export class LazyDigest {
  private value: string | null = null;

  constructor(private readonly fn: string, private readonly params: unknown) {}

  get(): string {
    return (this.value ??= requestDigest(this.fn, this.params));
  }
}
