// A state directory (or a file in it) that another user could have prepared or can change is
// refused with a message saying what is wrong and how to fix it; a daemon killed while creating
// its files never leaves a key or token that breaks (or weakens) the next start.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CLI, cli, daemonEnv, sleep, startDaemon, statePaths, tempDir } from '../helpers';

const OTHER = 65534; // nobody
const asRoot = process.getuid?.() === 0;

/** A foreground daemon start that is expected to fail: its exit code and stderr. */
function refusedStart(home: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'daemon'], { env: daemonEnv(home), encoding: 'utf8', timeout: 20000 });
  return { status: r.status, stderr: r.stderr };
}

function freshHome(): string {
  const h = path.join(tempDir(), 'state');
  fs.mkdirSync(h, { mode: 0o700 });
  return h;
}

test('a state directory owned by another user is refused, and doctor says so', { skip: !asRoot && 'needs root to chown' }, () => {
  const home = freshHome();
  fs.chownSync(home, OTHER, OTHER);
  const r = refusedStart(home);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /owned by uid 65534/);
  assert.match(r.stderr, /CPAN_BRIDGE_HOME/);
  assert.equal(fs.existsSync(path.join(home, 'token')), false, 'nothing written into it');
  const doc = cli(home, ['doctor']);
  assert.match(doc.stdout, /FAIL\s+state directory trust\s+.*owned by uid 65534/);
});

test("another user's key or token in the state directory is refused", { skip: !asRoot && 'needs root to chown' }, () => {
  for (const name of ['journal.key', 'token']) {
    const home = freshHome();
    const file = path.join(home, name);
    fs.writeFileSync(file, name === 'token' ? 'a'.repeat(64) : Buffer.alloc(32), { mode: 0o600 });
    fs.chownSync(file, OTHER, OTHER);
    const r = refusedStart(home);
    assert.notEqual(r.status, 0, name);
    assert.match(r.stderr, new RegExp(`${name.replace('.', '\\.')} is owned by uid 65534`), r.stderr);
  }
});

test('symlinks in the state directory are refused and never written through', () => {
  for (const name of ['daemon.log', 'journal.sqlite', 'journal.sqlite-wal', 'token', 'daemon.pid']) {
    const home = freshHome();
    const victim = path.join(tempDir(), 'victim');
    fs.writeFileSync(victim, 'untouched');
    fs.symlinkSync(victim, path.join(home, name));
    const r = refusedStart(home);
    assert.notEqual(r.status, 0, name);
    assert.match(r.stderr, new RegExp(`${name.replace('.', '\\.')} is a symbolic link`), r.stderr);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'untouched', `${name}: the link's target was not written`);
  }
});

test('a group- or world-writable state directory or file is refused', () => {
  const home = freshHome();
  fs.chmodSync(home, 0o777);
  assert.match(refusedStart(home).stderr, /writable by its group or by everyone \(mode 777\)/);
  const home2 = freshHome();
  fs.writeFileSync(path.join(home2, 'journal.key'), Buffer.alloc(32, 7));
  fs.chmodSync(path.join(home2, 'journal.key'), 0o666);
  assert.match(refusedStart(home2).stderr, /journal\.key is writable by its group or by everyone/);
});

test('an all-zero key of our own is refused as weak', async () => {
  const home = freshHome();
  fs.writeFileSync(path.join(home, 'journal.key'), Buffer.alloc(32), { mode: 0o600 });
  assert.match(refusedStart(home).stderr, /all zero bytes/);
});

test('an empty key or token (a creation cut short) does not stop the next start', async () => {
  const home = freshHome();
  fs.writeFileSync(path.join(home, 'journal.key'), '', { mode: 0o600 });
  fs.writeFileSync(path.join(home, 'token'), '', { mode: 0o600 });
  const d = await startDaemon(home);
  try {
    assert.equal(fs.statSync(statePaths(home).key).size, 32);
    assert.ok(fs.readFileSync(statePaths(home).token, 'utf8').trim().length >= 32);
  } finally {
    await d.kill('SIGTERM');
  }
});

test('a daemon SIGKILLed in its first moments leaves a state directory the next start accepts', async () => {
  for (let i = 0; i < 8; i++) {
    const home = freshHome();
    const child = spawnSync('sh', ['-c', `${process.execPath} ${CLI} daemon & p=$!; sleep 0.${i * 6 % 10 + 1}; kill -9 $p`], { env: daemonEnv(home), encoding: 'utf8', timeout: 20000 });
    assert.equal(child.error, undefined);
    await sleep(20);
    const d = await startDaemon(home);
    try {
      assert.equal(fs.statSync(statePaths(home).key).size, 32, `run ${i}`);
      const c = await d.client();
      c.close();
    } finally {
      await d.kill('SIGTERM');
    }
  }
});
