// The SMTP sink of the mail tests: a real SMTP server (the smtp-server package) on 127.0.0.1 at
// a free port that records every envelope and message as received, rejects chosen recipients
// (550/450 at RCPT), can require AUTH, offer STARTTLS, refuse at MAIL/DATA or after the message,
// and drop the connection at a chosen stage. In-process for the TypeScript tests; as a script
// (`node dist/test/mail-sink.js DIR 'OPTIONS-JSON'`) for the Perl tests: it prints its port on
// stdout, writes each message to DIR/NNN.eml with its envelope in DIR/NNN.json, and stops on
// SIGTERM or when stdin closes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface SinkOptions {
  /** recipient address (lower case) => reply code (550, 450, ...) */
  reject?: Record<string, number>;
  /** user => password; AUTH is then required (PLAIN, LOGIN, CRAM-MD5 offered) */
  users?: Record<string, string>;
  /** offer STARTTLS (self-signed) */
  tls?: boolean;
  /** refuse MAIL FROM / the message after its final "." with this code */
  mailCode?: number;
  dataCode?: number;
  /** drop the connection: at RCPT, during the message, or after the final "." without a reply */
  drop?: 'rcpt' | 'data' | 'after_dot';
  /** wait this many ms before the reply to the final "." */
  replyDelay?: number;
  /** hold the message stream this many ms at its first bytes (a daemon is killed during DATA) */
  stall?: number;
  /** the message count from which `drop`/`dataCode` apply (1-based; default 1) */
  from?: number;
}

export interface Received {
  from: string;
  to: string[];
  data: Buffer;
  user: string | null;
  secure: boolean;
}

export interface Sink {
  port: number;
  received: Received[];
  /** sessions seen (connections), for "no second dialog" assertions */
  sessions: number;
  set(o: SinkOptions): void;
  close(): Promise<void>;
}

function refusal(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

export async function startSink(initial: SinkOptions = {}, onMessage?: (m: Received) => void): Promise<Sink> {
  let o: SinkOptions = initial;
  const sockets = new Set<Socket>();
  const sink: Sink = {
    port: 0, received: [], sessions: 0,
    set(n) { o = n; },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  let attempts = 0;
  const dropAll = () => { for (const s of sockets) s.destroy(); };
  const options: SMTPServerOptions = {
    authOptional: !o.users,
    hideSTARTTLS: !o.tls,
    authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5'],
    disabledCommands: [],
    allowInsecureAuth: true,
    logger: false,
    name: 'sink.test', // the greeting's host name: the same on every machine (debug transcripts)
    size: 64 * 1024 * 1024,
    onConnect(_session, cb) {
      sink.sessions++;
      cb();
    },
    onAuth(auth, _session, cb) {
      const want = o.users?.[auth.username ?? ''];
      const good = want !== undefined && (auth.method === 'CRAM-MD5' ? auth.validatePassword(want) : auth.password === want);
      if (!good) return cb(refusal(535, 'Authentication credentials invalid'));
      cb(null, { user: auth.username });
    },
    onMailFrom(_a, session, cb) {
      if (o.users && !session.user) return cb(refusal(530, 'Authentication required'));
      if (o.mailCode) return cb(refusal(o.mailCode, o.mailCode >= 500 ? 'Sender refused' : 'Try again later'));
      cb();
    },
    onRcptTo(a, _session, cb) {
      if (o.drop === 'rcpt') { dropAll(); return; }
      const code = o.reject?.[a.address.toLowerCase()];
      if (code) return cb(refusal(code, code >= 500 ? `<${a.address}>: Recipient address rejected: User unknown` : `<${a.address}>: Recipient address rejected: try again later`));
      cb();
    },
    onData(stream, session, cb) {
      attempts++;
      const active = attempts >= (o.from ?? 1);
      const chunks: Buffer[] = [];
      let seen = 0;
      stream.on('data', (c: Buffer) => {
        if (o.stall && seen === 0) {
          stream.pause();
          setTimeout(() => stream.resume(), o.stall);
        }
        chunks.push(c);
        seen += c.length;
        if (active && o.drop === 'data' && seen > 100) dropAll();
      });
      stream.on('end', () => {
        const m: Received = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks),
          user: (session.user as string | undefined) ?? null, secure: session.secure,
        };
        if (active && o.drop === 'data') return;
        if (active && o.dataCode) return cb(refusal(o.dataCode, o.dataCode >= 500 ? 'Message content rejected' : 'Temporary failure, try later'));
        // received in full: recorded even when the reply is then never sent (after_dot)
        sink.received.push(m);
        onMessage?.(m);
        if (active && o.drop === 'after_dot') { dropAll(); return; }
        const n = sink.received.length;
        if (o.replyDelay) setTimeout(() => cb(null, 'Ok: queued as ' + n), o.replyDelay);
        else cb(null, 'Ok: queued as ' + n);
      });
    },
  };
  const server = new SMTPServer(options);
  server.on('error', () => undefined);
  // every accepted socket, to drop it at a chosen stage (smtp-server has no public handle on them)
  (server as unknown as { server: import('node:net').Server }).server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  sink.port = ((server as unknown as { server: import('node:net').Server }).server.address() as AddressInfo).port;
  return sink;
}

if (require.main === module) {
  const dir = process.argv[2]!;
  const opts = JSON.parse(process.argv[3] ?? '{}') as SinkOptions;
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  void startSink(opts, (m) => {
    n++;
    const base = path.join(dir, String(n).padStart(3, '0'));
    fs.writeFileSync(`${base}.eml`, m.data);
    fs.writeFileSync(`${base}.json`, JSON.stringify({ from: m.from, to: m.to, user: m.user, secure: m.secure }));
  }).then((sink) => {
    process.stdout.write(`${sink.port}\n`);
    const stop = () => void sink.close().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.stdin.on('end', stop);
    process.stdin.resume();
  });
}
