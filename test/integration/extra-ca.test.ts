// NODE_EXTRA_CA_CERTS deferred (src/extra-ca.ts): a node started with CPAN_BRIDGE_EXTRA_CA_CERTS
// trusts the extra file's certificates exactly as node would under NODE_EXTRA_CA_CERTS: for a
// TLS connection that names no `ca` of its own, and not for one that does. Real certificates
// (openssl), a real TLS server on 127.0.0.1.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { deferCaEnv, LAZY_CA_ENV } from '../../src/extra-ca';
import { ROOT, tempDir } from '../helpers';

function openssl(dir: string, args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

/** A CA, a server certificate it signed (localhost), and an unrelated self-signed certificate. */
function certificates(): string {
  const dir = tempDir();
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Bridge Test CA']);
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=localhost']);
  fs.writeFileSync(path.join(dir, 'ext'), 'subjectAltName=DNS:localhost\n');
  openssl(dir, ['x509', '-req', '-in', 'srv.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.pem', '-days', '2', '-extfile', 'ext']);
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.pem', '-days', '2', '-subj', '/CN=Other']);
  return dir;
}

// connects without `ca`, then with another `ca`, and prints what each one saw
const PROBE = `
const tls = require('tls'), fs = require('fs');
if (process.argv.includes('lazy')) require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'extra-ca.js'))}).installDeferredCa();
const srv = tls.createServer({ key: fs.readFileSync('srv.key'), cert: fs.readFileSync('srv.pem') }, (s) => s.end('hi'));
srv.listen(0, '127.0.0.1', async () => {
  const out = [];
  for (const opts of [{}, { ca: [fs.readFileSync('other.pem')] }]) {
    out.push(await new Promise((r) => {
      const c = tls.connect({ port: srv.address().port, host: '127.0.0.1', servername: 'localhost', ...opts }, () => { c.end(); r('ok'); });
      c.on('error', (e) => r(e.code));
    }));
  }
  console.log(out.join(' '));
  srv.close();
});`;

function probe(dir: string, env: NodeJS.ProcessEnv, lazy: boolean): string {
  const clean = { ...env };
  if (!('NODE_EXTRA_CA_CERTS' in env)) delete clean.NODE_EXTRA_CA_CERTS;
  const r = spawnSync(process.execPath, ['-e', PROBE, lazy ? 'lazy' : 'plain'], { cwd: dir, env: clean, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('the deferred file is trusted as NODE_EXTRA_CA_CERTS is: without `ca` only', () => {
  const dir = certificates();
  const base: NodeJS.ProcessEnv = { ...process.env };
  delete base.NODE_EXTRA_CA_CERTS;
  delete base[LAZY_CA_ENV];
  const node = probe(dir, { ...base, NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem') }, false);
  assert.equal(node, 'ok SELF_SIGNED_CERT_IN_CHAIN', 'what node itself does');
  const deferred = deferCaEnv({ ...base, NODE_EXTRA_CA_CERTS: path.join(dir, 'ca.pem') });
  assert.equal(deferred.NODE_EXTRA_CA_CERTS, undefined);
  assert.equal(deferred[LAZY_CA_ENV], path.join(dir, 'ca.pem'));
  assert.equal(probe(dir, deferred, true), node, 'the same, deferred');
  assert.equal(probe(dir, base, true), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'and untrusted without the file');
});

test('an unreadable deferred file: a warning, the default roots (as node)', () => {
  const dir = certificates();
  const env: NodeJS.ProcessEnv = { ...process.env, [LAZY_CA_ENV]: path.join(dir, 'absent.pem') };
  delete env.NODE_EXTRA_CA_CERTS;
  const r = spawnSync(process.execPath, ['-e', PROBE, 'lazy'], { cwd: dir, env, encoding: 'utf8' });
  assert.equal(r.stdout.trim(), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  assert.match(r.stderr, /Ignoring extra certs from `.*absent\.pem`, load failed/);
});
