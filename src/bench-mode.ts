// The journal-off daemon of `npm run bench` (its journaling-overhead figures), for benchmarks only:
// never a user setting, not in the configuration file. It takes both the environment variable
// the bench sets and the `--bench` flag on `cpan-bridge daemon`; either one alone refuses to
// start, so that a stray variable can never turn a production daemon's journal off.
export const BENCH_JOURNAL_ENV = 'CPAN_BRIDGE_BENCH_JOURNAL';

export class BenchModeError extends Error {}

/** True when this daemon must journal nothing (bench only); throws on a half-given switch. */
export function benchJournalOff(benchFlag: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env[BENCH_JOURNAL_ENV];
  if (v === undefined || v === '') {
    if (benchFlag) throw new BenchModeError(`--bench is for benchmarks only and needs ${BENCH_JOURNAL_ENV}=off`);
    return false;
  }
  if (!benchFlag) {
    throw new BenchModeError(`${BENCH_JOURNAL_ENV} is set: it is for benchmarks only (npm run bench) and is refused without --bench; unset it`);
  }
  if (v !== 'off') throw new BenchModeError(`${BENCH_JOURNAL_ENV}=${v}: the only value is "off"`);
  return true;
}
