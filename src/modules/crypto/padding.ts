// Crypt::CBC 3.04's padding subs, with their quirks: 'd' never validates (a wrong key gives
// garbage, not an error), null/rijndael_compat return nothing for an empty block.
export type Padding = 'standard' | 'null' | 'space' | 'oneandzeroes' | 'rijndael_compat' | 'none' | 'custom';
/** 'custom': a Perl code ref, run by the shim on the last block (finish's `block` / raw output). */

/** Encrypting: the last (partial, possibly empty) block padded; null when the sub returns nothing. */
export function pad(kind: Padding, b: Buffer, bs: number): Buffer | null {
  switch (kind) {
    case 'standard': { const n = bs - b.length; return Buffer.concat([b, Buffer.alloc(n, n)]); }
    case 'space': return Buffer.concat([b, Buffer.alloc(Math.max(0, bs - b.length), 0x20)]);
    case 'none':
    case 'custom': return b;
    case 'null': return b.length ? Buffer.concat([b, Buffer.alloc(bs - (b.length % bs), 0)]) : null;
    case 'oneandzeroes': return Buffer.concat([b, Buffer.from([0x80]), Buffer.alloc(Math.max(0, bs - b.length - 1), 0)]);
    case 'rijndael_compat': return b.length ? Buffer.concat([b, Buffer.from([0x80]), Buffer.alloc(bs - (b.length % bs) - 1, 0)]) : null;
  }
}

function stripTail(b: Buffer, byte: number): Buffer {
  let n = b.length;
  while (n > 0 && b[n - 1] === byte) n--;
  return b.subarray(0, n);
}

/** Decrypting: the last decrypted block unpadded, exactly as the Perl subs do. */
export function unpad(kind: Padding, b: Buffer, bs: number): Buffer {
  switch (kind) {
    case 'standard': {
      // substr($b, 0, $bs - $pad_length): a negative length leaves that many bytes off the end
      const padLen = b.length ? b[b.length - 1]! : 0;
      const l = bs - padLen;
      return l >= 0 ? b.subarray(0, Math.min(l, b.length)) : b.subarray(0, Math.max(0, b.length + l));
    }
    case 'space': return stripTail(b, 0x20);
    case 'none':
    case 'custom': return b;
    case 'null': return stripTail(b, 0);
    case 'oneandzeroes':
    case 'rijndael_compat': {
      // s/\x80\0*\z//s
      const z = stripTail(b, 0);
      return z.length && z[z.length - 1] === 0x80 ? z.subarray(0, z.length - 1) : b;
    }
  }
}
