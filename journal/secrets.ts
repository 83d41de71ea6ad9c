// Secrets (passwords, private keys, cipher keys) are sealed with AES-256-GCM before they reach the
// journal. The key lives in a 0600 file beside it, so the journal alone reveals nothing.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';

const PREFIX = 'sealed:v1:';

export class Sealer {
  private constructor(private readonly key: Buffer) {}

  /** Loads the key file, creating it (0600, 32 random bytes) when absent. */
  static fromKeyFile(file: string): Sealer {
    let key: Buffer;
    try {
      key = fs.readFileSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      key = crypto.randomBytes(32);
      try {
        fs.writeFileSync(file, key, { mode: 0o600, flag: 'wx' });
      } catch (we) {
        if ((we as NodeJS.ErrnoException).code !== 'EEXIST') throw we;
        key = fs.readFileSync(file); // another process won the race
      }
    }
    if (key.length !== 32) throw new Error(`journal key ${file} is damaged (${key.length} bytes, expected 32)`);
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
