// Output files only under the allowed directories (default: the client's cwd and the system temp
// directory); anything else, symlinks included, is a clear `path_denied` error.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { startDaemon, tempDir } from '../helpers';

test('a workbook outside the allowed directories is refused, a symlink cannot lead out', async () => {
  const home = tempDir();
  const d = await startDaemon(home);
  const c = await d.client();
  try {
    const denied = await c.request('excel', 'new_workbook', { filename: '/etc/cpan-bridge-denied.xlsx' });
    assert.equal(denied.success, false);
    assert.equal(denied.error?.code, 'path_denied');
    assert.match(denied.error!.message, /outside the allowed directories/);
    assert.equal(fs.existsSync('/etc/cpan-bridge-denied.xlsx'), false);

    const link = path.join(tempDir(), 'escape');
    fs.symlinkSync('/etc', link);
    const viaLink = await c.request('excel', 'new_workbook', { filename: path.join(link, 'x.xlsx') });
    assert.equal(viaLink.error?.code, 'path_denied');

    const ok = await c.request('excel', 'new_workbook', { filename: path.join(tempDir(), 'fine.xlsx') });
    assert.equal(ok.success, true, JSON.stringify(ok.error));
  } finally {
    c.close();
    await d.kill('SIGTERM');
  }
});

test('allowed_dirs in the configuration replaces the defaults', async () => {
  const home = tempDir();
  const only = tempDir();
  const d = await startDaemon(home, { CPAN_BRIDGE_ALLOWED_DIRS: only });
  const c = await d.client();
  try {
    const inside = await c.request('excel', 'new_workbook', { filename: path.join(only, 'a.xlsx') });
    assert.equal(inside.success, true, JSON.stringify(inside.error));
    const tmpElsewhere = await c.request('excel', 'new_workbook', { filename: path.join(tempDir(), 'b.xlsx') });
    assert.equal(tmpElsewhere.error?.code, 'path_denied');
  } finally {
    c.close();
    await d.kill('SIGTERM');
  }
});
