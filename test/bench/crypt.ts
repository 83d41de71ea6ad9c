// Bench section: bulk Crypt::CBC file encryption and decryption (AES, pbkdf2, 1 MiB chunks)
// through the shim against the real Crypt::CBC with Crypt::Rijndael, in the same run.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bridgeEnv, medianOf, must, nativeEnv, perlHas, type Codec, type DaemonHandle, type Measured } from './lib';

export interface SectionKit {
  work: string;
  quick: boolean;
  runs: number;
  codecs: Codec[];
  codecName: Record<Codec, string>;
  log(s: string): void;
  perl(script: string, args: string[], env: NodeJS.ProcessEnv, codec: Codec | null): Promise<Measured>;
  withDaemon<T>(tag: string, f: (d: DaemonHandle) => Promise<T>): Promise<T>;
  table(title: string, head: string[], rows: (string | number)[][], notes?: string[]): void;
}

export async function cryptBench(k: SectionKit): Promise<Record<string, unknown>> {
  const mib = k.quick ? 10 : 100;
  k.log(`bulk Crypt::CBC (${mib} MiB)`);
  const input = path.join(k.work, 'crypt-in.bin');
  const fd = fs.openSync(input, 'w');
  for (let i = 0; i < mib; i++) fs.writeSync(fd, randomBytes(1 << 20));
  fs.closeSync(fd);
  const out = path.join(k.work, 'crypt-out.bin');
  const native = Boolean(perlHas('Crypt::CBC') && perlHas('Crypt::Rijndael'));
  const variants: { key: string; name: string; run: () => Promise<Measured> }[] = [
    ...(native ? [{ key: 'native', name: 'native Perl, Crypt::CBC + Crypt::Rijndael', run: async () => must(await k.perl('crypt.pl', [input, out], nativeEnv(), null), 'native crypt') }] : []),
    ...k.codecs.map((c) => ({
      key: `bridge_${c}`, name: `bridge, ${k.codecName[c]}`,
      run: () => k.withDaemon('crypt', async (d) => must(await k.perl('crypt.pl', [input, out], bridgeEnv(d.home, { CPAN_BRIDGE_AUTOSTART: '0' }), c), `bridge crypt ${c}`)),
    })),
  ];
  const runs: Record<string, Measured[]> = {};
  for (let i = 0; i < k.runs; i++) for (const v of variants) (runs[v.key] ??= []).push(await v.run());
  const r: Record<string, unknown> = { mib };
  for (const v of variants) {
    r[v.key] = {
      encrypt_ms: medianOf(runs[v.key], (m) => m.bench?.encrypt_ms as number),
      decrypt_ms: medianOf(runs[v.key], (m) => m.bench?.decrypt_ms as number),
      perl_rss_kb: medianOf(runs[v.key], (m) => m.maxRssKb),
    };
  }
  const rate = (ms: number | null) => (ms ? `${(mib / (ms / 1000)).toFixed(1)}` : '–');
  const base = r.native as { encrypt_ms: number | null; decrypt_ms: number | null } | undefined;
  k.table(`Bulk Crypt::CBC: a ${mib} MiB file encrypted then decrypted in 1 MiB chunks (AES-256, pbkdf2) — median of ${k.runs}`,
    ['variant', 'encrypt (ms)', 'MiB/s', 'decrypt (ms)', 'MiB/s', 'time vs native'],
    variants.map((v) => {
      const s = r[v.key] as { encrypt_ms: number | null; decrypt_ms: number | null };
      const tot = (s.encrypt_ms ?? 0) + (s.decrypt_ms ?? 0);
      const nat = base ? (base.encrypt_ms ?? 0) + (base.decrypt_ms ?? 0) : 0;
      return [v.name, s.encrypt_ms?.toFixed(0) ?? '–', rate(s.encrypt_ms), s.decrypt_ms?.toFixed(0) ?? '–', rate(s.decrypt_ms), nat ? `${(tot / nat).toFixed(2)}×` : '–'];
    }),
    native ? [] : ['The real Crypt::CBC and Crypt::Rijndael are not installed (Debian: libcrypt-cbc-perl libcrypt-rijndael-perl): no native column.']);
  fs.rmSync(input, { force: true });
  fs.rmSync(out, { force: true });
  return r;
}
