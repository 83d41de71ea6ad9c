// The bytes a stream holds back between crypt() calls (under one block of plaintext or
// ciphertext) are journaled sealed with a key derived from the stream's own secret, which the
// journal keeps sealed: the state row alone reveals nothing.
import * as crypto from 'node:crypto';

function stateKey(secret: Buffer): Buffer {
  return crypto.createHash('sha256').update('cpan-bridge crypto pending v1\0').update(secret).digest();
}

export function sealPending(secret: Buffer, plain: Buffer): string {
  const nonce = crypto.randomBytes(12);
  const c = crypto.createCipheriv('aes-256-gcm', stateKey(secret), nonce);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([nonce, c.getAuthTag(), body]).toString('base64');
}

export function unsealPending(secret: Buffer, sealed: string): Buffer {
  const raw = Buffer.from(sealed, 'base64');
  const d = crypto.createDecipheriv('aes-256-gcm', stateKey(secret), raw.subarray(0, 12));
  d.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([d.update(raw.subarray(28)), d.final()]);
}
