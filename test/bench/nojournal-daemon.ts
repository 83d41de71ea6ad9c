// A daemon with its journal switched off, for the journaling-overhead figure only: every
// Journal.commit() becomes a no-op (nothing is written, so nothing survives a crash and a
// workbook renders empty). Reads of the journal still run. Never use it for anything else.
//   node nojournal-daemon.js daemon
import { Journal } from '../../journal/journal';

(Journal.prototype as unknown as { commit: (w: unknown[]) => void }).commit = function commitOff(): void {
  /* journal off (bench) */
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../../src/cli');
