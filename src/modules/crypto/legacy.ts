// The predecessor's call_python crypto functions on ours, in its own format
// (src/modules/crypto/helper.ts); key_file was read by its daemon on the script's machine.
import { BridgeError } from '../../errors';
import { text, type LegacyTable } from '../../kit/legacy';

const nested = (result: Record<string, unknown> = {}) => ({ success: true, result });

export const CRYPTO_LEGACY: LegacyTable = {
  'crypto.new': {
    to: (p) => {
      if (p.key === undefined || p.key === null || p.key === '') throw new BridgeError('bad_params', p.key_file ? 'crypto.new: key_file is not supported through call_python (the file belongs to the script\'s machine): pass key' : 'Either key or key_file must be provided');
      return { module: 'crypto', function: 'helper_new', params: { key: text(p.key), cipher: text(p.cipher ?? 'Blowfish') } };
    },
    shape: (r) => nested(r),
  },
  'crypto.encrypt': {
    // plaintext_hex (bytes) is the predecessor's preferred form, plaintext its older one
    to: (p) => ({ module: 'crypto', function: 'helper_encrypt', params: { cipher_id: text(p.cipher_id), ...(p.plaintext_hex !== undefined && p.plaintext_hex !== null ? { plaintext_hex: text(p.plaintext_hex) } : { plaintext: text(p.plaintext ?? '') }) } }),
    shape: (r) => nested(r),
  },
  'crypto.decrypt': {
    to: (p) => ({ module: 'crypto', function: 'helper_decrypt', params: { cipher_id: text(p.cipher_id), hex: text(p.hex_ciphertext ?? p.ciphertext ?? '') } }),
    shape: (r) => nested(r),
  },
  'crypto.cleanup_cipher': {
    to: (p) => ({ module: 'crypto', function: 'helper_cleanup', params: { cipher_id: text(p.cipher_id) } }),
    shape: (r) => nested(r),
  },
};
