// pino, with secrets redacted wherever they may appear in a logged object.
import pino, { type Logger } from 'pino';
import { openAppend } from './state-dir';

// Names that are secrets whatever a module declares (the handle kinds' own secrets are added).
const SECRET_KEYS = ['password', 'passwd', 'pass', 'token', 'key', 'secret', 'private_key', 'passphrase', 'cipher_key'];

function redactPaths(declared: readonly string[]): string[] {
  const keys = [...new Set([...SECRET_KEYS, ...declared])];
  return [...keys, ...keys.map((k) => `*.${k}`), ...keys.map((k) => `*.*.${k}`), ...keys.map((k) => `params.${k}`)];
}

/** `secrets`: the spec fields the handle kinds declare secret (src/modules secretFields). */
export function createLogger(level: string, file: string | null, secrets: readonly string[] = []): Logger {
  const opts = { level, redact: { paths: redactPaths(secrets), censor: '[redacted]' }, base: { pid: process.pid } };
  if (!file) return pino(opts, pino.destination({ fd: 2, sync: true }));
  // opened here, with O_NOFOLLOW: a planted symlink must not make us append to someone else's file
  return pino(opts, pino.destination({ fd: openAppend(file), sync: false }));
}

export const silentLogger: Logger = pino({ level: 'silent' });
