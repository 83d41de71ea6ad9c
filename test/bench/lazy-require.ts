// Bench-only: `NODE_OPTIONS=--require dist/test/bench/lazy-require.js` makes require() of the
// heavy optional dependencies (exceljs, pg, oracledb, ssh2-sftp-client, nodemailer) return a proxy
// that loads the real module on first use - an approximation, from outside, of the proposed fix
// (load them lazily in src/), to measure what it gains at daemon start and in recovery.
import Module from 'node:module';

const LAZY = new Set(['exceljs', 'pg', 'oracledb', 'ssh2-sftp-client', 'nodemailer']);
const M = Module as unknown as { _load: (req: string, parent: unknown, isMain: boolean) => unknown };
const load = M._load;
M._load = function lazyLoad(request: string, parent: unknown, isMain: boolean): unknown {
  if (!LAZY.has(request)) return load.call(this, request, parent, isMain);
  let real: Record<string | symbol, unknown> | null = null;
  const get = () => (real ??= load.call(M, request, parent, isMain) as Record<string | symbol, unknown>);
  return new Proxy(function lazy() { /* placeholder */ } as unknown as Record<string | symbol, unknown>, {
    get: (_t, k) => (k === '__esModule' && real === null ? undefined : get()[k]),
    has: (_t, k) => k in get(),
    apply: (_t, self, args) => (get() as unknown as (...a: unknown[]) => unknown).apply(self, args),
    construct: (_t, args) => new (get() as unknown as new (...a: unknown[]) => object)(...args),
  });
};
