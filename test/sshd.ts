// A real OpenSSH sshd on 127.0.0.1 for the SFTP tests: throwaway host and user keys, internal-sftp
// starting in a fresh directory, a known_hosts naming the host key. As root the SFTP user is
// `nobody`, so that permission checks are real. Used by the TypeScript tests, and (as
// `node dist/test/sshd.js start DIR` / `stop DIR` / `restart DIR`) by the Perl tests and chaos.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Sshd {
  dir: string;
  port: number;
  user: string;
  /** the SFTP user's private key (no passphrase) */
  key: string;
  /** the same key, encrypted with `passphrase` */
  keyEnc: string;
  passphrase: string;
  /** a key the server does not accept */
  badKey: string;
  knownHosts: string;
  /** where SFTP sessions start (writable by the SFTP user) */
  root: string;
  /** a user that logs in with a password (as root only: the tests create it), else null */
  passwordUser: string | null;
  password: string;
}

const PASSWORD_USER = 'cbsftppw';
const PASSWORD = 'Heron-Sftp-Password-3318';

/** As root: a system user with a known password, for password logins (created once, idempotent). */
function passwordUser(): string | null {
  if (process.getuid?.() !== 0) return null;
  try {
    if (spawnSync('id', [PASSWORD_USER]).status !== 0) execFileSync('useradd', ['-M', '-d', '/', '-s', '/usr/sbin/nologin', PASSWORD_USER], { stdio: 'ignore' });
    execFileSync('chpasswd', { input: `${PASSWORD_USER}:${PASSWORD}\n`, stdio: ['pipe', 'ignore', 'ignore'] });
    return PASSWORD_USER;
  } catch {
    return null;
  }
}

const SSHD = '/usr/sbin/sshd';

export function sshdAvailable(): boolean {
  return fs.existsSync(SSHD) && spawnSync('ssh-keygen', ['-?']).error === undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function keygen(file: string, pass = ''): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', pass, '-C', 'cpan-bridge-test', '-f', file]);
}

function launch(s: Sshd): void {
  fs.rmSync(path.join(s.dir, 'sshd.pid'), { force: true });
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation directory
  execFileSync(SSHD, ['-f', path.join(s.dir, 'sshd_config'), '-E', path.join(s.dir, 'sshd.log')]);
  const deadline = Date.now() + 5000;
  while (!fs.existsSync(path.join(s.dir, 'sshd.pid')) && Date.now() < deadline) execFileSync('sleep', ['0.05']);
}

// sshds this process started and did not stop: stopped when it exits (a failed chaos run keeps its
// directories for reproduction, but must not leave a server running)
const running = new Set<string>();
process.once('exit', () => { for (const d of running) stopSshd(d); });

export async function startSshd(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-sshd-'))): Promise<Sshd> {
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  const user = process.getuid?.() === 0 ? 'nobody' : os.userInfo().username;
  const root = path.join(dir, 'root');
  fs.mkdirSync(root, { recursive: true, mode: 0o777 });
  fs.chmodSync(root, 0o777);
  keygen(path.join(dir, 'host_key'));
  keygen(path.join(dir, 'user_key'));
  keygen(path.join(dir, 'bad_key'));
  fs.copyFileSync(path.join(dir, 'user_key'), path.join(dir, 'user_key_enc'));
  const passphrase = 'Otter-Passphrase-5521';
  execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', passphrase, '-f', path.join(dir, 'user_key_enc')]);
  fs.copyFileSync(path.join(dir, 'user_key.pub'), path.join(dir, 'authorized_keys'));
  fs.chmodSync(path.join(dir, 'authorized_keys'), 0o644);
  const port = await freePort();
  const pwUser = passwordUser();
  const hostPub = fs.readFileSync(path.join(dir, 'host_key.pub'), 'utf8').trim().split(/\s+/);
  fs.writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostPub[0]} ${hostPub[1]}\n`);
  fs.writeFileSync(path.join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${dir}/host_key`, `PidFile ${dir}/sshd.pid`,
    `AuthorizedKeysFile ${dir}/authorized_keys`, 'StrictModes no', 'PasswordAuthentication no',
    'KbdInteractiveAuthentication no', 'UsePAM no', 'PermitRootLogin yes', 'LogLevel ERROR',
    `Subsystem sftp internal-sftp -d ${root}`, `ForceCommand internal-sftp -d ${root}`, 'MaxStartups 100',
    // password logins for that one user only: the others' refusals keep naming publickey alone
    ...(pwUser ? [`Match User ${pwUser}`, '  PasswordAuthentication yes'] : []), '',
  ].join('\n'));
  const s: Sshd = {
    dir, port, user, key: path.join(dir, 'user_key'), keyEnc: path.join(dir, 'user_key_enc'), passphrase,
    badKey: path.join(dir, 'bad_key'), knownHosts: path.join(dir, 'known_hosts'), root, passwordUser: pwUser, password: PASSWORD,
  };
  for (const f of ['user_key', 'user_key_enc', 'bad_key']) fs.chmodSync(path.join(dir, f), 0o600);
  fs.writeFileSync(path.join(dir, 'sshd.json'), JSON.stringify(s));
  launch(s);
  if (require.main !== module) running.add(dir);
  return s;
}

/** The processes whose parent is `pid` (from /proc: no procps needed). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(e));
    } catch { /* gone meanwhile */ }
  }
  return out;
}

function pidOf(dir: string): number | null {
  try { return Number(fs.readFileSync(path.join(dir, 'sshd.pid'), 'utf8').trim()) || null; } catch { return null; }
}

/** Stops the listener and every session it forked (they are its process group's children). */
export function stopSshd(dir: string): void {
  running.delete(dir);
  const pid = pidOf(dir);
  if (pid) {
    try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ }
    // the per-connection children hold sessions open: end them too (the server "restarts")
    for (const c of childrenOf(pid)) { try { process.kill(c, 'SIGTERM'); } catch { /* gone */ } }
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline) { try { process.kill(pid, 0); execFileSync('sleep', ['0.05']); } catch { break; } }
  }
  fs.rmSync(path.join(dir, 'sshd.pid'), { force: true });
}

export function restartSshd(dir: string): void {
  const s = JSON.parse(fs.readFileSync(path.join(dir, 'sshd.json'), 'utf8')) as Sshd;
  stopSshd(dir);
  launch(s);
}

if (require.main === module) {
  const [cmd, dir] = process.argv.slice(2);
  if (!cmd || !dir) { console.error('usage: sshd.js start|stop|restart DIR'); process.exit(2); }
  if (cmd === 'start') void startSshd(dir).then((s) => process.stdout.write(`${JSON.stringify(s)}\n`));
  else if (cmd === 'stop') stopSshd(dir);
  else if (cmd === 'restart') restartSshd(dir);
}
