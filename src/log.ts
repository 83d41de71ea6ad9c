// pino, with secrets redacted wherever they may appear in a logged object.
import type { Logger } from 'pino';
import { openAppend } from './state-dir';

// Names that are secrets whatever a module declares (the handle kinds' own secrets are added).
const SECRET_KEYS = ['password', 'passwd', 'pass', 'token', 'key', 'secret', 'private_key', 'passphrase', 'cipher_key'];

function redactPaths(declared: readonly string[]): string[] {
  const keys = [...new Set([...SECRET_KEYS, ...declared])];
  return [...keys, ...keys.map((k) => `*.${k}`), ...keys.map((k) => `*.*.${k}`), ...keys.map((k) => `params.${k}`)];
}

/** `secrets`: the spec fields the handle kinds declare secret (src/modules secretFields). */
export function createLogger(level: string, file: string | null, secrets: readonly string[] = []): Logger {
  // loaded here: process mode (one node start per call) logs nothing and never loads pino
  const pino = require('pino') as typeof import('pino');
  const opts = { level, redact: { paths: redactPaths(secrets), censor: '[redacted]' }, base: { pid: process.pid } };
  if (!file) return pino(opts, pino.destination({ fd: 2, sync: true }));
  // opened here, with O_NOFOLLOW: a planted symlink must not make us append to someone else's file
  return pino(opts, pino.destination({ fd: openAppend(file), sync: false }));
}

/** A logger that logs nothing (process mode), without loading pino: every method a no-op. */
function silent(): Logger {
  const noop = () => undefined;
  const self: Record<string, unknown> = {
    level: 'silent', fatal: noop, error: noop, warn: noop, info: noop, debug: noop, trace: noop, silent: noop,
    isLevelEnabled: () => false, child: () => self, flush: noop, bindings: () => ({}),
  };
  return self as unknown as Logger; // the part of pino's Logger the daemon's code calls
}

export const silentLogger: Logger = silent();
