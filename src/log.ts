// pino, with secrets redacted wherever they may appear in a logged object.
import pino, { type Logger } from 'pino';
import { openAppend } from './state-dir';

const SECRET_KEYS = ['password', 'passwd', 'pass', 'token', 'key', 'secret', 'private_key', 'passphrase', 'cipher_key'];

const REDACT = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  ...SECRET_KEYS.map((k) => `params.${k}`),
];

export function createLogger(level: string, file: string | null): Logger {
  const opts = { level, redact: { paths: REDACT, censor: '[redacted]' }, base: { pid: process.pid } };
  if (!file) return pino(opts, pino.destination({ fd: 2, sync: true }));
  // opened here, with O_NOFOLLOW: a planted symlink must not make us append to someone else's file
  return pino(opts, pino.destination({ fd: openAppend(file), sync: false }));
}

export const silentLogger: Logger = pino({ level: 'silent' });
