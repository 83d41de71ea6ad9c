// The client token: a random secret in a 0600 file of the state directory. Only processes that can
// read the file (the same user) can talk to the daemon. It is written all or nothing, so a daemon
// killed while creating it never leaves an empty or partial token behind.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { removeStaleTemps, writeAtomic } from '../state-dir';

function readToken(file: string): string | null {
  try {
    const t = fs.readFileSync(file, 'utf8').trim();
    return t.length >= 32 ? t : null;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return null;
  }
}

export function ensureToken(file: string): string {
  const found = readToken(file);
  if (found) {
    fs.chmodSync(file, 0o600);
    return found;
  }
  removeStaleTemps(file);
  const token = crypto.randomBytes(32).toString('hex');
  // a short token (an older daemon's partial write) is replaced; a missing one created only if still missing
  if (writeAtomic(file, token + '\n', fs.existsSync(file))) return token;
  return readToken(file) ?? token;
}

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
