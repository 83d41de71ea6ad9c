// The one error type that crosses the wire: a code the client can act on, and a message for humans.
// What each code means and whether it is retryable: src/kit/error-codes.ts.
import { ERROR_CODES, type ClientErrorCode, type ErrorCode } from './kit/error-codes';

export interface WireError {
  code: string;
  message: string;
  retryable: boolean;
  in_doubt: boolean;
  [extra: string]: unknown;
}

export interface BridgeErrorOptions {
  /** Only for codes whose retryability `varies` (the catalogue decides the others). */
  retryable?: boolean;
  extra?: Record<string, unknown>;
}

export class BridgeError extends Error {
  readonly code: ErrorCode | ClientErrorCode;
  readonly retryable: boolean;
  readonly inDoubt: boolean;
  readonly extra: Record<string, unknown>;

  constructor(code: ErrorCode | ClientErrorCode, message: string, opts: BridgeErrorOptions = {}) {
    super(message);
    const info = ERROR_CODES[code];
    this.code = code;
    this.retryable = info.retryable === 'varies' ? opts.retryable ?? false : info.retryable;
    this.inDoubt = info.inDoubt ?? false;
    this.extra = opts.extra ?? {};
  }

  toWire(): WireError {
    return { ...this.extra, code: this.code, message: this.message, retryable: this.retryable, in_doubt: this.inDoubt };
  }
}

/** Any thrown value as a wire error; unexpected exceptions become `internal` without a stack. */
export function toWireError(err: unknown): WireError {
  if (err instanceof BridgeError) return err.toWire();
  const message = err instanceof Error ? err.message : String(err);
  return new BridgeError('internal', message).toWire();
}
