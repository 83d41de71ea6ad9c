// Issue 17's figure: 100,000 `INFO` calls with a File appender, the real Log::Log4perl against the
// bridge's (JSON::XS and core-only JSON::PP), interleaved, medians; the files compared line count.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bridgeEnv, medianOf, must, nativeEnv, perlCodecArgs, PERL_DIR, runMeasured, startDaemon, type Codec, type Measured } from './lib';

export interface Log4perlBench {
  results: Record<string, unknown>;
  md: string[];
}

export async function log4perlBench(work: string, runs: number, n: number, log: (s: string) => void): Promise<Log4perlBench> {
  const home = path.join(work, `log4perl-${Math.random().toString(36).slice(2, 8)}`);
  const d = await startDaemon(home);
  const run = (env: NodeJS.ProcessEnv, codec: Codec | null, file: string): Promise<Measured> =>
    runMeasured('perl', [...(codec ? perlCodecArgs(codec) : []), path.join(PERL_DIR, 'log4perl.pl'), file, String(n)], { env, cwd: work });
  const m: Record<string, Measured[]> = { native: [], xs: [], pp: [] };
  try {
    for (let i = 0; i < runs; i++) {
      m.native!.push(must(await run(nativeEnv(), null, path.join(work, 'l4p-native.log')), 'native log4perl'));
      for (const c of ['xs', 'pp'] as const) m[c]!.push(must(await run(bridgeEnv(home, { CPAN_BRIDGE_AUTOSTART: '0' }), c, path.join(work, `l4p-${c}.log`)), `bridge log4perl ${c}`));
    }
  } finally {
    await d.stop();
  }
  const lines = (f: string) => fs.readFileSync(path.join(work, f), 'utf8').split('\n').length - 1;
  const results: Record<string, unknown> = { n, runs };
  const md = ['### Log::Log4perl: INFO calls with a File appender (issue 17)', '',
    '| variant | whole process (ms) | log loop (ms) | loop + last line written (ms) | per call (µs) | vs native (whole process) | lines in file |', '|---|---|---|---|---|---|---|'];
  const nativeWall = medianOf(m.native!, (x) => x.wallMs)!;
  for (const [k, name] of [['native', 'real Log::Log4perl 1.57'], ['xs', 'bridge, JSON::XS'], ['pp', 'bridge, core modules only (JSON::PP)']] as const) {
    const wall = medianOf(m[k]!, (x) => x.wallMs)!;
    const all = medianOf(m[k]!, (x) => Number(x.bench?.all_ms))!;
    const loop = medianOf(m[k]!, (x) => Number(x.bench?.loop_ms))!;
    const count = lines(`l4p-${k}.log`);
    results[k] = { wall_ms: wall, loop_ms: loop, all_ms: all, per_call_us: (all * 1000) / n, ratio: wall / nativeWall, lines: count };
    md.push(`| ${name} | ${wall.toFixed(0)} | ${loop.toFixed(0)} | ${all.toFixed(0)} | ${((all * 1000) / n).toFixed(1)} | ${(wall / nativeWall).toFixed(2)}× | ${count} |`);
  }
  md.push('', `${n} calls, medians of ${runs} interleaved runs. Target: at most 1.5× the real module.`, '');
  log(`log4perl: ${JSON.stringify(results)}`);
  return { results, md };
}
