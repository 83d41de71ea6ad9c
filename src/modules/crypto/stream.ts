// One start()..finish() run of Crypt::CBC 3.04 (cbc chaining), step for step as its crypt() and
// finish() do: the header read or written by the first crypt(), whole blocks chained through
// OpenSSL, the last block kept back while decrypting (for the padding), padding done by hand.
import * as crypto from 'node:crypto';
import { BridgeError } from '../../errors';
import { available, cipherInfo, type CipherInfo } from './ciphers';
import { keyAndIv, type Pbkdf } from './kdf';
import { pad, unpad, type Padding } from './padding';

/** What start() is given: the shim's copy of the Crypt::CBC object's fields. */
export interface StreamSpec {
  cipher: string;
  keysize: number;
  decrypt: boolean;
  header: 'salt' | 'randomiv' | 'none';
  pbkdf: Pbkdf;
  iter: number;
  hasher: string | null;
  padding: Padding;
  literal_key: boolean;
  literal_iv: boolean;
  make_random_salt: boolean;
  make_random_iv: boolean;
  /** secrets: sealed in the journal */
  pass: Buffer | null;
  key: Buffer | null;
  iv: Buffer | null;
  salt: Buffer | null;
}

/** Where a stream stands between crypt() calls (journaled; `buffer` is sealed by the caller). */
export interface StreamState {
  started: boolean;
  civ: Buffer | null;
  iv: Buffer | null;
  salt: Buffer | null;
  buffer: Buffer;
}

function err(msg: string): BridgeError {
  return new BridgeError('crypto_error', msg);
}

export class CbcStream {
  readonly info: CipherInfo;
  readonly bs: number;
  key: Buffer | null;
  st: StreamState;
  /** Random bytes drawn by the last crypt() (journaled sealed, so that a rerun draws the same). */
  drawn: Buffer[] = [];
  /** Random bytes to draw again, in order (a rerun of a crypt() whose reply a crash lost). */
  private redraw: Buffer[] = [];

  constructor(readonly spec: StreamSpec, state?: StreamState) {
    this.info = cipherInfo(spec.cipher);
    this.bs = this.info.blocksize;
    this.key = spec.key;
    this.st = state ?? { started: false, civ: null, iv: spec.iv, salt: spec.salt, buffer: Buffer.alloc(0) };
    // a derived key is not journaled: it comes back from the passphrase and the salt
    if (state?.started && !spec.literal_key) this.key = this.derive(state.salt)[0];
  }

  private derive(salt: Buffer | null): [Buffer, Buffer] {
    const s = this.spec;
    return keyAndIv({ pbkdf: s.pbkdf, keyLen: s.keysize, ivLen: this.bs, iter: s.iter, hasher: s.hasher }, salt, s.pass ?? Buffer.alloc(0), (n) => this.random(n));
  }

  private random(n: number): Buffer {
    const again = this.redraw.shift();
    const b = again?.length === n ? again : crypto.randomBytes(n);
    this.drawn.push(b);
    return b;
  }

  /** A rerun: the next crypt() draws these bytes instead of new random ones. */
  drawAgain(bytes: Buffer[]): void {
    this.redraw = [...bytes];
  }

  /** set_key_and_iv */
  private setKeyAndIv(): void {
    const s = this.spec;
    if (!s.literal_key) {
      const [k, iv] = this.derive(this.st.salt);
      this.key = k;
      if (s.make_random_iv) this.st.iv = iv;
    } else if (s.make_random_iv) {
      this.st.iv = this.random(this.bs);
    }
    if (this.st.salt?.length !== 8) throw err('Salt must be exactly 8 bytes long');
    if (this.st.iv?.length !== this.bs) throw err(`IV must be exactly ${this.bs} bytes long`);
  }

  /** _read_key_and_iv + _generate_iv_and_cipher_from_datastream: strips the header off `data`. */
  private fromDatastream(input: Buffer): Buffer {
    let data: Buffer = input;
    const s = this.spec;
    if (s.header === 'none') {
      this.st.salt ??= this.random(8);
      this.setKeyAndIv();
    } else if (s.header === 'salt') {
      if (data.length < 16 || data.subarray(0, 8).toString('latin1') !== 'Salted__') throw err("Ciphertext does not begin with a valid header for 'salt' header mode");
      this.st.salt = Buffer.from(data.subarray(8, 16));
      data = data.subarray(16);
      const [k, iv] = this.derive(this.st.salt);
      if (!s.literal_key) this.key = k;
      if (!s.literal_iv) this.st.iv = iv;
    } else {
      if (data.length < 16 || data.subarray(0, 8).toString('latin1') !== 'RandomIV') throw err("Ciphertext does not begin with a valid header for 'randomiv' header mode");
      this.st.iv = Buffer.from(data.subarray(8, 16));
      if (this.bs !== 8) throw err('randomiv header mode cannot be used securely when decrypting with a >8 byte block cipher.\n');
      // Crypt::CBC 3.04 takes the second value of key_and_iv here, randomiv's random IV: the key
      // is random and the plaintext garbage (its bug, kept: the real module never decrypts these)
      this.key = this.derive(null)[1];
      data = data.subarray(16);
    }
    this.st.civ = this.st.iv;
    if (!this.key?.length || !this.st.civ?.length) throw err('Could not derive key or iv from cipher stream, and you did not specify these values in new()');
    return data;
  }

  /** _generate_iv_and_cipher_from_options: -> the header */
  private fromOptions(): Buffer {
    const s = this.spec;
    if (s.make_random_salt) this.st.salt = this.random(8);
    this.setKeyAndIv();
    this.st.civ = this.st.iv;
    let header: Buffer = Buffer.alloc(0);
    if (s.header === 'salt') header = Buffer.concat([Buffer.from('Salted__'), this.st.salt!]);
    else if (s.header === 'randomiv') { header = Buffer.concat([Buffer.from('RandomIV'), this.st.iv!]); this.st.salt = null; }
    if (!this.key || !this.st.civ) throw err('key and/or iv are missing');
    return header;
  }

  private algo(): string {
    const key = this.key!;
    const algo = this.info.algo(key.length);
    if (!algo) throw err(this.info.perl.startsWith('Crypt::Cipher::') ? 'FATAL: cipher setup failed: Invalid key size.' : `${this.info.perl}: a key of ${key.length} bytes is not supported`);
    if (!available(algo, key.length, this.bs)) {
      throw err(`${this.info.perl} is not supported by this daemon: its OpenSSL lacks ${algo} (the legacy provider: start the daemon with node --openssl-legacy-provider)`);
    }
    return algo;
  }

  /** CBC over whole blocks from civ; returns the output and moves civ on. */
  private chain(blocks: Buffer): Buffer {
    if (!blocks.length) return Buffer.alloc(0);
    const algo = this.algo();
    const c = this.spec.decrypt ? crypto.createDecipheriv(algo, this.key!, this.st.civ!) : crypto.createCipheriv(algo, this.key!, this.st.civ!);
    c.setAutoPadding(false);
    const out = Buffer.concat([c.update(blocks), c.final()]);
    const last = (this.spec.decrypt ? blocks : out).subarray(blocks.length - this.bs);
    this.st.civ = Buffer.from(last);
    return out;
  }

  private needsPadding(): boolean {
    return this.spec.padding !== 'none';
  }

  /** -> the output; null where Perl's crypt() returns undef (a later call that completes no block). */
  crypt(input: Buffer): Buffer | null {
    this.drawn = [];
    const bs = this.bs;
    const first = !this.st.civ;
    let data: Buffer = input;
    let result: Buffer = Buffer.alloc(0);
    if (!this.st.civ) {
      if (this.spec.decrypt) data = this.fromDatastream(data);
      else result = this.fromOptions();
    }
    this.st.started = true;
    const buffer = Buffer.concat([this.st.buffer, data]);
    if (this.spec.padding === 'rijndael_compat' && data.length % bs) {
      throw err(`When using rijndael_compat padding, plaintext size must be a multiple of ${bs}`);
    }
    if (buffer.length < bs) {
      this.st.buffer = buffer;
      return first ? result : null;
    }
    // unpack "(a$bs)*": whole blocks, then the rest; decrypting keeps the last piece back
    let keep = buffer.length % bs;
    if (this.spec.decrypt && keep === 0) keep = bs;
    const whole = buffer.subarray(0, buffer.length - keep);
    this.st.buffer = Buffer.from(buffer.subarray(buffer.length - keep));
    // Perl's $result stays undef when no block was chained after the first call
    if (!first && whole.length === 0) return null;
    return Buffer.concat([result, this.chain(whole)]);
  }

  /** Pending bytes, for a custom padding's shim (read, never journaled in clear). */
  pending(): Buffer {
    return this.st.buffer;
  }

  /** `padded`: with custom padding, the shim's $padding->($pending, $bs, 'e') when encrypting. */
  finish(padded?: Buffer): Buffer {
    const bs = this.bs;
    const block = this.st.buffer;
    if (block.length === 0 && this.spec.padding === 'rijndael_compat') return this.reset(Buffer.alloc(0));
    if (!this.st.civ) throw err('finish() called without a preceding crypt(): the bridge does not support this');
    if (this.spec.decrypt) {
      const sb = this.info.shortBlock;
      if (block.length % bs || (!block.length && !sb.emptyOk)) throw err(sb.msg);
      // no block left: Perl's $iv ^ $cipher->decrypt('') is the IV itself
      const plain = block.length ? this.chain(block) : Buffer.from(this.st.civ);
      return this.reset(this.needsPadding() ? unpad(this.spec.padding, plain, bs) : plain);
    }
    // Perl's $iv ^ $block with a short $block: the block is zero-filled ('none', null padding's empty return)
    const last = this.spec.padding === 'custom' ? padded ?? Buffer.alloc(0) : this.needsPadding() ? pad(this.spec.padding, block, bs) ?? Buffer.alloc(0) : block;
    if (last.length === 0 && !this.needsPadding()) return this.reset(Buffer.alloc(0));
    if (last.length > bs && this.spec.padding === 'custom') throw err(this.info.shortBlock.msg); // the cipher's encrypt() of a long block
    const full = last.length % bs || last.length === 0 ? Buffer.concat([last, Buffer.alloc(bs - (last.length % bs), 0)]) : last;
    return this.reset(this.chain(full));
  }

  private reset(out: Buffer): Buffer {
    this.st = { started: false, civ: null, iv: this.st.iv, salt: this.st.salt, buffer: Buffer.alloc(0) };
    return out;
  }
}
