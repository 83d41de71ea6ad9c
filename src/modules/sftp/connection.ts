// One SSH connection with its SFTP channel (ssh2), and the session that keeps one open: the
// server dropping or restarting is met on the next call by a bounded reconnect with backoff.
// Host keys are checked against the known_hosts text the script's side sent (ssh's rules).
import type { AnyAuthMethod, AuthenticationType, Client, ConnectConfig, SFTPWrapper } from 'ssh2';
import { BridgeError } from '../../errors';
import { checkHostKey, fingerprint, knownHostsLine } from './known-hosts';

export interface SessionSpec {
  host: string;
  port: number;
  user: string;
  password: string | null;
  key: string | null;
  passphrase: string | null;
  timeout: number;
  /** Net::SFTP::Foreign's `timeout`: a request unanswered this long drops the connection (null: none) */
  io_timeout?: number | null;
  known_hosts: string;
  strict: 'yes' | 'no' | 'accept-new';
}

/** How a connection attempt failed, in the words `ssh` would use on stderr. */
export type ConnectFailure = 'refused' | 'auth' | 'hostkey_unknown' | 'hostkey_changed' | 'timeout' | 'other';

export class ConnectError extends Error {
  constructor(readonly kind: ConnectFailure, message: string, readonly extra: Record<string, unknown> = {}) { super(message); }
}

export interface Conn { client: Client; sftp: SFTPWrapper; }

// ssh2 is loaded by the first SFTP connection: ~90 ms that every other node start is spared
const ssh2 = () => require('ssh2') as typeof import('ssh2');

export function openConnection(spec: SessionSpec, onNewKey: (line: string) => void): Promise<Conn> {
  return new Promise((resolve, reject) => {
    const client = new (ssh2().Client)();
    let verdict: 'ok' | 'unknown' | 'changed' = 'ok';
    let offered: Buffer | null = null;
    let settled = false;
    // the server's authentication methods, learnt as ssh learns them (a 'none' request first)
    let methods: AuthenticationType[] | null = null;
    const order: AuthenticationType[] = [...(spec.key !== null ? ['publickey' as const] : []), ...(spec.password !== null ? ['password' as const] : [])];
    const fail = (e: ConnectError) => { if (!settled) { settled = true; client.end(); reject(e); } };
    client.on('error', (e: Error & { level?: string; code?: string }) => {
      if (verdict === 'unknown') return fail(new ConnectError('hostkey_unknown', `No ${keyType(offered)} host key is known for ${spec.host} and you have requested strict checking.`));
      if (verdict === 'changed') return fail(new ConnectError('hostkey_changed', `REMOTE HOST IDENTIFICATION HAS CHANGED! Host key for ${spec.host} (${offered ? fingerprint(offered) : '?'}) does not match known_hosts.`, { fingerprint: offered ? fingerprint(offered) : null, key_type: keyType(offered) }));
      if (e.level === 'client-authentication') {
        // ssh names the methods the server takes; a password the server does not take is never typed
        const list = methods ?? [...(spec.key !== null ? ['publickey'] : []), ...(spec.password !== null ? ['password'] : [])];
        return fail(new ConnectError('auth', `${spec.user}@${spec.host}: Permission denied (${list.join(',')}).`, { methods: list.join(','), password_refused: spec.password !== null && list.includes('password') }));
      }
      if (e.code === 'ECONNREFUSED') return fail(new ConnectError('refused', `connect to host ${spec.host} port ${spec.port}: Connection refused`));
      if (e.level === 'client-timeout' || e.code === 'ETIMEDOUT') return fail(new ConnectError('timeout', `connect to host ${spec.host} port ${spec.port}: Connection timed out`));
      fail(new ConnectError('other', `${spec.host}: ${e.message}`));
    });
    client.on('ready', () => {
      client.sftp((err, sftp) => {
        if (err) return fail(new ConnectError('other', `subsystem request failed: ${err.message}`));
        settled = true;
        resolve({ client, sftp });
      });
    });
    client.on('close', () => fail(new ConnectError('other', 'Connection closed by remote host')));
    client.connect({
      host: spec.host, port: spec.port, username: spec.user,
      ...(spec.password !== null ? { password: spec.password } : {}),
      ...(spec.key !== null ? { privateKey: spec.key, ...(spec.passphrase !== null ? { passphrase: spec.passphrase } : {}) } : {}),
      readyTimeout: spec.timeout * 1000,
      // ssh2 ends authentication when given false (the types leave it out)
      authHandler: ((left: AuthenticationType[] | null, _partial: boolean, next: (m: AnyAuthMethod | false) => void) => {
        if (left === null) return next({ type: 'none', username: spec.user });
        methods ??= left;
        for (let t = order.shift(); t; t = order.shift()) {
          if (!left.includes(t)) continue;
          if (t === 'publickey') return next({ type: 'publickey', username: spec.user, key: spec.key!, ...(spec.passphrase !== null ? { passphrase: spec.passphrase } : {}) });
          return next({ type: 'password', username: spec.user, password: spec.password! });
        }
        return next(false);
      }) as unknown as ConnectConfig['authHandler'],
      hostVerifier: (key: Buffer) => {
        offered = key;
        const v = checkHostKey(spec.known_hosts, spec.host, spec.port, key);
        if (v === 'match') return true;
        // ssh adds an unknown key to known_hosts with accept-new, and with `no` too
        if (v === 'unknown' && spec.strict !== 'yes') { onNewKey(knownHostsLine(spec.host, spec.port, key)); return true; }
        if (spec.strict === 'no') return true; // a changed key: ssh warns and goes on
        verdict = v;
        return false;
      },
    });
  });
}

function keyType(key: Buffer | null): string {
  if (!key) return 'host';
  const t = key.subarray(4, 4 + key.readUInt32BE(0)).toString();
  return ({ 'ssh-ed25519': 'ED25519', 'ssh-rsa': 'RSA', 'ecdsa-sha2-nistp256': 'ECDSA' } as Record<string, string>)[t] ?? t;
}

const BACKOFF_MS = [100, 300, 700, 1500, 3000];

/** A session's live connection, reopened after a loss (a few attempts, then a clear error). */
export class SftpSession {
  private conn: Conn | null = null;
  /** Bumped at each new connection: remote file handles of an older one are gone. */
  gen = 0;
  newKeys: string[] = [];

  constructor(readonly spec: SessionSpec) {}

  async open(): Promise<void> {
    this.conn = await openConnection(this.spec, (l) => this.newKeys.push(l));
    this.gen++;
    const c = this.conn;
    c.client.on('close', () => { if (this.conn === c) this.conn = null; });
    c.client.on('error', () => { if (this.conn === c) this.conn = null; });
  }

  get connected(): boolean { return this.conn !== null; }

  /** The SFTP channel, reconnecting first if the connection was lost. */
  async sftp(): Promise<SFTPWrapper> {
    if (this.conn) return this.conn.sftp;
    let last: unknown = null;
    for (const wait of BACKOFF_MS) {
      try {
        await this.open();
        return this.conn!.sftp;
      } catch (e) {
        last = e;
        if (e instanceof ConnectError && (e.kind === 'auth' || e.kind.startsWith('hostkey'))) break;
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    throw new BridgeError('sftp_connection', `Connection to remote server is broken: ${(last as Error)?.message ?? 'unknown'}`);
  }

  /** Marks the connection lost (a call failed without an SFTP status). */
  lost(): void {
    const c = this.conn;
    this.conn = null;
    c?.client.end();
  }

  close(): void { this.lost(); }
}
