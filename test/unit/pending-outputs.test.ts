// What a render cut short by a killed daemon leaves beside its target is removed when the state
// directory is next opened, even if its close is never resent; nothing else is ever removed.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pendingOutputsFile, notePending, sweepPending } from '../../src/modules/excel/pending-outputs';
import { tempDir } from '../helpers';

test('the temporary files of renders in progress are swept at the next start, and only they', () => {
  const home = tempDir();
  const out = tempDir();
  const list = pendingOutputsFile(home);
  const tmp = path.join(out, '.cb7.tmp');
  const tmp2 = path.join(out, '.cb7.d.tmp');
  const report = path.join(out, 'report.xlsx');
  notePending(list, [tmp, tmp2, report]); // a name not ours is never removed, whatever the list says
  fs.writeFileSync(tmp, 'half a workbook');
  fs.writeFileSync(report, 'a finished report');
  assert.equal(fs.statSync(list).mode & 0o777, 0o600);
  // the daemon is killed here: no donePending
  assert.deepEqual(sweepPending(list), [tmp]);
  assert.equal(fs.existsSync(tmp), false);
  assert.equal(fs.existsSync(report), true);
  assert.equal(fs.existsSync(list), false);
  assert.deepEqual(sweepPending(list), []);
});
