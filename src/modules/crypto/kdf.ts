// Crypt::CBC::PBKDF::* (3.04): passphrase + salt -> key and IV, byte for byte as its subclasses do.
import * as crypto from 'node:crypto';
import { BridgeError } from '../../errors';

export type Pbkdf = 'opensslv1' | 'opensslv2' | 'pbkdf2' | 'none' | 'randomiv';

/** Crypt::PBKDF2 hash classes (-hasher as a class name) and the digest each one is. */
// HMACSHA3 is not here: Crypt::PBKDF2's HMAC over SHA-3 does not match the standard one (checked)
const HASHERS: Record<string, string> = { HMACSHA1: 'sha1', HMACSHA2: 'sha256' };

export interface KdfParams { pbkdf: Pbkdf; keyLen: number; ivLen: number; iter: number; hasher: string | null }

/** The EVP_BytesToKey-style chain of opensslv1 (md5) and opensslv2 (sha256). */
function chain(digest: string, salt: Buffer, pass: Buffer, want: number): Buffer {
  const parts: Buffer[] = [];
  let d = Buffer.alloc(0);
  let len = 0;
  while (len < want) {
    d = crypto.createHash(digest).update(Buffer.concat([d, pass, salt])).digest();
    parts.push(d);
    len += d.length;
  }
  return Buffer.concat(parts);
}

/** -> [key, iv]; randomiv's iv is random, as Crypt::CBC::PBKDF::randomiv makes it. */
export function keyAndIv(p: KdfParams, salt: Buffer | null, pass: Buffer, random: (n: number) => Buffer = crypto.randomBytes): [Buffer, Buffer] {
  let hash: Buffer;
  switch (p.pbkdf) {
    case 'opensslv1': hash = chain('md5', salt ?? Buffer.alloc(0), pass, p.keyLen + p.ivLen); break;
    case 'opensslv2': hash = chain('sha256', salt ?? Buffer.alloc(0), pass, p.keyLen + p.ivLen); break;
    case 'pbkdf2': {
      const digest = HASHERS[p.hasher ?? 'HMACSHA2'];
      if (!digest) throw new BridgeError('crypto_error', `-hasher '${p.hasher}' is not supported by the bridge (supported: ${Object.keys(HASHERS).join(', ')})`);
      hash = crypto.pbkdf2Sync(pass, salt ?? Buffer.alloc(0), p.iter, p.keyLen + p.ivLen, digest);
      break;
    }
    case 'none':
      if (pass.length !== p.keyLen) throw new BridgeError('crypto_error', `For selected cipher, the key must be exactly ${p.keyLen} bytes long`);
      hash = pass;
      break;
    case 'randomiv': {
      let m = crypto.createHash('md5').update(pass).digest();
      while (m.length < p.keyLen) m = Buffer.concat([m, crypto.createHash('md5').update(m).digest()]);
      hash = Buffer.concat([m.subarray(0, p.keyLen), random(p.ivLen)]);
      break;
    }
  }
  return [Buffer.from(hash.subarray(0, p.keyLen)), Buffer.from(hash.subarray(p.keyLen, p.keyLen + p.ivLen))];
}
