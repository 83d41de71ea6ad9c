// `daemon --detach --home DIR` serves DIR, also when CPAN_BRIDGE_HOME is not set.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CLI, tempDir } from '../helpers';

test('daemon --detach honours --home without CPAN_BRIDGE_HOME', () => {
  const home = path.join(tempDir(), 'state');
  const fakeHome = tempDir(); // where ~/.cpan-bridge would be: must stay untouched
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: fakeHome };
  for (const k of Object.keys(env)) if (k.startsWith('CPAN_BRIDGE_')) delete env[k];
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--home', home], { env, encoding: 'utf8', timeout: 30000 });
  const r = run(['daemon', '--detach']);
  try {
    assert.equal(r.status, 0, r.stderr);
    assert.ok(fs.existsSync(path.join(home, 'bridge.sock')), 'the daemon serves the --home directory');
    assert.equal(fs.existsSync(path.join(fakeHome, '.cpan-bridge')), false, '~/.cpan-bridge is not used');
    assert.equal(run(['ping']).status, 0);
  } finally {
    run(['stop']);
    // the old behaviour left a daemon on ~/.cpan-bridge: stop that one too
    spawnSync(process.execPath, [CLI, 'stop'], { env, encoding: 'utf8', timeout: 30000 });
  }
});
