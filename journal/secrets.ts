// Secrets (passwords, private keys, cipher keys) are sealed with AES-256-GCM before they reach the
// journal. The key lives in a 0600 file beside it, so the journal alone reveals nothing.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { removeStaleTemps, writeAtomic } from '../src/state-dir';

const PREFIX = 'sealed:v1:';

export class Sealer {
  private constructor(private readonly key: Buffer) {}

  /**
   * Loads the key file, creating it (0600, 32 random bytes) when absent. It is created all or
   * nothing (a synced temporary file linked into place), so a daemon killed meanwhile never leaves
   * an empty or partial key; a key of zero bytes only is refused as weak.
   */
  static fromKeyFile(file: string): Sealer {
    let key: Buffer | null = null;
    try {
      key = fs.readFileSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    // empty: a creation by an older version cut short; nothing can have been sealed with it
    if (key === null || key.length === 0) {
      const replace = key !== null;
      removeStaleTemps(file);
      key = crypto.randomBytes(32);
      if (!writeAtomic(file, key, replace)) key = fs.readFileSync(file); // another process won the race
    }
    if (key.length !== 32) throw new Error(`journal key ${file} is damaged (${key.length} bytes, expected 32)`);
    if (key.every((b) => b === 0)) throw new Error(`journal key ${file} is all zero bytes, a key anyone can guess: remove it (and the journal it sealed) and restart`);
    fs.chmodSync(file, 0o600);
    return new Sealer(key);
  }

  seal(plain: string): string {
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return PREFIX + Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
  }

  unseal(sealed: string): string {
    if (!sealed.startsWith(PREFIX)) throw new Error('not a sealed value');
    const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
    const d = crypto.createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  }

  static isSealed(v: unknown): v is string {
    return typeof v === 'string' && v.startsWith(PREFIX);
  }

  /** Copies `obj` with the named fields sealed (fields absent or null are left alone). */
  sealFields<T extends Record<string, unknown>>(obj: T, fields: readonly string[]): T {
    const out: Record<string, unknown> = { ...obj };
    for (const f of fields) if (typeof out[f] === 'string') out[f] = this.seal(out[f] as string);
    return out as T;
  }

  unsealFields<T extends Record<string, unknown>>(obj: T): T {
    const out: Record<string, unknown> = { ...obj };
    for (const [k, v] of Object.entries(out)) if (Sealer.isSealed(v)) out[k] = this.unseal(v);
    return out as T;
  }
}
