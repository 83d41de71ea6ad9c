// Crypt::CBC's -cipher names mapped onto OpenSSL's CBC ciphers. Key and block sizes are the ones
// the Perl cipher classes report (Crypt::CBC takes -keysize || keysize || max_keysize), so derived
// keys have the same length as under the real module.
import * as crypto from 'node:crypto';
import { BridgeError } from '../../errors';

export interface CipherInfo {
  /** The Perl class name as Crypt::CBC reports it (after its Crypt:: munging). */
  readonly perl: string;
  readonly keysize: number;
  readonly blocksize: number;
  /**
   * What the Perl class dies with when Crypt::CBC hands it a short last block while decrypting
   * (a truncated ciphertext); `emptyOk`: an empty block is decrypted to '' (the output is the IV).
   */
  readonly shortBlock: { msg: string; emptyOk: boolean };
  /** The OpenSSL CBC cipher for a key of this length, or null when the class cannot take it. */
  algo(keyLen: number): string | null;
}

const bySize = (family: string) => (n: number) => ({ 16: `${family}-128-cbc`, 24: `${family}-192-cbc`, 32: `${family}-256-cbc` } as Record<number, string>)[n] ?? null;
const fixed = (algo: string, len: number) => (n: number) => (n === len ? algo : null);
const range = (algo: string, lo: number, hi: number) => (n: number) => (n >= lo && n <= hi ? algo : null);

const FAMILIES: Record<string, { keysize: number; blocksize: number; algo: (n: number) => string | null }> = {
  AES: { keysize: 32, blocksize: 16, algo: bySize('aes') },
  Camellia: { keysize: 32, blocksize: 16, algo: bySize('camellia') },
  Blowfish: { keysize: 56, blocksize: 8, algo: range('bf-cbc', 4, 56) },
  DES: { keysize: 8, blocksize: 8, algo: fixed('des-cbc', 8) },
  DES_EDE3: { keysize: 24, blocksize: 8, algo: fixed('des-ede3-cbc', 24) },
  IDEA: { keysize: 16, blocksize: 8, algo: fixed('idea-cbc', 16) },
  CAST5: { keysize: 16, blocksize: 8, algo: range('cast5-cbc', 5, 16) },
};

/** Class names Crypt::CBC accepts (with "Crypt::" prefixed when absent), by family. */
const NAMES: Record<string, string> = {
  'Crypt::Cipher::AES': 'AES', 'Crypt::Rijndael': 'AES', 'Crypt::OpenSSL::AES': 'AES', 'Crypt::Rijndael_PP': 'AES',
  'Crypt::Cipher::Camellia': 'Camellia', 'Crypt::Camellia': 'Camellia', 'Crypt::Camellia_PP': 'Camellia',
  'Crypt::Cipher::Blowfish': 'Blowfish', 'Crypt::Blowfish': 'Blowfish', 'Crypt::Blowfish_PP': 'Blowfish',
  'Crypt::Cipher::DES': 'DES', 'Crypt::DES': 'DES', 'Crypt::DES_PP': 'DES',
  'Crypt::Cipher::DES_EDE': 'DES_EDE3', 'Crypt::DES_EDE3': 'DES_EDE3',
  'Crypt::Cipher::IDEA': 'IDEA', 'Crypt::IDEA': 'IDEA',
  'Crypt::Cipher::CAST5': 'CAST5', 'Crypt::CAST5': 'CAST5', 'Crypt::CAST5_PP': 'CAST5',
};

/** Classes that keep the Crypt:: prefix in $cbc->cipher (the others have a keysize method only without it). */
export function cipherInfo(name: string): CipherInfo {
  const full = name.startsWith('Crypt::') ? name : `Crypt::${name}`;
  const fam = NAMES[full];
  if (!fam) throw new BridgeError('crypto_error', `Couldn't load ${full}: the bridge does not support this cipher (supported: ${Object.keys(NAMES).join(', ')})`);
  const f = FAMILIES[fam]!;
  return { perl: full, keysize: f.keysize, blocksize: f.blocksize, algo: f.algo, shortBlock: shortBlock(full, f.blocksize) };
}

/** Whether this process's OpenSSL has the cipher (Blowfish, DES, IDEA, CAST5 need the legacy provider). */
export function available(algo: string, keyLen: number, blocksize: number): boolean {
  try {
    crypto.createCipheriv(algo, Buffer.alloc(keyLen), Buffer.alloc(blocksize));
    return true;
  } catch {
    return false;
  }
}

/** The texts of the Perl classes (checked against Crypt::Rijndael, CryptX, Crypt::Blowfish, Crypt::DES, Crypt::CAST5). */
function shortBlock(cls: string, bs: number): { msg: string; emptyOk: boolean } {
  if (cls.startsWith('Crypt::Cipher::')) return { msg: `FATAL: input size not equal to blocksize (${bs})`, emptyOk: true };
  if (cls === 'Crypt::Rijndael') return { msg: `encrypt: datasize not multiple of blocksize (${bs} bytes)`, emptyOk: true };
  if (cls === 'Crypt::Blowfish' || cls === 'Crypt::DES') return { msg: 'input must be 8 bytes long', emptyOk: false };
  if (cls === 'Crypt::CAST5') return { msg: 'Block size must be 8', emptyOk: false };
  return { msg: `${cls}: the ciphertext is not a multiple of the block size (${bs} bytes)`, emptyOk: true };
}
