// Bench section: SFTP through the Net::SFTP::Foreign shim against the real Net::SFTP::Foreign
// (which drives the ssh binary), on the same throwaway OpenSSH sshd on 127.0.0.1, in the same
// run: connect, a large put and get (checksummed), and small files put, listed, removed.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSshd, sshdAvailable, stopSshd } from '../sshd';
import { bridgeEnv, medianOf, must, nativeEnv, perlHas, type Measured } from './lib';
import type { SectionKit } from './crypt';

export async function sftpBench(k: SectionKit): Promise<Record<string, unknown>> {
  const mib = k.quick ? 10 : 100;
  const small = k.quick ? 50 : 200;
  if (!sshdAvailable()) {
    k.table('SFTP', ['variant'], [], ['No OpenSSH sshd here (Debian: openssh-server): section skipped.']);
    return { skipped: 'no sshd' };
  }
  k.log(`SFTP (${mib} MiB put + get, ${small} small files)`);
  const sshd = await startSshd();
  const file = path.join(k.work, 'sftp-in.bin');
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < mib; i++) fs.writeSync(fd, randomBytes(1 << 20));
  fs.closeSync(fd);
  const args = [String(sshd.port), sshd.dir, file, String(small)];
  const native = Boolean(perlHas('Net::SFTP::Foreign'));
  const variants: { key: string; name: string; run: () => Promise<Measured> }[] = [
    ...(native ? [{ key: 'native', name: 'native Perl, Net::SFTP::Foreign (ssh binary)', run: async () => must(await k.perl('sftp.pl', args, nativeEnv(), null), 'native sftp') }] : []),
    ...k.codecs.map((c) => ({
      key: `bridge_${c}`, name: `bridge, ${k.codecName[c]}`,
      run: () => k.withDaemon('sftp', async (d) => must(await k.perl('sftp.pl', args, bridgeEnv(d.home, { CPAN_BRIDGE_AUTOSTART: '0' }), c), `bridge sftp ${c}`)),
    })),
  ];
  const runs: Record<string, Measured[]> = {};
  try {
    for (let i = 0; i < k.runs; i++) for (const v of variants) (runs[v.key] ??= []).push(await v.run());
  } finally {
    stopSshd(sshd.dir);
    fs.rmSync(file, { force: true });
  }
  const keys = ['connect_ms', 'put_ms', 'get_ms', 'small_ms'] as const;
  const r: Record<string, unknown> = { mib, small };
  for (const v of variants) r[v.key] = Object.fromEntries([...keys.map((key) => [key, medianOf(runs[v.key], (m) => m.bench?.[key] as number)]), ['process_ms', medianOf(runs[v.key], (m) => m.wallMs)]]);
  const nat = r.native as Record<string, number | null> | undefined;
  const rate = (ms: number | null | undefined) => (ms ? (mib / (ms / 1000)).toFixed(1) : '–');
  const vs = (a: number | null | undefined, b: number | null | undefined) => (a && b ? `${(a / b).toFixed(2)}×` : '–');
  k.table(`SFTP: connect, a ${mib} MiB put and get (checksummed), ${small} small files put_content + ls + remove — median of ${k.runs}`,
    ['variant', 'connect (ms)', 'put MiB/s', 'get MiB/s', `${small} small files (ms)`, 'whole process (ms)', 'put+get time vs native', 'small files vs native'],
    variants.map((v) => {
      const s = r[v.key] as Record<string, number | null>;
      return [v.name, s.connect_ms?.toFixed(0) ?? '–', rate(s.put_ms), rate(s.get_ms), s.small_ms?.toFixed(0) ?? '–', s.process_ms?.toFixed(0) ?? '–',
        vs((s.put_ms ?? 0) + (s.get_ms ?? 0), nat ? (nat.put_ms ?? 0) + (nat.get_ms ?? 0) : null), vs(s.small_ms, nat?.small_ms)];
    }),
    native ? ['Issue 13 sets no speed target for SFTP; the figures say what a job pays against the real module on the same server.'] : ['The real Net::SFTP::Foreign is not installed (Debian: libnet-sftp-foreign-perl): no native column.']);
  return r;
}
