// The daemon with the journal off, to measure what the journal costs. Never use it for anything
// but measuring.
//   BENCH_VARIANT=off       every Journal.commit() is a no-op (journal off: nothing survives a
//                           crash, workbooks render empty) - the floor for the journaling overhead
//   node variant-daemon.js daemon
if (process.env.NODE_TEST_CONTEXT) process.exit(0); // npm test treats files under test/ as tests
import type { Write } from '../../journal/journal';
import { Journal } from '../../journal/journal';

type Commit = (this: Journal, writes: Write[]) => void;
const J = Journal.prototype as unknown as { commit: Commit };
const variant = process.env.BENCH_VARIANT ?? '';

if (variant === 'off') {
  J.commit = function commitOff(): void { /* journal off (bench) */ };
} else if (variant !== '') {
  process.stderr.write(`variant-daemon: unknown BENCH_VARIANT ${variant}\n`);
  process.exit(2);
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../../src/cli');
