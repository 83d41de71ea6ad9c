// The predecessor's crypto (CryptHelper, call_python 'crypto'): its own format, kept so that the
// data it stored still decrypts: hex(random IV || CBC with PKCS#7), Blowfish or AES, and its key
// schedule (the key string read as base64 the way Python's lenient b64decode reads it, else hex,
// else UTF-8; then sized per cipher). Not Crypt::CBC's format in either direction.
import * as crypto from 'node:crypto';
import { BridgeError } from '../../errors';

export const HELPER_CIPHERS = ['Blowfish', 'AES', 'Rijndael', 'DES', '3DES'];

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** CPython's binascii.a2b_base64 in its default (non-strict) mode; null where it raises. */
export function pythonB64(s: string): Buffer | null {
  if (/[^\x00-\x7f]/.test(s)) return null; // "string argument should contain only ASCII characters"
  const out: number[] = [];
  let quad = 0;
  let left = 0;
  let pads = 0;
  for (const ch of s) {
    if (ch === '=') {
      if (quad >= 2 && quad + ++pads >= 4) return Buffer.from(out);
      continue;
    }
    const v = B64.indexOf(ch);
    if (v < 0) continue; // non-alphabet characters are skipped
    pads = 0;
    switch (quad) {
      case 0: quad = 1; left = v; break;
      case 1: quad = 2; out.push(((left << 2) | (v >> 4)) & 0xff); left = v & 0x0f; break;
      case 2: quad = 3; out.push(((left << 4) | (v >> 2)) & 0xff); left = v & 0x03; break;
      default: quad = 0; out.push(((left << 6) | v) & 0xff); left = 0;
    }
  }
  return quad === 0 ? Buffer.from(out) : null;
}

function keyBytes(key: string, cipher: string): Buffer {
  let k = pythonB64(key) ?? (/^(?:[0-9a-fA-F]{2})*$/.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'utf8'));
  if (cipher === 'Blowfish') {
    if (k.length > 56) k = k.subarray(0, 56);
    else if (k.length < 4) k = Buffer.concat([k, Buffer.alloc(4 - k.length)]);
  } else {
    const want = k.length <= 16 ? 16 : k.length <= 24 ? 24 : 32;
    k = k.length > want ? k.subarray(0, want) : Buffer.concat([k, Buffer.alloc(want - k.length)]);
  }
  return k;
}

function algoOf(cipher: string, key: Buffer): string {
  if (cipher === 'Blowfish') return 'bf-cbc';
  if (cipher === 'AES') return `aes-${key.length * 8}-cbc`;
  throw new BridgeError('crypto_error', `Cipher ${cipher} not yet implemented`);
}

export function normalize(cipher: string): string {
  if (!HELPER_CIPHERS.includes(cipher)) throw new BridgeError('crypto_error', `Unsupported cipher algorithm: ${cipher}. Supported: Blowfish, AES, Rijndael, DES, 3DES`);
  return cipher === 'Rijndael' ? 'AES' : cipher;
}

/** -> hex of IV || ciphertext */
export function helperEncrypt(key: string, cipher: string, plaintext: string | Buffer): string {
  const k = keyBytes(key, cipher);
  const algo = algoOf(cipher, k);
  const iv = crypto.randomBytes(cipher === 'Blowfish' ? 8 : 16);
  try {
    const c = crypto.createCipheriv(algo, k, iv);
    return Buffer.concat([iv, c.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), c.final()]).toString('hex');
  } catch {
    throw new BridgeError('crypto_error', 'Encryption operation failed');
  }
}

/** The predecessor's text of decrypted bytes: UTF-8 when it decodes, else Latin-1 */
export function asText(plain: Buffer): string {
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  try {
    return utf8.decode(plain);
  } catch {
    return plain.toString('latin1');
  }
}

/** -> the plaintext's bytes (the predecessor's decrypted_hex) */
export function helperDecryptBytes(key: string, cipher: string, hex: string): Buffer {
  if (hex.length % 2) throw new BridgeError('crypto_error', 'Invalid hex input: Odd-length string');
  if (!/^[0-9a-fA-F]*$/.test(hex)) throw new BridgeError('crypto_error', 'Invalid hex input: Non-hexadecimal digit found');
  const data = Buffer.from(hex, 'hex');
  const k = keyBytes(key, cipher);
  const algo = algoOf(cipher, k);
  const bs = cipher === 'Blowfish' ? 8 : 16;
  let plain: Buffer;
  try {
    const d = crypto.createDecipheriv(algo, k, data.subarray(0, bs));
    plain = Buffer.concat([d.update(data.subarray(bs)), d.final()]);
  } catch {
    throw new BridgeError('crypto_error', 'Decryption operation failed');
  }
  return plain;
}
