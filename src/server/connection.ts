// One client connection: frames in, hello first, then requests handed to the engine; replies are
// written as they complete (the client matches them by id). Bad input gets a clear error frame;
// only an oversize or undecodable stream closes the connection, and nothing here can crash the daemon.
import type * as net from 'node:net';
import type { Logger } from 'pino';
import type { Engine, RequestMsg } from '../engine';
import { BridgeError, toWireError } from '../errors';
import type { Session } from '../modules/types';
import { encodeFrame, FrameDecoder } from '../protocol/frame';
import { PROTOCOL_VERSION, VERSION } from '../version';
import { submitLegacy } from '../legacy/submit';
import { peerCredentials } from './peercred';
import { tokensEqual } from './token';

export interface ConnectionHooks {
  token: string;
  maxFrameBytes: number;
  maxInFlight: number;
  isShuttingDown(): boolean;
  onSession(conn: ClientConnection, session: Session): void;
  onClose(conn: ClientConnection): void;
  legacy(raw: Buffer, socket: net.Socket): void;
}

const SESSION_RE = /^[A-Za-z0-9_-]{8,128}$/;

export class ClientConnection {
  session: Session | null = null;
  inFlight = 0;
  private decoder: FrameDecoder;
  private legacyBuf: Buffer[] | null = null;
  private first = true;

  constructor(readonly socket: net.Socket, private readonly engine: Engine, private readonly hooks: ConnectionHooks, private readonly log: Logger) {
    this.decoder = new FrameDecoder(hooks.maxFrameBytes);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => undefined); // a client that vanishes mid-write is not our error
    socket.on('close', () => hooks.onClose(this));
    socket.on('end', () => {
      // half-close: a legacy client's end of request; anyone else has gone (a dead process): close our side too
      if (this.legacyBuf) this.hooks.legacy(Buffer.concat(this.legacyBuf), socket);
      else socket.end();
    });
  }

  private onData(chunk: Buffer): void {
    if (this.first) {
      this.first = false;
      if (chunk[0] === 0x7b /* '{' */) this.legacyBuf = [];
    }
    if (this.legacyBuf) {
      this.legacyBuf.push(chunk);
      return;
    }
    let frames: string[];
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      this.send(JSON.stringify({ id: null, success: false, error: toWireError(e) }));
      this.socket.end();
      this.socket.destroySoon?.();
      return;
    }
    for (const f of frames) this.onFrame(f);
  }

  private send(json: string): void {
    if (!this.socket.destroyed) this.socket.write(encodeFrame(json));
  }

  private fail(id: unknown, e: BridgeError): void {
    this.send(JSON.stringify({ id: id ?? null, success: false, error: e.toWire() }));
  }

  private onFrame(text: string): void {
    let msg: Record<string, unknown>;
    try {
      const v: unknown = JSON.parse(text);
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('a frame must hold one JSON object');
      msg = v as Record<string, unknown>;
    } catch (e) {
      this.fail(null, new BridgeError('bad_frame', `malformed frame: ${(e as Error).message}`));
      return;
    }
    if (!this.session) return this.hello(msg);
    if (this.hooks.isShuttingDown()) return this.fail(msg.id, new BridgeError('shutting_down', 'the daemon is shutting down; reconnect', { retryable: true }));
    if (typeof msg.id !== 'string' && typeof msg.id !== 'number') return this.fail(msg.id, new BridgeError('bad_request', 'request without an id'));
    if (typeof msg.module !== 'string' || typeof msg.function !== 'string') {
      return this.fail(msg.id, new BridgeError('bad_request', 'a request needs "module" and "function" strings'));
    }
    if (this.inFlight >= this.hooks.maxInFlight) return this.fail(msg.id, new BridgeError('limit', `more than ${this.hooks.maxInFlight} requests in flight on one connection`, { retryable: true }));
    this.inFlight++;
    const session = this.session;
    (msg.legacy === true
      ? submitLegacy(this.engine, session, String(msg.id), msg.module, msg.function, msg.params)
      : this.engine.submit(session, { ...(msg as unknown as RequestMsg), id: String(msg.id) }))
      .then((reply) => {
        this.inFlight--;
        this.send(reply.json);
        reply.afterReply();
      })
      .catch((e) => {
        this.inFlight--;
        this.log.error({ err: String(e) }, 'request failed unexpectedly');
        this.fail(msg.id, new BridgeError('internal', String((e as Error)?.message ?? e)));
      });
  }

  private hello(msg: Record<string, unknown>): void {
    const reply = (ok: boolean, body: Record<string, unknown>) => this.send(JSON.stringify({ type: 'hello', success: ok, ...body }));
    const refuse = (e: BridgeError) => {
      reply(false, { error: e.toWire() });
      this.socket.end();
    };
    if (msg.type !== 'hello') return refuse(new BridgeError('bad_request', 'the first frame must be a hello'));
    if (msg.protocol !== PROTOCOL_VERSION) {
      return refuse(new BridgeError('protocol_mismatch', `client speaks protocol ${String(msg.protocol)}, this daemon (version ${VERSION}) speaks ${PROTOCOL_VERSION}: update the client or the daemon so that they match`));
    }
    if (typeof msg.token !== 'string' || !tokensEqual(msg.token, this.hooks.token)) {
      return refuse(new BridgeError('auth_failed', 'bad or missing token (the client reads it from $CPAN_BRIDGE_HOME/token)'));
    }
    if (typeof msg.session !== 'string' || !SESSION_RE.test(msg.session)) return refuse(new BridgeError('bad_request', 'hello needs a session id (8-128 of [A-Za-z0-9_-])'));
    const have = this.engine.journal.commitSeq;
    if (typeof msg.jseq === 'number' && msg.jseq > have) {
      this.log.error({ session: msg.session, client: msg.jseq, journal: have }, 'journal lost acknowledged records');
      return refuse(new BridgeError('journal_lost',
        `the journal has lost records this client was told were saved (it holds ${have} commits, the client saw ${msg.jseq}: ` +
        'a truncated or restored journal file); the job cannot be resumed safely and must be rerun'));
    }
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    this.session = {
      id: msg.session, pid: typeof msg.pid === 'number' ? msg.pid : null, host: str(msg.host), script: str(msg.script), cwd: str(msg.cwd),
      peer: peerCredentials(this.socket),
    };
    this.session = this.engine.sessionState(this.session).session;
    this.hooks.onSession(this, this.session);
    reply(true, { result: { protocol: PROTOCOL_VERSION, daemon_version: VERSION, pid: process.pid } });
  }
}
