// NODE_EXTRA_CA_CERTS makes node read and parse its file at every start (~40 ms of CPU for a
// system bundle of 150 certificates), though only a TLS connection needs it. The node processes
// this project starts for a client (the autostarted daemon, process-mode calls) get the file
// under CPAN_BRIDGE_EXTRA_CA_CERTS instead, and it is added here when the first TLS context is
// made, as node adds it: to the default root certificates, for a context that names no `ca`
// of its own (node ignores the extra file when `ca` is given, and so does this).
import * as fs from 'node:fs';
import type * as TlsModule from 'node:tls';

export const LAZY_CA_ENV = 'CPAN_BRIDGE_EXTRA_CA_CERTS';

/** The environment for a node process started for a client: NODE_EXTRA_CA_CERTS deferred. */
export function deferCaEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return env;
  const out: NodeJS.ProcessEnv = { ...env, [LAZY_CA_ENV]: file };
  delete out.NODE_EXTRA_CA_CERTS;
  return out;
}

/** In a node started with CPAN_BRIDGE_EXTRA_CA_CERTS: TLS contexts get the extra file on first use. */
export function installDeferredCa(env: NodeJS.ProcessEnv = process.env): void {
  const file = env[LAZY_CA_ENV];
  if (!file || env.NODE_EXTRA_CA_CERTS) return; // node loaded it itself
  // the module object itself (not an import namespace, whose members are read-only getters)
  const tls = require('node:tls') as typeof TlsModule;
  let extra: string[] | null = null;
  const original = tls.createSecureContext;
  const withExtra = (options?: TlsModule.SecureContextOptions): TlsModule.SecureContext => {
    if (options && options.ca !== undefined) return original(options);
    if (extra === null) {
      try {
        extra = fs.readFileSync(file, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      } catch (e) {
        // node's own words when the file cannot be read; it goes on with the default roots
        process.emitWarning(`Ignoring extra certs from \`${file}\`, load failed: ${(e as Error).message}`);
        extra = [];
      }
    }
    return original({ ...options, ca: [...tls.rootCertificates, ...extra] });
  };
  tls.createSecureContext = withExtra;
}
