// Bench section: mail through the MIME::Lite shim against the real MIME::Lite, to the same SMTP
// sink on 127.0.0.1 (test/mail-sink.ts), in the same run: N messages with an attachment, each
// one SMTP dialog, every one counted at the sink.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startSink } from '../mail-sink';
import { bridgeEnv, medianOf, must, nativeEnv, perlHas, type Measured } from './lib';
import type { SectionKit } from './crypt';

export async function mailBench(k: SectionKit): Promise<Record<string, unknown>> {
  const n = k.quick ? 20 : 100;
  const kib = 256;
  k.log(`mail (${n} messages with a ${kib} KiB attachment)`);
  const sink = await startSink();
  const file = path.join(k.work, 'mail-attachment.bin');
  fs.writeFileSync(file, randomBytes(kib * 1024));
  const args = [String(sink.port), String(n), file];
  const native = Boolean(perlHas('MIME::Lite'));
  const counted = async (what: string, run: () => Promise<Measured>): Promise<Measured> => {
    const before = sink.received.length;
    const m = await run();
    if (sink.received.length - before !== n) throw new Error(`${what}: the sink received ${sink.received.length - before} of ${n} messages`);
    return m;
  };
  const variants: { key: string; name: string; run: () => Promise<Measured> }[] = [
    ...(native ? [{ key: 'native', name: 'native Perl, MIME::Lite (Net::SMTP)', run: () => counted('native', async () => must(await k.perl('mail.pl', args, nativeEnv(), null), 'native mail')) }] : []),
    ...k.codecs.map((c) => ({
      key: `bridge_${c}`, name: `bridge, ${k.codecName[c]}`,
      run: () => k.withDaemon('mail', (d) => counted(`bridge ${c}`, async () => must(await k.perl('mail.pl', args, bridgeEnv(d.home, { CPAN_BRIDGE_AUTOSTART: '0' }), c), `bridge mail ${c}`))),
    })),
  ];
  const runs: Record<string, Measured[]> = {};
  try {
    for (let i = 0; i < k.runs; i++) for (const v of variants) (runs[v.key] ??= []).push(await v.run());
  } finally {
    await sink.close();
    fs.rmSync(file, { force: true });
  }
  const r: Record<string, unknown> = { messages: n, attachment_kib: kib };
  for (const v of variants) r[v.key] = { send_ms: medianOf(runs[v.key], (m) => m.bench?.send_ms as number), process_ms: medianOf(runs[v.key], (m) => m.wallMs) };
  const nat = r.native as { send_ms: number | null } | undefined;
  k.table(`Mail: ${n} MIME::Lite messages with a ${kib} KiB attachment sent by SMTP to a local sink (exactly-once journaling on the bridge) — median of ${k.runs}`,
    ['variant', 'send loop (ms)', 'per message (ms)', 'whole process (ms)', 'time vs native'],
    variants.map((v) => {
      const s = r[v.key] as { send_ms: number | null; process_ms: number | null };
      return [v.name, s.send_ms?.toFixed(0) ?? '–', s.send_ms ? (s.send_ms / n).toFixed(1) : '–', s.process_ms?.toFixed(0) ?? '–', s.send_ms && nat?.send_ms ? `${(s.send_ms / nat.send_ms).toFixed(2)}×` : '–'];
    }),
    native ? ['Issue 14 sets no speed target for mail; the bridge journals each message before its SMTP dialog and its progress during it (exactly-once), the real module does not.'] : ['The real MIME::Lite is not installed (Debian: libmime-lite-perl): no native column.']);
  return r;
}
