// `cpan-bridge daemon --ready-fd N` (how the Perl client's autostart starts the daemon, one node
// start): "ready" on descriptor N once it serves; a second daemon on the same state directory
// writes "fail 3 ..." (held by another) and exits 3.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { test } from 'node:test';
import { socketAnswers } from '../../src/server/probe';
import { CLI, daemonEnv, settingsFor, tempDir } from '../helpers';

function start(home: string): { said: Promise<string>; exited: Promise<number | null>; kill(): void } {
  const child = spawn(process.execPath, [CLI, 'daemon', '--ready-fd', '3'], { env: daemonEnv(home), stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const pipe = child.stdio[3] as Readable;
  let text = '';
  const said = new Promise<string>((resolve) => {
    pipe.on('data', (d: Buffer) => (text += d.toString()));
    pipe.on('end', () => resolve(text));
    pipe.on('error', () => resolve(text));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { said, exited, kill: () => child.kill('SIGTERM') };
}

test('ready once it serves; a second daemon on the directory says fail 3 and exits 3', async () => {
  const home = tempDir();
  const first = start(home);
  try {
    assert.equal(await first.said, 'ready\n', 'the pipe says ready, then is closed');
    assert.ok(await socketAnswers(settingsFor(home).socket), 'and the daemon serves');
    const second = start(home);
    const said = await second.said;
    assert.match(said, /^fail 3 another cpan-bridge daemon \(pid \d+\) already serves the state directory/);
    assert.equal(await second.exited, 3);
  } finally {
    first.kill();
    await first.exited;
  }
});
