// One SMTP dialog, command by command. Nodemailer's SMTPConnection sends DATA as soon as one
// recipient is accepted and writes the final "." inside its own stream, so it can neither stop
// before DATA after a rejected RCPT (as Mail::Sender, MIME::Lite and Email::Sender do) nor let us
// journal the moment just before the final "." (the exactly-once rule). This drives the dialog at
// that level: every reply is handed back verbatim, so each shim words its errors as its module does.
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as crypto from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';

export type Stage = 'connect' | 'greeting' | 'ehlo' | 'starttls' | 'auth' | 'mail' | 'rcpt' | 'data' | 'dot' | 'quit';

export interface SmtpTarget {
  host: string;
  port: number;
  timeoutMs: number;
  /** the EHLO name */
  client: string;
  /** 'allowed': STARTTLS when offered (Mail::Sender's default); 'required': fail without it */
  tls: 'never' | 'allowed' | 'required';
  /** check the server's certificate (Email::Sender, through IO::Socket::SSL's defaults); Mail::Sender does not (SSL_VERIFY_NONE) */
  verify: boolean;
  auth: { method: string; user: string; pass: string } | null;
}

export interface Envelope {
  from: string;
  to: string[];
  /** go on after a rejected RCPT (Mail::Sender skip_bad_recipients, Email::Sender allow_partial_success) */
  skipBad: boolean;
  /** try every recipient before deciding (Email::Sender); otherwise stop at the first refusal */
  tryAll: boolean;
  /** DSN parameters of MAIL FROM and RCPT TO, sent when the server offers DSN (Mail::Sender's esmtp) */
  dsn?: { mail: string; rcpt: string } | null;
}

/** A failure of the dialog: where, and the server's reply as received (CRLFs kept), if any. */
export class SmtpFailure extends Error {
  constructor(
    readonly stage: Stage,
    readonly kind: 'refused' | 'dropped' | 'timeout' | 'reply' | 'tls_unsupported' | 'auth_unoffered' | 'all_rejected',
    readonly response: string,
    message: string,
    readonly address: string | null = null,
    readonly rejected: { address: string; response: string }[] = [],
  ) {
    super(message);
  }
}

export interface Delivered {
  accepted: string[];
  rejected: { address: string; response: string }[];
  /** the reply to the final "." */
  response: string;
}

/** The dialog's milestones, reported as they happen (the caller journals them at once). */
export type Progress = (stage: 'connected' | 'rcpt' | 'data' | 'dot' | 'accepted', info?: unknown) => void;

/** Reads whole replies (a multi-line reply ends at "nnn "); one command is outstanding at a time. */
class Replies {
  private buf = '';
  private ready: string[] = [];
  private waiting: ((r: string | Error) => void) | null = null;
  private ended: Error | null = null;
  private current = '';

  attach(sock: net.Socket | tls.TLSSocket): void {
    sock.setEncoding('latin1');
    sock.on('data', (d: string) => this.push(d));
  }

  private push(d: string): void {
    this.buf += d;
    let i: number;
    while ((i = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, i + 1);
      this.buf = this.buf.slice(i + 1);
      this.current += line;
      if (!/^\d{3}-/.test(line)) {
        this.deliver(this.current);
        this.current = '';
      }
    }
  }

  private deliver(r: string | Error): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w(r);
    } else if (typeof r === 'string') this.ready.push(r);
  }

  fail(e: Error): void {
    if (!this.ended) this.ended = e;
    this.deliver(e);
  }

  next(): Promise<string> {
    const r = this.ready.shift();
    if (r !== undefined) return Promise.resolve(r);
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => {
      this.waiting = (x) => (typeof x === 'string' ? resolve(x) : reject(x));
    });
  }
}

const ok = (r: string) => /^[23]/.test(r);
const code = (r: string) => Number(r.slice(0, 3));

/** EHLO keywords, upper-cased, with their parameters. */
function extensions(ehlo: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of ehlo.split(/\r?\n/).slice(1)) {
    const t = line.slice(4).trim();
    if (!t) continue;
    const [k, ...rest] = t.split(/[\s=]+/);
    m.set(k.toUpperCase(), rest.join(' '));
  }
  return m;
}

/**
 * The dialog as Mail::Sender's debug file shows it: "<< " before what was sent, ">> " before each
 * reply line; null where the message data goes. Credentials are never in it (the shim writes it to
 * the script's debug file, and it travels in a reply the journal keeps).
 */
export type Transcript = (string | null)[];

export class SmtpDialog {
  private sock!: net.Socket | tls.TLSSocket;
  /** kept when asked for */
  transcript: Transcript | null = null;
  private secret = false;
  private replies = new Replies();
  private stage: Stage = 'connect';
  ext = new Map<string, string>();

  constructor(private readonly t: SmtpTarget) {}

  private dropped(): SmtpFailure {
    return new SmtpFailure(this.stage, 'dropped', '', 'Connection closed unexpectedly');
  }

  private watch(sock: net.Socket | tls.TLSSocket): void {
    sock.setTimeout(this.t.timeoutMs, () => {
      this.replies.fail(new SmtpFailure(this.stage, 'timeout', '', `timeout after ${this.t.timeoutMs} ms`));
      sock.destroy();
    });
    sock.on('error', (e) => this.replies.fail(this.stage === 'connect' ? new SmtpFailure('connect', 'refused', '', e.message) : this.dropped()));
    sock.on('close', () => this.replies.fail(this.dropped()));
  }

  private async reply(): Promise<string> {
    const r = await this.replies.next();
    if (this.transcript) for (const l of r.split(/(?<=\n)/)) if (l) this.transcript.push(`>> ${l}`);
    return r;
  }

  private async cmd(stage: Stage, line: string): Promise<string> {
    this.stage = stage;
    if (this.transcript) this.transcript.push(this.secret ? '<< (credentials: not shown by the CPAN Bridge)\r\n' : `<< ${line}\r\n`);
    this.secret = false;
    this.sock.write(`${line}\r\n`, 'latin1');
    return this.reply();
  }

  private refuse(stage: Stage, r: string, address: string | null = null): never {
    throw new SmtpFailure(stage, 'reply', r, `${stage}: ${r.trim()}`, address);
  }

  async open(): Promise<void> {
    const sock = net.connect({ host: this.t.host, port: this.t.port });
    this.sock = sock;
    this.replies.attach(sock);
    this.watch(sock);
    sock.once('connect', () => { this.stage = 'greeting'; });
    const g = await this.reply(); // a refused connection fails this wait (watch)
    if (!ok(g)) this.refuse('greeting', g);
    await this.ehlo();
    const starttls = this.ext.has('STARTTLS');
    if (this.t.tls !== 'never' && starttls) {
      const r = await this.cmd('starttls', 'STARTTLS');
      if (code(r) !== 220) this.refuse('starttls', r);
      await this.upgrade();
      await this.ehlo();
    } else if (this.t.tls === 'required') {
      throw new SmtpFailure('starttls', 'tls_unsupported', '', 'TLS unsupported by server');
    }
    if (this.t.auth) await this.login(this.t.auth);
  }

  private async ehlo(): Promise<void> {
    let r = await this.cmd('ehlo', `EHLO ${this.t.client}`);
    if (!ok(r)) {
      r = await this.cmd('ehlo', `HELO ${this.t.client}`);
      if (!ok(r)) this.refuse('ehlo', r);
      this.ext = new Map();
      return;
    }
    this.ext = extensions(r);
  }

  private async upgrade(): Promise<void> {
    const plain = this.sock;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    plain.setTimeout(0);
    this.replies = new Replies();
    const s = tls.connect({ socket: plain, rejectUnauthorized: this.t.verify, servername: net.isIP(this.t.host) ? undefined : this.t.host });
    this.sock = s;
    this.watch(s);
    await once(s, 'secureConnect').catch((e: Error) => { throw new SmtpFailure('starttls', 'dropped', '', `the TLS handshake failed: ${e.message}`); });
    this.replies.attach(s);
  }

  /** The methods the server offers (AUTH keyword), upper-cased. */
  authMethods(): string[] {
    return (this.ext.get('AUTH') ?? '').toUpperCase().split(/\s+/).filter(Boolean);
  }

  private async login(a: { method: string; user: string; pass: string }): Promise<void> {
    const offered = this.authMethods();
    // AUTO: the strongest the server offers (Net::SMTP's auth leaves the choice to Authen::SASL)
    const method = a.method.toUpperCase() === 'AUTO' ? (['CRAM-MD5', 'PLAIN', 'LOGIN'].find((m) => offered.includes(m)) ?? 'PLAIN') : a.method.toUpperCase();
    if (!offered.includes(method)) throw new SmtpFailure('auth', 'auth_unoffered', '', `Authentication protocol ${method} is not accepted by the server`);
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    let r: string;
    const secret = (line: string) => { this.secret = true; return this.cmd('auth', line); };
    if (method === 'PLAIN') {
      // in two steps, as Mail::Sender sends it
      r = await this.cmd('auth', 'AUTH PLAIN');
      if (code(r) === 334) r = await secret(b64(`\0${a.user}\0${a.pass}`));
    } else if (method === 'LOGIN') {
      r = await this.cmd('auth', 'AUTH LOGIN');
      if (code(r) === 334) r = await secret(b64(a.user));
      if (code(r) === 334) r = await secret(b64(a.pass));
    } else if (method === 'CRAM-MD5') {
      r = await this.cmd('auth', 'AUTH CRAM-MD5');
      if (code(r) === 334) {
        const challenge = Buffer.from(r.slice(4).trim(), 'base64');
        const digest = crypto.createHmac('md5', a.pass).update(challenge).digest('hex');
        r = await secret(b64(`${a.user} ${digest}`));
      }
    } else {
      throw new SmtpFailure('auth', 'auth_unoffered', '', `Authentication protocol ${method} is not implemented`);
    }
    // the reply never carries the password (the server does not echo it)
    if (code(r) !== 235) this.refuse('auth', r);
  }

  /** MAIL, RCPT...; stops before DATA on a rejected recipient unless skipBad. */
  async envelope(env: Envelope, progress: Progress): Promise<{ accepted: string[]; rejected: { address: string; response: string }[] }> {
    const dsn = env.dsn && this.ext.has('DSN') ? env.dsn : { mail: '', rcpt: '' };
    const m = await this.cmd('mail', `MAIL FROM:<${env.from}>${dsn.mail}`);
    if (!ok(m)) this.refuse('mail', m);
    const accepted: string[] = [];
    const rejected: { address: string; response: string }[] = [];
    for (const a of env.to) {
      const r = await this.cmd('rcpt', `RCPT TO:<${a}>${dsn.rcpt}`);
      if (ok(r)) accepted.push(a);
      else if (env.skipBad || env.tryAll) rejected.push({ address: a, response: r });
      else throw new SmtpFailure('rcpt', 'reply', r, `rcpt: ${r.trim()}`, a, [...rejected, { address: a, response: r }]);
    }
    if (rejected.length && !env.skipBad) throw new SmtpFailure('rcpt', 'reply', rejected[0]!.response, `rcpt: ${rejected[0]!.response.trim()}`, rejected[0]!.address, rejected);
    if (accepted.length === 0) throw new SmtpFailure('rcpt', 'all_rejected', rejected.at(-1)?.response ?? '', 'All recipients are bad', null, rejected);
    progress('rcpt', { accepted, rejected });
    return { accepted, rejected };
  }

  /**
   * DATA, the message, the final ".". `stuffed`: the bytes are already in DATA form (Mail::Sender
   * writes them so, dot-stuffing as it goes); otherwise lines starting with "." are doubled here.
   */
  async data(body: Readable, stuffed: boolean, progress: Progress): Promise<string> {
    const d = await this.cmd('data', 'DATA');
    if (code(d) !== 354 && !ok(d)) this.refuse('data', d);
    progress('data');
    this.transcript?.push(null);
    let atLineStart = true;
    let last2 = '\r\n';
    for await (const chunk of body as AsyncIterable<Buffer>) {
      let out: Buffer = chunk;
      if (!stuffed) out = dotStuff(chunk, atLineStart);
      if (chunk.length) {
        atLineStart = chunk[chunk.length - 1] === 0x0a;
        last2 = (last2 + chunk.subarray(-2).toString('latin1')).slice(-2);
      }
      if (!this.sock.write(out)) await new Promise((r) => { this.sock.once('drain', r); this.sock.once('close', r); });
      if (this.sock.destroyed) throw this.dropped();
    }
    // the moment of truth: journaled before the final "." can reach the server
    progress('dot');
    this.stage = 'dot';
    this.sock.write(last2 === '\r\n' ? '.\r\n' : '\r\n.\r\n', 'latin1');
    const r = await this.reply();
    if (!ok(r)) this.refuse('dot', r);
    progress('accepted', r);
    return r;
  }

  /** Between the envelope (at the script's Open) and DATA (at its Close) the line may stay quiet. */
  idle(on: boolean): void {
    this.sock.setTimeout(on ? 0 : this.t.timeoutMs);
  }

  /** The connection is still there (a server may hang up on an idle session). */
  alive(): boolean {
    return !this.sock.destroyed;
  }

  /** QUIT, replies ignored (the message is delivered); the socket is closed in any case. */
  async quit(): Promise<void> {
    try {
      this.stage = 'quit';
      this.transcript?.push('<< QUIT\r\n');
      this.sock.write('QUIT\r\n');
      await Promise.race([this.reply(), new Promise((r) => setTimeout(r, 2000))]);
    } catch {
      // a server that hangs up on QUIT has still taken the message
    } finally {
      this.close();
    }
  }

  close(): void {
    this.sock?.destroy();
  }
}

/** Doubles a "." at the start of a line (RFC 5321 4.5.2), as Net::SMTP's datasend does. */
export function dotStuff(chunk: Buffer, atLineStart: boolean): Buffer {
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < chunk.length; i++) {
    if (chunk[i] === 0x2e && (i === 0 ? atLineStart : chunk[i - 1] === 0x0a)) {
      parts.push(chunk.subarray(from, i + 1));
      from = i; // the dot is written twice
    }
  }
  if (from === 0 && parts.length === 0) return chunk;
  parts.push(chunk.subarray(from));
  return Buffer.concat(parts);
}

/** Up to the end of the envelope (Mail::Sender's Open): the dialog is kept for DATA. */
export async function begin(t: SmtpTarget, env: Envelope, transcript: Transcript | null): Promise<{ dialog: SmtpDialog; accepted: string[]; rejected: { address: string; response: string }[] }> {
  const d = new SmtpDialog(t);
  d.transcript = transcript;
  try {
    await d.open();
    const r = await d.envelope(env, () => undefined);
    d.idle(true);
    return { dialog: d, ...r };
  } catch (e) {
    if (e instanceof SmtpFailure && e.kind !== 'dropped' && e.kind !== 'refused' && e.kind !== 'timeout') await d.quit();
    else d.close();
    throw e;
  }
}

/** DATA, the message, "." and QUIT on a dialog begun at Open. */
export async function finish(d: SmtpDialog, accepted: string[], rejected: { address: string; response: string }[], body: () => Readable, stuffed: boolean, progress: Progress): Promise<Delivered> {
  try {
    d.idle(false);
    progress('connected');
    progress('rcpt', { accepted, rejected });
    const response = await d.data(body(), stuffed, progress);
    await d.quit();
    return { accepted, rejected, response };
  } catch (e) {
    if (e instanceof SmtpFailure && e.kind === 'reply') await d.quit();
    else d.close();
    throw e;
  }
}

/** The whole dialog for one message. */
export async function deliver(t: SmtpTarget, env: Envelope, body: () => Readable, stuffed: boolean, progress: Progress, transcript: Transcript | null = null): Promise<Delivered> {
  const d = new SmtpDialog(t);
  d.transcript = transcript;
  try {
    await d.open();
    progress('connected');
    const { accepted, rejected } = await d.envelope(env, progress);
    const response = await d.data(body(), stuffed, progress);
    await d.quit();
    return { accepted, rejected, response };
  } catch (e) {
    // a refusal before DATA ends the session politely, as the Perl modules do (QUIT)
    if (e instanceof SmtpFailure && e.kind !== 'dropped' && e.kind !== 'refused' && e.kind !== 'timeout') await d.quit();
    else d.close();
    throw e;
  }
}
