// pino, with secrets redacted wherever they may appear in a logged object.
import pino, { type Logger } from 'pino';

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
  return pino(opts, pino.destination({ dest: file, mkdir: true, sync: false, mode: 0o600 } as Parameters<typeof pino.destination>[0]));
}

export const silentLogger: Logger = pino({ level: 'silent' });
