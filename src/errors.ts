// The one error type that crosses the wire: a code the client can act on, and a message for humans.
export interface WireError {
  code: string;
  message: string;
  retryable: boolean;
  in_doubt: boolean;
  [extra: string]: unknown;
}

export class BridgeError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly inDoubt: boolean;
  readonly extra: Record<string, unknown>;

  constructor(code: string, message: string, opts: { retryable?: boolean; inDoubt?: boolean; extra?: Record<string, unknown> } = {}) {
    super(message);
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.inDoubt = opts.inDoubt ?? false;
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
  return { code: 'internal', message, retryable: false, in_doubt: false };
}
