// A 50-chunk Crypt::CBC streaming encryption (pbkdf2 with a fixed salt, Blowfish with a literal
// key: both deterministic) with the daemon SIGKILLed at every CRASH_AT phase of start, of several
// crypt calls and of finish, and once between two calls: the client resends under the same id and
// the output is byte-identical to the run without a crash. Neither the secrets nor the ciphertext
// ever reach the state directory (a crypt's output is computed again for a resend, never kept).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { PHASES } from '../../src/faults';
import { Resilient, startDaemon, stateBytes, tempDir } from '../helpers';

const PASS = 'Marten-Vapor-9182-secret';
const KEY = 'Lynx-Literal-Key-0123456789abcdef';
const CHUNKS = Array.from({ length: 50 }, (_, i) => Buffer.from(`chunk ${i} `.repeat((i % 5) + 1) + (i % 3 ? '' : '\0\n\t')));

const b64 = (b: Buffer) => ({ $b64: b.toString('base64') });
const bytesOf = (v: unknown) => (v === null ? Buffer.alloc(0) : Buffer.from((v as { $b64: string }).$b64, 'base64'));

const SPECS = {
  aes: {
    cipher: 'Crypt::Cipher::AES', keysize: 32, decrypt: false, header: 'salt', pbkdf: 'pbkdf2', iter: 1000, hasher: null,
    padding: 'standard', literal_key: false, literal_iv: false, make_random_salt: false, make_random_iv: true,
    pass: b64(Buffer.from(PASS)), key: null, iv: null, salt: b64(Buffer.from('saltsalt')),
  },
  blowfish: {
    cipher: 'Crypt::Blowfish', keysize: 32, decrypt: false, header: 'none', pbkdf: 'none', iter: 10000, hasher: null,
    padding: 'oneandzeroes', literal_key: true, literal_iv: true, make_random_salt: true, make_random_iv: false,
    pass: null, key: b64(Buffer.from(KEY.slice(0, 32))), iv: b64(Buffer.from('IVIVIVIV')), salt: null,
  },
};

async function encrypt(r: Resilient, spec: Record<string, unknown>, killAfter = -1, out: Buffer[] = []): Promise<Buffer> {
  const { stream } = await r.call('1', 'crypto', 'start', spec);
  for (let i = 0; i < CHUNKS.length; i++) {
    const res = await r.call(String(i + 2), 'crypto', 'crypt', { stream, data: b64(CHUNKS[i]!) });
    out.push(bytesOf(res.out));
    if (i === killAfter) await r.d.kill('SIGKILL'); // between two requests: the next one reconnects
  }
  const fin = await r.call('99', 'crypto', 'finish', { stream });
  out.push(bytesOf(fin.out));
  return Buffer.concat(out);
}

/** Outputs of crypt calls (16 bytes or more) found in the state directory, raw or as base64. */
function keptOutputs(state: Buffer, parts: Buffer[]): number[] {
  return parts.flatMap((p, i) => (p.length >= 16 && (state.includes(p) || state.includes(p.toString('base64'))) ? [i] : []));
}

for (const [name, spec] of Object.entries(SPECS)) {
  test(`${name}: a crash anywhere in a 50-chunk stream leaves the output byte-identical`, async () => {
    const home0 = tempDir();
    const d0 = await startDaemon(home0);
    const expected = await encrypt(new Resilient(d0, await d0.client()), spec);
    await d0.kill('SIGTERM');
    assert.ok(expected.length > 500);

    const points = ['crypto.start#1', 'crypto.crypt#1', 'crypto.crypt#2', 'crypto.crypt#17', 'crypto.crypt#50', 'crypto.finish#1'];
    for (const fn of points) {
      for (const phase of PHASES) {
        const home = tempDir();
        const d = await startDaemon(home, { CPAN_BRIDGE_CRASH_AT: `${fn}:${phase}` });
        const r = new Resilient(d, await d.client(), {});
        const parts: Buffer[] = [];
        const got = await encrypt(r, spec, -1, parts);
        assert.ok(got.equals(expected), `output differs after a crash at ${fn}:${phase}`);
        if (!(fn === 'crypto.finish#1' && phase === 'after_reply')) assert.equal(r.restarts, 1, `one crash at ${fn}:${phase}`);
        await r.d.kill('SIGTERM');
        const state = stateBytes(home);
        assert.equal(state.includes(PASS) || state.includes(KEY.slice(0, 32)), false, `a secret in the state directory (${fn}:${phase})`);
        assert.deepEqual(keptOutputs(state, parts), [], `ciphertext in the state directory (${fn}:${phase})`);
      }
    }
    const home = tempDir();
    const d = await startDaemon(home);
    const r = new Resilient(d, await d.client());
    const got = await encrypt(r, spec, 24);
    assert.ok(got.equals(expected), 'output differs after a SIGKILL between two crypt calls');
    assert.equal(r.restarts, 1);
    await r.d.kill('SIGTERM');
  });
}

// A random salt drawn by the first crypt: its resend after a crash must draw the same salt, or the
// header would name one salt while the rest of the stream was chained under the key of another.
test('a random salt: a crash at every phase of the first crypt gives a stream that decrypts', async () => {
  const spec = { ...SPECS.aes, make_random_salt: true, salt: null };
  const plain = Buffer.concat(CHUNKS);
  for (const phase of PHASES) {
    const home = tempDir();
    const d = await startDaemon(home, { CPAN_BRIDGE_CRASH_AT: `crypto.crypt#1:${phase}` });
    const r = new Resilient(d, await d.client(), {});
    const parts: Buffer[] = [];
    const got = await encrypt(r, spec, -1, parts);
    assert.equal(r.restarts, 1, `one crash at crypt#1:${phase}`);
    const back = await r.call('200', 'crypto', 'decrypt', { ...spec, decrypt: true, make_random_salt: false, data: b64(got) });
    assert.ok(bytesOf(back.out).equals(plain), `the stream does not decrypt after a crash at crypt#1:${phase}`);
    await r.d.kill('SIGTERM');
    assert.deepEqual(keptOutputs(stateBytes(home), parts), [], `ciphertext in the state directory (crypt#1:${phase})`);
  }
});
