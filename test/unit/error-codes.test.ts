// The error catalogue, PROTOCOL.md and the clients agree: every code that can be sent is
// documented with the retryability the catalogue gives it.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ERROR_CODES } from '../../src/kit/error-codes';
import { ROOT } from '../helpers';

function filesUnder(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

/** `| \`code\` | retryable | meaning |` rows of PROTOCOL.md. */
function documented(): Map<string, string> {
  const md = fs.readFileSync(path.join(ROOT, 'src/protocol/PROTOCOL.md'), 'utf8');
  return new Map([...md.matchAll(/^\| `([a-z_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2].trim()]));
}

test('PROTOCOL.md lists every catalogued code with its retryability, and nothing else', () => {
  const doc = documented();
  for (const [code, info] of Object.entries(ERROR_CODES)) {
    const want = (info.retryable === 'varies' ? 'varies' : info.retryable ? 'yes' : 'no') + (info.inDoubt ? ', in doubt' : '');
    assert.equal(doc.get(code), want, `PROTOCOL.md: ${code}`);
  }
  assert.deepEqual([...doc.keys()].filter((c) => !(c in ERROR_CODES)), []);
});

test('every code the Perl client makes up is catalogued', () => {
  const codes = filesUnder(path.join(ROOT, 'perl/lib'), '.pm')
    .flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/code\s*=>\s*'([a-z_]+)'/g)].map((m) => m[1]));
  assert.ok(codes.length > 0);
  assert.deepEqual([...new Set(codes)].filter((c) => !(c in ERROR_CODES)), []);
});

test('every code written as a literal in the daemon is catalogued', () => {
  // BridgeError's constructor is typed by the catalogue; this catches codes in plain objects
  const codes = filesUnder(path.join(ROOT, 'src'), '.ts')
    .flatMap((f) => [...fs.readFileSync(f, 'utf8').matchAll(/\bcode: '([a-z_]+)'/g)].map((m) => m[1]));
  assert.deepEqual([...new Set(codes)].filter((c) => !(c in ERROR_CODES)), []);
});
