// The temporary files of atomic writes cut short (`file`.PID.TIME.tmp): those of a dead writer
// go at once (a daemon killed while writing its pid file, in its first second), those of a live
// one stay unless a minute old.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { removeStaleTemps } from '../../src/state-dir';

test('a dead writer\'s temporary file is removed at once, a live writer\'s is kept', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-temps-'));
  const file = path.join(dir, 'daemon.pid');
  const dead = spawnSync('true').pid!; // exited and reaped
  const live = process.ppid;
  const now = Date.now();
  fs.writeFileSync(`${file}.${dead}.${now}.tmp`, '1');
  fs.writeFileSync(`${file}.${live}.${now}.tmp`, '2');
  fs.writeFileSync(path.join(dir, 'other.pid.1.2.tmp'), '3'); // another file's: not this one's to judge
  const old = `${file}.${live}.${now - 120_000}.tmp`;
  fs.writeFileSync(old, '4');
  const t = new Date(now - 120_000);
  fs.utimesSync(old, t, t);
  removeStaleTemps(file);
  assert.deepEqual(fs.readdirSync(dir).sort(), [`daemon.pid.${live}.${now}.tmp`, 'other.pid.1.2.tmp'].sort());
  fs.rmSync(dir, { recursive: true, force: true });
});
