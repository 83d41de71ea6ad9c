// The bodies of replies, as a module's result or error becomes them. Modules return values (or an
// EncodedResult); the engine frames them. Here so that no module needs the engine.
import { toWireError } from '../errors';
import { encodeValues } from '../protocol/values';

/** A result a module has already serialized (large row batches): passed through as is. */
export class EncodedResult {
  constructor(readonly json: string) {}
}

export function successBody(result: unknown): string {
  const json = result instanceof EncodedResult ? result.json : JSON.stringify(encodeValues(result) ?? null);
  return `{"success":true,"result":${json}}`;
}

export function errorBody(e: unknown): string {
  return JSON.stringify({ success: false, error: toWireError(e) });
}
