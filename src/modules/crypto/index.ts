// The crypto module: Crypt::CBC 3.04 on Node's crypto. Option parsing, croaks about options and
// the accessors live in the Perl shim (it holds the object's fields, as the real module does);
// the daemon does the bytes. One-shot encrypt/decrypt are reads (nothing journaled, a resend runs
// again); a streaming run is a handle: start creates it (passphrase/key sealed), each crypt
// journals where the chain stands (last block, IV, salt, the pending bytes sealed), finish closes.
import { BridgeError } from '../../errors';
import type { CallContext, FunctionDef, HandleKindDef, LiveHandle, ModuleDef } from '../../kit/types';
import { CbcStream, type StreamSpec, type StreamState } from './stream';
import { asText, helperDecryptBytes, helperEncrypt, normalize } from './helper';
import { sealPending, unsealPending } from './seal';
import { ReplayDivergedError } from '../../kit/replay';

const bytes = { type: 'object', required: ['$b64'], additionalProperties: false, properties: { $b64: { type: 'string' } } };
const optBytes = { anyOf: [bytes, { type: 'null' }] };
const id = { type: 'string', minLength: 1, maxLength: 100 };

const specSchema = {
  cipher: { type: 'string', minLength: 1, maxLength: 200 },
  keysize: { type: 'integer', minimum: 1, maximum: 1024 },
  decrypt: { type: 'boolean' },
  header: { enum: ['salt', 'randomiv', 'none'] },
  pbkdf: { enum: ['opensslv1', 'opensslv2', 'pbkdf2', 'none', 'randomiv'] },
  iter: { type: 'integer', minimum: 1, maximum: 100_000_000 },
  hasher: { type: ['string', 'null'], maxLength: 100 },
  padding: { enum: ['standard', 'null', 'space', 'oneandzeroes', 'rijndael_compat', 'none', 'custom'] },
  literal_key: { type: 'boolean' },
  literal_iv: { type: 'boolean' },
  make_random_salt: { type: 'boolean' },
  make_random_iv: { type: 'boolean' },
  pass: optBytes, key: optBytes, iv: optBytes, salt: optBytes,
};
const SPEC_KEYS = Object.keys(specSchema);

type Wire = Omit<StreamSpec, 'decrypt'> & { decrypt: boolean };

/** The object fields the shim mirrors after a run (salt, iv and key as the real object has them). */
function fields(s: CbcStream, withKey: boolean): Record<string, unknown> {
  return { salt: s.st.salt, iv: s.st.iv, ...(withKey ? { key: s.key } : {}) };
}

function secretOf(spec: StreamSpec): Buffer {
  return spec.pass ?? spec.key ?? Buffer.alloc(0);
}

function toJournal(s: CbcStream): Record<string, unknown> {
  const b64 = (b: Buffer | null) => (b ? b.toString('base64') : null);
  // the chain's last block is ciphertext: sealed like the pending bytes, so no output is on disk
  const secret = secretOf(s.spec);
  return { started: s.st.started, civ: s.st.civ ? sealPending(secret, s.st.civ) : null, iv: b64(s.st.iv), salt: b64(s.st.salt), pending: sealPending(secret, s.st.buffer) };
}

/** Where the chain stood before the last crypt(), with the random bytes it drew: sealed (pending bytes in it). */
function sealBefore(s: CbcStream, st: StreamState): string {
  const b64 = (b: Buffer | null) => (b ? b.toString('base64') : null);
  const plain = JSON.stringify({ started: st.started, civ: b64(st.civ), iv: b64(st.iv), salt: b64(st.salt), buffer: b64(st.buffer), drawn: s.drawn.map((d) => d.toString('base64')) });
  return sealPending(secretOf(s.spec), Buffer.from(plain));
}

/** The resend of the crypt() that last moved `h` on: the same output, from the state before it. */
function cryptAgain(h: LiveHandle<CbcStream>, data: Buffer, requestId: string): Record<string, unknown> {
  if (h.state?.by !== requestId || typeof h.state.before !== 'string') {
    throw new ReplayDivergedError(`crypt (request ${requestId}) was answered before the daemon stopped, but the stream has moved on since: its output cannot be given again`);
  }
  const j = JSON.parse(unsealPending(secretOf(h.obj.spec), h.state.before).toString()) as Record<string, unknown> & { drawn: string[] };
  const buf = (v: unknown) => (typeof v === 'string' ? Buffer.from(v, 'base64') : null);
  const s = new CbcStream(h.obj.spec, { started: j.started === true, civ: buf(j.civ), iv: buf(j.iv), salt: buf(j.salt), buffer: buf(j.buffer) ?? Buffer.alloc(0) });
  s.drawAgain(j.drawn.map((d) => Buffer.from(d, 'base64')));
  const out = s.crypt(data);
  return { out, ...fields(s, false) };
}

/** The chain's last block; journals written before it was sealed hold it as plain base64 (a block, under 28 bytes). */
function civOf(secret: Buffer, v: string): Buffer {
  const raw = Buffer.from(v, 'base64');
  return raw.length < 28 ? raw : unsealPending(secret, v);
}

function fromJournal(spec: StreamSpec, j: Record<string, unknown>): StreamState {
  const buf = (v: unknown) => (typeof v === 'string' ? Buffer.from(v, 'base64') : null);
  const secret = secretOf(spec);
  return { started: j.started === true, civ: typeof j.civ === 'string' ? civOf(secret, j.civ) : null, iv: buf(j.iv), salt: buf(j.salt), buffer: unsealPending(secret, String(j.pending)) };
}

/** The journaled spec: bytes as base64 strings, so the sealer can seal pass and key. */
function specToJournal(p: Wire): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of SPEC_KEYS) {
    const v = (p as unknown as Record<string, unknown>)[k];
    out[k] = Buffer.isBuffer(v) ? v.toString('base64') : v ?? null;
  }
  return out;
}

function specFromJournal(j: Record<string, unknown>): StreamSpec {
  const out: Record<string, unknown> = { ...j };
  for (const k of ['pass', 'key', 'iv', 'salt']) out[k] = typeof j[k] === 'string' ? Buffer.from(j[k] as string, 'base64') : null;
  return out as unknown as StreamSpec;
}

async function stream(ctx: CallContext, h: string): Promise<LiveHandle<CbcStream>> {
  return ctx.handle<CbcStream>(h, 'crypto', 'stream');
}

const oneShot = (decrypt: boolean): FunctionDef => ({
  params: { type: 'object', additionalProperties: false, required: [...SPEC_KEYS.filter((k) => k !== 'decrypt'), 'data'], properties: { ...specSchema, data: bytes } },
  effect: 'read',
  run(p: Wire & { data: Buffer }) {
    const s = new CbcStream({ ...p, decrypt });
    try {
      const out = Buffer.concat([s.crypt(p.data) ?? Buffer.alloc(0), s.finish()]);
      return { out, ...fields(s, true) };
    } catch (e) {
      // the real object keeps what it derived before croaking (a read: this reply is not journaled)
      if (e instanceof BridgeError) {
        const b64 = (b: Buffer | null) => (b ? b.toString('base64') : null);
        Object.assign(e.extra, { fields: { salt: b64(s.st.salt), iv: b64(s.st.iv), key: b64(s.key) } });
      }
      throw e;
    }
  },
});

const functions: Record<string, FunctionDef> = {
  encrypt: oneShot(false),
  decrypt: oneShot(true),

  start: {
    params: { type: 'object', additionalProperties: false, required: SPEC_KEYS, properties: specSchema },
    effect: 'create',
    run(p: Wire, ctx) {
      const s = new CbcStream(p); // checks the cipher now, as Crypt::CBC's new() loads it
      const h = ctx.create('crypto', 'stream', specToJournal(p), s, { state: toJournal(s) });
      return { stream: h.id };
    },
  },

  // Its output is never kept in the journal (keepReply 'rerun'): the state says where the chain
  // stood before this call and which random bytes it drew, so a resend after a crash computes the
  // same bytes again from the resent input.
  crypt: {
    params: { type: 'object', additionalProperties: false, required: ['stream', 'data'], properties: { stream: id, data: bytes } },
    effect: 'mutate-local',
    keepReply: 'rerun',
    async run(p: { stream: string; data: Buffer }, ctx) {
      const h = await stream(ctx, p.stream);
      if (ctx.rerun) return cryptAgain(h, p.data, ctx.requestId);
      const before = { ...h.obj.st };
      const out = h.obj.crypt(p.data);
      ctx.setState(h, { ...toJournal(h.obj), by: ctx.requestId, before: sealBefore(h.obj, before) });
      // salt and iv are public (they are in the header); the key is asked for with `fields`
      return { out, ...fields(h.obj, false) };
    },
  },

  fields: {
    params: { type: 'object', additionalProperties: false, required: ['stream'], properties: { stream: id } },
    effect: 'read',
    async run(p: { stream: string }, ctx) {
      return fields((await stream(ctx, p.stream)).obj, true);
    },
  },

  // custom padding: the shim reads what is pending, pads it with the script's code ref, and
  // hands the padded block to finish (a read: the plaintext bytes are not journaled)
  pending: {
    params: { type: 'object', additionalProperties: false, required: ['stream'], properties: { stream: id } },
    effect: 'read',
    async run(p: { stream: string }, ctx) {
      return { pending: (await stream(ctx, p.stream)).obj.pending() };
    },
  },

  finish: {
    params: { type: 'object', additionalProperties: false, required: ['stream'], properties: { stream: id, block: bytes } },
    effect: 'close',
    keepReply: 'sealed', // its last block of output: under a block, never on disk in clear
    async run(p: { stream: string; block?: Buffer }, ctx) {
      const h = await stream(ctx, p.stream);
      const out = h.obj.finish(p.block);
      const f = fields(h.obj, false);
      await ctx.close(h);
      return { out, ...f };
    },
  },
};

/** The predecessor's cipher objects (CryptHelper, call_python 'crypto'): a key (sealed) and a cipher name. */
class HelperCipher {
  constructor(readonly key: string, readonly cipher: string) {}
}

async function helper(ctx: CallContext, h: string): Promise<LiveHandle<HelperCipher>> {
  return ctx.handle<HelperCipher>(h, 'crypto', 'helper');
}

Object.assign(functions, {
  helper_new: {
    params: { type: 'object', additionalProperties: false, required: ['key', 'cipher'], properties: { key: { type: 'string', minLength: 1 }, cipher: { type: 'string', maxLength: 100 } } },
    effect: 'create',
    run(p: { key: string; cipher: string }, ctx) {
      const cipher = normalize(p.cipher);
      const h = ctx.create('crypto', 'helper', { key: p.key, cipher }, new HelperCipher(p.key, cipher));
      return { cipher_id: h.id, cipher: p.cipher, key_length: [...p.key].length };
    },
  },
  // a random IV and no state: a read (nothing journaled; a resend encrypts again)
  helper_encrypt: {
    // plaintext_hex: the bytes (binary data, the predecessor's preferred form)
    params: { type: 'object', additionalProperties: false, required: ['cipher_id'], properties: { cipher_id: id, plaintext: { type: 'string' }, plaintext_hex: { type: 'string', pattern: '^([0-9a-fA-F]{2})*$' } } },
    effect: 'read',
    async run(p: { cipher_id: string; plaintext?: string; plaintext_hex?: string }, ctx) {
      const h = await helper(ctx, p.cipher_id);
      if (p.plaintext === undefined && p.plaintext_hex === undefined) throw new BridgeError('bad_params', 'No plaintext provided (plaintext or plaintext_hex)');
      const encrypted = helperEncrypt(h.obj.key, h.obj.cipher, p.plaintext_hex !== undefined ? Buffer.from(p.plaintext_hex, 'hex') : p.plaintext!);
      return { encrypted, length: encrypted.length, algorithm: h.obj.cipher };
    },
  },
  helper_decrypt: {
    params: { type: 'object', additionalProperties: false, required: ['cipher_id', 'hex'], properties: { cipher_id: id, hex: { type: 'string' } } },
    effect: 'read',
    async run(p: { cipher_id: string; hex: string }, ctx) {
      const h = await helper(ctx, p.cipher_id);
      const bytes = helperDecryptBytes(h.obj.key, h.obj.cipher, p.hex);
      const decrypted = asText(bytes);
      return { decrypted, decrypted_hex: bytes.toString('hex'), length: [...decrypted].length, algorithm: h.obj.cipher };
    },
  },
  helper_cleanup: {
    params: { type: 'object', additionalProperties: false, required: ['cipher_id'], properties: { cipher_id: id } },
    effect: 'close',
    async run(p: { cipher_id: string }, ctx) {
      // the predecessor answered success for an unknown id too
      const h = await helper(ctx, p.cipher_id).catch(() => null);
      if (h) await ctx.close(h);
      return { cipher_id: p.cipher_id, cleaned_up: true };
    },
  },
} satisfies Record<string, FunctionDef>);

const kinds: Record<string, HandleKindDef> = {
  helper: {
    secrets: ['key'],
    async rehydrate(h) {
      return new HelperCipher(String(h.spec.key), String(h.spec.cipher));
    },
  },
  stream: {
    secrets: ['pass', 'key'],
    async rehydrate(h) {
      const spec = specFromJournal(h.spec);
      return new CbcStream(spec, h.state ? fromJournal(spec, h.state) : undefined);
    },
  },
};

export const cryptoModule: ModuleDef = { name: 'crypto', functions, kinds };
