// The mail module: messages composed by the shims exactly as Mail::Sender, MIME::Lite and
// Email::Sender compose them (the bytes travel here unchanged), spooled to the state directory
// as they stream in, then sent with an explicit envelope over one SMTP dialog that this module
// drives command by command (smtp.ts). Exactly-once: `open` journals the envelope and the
// Message-ID with the message handle, each `write` its spooled length; `send` is a side effect
// whose dialog records its progress at once (progress.ts), so that a resend after a crash is
// sent again only when its final "." never left, and is reported in doubt when it did.
import * as crypto from 'node:crypto';
import { BridgeError } from '../../errors';
import type { CallContext, FunctionDef, HandleKindDef, LiveHandle, ModuleDef } from '../../kit/types';
import { forgetHandle, lookup, MAIL_MIGRATIONS, record, type Stage } from './progress';
import { begin, deliver, finish, SmtpDialog, SmtpFailure, type Delivered, type SmtpTarget, type Transcript } from './smtp';
import { Spool, spoolDir, sweepStale } from './spool';
import { Readable } from 'node:stream';

const bytes = { type: 'object', required: ['$b64'], additionalProperties: false, properties: { $b64: { type: 'string' } } };
const id = { type: 'string', minLength: 1, maxLength: 100 };
// no CR or LF: an address or a name goes into an SMTP command line as it is
const oneLine = '^[^\\r\\n]*$';
const address = { type: 'string', maxLength: 1000, pattern: oneLine };

/** The spool directory of this daemon's state directory (set when it opens). */
let SPOOL_DIR: string | null = null;

interface Message {
  spool: Spool | null;
  body: () => Readable;
  from: string;
  to: string[];
  messageId: string | null;
  stuffed: boolean;
  /** the dialog begun at the script's Open (Mail::Sender talks to the server there), up to DATA */
  held?: { dialog: SmtpDialog; accepted: string[]; rejected: { address: string; response: string }[]; transcript: Transcript | null } | null;
}

async function message(ctx: CallContext, h: string): Promise<LiveHandle<Message>> {
  return ctx.handle<Message>(h, 'mail', 'message');
}

/** The Message-ID of a message the script gave none: the same for every resend of the request. */
function derivedId(ctx: CallContext): string {
  return crypto.createHash('sha256').update(`${ctx.session.id}/${ctx.requestId}`).digest('hex').slice(0, 20);
}

function findMessageId(head: Buffer): string | null {
  const m = /^Message-ID:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(head.toString('latin1'));
  return m ? m[1].replace(/\s+/g, ' ').trim() : null;
}

interface OpenParams {
  from: string;
  to: string[];
  head: Buffer;
  /** where a derived Message-ID header goes (byte offset in head), with {id} in the line's template */
  id_at: number | null;
  id_line: string | null;
  data?: Buffer;
  stuffed: boolean;
  /** begin the dialog now, up to the end of the envelope (Mail::Sender reports RCPT errors at Open) */
  session?: ServerParams;
  password?: string;
}

interface SendParams {
  message?: string;
  /** a message given whole (the predecessor's email_helper): no handle, no spool */
  inline?: { from: string; to: string[]; data: Buffer };
  host: string;
  port: number;
  timeout: number;
  client: string;
  tls: 'never' | 'allowed' | 'required';
  tls_verify?: boolean;
  auth: { method: string; user: string } | null;
  password?: string;
  skip_bad: boolean;
  try_all?: boolean;
  dsn?: { mail: string; rcpt: string };
  /** the dialog as a debug file shows it (Mail::Sender's debug option) */
  transcript?: boolean;
  /** the script's choice for a message in doubt: report it (default) or send it again */
  resend_in_doubt?: boolean;
}

function failure(e: unknown, messageId: string | null): BridgeError {
  if (e instanceof BridgeError) return e;
  if (e instanceof SmtpFailure) {
    return new BridgeError('mail_error', e.message, {
      extra: { stage: e.stage, kind: e.kind, response: e.response, address: e.address, rejected: e.rejected, message_id: messageId },
    });
  }
  return new BridgeError('mail_error', String((e as Error)?.message ?? e), { extra: { stage: 'connect', kind: 'refused', response: '', message_id: messageId } });
}

type ServerParams = Pick<SendParams, 'host' | 'port' | 'timeout' | 'client' | 'tls' | 'tls_verify' | 'auth' | 'password' | 'skip_bad' | 'try_all' | 'dsn' | 'transcript'>;

function targetOf(p: ServerParams): SmtpTarget {
  return {
    host: p.host, port: p.port, timeoutMs: Math.round(p.timeout * 1000), client: p.client, tls: p.tls, verify: p.tls_verify === true,
    auth: p.auth ? { method: p.auth.method, user: p.auth.user, pass: p.password ?? '' } : null,
  };
}

/** An inline message, with a Message-ID derived from the request when it has none. */
function inlineMessage(i: { from: string; to: string[]; data: Buffer }, ctx: CallContext): Message {
  let data = i.data;
  let messageId = findMessageId(data.subarray(0, 64 * 1024));
  if (!messageId) {
    messageId = `<${derivedId(ctx)}@cpan-bridge>`;
    data = Buffer.concat([Buffer.from(`Message-ID: ${messageId}\r\n`, 'latin1'), data]);
  }
  return { spool: null, body: () => Readable.from([data]), from: i.from, to: i.to, messageId, stuffed: false };
}

/** Where and how to send: in send's params, and in open's `session` when the dialog begins at Open. */
const serverProps = {
  host: { type: 'string', minLength: 1, maxLength: 255, pattern: oneLine }, port: { type: 'integer', minimum: 1, maximum: 65535 },
  timeout: { type: 'number', minimum: 0.1, maximum: 3600 }, client: { type: 'string', minLength: 1, maxLength: 255, pattern: oneLine },
  tls: { enum: ['never', 'allowed', 'required'] }, tls_verify: { type: 'boolean' },
  auth: { anyOf: [{ type: 'null' }, { type: 'object', additionalProperties: false, required: ['method', 'user'], properties: { method: { type: 'string', maxLength: 40, pattern: oneLine }, user: { type: 'string', maxLength: 1000 } } }] },
  password: { type: 'string', maxLength: 10000 },
  skip_bad: { type: 'boolean' }, try_all: { type: 'boolean' },
  dsn: { type: 'object', additionalProperties: false, required: ['mail', 'rcpt'], properties: { mail: { type: 'string', maxLength: 1000, pattern: oneLine }, rcpt: { type: 'string', maxLength: 1000, pattern: oneLine } } },
  transcript: { type: 'boolean' },
};
const serverRequired = ['host', 'port', 'timeout', 'client', 'tls', 'auth', 'skip_bad'];

const sendDef: FunctionDef<SendParams> = {
  params: {
    type: 'object', additionalProperties: false, oneOf: [{ required: ['message'] }, { required: ['inline'] }], required: serverRequired,
    properties: {
      message: id,
      inline: { type: 'object', additionalProperties: false, required: ['from', 'to', 'data'], properties: { from: { ...address, minLength: 1 }, to: { type: 'array', items: address, minItems: 1, maxItems: 10000 }, data: bytes } },
      ...serverProps,
      resend_in_doubt: { type: 'boolean' },
    },
  },
  effect: 'side-effect',

  async outcome(p, ctx) {
    await ctx.settled();
    const row = lookup(ctx.db, ctx.session.id, ctx.requestId);
    if (!row || row.stage === 'connected' || row.stage === 'rcpt' || row.stage === 'data') return { happened: false };
    if (row.stage === 'accepted') return { happened: true, result: JSON.parse(row.detail ?? 'null') };
    if (row.stage === 'failed') {
      const d = JSON.parse(row.detail ?? '{}') as { message: string; extra: Record<string, unknown> };
      throw new BridgeError('mail_error', d.message, { extra: d.extra });
    }
    // 'dot': the final "." may have reached the server and its 250 is not on record
    if (p.resend_in_doubt) return { happened: false };
    throw new BridgeError('in_doubt', `in doubt: the message ${row.message_id ?? ''} was sent up to its final "." before the daemon stopped, and whether the server accepted it is unknown; it was not sent again (check the recipient's mailbox for this Message-ID)`, { extra: { message_id: row.message_id } });
  },

  async run(p, ctx) {
    const h = p.message ? await message(ctx, p.message) : null;
    const m = h ? h.obj : inlineMessage(p.inline!, ctx);
    const key = { session: ctx.session.id, request: ctx.requestId, handle: h?.id ?? null, messageId: m.messageId };
    const target = targetOf(p);
    const at = (stage: Stage, detail: unknown = null) => record(ctx.db, key, stage, detail);
    let sent: Delivered;
    const transcript: Transcript | null = p.transcript ? [] : null;
    try {
      const progress = (stage: string, info: unknown) => {
        // 'accepted' is recorded below with the whole result
        if (stage !== 'accepted') at(stage as Stage, stage === 'rcpt' ? info : null);
      };
      const held = m.held;
      m.held = null;
      if (held) {
        // the envelope was accepted at Open; its transcript goes on from there
        if (transcript && held.transcript) transcript.push(...held.transcript);
        held.dialog.transcript = transcript;
        sent = await finish(held.dialog, held.accepted, held.rejected, m.body, m.stuffed, progress);
      } else {
        sent = await deliver(target, { from: m.from, to: m.to, skipBad: p.skip_bad, tryAll: p.try_all === true, dsn: p.dsn ?? null }, m.body, m.stuffed, progress, transcript);
      }
    } catch (e) {
      const err = failure(e, m.messageId);
      if (transcript) err.extra.transcript = transcript;
      // a refusal is a result too: a resend after a crash gets the same error, nothing is sent
      if (e instanceof SmtpFailure && e.stage === 'dot' && e.kind !== 'reply') {
        // the connection went after the final ".": the server may have taken it (RFC 1047)
        throw new BridgeError('in_doubt', `in doubt: the connection to ${p.host} was lost after the final "." of ${m.messageId ?? 'the message'}: whether the server accepted it is unknown; it was not sent again`, { extra: { ...err.extra } });
      }
      at('failed', { message: err.message, extra: err.extra });
      throw err;
    }
    const result = { accepted: sent.accepted, rejected: sent.rejected, response: sent.response, message_id: m.messageId, ...(transcript ? { transcript } : {}) };
    at('accepted', result);
    return result;
  },
};

const functions: Record<string, FunctionDef> = {
  open: {
    params: {
      type: 'object', additionalProperties: false, required: ['from', 'to', 'head', 'id_at', 'id_line', 'stuffed'],
      properties: {
        from: address, to: { type: 'array', items: address, maxItems: 10000 }, head: bytes,
        id_at: { anyOf: [{ type: 'null' }, { type: 'integer', minimum: 0 }] }, id_line: { anyOf: [{ type: 'null' }, { type: 'string', maxLength: 2000 }] },
        data: bytes, stuffed: { type: 'boolean' },
        session: { type: 'object', additionalProperties: false, required: serverRequired, properties: serverProps },
        password: { type: 'string', maxLength: 10000 },
      },
    },
    // a begun dialog delivers nothing (DATA is send's): a resend of open begins it again
    effect: 'create',
    async run(p: OpenParams, ctx) {
      if (!SPOOL_DIR) SPOOL_DIR = spoolDir(ctx.settings.home);
      if (p.id_at !== null && (p.id_at > p.head.length || !p.id_line?.includes('{id}'))) throw new BridgeError('bad_params', 'mail.open: id_at must be within head and id_line must hold {id}');
      let head = p.head;
      if (p.id_at !== null && p.id_line) {
        head = Buffer.concat([head.subarray(0, p.id_at), Buffer.from(p.id_line.replace('{id}', derivedId(ctx)), 'latin1'), head.subarray(p.id_at)]);
      }
      const messageId = findMessageId(head);
      const name = `m${crypto.randomBytes(12).toString('hex')}`;
      const spool = Spool.create(SPOOL_DIR, name);
      spool.append(head);
      if (p.data) spool.append(p.data);
      const obj: Message = { spool, body: () => spool.reader(), from: p.from, to: p.to, messageId, stuffed: p.stuffed };
      let early: { accepted: string[]; rejected: { address: string; response: string }[] } | null = null;
      if (p.session) {
        const sp = { ...p.session, password: p.password ?? p.session.password };
        const transcript: Transcript | null = sp.transcript ? [] : null;
        try {
          const b = await begin(targetOf(sp), { from: p.from, to: p.to, skipBad: sp.skip_bad, tryAll: sp.try_all === true, dsn: sp.dsn ?? null }, transcript);
          obj.held = { dialog: b.dialog, accepted: b.accepted, rejected: b.rejected, transcript };
          early = { accepted: b.accepted, rejected: b.rejected };
        } catch (e) {
          spool.remove();
          const err = failure(e, messageId);
          if (transcript) err.extra.transcript = transcript;
          throw err;
        }
      }
      const h = ctx.create('mail', 'message', { file: spool.file, from: p.from, to: p.to, message_id: messageId, stuffed: p.stuffed }, obj, { state: { size: spool.size } });
      return { message: h.id, message_id: messageId, size: spool.size, ...(early ?? {}) };
    },
  },

  write: {
    params: { type: 'object', additionalProperties: false, required: ['message', 'data'], properties: { message: id, data: bytes } },
    effect: 'mutate-local',
    async run(p: { message: string; data: Buffer }, ctx) {
      const h = await message(ctx, p.message);
      const spool = h.obj.spool!;
      spool.append(p.data);
      ctx.setState(h, { size: spool.size });
      return { size: spool.size };
    },
  },

  send: sendDef,

  /** The message is done with (sent, refused or abandoned): its spool and records go. */
  discard: {
    params: { type: 'object', additionalProperties: false, required: ['message'], properties: { message: id } },
    effect: 'close',
    async run(p: { message: string }, ctx) {
      const h = await message(ctx, p.message).catch(() => null);
      if (h) await ctx.close(h);
      return { discarded: true };
    },
  },
};

const kinds: Record<string, HandleKindDef> = {
  message: {
    // the SMTP password travels in send's params only (never in a spec); declared for the logs
    secrets: ['password'],
    async rehydrate(h) {
      const s = h.spec;
      const size = Number((h.state as { size?: number } | null)?.size ?? 0);
      const spool = Spool.reopen(String(s.file), size);
      return { spool, body: () => spool.reader(), from: String(s.from), to: (s.to as string[]).map(String), messageId: (s.message_id as string | null) ?? null, stuffed: s.stuffed === true } satisfies Message;
    },
    dispose(obj) {
      const m = obj as Message;
      if (m.held) void m.held.dialog.quit();
      m.held = null;
      m.spool?.remove();
    },
  },
};

export const mailModule: ModuleDef = {
  name: 'mail',
  functions,
  kinds,
  migrations: MAIL_MIGRATIONS,
  onOpen(settings) {
    SPOOL_DIR = spoolDir(settings.home);
    sweepStale(SPOOL_DIR);
  },
  onHandleDeleted(db, h) {
    forgetHandle(db, h.id);
  },
};
