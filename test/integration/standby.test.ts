// The warm standby (setting `standby`): a `use DBI;` job reads 300 rows while its daemon is
// SIGKILLed three times; each time the standby takes over (it becomes the daemon, with no node
// start and no autostart) and starts a standby of its own. The job prints every row once, in
// order; there is never more than one daemon and one standby; a killed standby is replaced; a
// graceful stop leaves no process behind.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { BridgeClient } from '../../src/client';
import { StateLock } from '../../src/server/lock';
import { pidAlive } from '../../src/server/owner';
import { socketAnswers } from '../../src/server/probe';
import { cli, daemonEnv, daemonPid, eventually, PERL_COMPAT, PERL_LIB, settingsFor, sleep, startDaemon, statePaths, tempDir } from '../helpers';

const STANDBY = { CPAN_BRIDGE_STANDBY: '1' };

function standbyPid(home: string): number | null {
  try {
    const p = Number(fs.readFileSync(statePaths(home).standbyPid, 'utf8').trim());
    return Number.isInteger(p) && p > 0 && pidAlive(p) ? p : null;
  } catch {
    return null;
  }
}

/** Pids once seen as this test's daemons: an exiting process's cmdline reads empty (below). */
const seenDaemons = new Map<number, string>();

/**
 * Every live process of this state directory's daemons (`cli.js daemon` with CPAN_BRIDGE_HOME=home),
 * zombies aside. A process whose main thread has exited while other threads still exit is live:
 * they hold its descriptors (the shared listening socket) until the last of them is gone. Its
 * cmdline and environ then read empty (the main thread's memory is gone), so a pid seen before
 * is still counted while any thread of it lives.
 */
function daemonProcesses(home: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      const cmdline = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
      if (cmdline === '' && seenDaemons.get(pid) === home) {
        if (allThreadsZombies(name)) seenDaemons.delete(pid);
        else found.push(pid);
        continue;
      }
      const cmd = cmdline.split('\0');
      if (!cmd.some((a) => a.endsWith('cli.js')) || !cmd.includes('daemon')) continue;
      if (!fs.readFileSync(`/proc/${name}/environ`, 'utf8').split('\0').includes(`CPAN_BRIDGE_HOME=${home}`)) continue;
      seenDaemons.set(pid, home);
      if (allThreadsZombies(name)) continue;
      found.push(pid);
    } catch { /* gone meanwhile, or not ours */ }
  }
  return found.sort((a, b) => a - b);
}

function allThreadsZombies(pid: string): boolean {
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      if (!/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'))) return false;
    } catch { /* this thread is gone */ }
  }
  return true;
}

/** A standby that is up and waiting: its pid file names it, and it is not the daemon. */
async function standbyReady(home: string): Promise<number> {
  assert.ok(await eventually(() => standbyPid(home) !== null && standbyPid(home) !== daemonPid(home), 20_000), 'a standby is waiting');
  return standbyPid(home)!;
}

const READER = `use strict;
use warnings;
use DBI;
use Time::HiRes qw(sleep);
$| = 1;
my ($db) = @ARGV;
die "wrong DBI: $INC{'DBI.pm'}" unless $INC{'DBI.pm'} =~ m{/perl/compat/DBI\\.pm$};
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1 });
my $sth = $dbh->prepare('SELECT id, v FROM r ORDER BY id');
$sth->execute;
while (my @row = $sth->fetchrow_array) {
    print join("\\t", @row), "\\n";
    sleep 0.01;
}
$dbh->disconnect;
print "done\\n";
exit 0;
`;

test('the standby takes over a SIGKILLed daemon three times: the job finishes, one daemon at a time, stop leaves nothing', async () => {
  const home = tempDir();
  const work = tempDir('cb-standby-');
  const db = path.join(work, 'r.db');
  const sql = new Database(db);
  sql.exec('CREATE TABLE r (id INTEGER PRIMARY KEY, v TEXT)');
  const ins = sql.prepare('INSERT INTO r VALUES (?, ?)');
  sql.transaction(() => { for (let i = 1; i <= 300; i++) ins.run(i, `value ${i}`); })();
  sql.close();
  const script = path.join(work, 'reader.pl');
  fs.writeFileSync(script, READER);

  const first = await startDaemon(home, STANDBY);
  try {
    let standby = await standbyReady(home);
    assert.deepEqual(daemonProcesses(home), [first.pid, standby].sort((a, b) => a - b), 'a daemon and its standby');

    // autostart off: a daemon that answers after a kill can only be the standby
    const env = daemonEnv(home, { ...STANDBY, CPAN_BRIDGE_PREFETCH: '10', CPAN_BRIDGE_RECONNECT_TIMEOUT: '20', CPAN_BRIDGE_AUTOSTART: '0' });
    const job = spawn('perl', ['-I', PERL_LIB, '-I', PERL_COMPAT, script, db], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    job.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => job.on('exit', (code) => resolve(code)));
    const killed: number[] = [];
    const taken: number[] = [];
    const rows = () => out.split('\n').length - 1;
    let killing = Promise.resolve();
    const killAt = [20, 120, 220];
    job.stdout.on('data', (d) => {
      out += d;
      while (killAt.length && rows() >= killAt[0]) {
        killAt.shift();
        killing = killing.then(async () => {
          const victim = daemonPid(home)!;
          const heir = await standbyReady(home);
          process.kill(victim, 'SIGKILL');
          killed.push(victim);
          assert.ok(await eventually(() => daemonPid(home) === heir, 10_000), `the standby ${heir} became the daemon`);
          taken.push(heir);
          standby = await standbyReady(home);
        });
      }
    });
    const code = await exited;
    await killing;
    assert.equal(code, 0, `the job exits 0: ${err}`);
    const lines = out.split('\n').filter(Boolean);
    assert.equal(lines.pop(), 'done');
    assert.deepEqual(lines, Array.from({ length: 300 }, (_, i) => `${i + 1}\tvalue ${i + 1}`), 'every row once, in order');
    assert.equal(killed.length, 3);
    assert.equal(new Set(killed).size, 3, 'three daemons killed');
    assert.deepEqual(killed.slice(1), taken.slice(0, 2), 'each one the standby that took over from the one before');
    assert.equal(daemonPid(home), taken[2], 'the last standby serves');

    // one daemon and one standby, the standby is replaced when it is killed
    const daemon = daemonPid(home)!;
    assert.deepEqual(daemonProcesses(home), [daemon, standby].sort((a, b) => a - b), 'never a second daemon or standby');
    process.kill(standby, 'SIGKILL');
    assert.ok(await eventually(() => standbyPid(home) !== null && standbyPid(home) !== standby, 20_000), 'a killed standby is replaced');
    const replacement = standbyPid(home)!;
    await sleep(200);
    assert.deepEqual(daemonProcesses(home), [daemon, replacement].sort((a, b) => a - b), 'by exactly one');

    // a graceful stop stops the standby first: it never takes over, nothing is left
    const r = cli(home, ['stop'], STANDBY);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(await eventually(() => daemonProcesses(home).length === 0, 5000), `no process left: ${daemonProcesses(home).join(' ')}`);
    assert.ok(!fs.existsSync(settingsFor(home).socket) && !fs.existsSync(statePaths(home).standbyPid), 'socket and standby pid file gone');
  } finally {
    for (const p of daemonProcesses(home)) process.kill(p, 'SIGKILL');
    await first.kill();
  }
});

test('system.shutdown and SIGTERM stop the standby too; a daemon without the setting has none', async () => {
  const home = tempDir();
  const d = await startDaemon(home, STANDBY);
  try {
    const standby = await standbyReady(home);
    const c = await BridgeClient.connect(settingsFor(home));
    const status = await c.call<{ standby_pid: number | null }>('system', 'status');
    assert.equal(status.standby_pid, standby, 'status names the standby');
    await c.call('system', 'shutdown');
    c.close();
    await d.exited;
    assert.ok(await eventually(() => daemonProcesses(home).length === 0, 5000), 'shutdown: no process left');

    const again = await startDaemon(home, STANDBY);
    await standbyReady(home);
    await again.kill('SIGTERM');
    assert.ok(await eventually(() => daemonProcesses(home).length === 0, 5000), 'SIGTERM: no process left');

    const plain = await startDaemon(home);
    try {
      await sleep(800); // past the standby's start delay
      assert.deepEqual(daemonProcesses(home), [plain.pid], 'no standby without the setting');
    } finally {
      await plain.kill('SIGTERM');
    }
  } finally {
    for (const p of daemonProcesses(home)) process.kill(p, 'SIGKILL');
    await d.kill();
  }
});

test('a standby that cannot take the lock after its primary died exits (the lock decides; it never lingers)', async () => {
  const home = tempDir();
  const d = await startDaemon(home, STANDBY);
  let lock: StateLock | null = null;
  try {
    const standby = await standbyReady(home);
    // the standby frozen, the primary killed, the lock taken by another process (this test) first
    process.kill(standby, 'SIGSTOP');
    await d.kill('SIGKILL');
    lock = StateLock.acquire(statePaths(home).lock, 5000);
    assert.ok(lock, 'the lock is free once the primary is dead');
    process.kill(standby, 'SIGCONT');
    assert.ok(await eventually(() => !pidAlive(standby) && daemonProcesses(home).length === 0, 10_000), 'the standby exits');
    // the kernel closes the last descriptor as the last thread exits: asked until then, bounded
    let answers = true;
    for (const end = Date.now() + 5000; answers && Date.now() < end; await sleep(50)) answers = await socketAnswers(settingsFor(home).socket, 500);
    assert.equal(answers, false, 'and with it the shared socket is closed');
    lock.release();
    lock = null;
    // a client is not left behind: the next daemon starts as usual
    const next = await startDaemon(home);
    await next.kill('SIGTERM');
  } finally {
    lock?.release();
    for (const p of daemonProcesses(home)) process.kill(p, 'SIGKILL');
  }
});
