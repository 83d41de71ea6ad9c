// One client connection: frames in, hello first, then requests handed to the engine; replies are
// written as they complete (the client matches them by id). Bad input gets a clear error frame;
// only an oversize or undecodable stream closes the connection, and nothing here can crash the daemon.
// Backpressure: past max_in_flight_per_connection unanswered requests, or max_unread_reply_bytes
// of replies the client has not read, the daemon stops reading from it until it catches up, so a
// client that pipelines and never reads holds a bounded amount of memory (and of journaled replies).
import type * as net from 'node:net';
import type { Logger } from 'pino';
import type { Settings } from '../config';
import type { Engine, RequestMsg } from '../engine';
import { BridgeError, toWireError } from '../errors';
import type { Session } from '../kit/types';
import { encodeFrame, FrameDecoder } from '../protocol/frame';
import { parseMessage } from '../protocol/parse';
import { text } from '../protocol/values';
import { PROTOCOL_VERSION, VERSION } from '../version';
import { submitLegacy } from '../legacy/submit';
import { answerLegacy, legacyRefusal, legacySession } from './legacy';
import { peerCredentials, type PeerCredentials } from './peercred';
import { tokensEqual } from './token';

export type ConnectionLimits = Pick<Settings,
  'maxFrameBytes' | 'maxInFlightPerConnection' | 'maxUnreadReplyBytes' | 'maxNestingDepth' | 'helloTimeoutSeconds' | 'unauthenticatedIdleSeconds' | 'legacyUids'>;

export interface ConnectionHooks {
  token: string;
  limits: ConnectionLimits;
  isShuttingDown(): boolean;
  onSession(conn: ClientConnection, session: Session): void;
  onClose(conn: ClientConnection): void;
  /** A complete legacy request of an authenticated peer; must answer on `socket` and never throw. */
  legacy(raw: Buffer, socket: net.Socket, session: Session): Promise<void>;
}

const SESSION_RE = /^[A-Za-z0-9_-]{8,128}$/;
/** After a refusal, how long a client that neither reads nor closes keeps its socket. */
const LINGER_MS = 1000;

type Mode = 'new' | 'framed' | 'legacy' | 'closing';

export class ClientConnection {
  session: Session | null = null;
  inFlight = 0;
  /** The peer's kernel credentials (SO_PEERCRED), null when unknown. */
  readonly peer: PeerCredentials | null;
  private readonly decoder: FrameDecoder;
  private mode: Mode = 'new';
  private legacyChunks: Buffer[] = [];
  private legacyBytes = 0;
  private legacySess: Session | null = null;
  /** Frames read but not yet handled (reading is paused while this is not empty). */
  private queue: Buffer[] = [];
  private queueHead = 0;
  private helloTimer: NodeJS.Timeout | null;
  /** The client half-closed: our side closes once its requests are answered. */
  private ending = false;

  constructor(readonly socket: net.Socket, private readonly engine: Engine, private readonly hooks: ConnectionHooks, private readonly log: Logger) {
    const lim = hooks.limits;
    this.peer = peerCredentials(socket);
    this.decoder = new FrameDecoder(lim.maxFrameBytes);
    this.helloTimer = setTimeout(() => this.refuse(new BridgeError('hello_timeout',
      `no hello (or complete legacy request) within ${lim.helloTimeoutSeconds} s: connection closed`)), lim.helloTimeoutSeconds * 1000);
    this.helloTimer.unref();
    socket.setTimeout(lim.unauthenticatedIdleSeconds * 1000);
    socket.on('timeout', () => this.refuse(new BridgeError('idle_timeout',
      `nothing received for ${lim.unauthenticatedIdleSeconds} s before authentication: connection closed`)));
    socket.on('data', (chunk: Buffer) => this.guard(() => this.onData(chunk)));
    socket.on('drain', () => this.guard(() => this.pump()));
    socket.on('error', () => undefined); // a client that vanishes mid-write is not our error
    socket.on('close', () => {
      this.authenticated();
      hooks.onClose(this);
    });
    socket.on('end', () => this.guard(() => this.onEnd()));
  }

  /** Anything unexpected while handling input closes this connection, never the daemon. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log.error({ err: String(e) }, 'connection handler failed');
      this.refuse(new BridgeError('internal', String((e as Error)?.message ?? e)));
    }
  }

  /** Authentication done (or the connection is gone): the unauthenticated timers stop. */
  private authenticated(): void {
    if (this.helloTimer) clearTimeout(this.helloTimer);
    this.helloTimer = null;
    this.socket.setTimeout(0);
  }

  private onEnd(): void {
    // half-close: a legacy client's end of request; anyone else has gone (a dead process): close our side too
    if (this.mode !== 'legacy' || !this.legacySess) {
      this.ending = true;
      if (this.mode === 'framed') this.pump();
      else this.socket.end();
      return;
    }
    this.mode = 'closing';
    this.authenticated();
    this.hooks.onSession(this, this.legacySess); // recorded, so that its handles go when its process does
    const raw = Buffer.concat(this.legacyChunks, this.legacyBytes);
    this.legacyChunks = [];
    this.hooks.legacy(raw, this.socket, this.legacySess).catch((e) => {
      this.log.error({ err: String(e) }, 'legacy request failed unexpectedly');
      answerLegacy(this.socket, { success: false, error: String((e as Error)?.message ?? e), error_type: 'internal' });
    });
  }

  private onData(chunk: Buffer): void {
    if (this.mode === 'closing' || chunk.length === 0) return;
    if (this.mode === 'new') this.mode = chunk[0] === 0x7b /* '{' */ ? this.startLegacy() : 'framed';
    if (this.mode === 'legacy') return this.legacyData(chunk);
    if (this.mode !== 'framed') return;
    let frames: Buffer[];
    try {
      frames = this.decoder.pushRaw(chunk);
    } catch (e) {
      this.refuse(e);
      return;
    }
    if (frames.length) {
      if (this.queueHead === this.queue.length) {
        this.queue = frames;
        this.queueHead = 0;
      } else this.queue.push(...frames);
    }
    this.pump();
  }

  /** Legacy clients have no token: the kernel says who they are, and only permitted uids are served. */
  private startLegacy(): Mode {
    const allowed = this.peer !== null && (this.peer.uid === process.getuid?.() || this.peer.uid === 0 || this.hooks.limits.legacyUids.includes(this.peer.uid));
    if (!allowed) {
      this.log.warn({ peer: this.peer }, 'legacy client refused: peer uid not permitted');
      legacyRefusal(this.socket, new BridgeError('auth_failed', this.peer
        ? `uid ${this.peer.uid} may not use the legacy wire format of this daemon (legacy_uids)`
        : 'the peer of this connection cannot be identified (SO_PEERCRED): the legacy wire format is refused'));
      this.lingerThenDestroy();
      return 'closing';
    }
    this.legacySess = legacySession(this.peer!);
    return 'legacy';
  }

  private legacyData(chunk: Buffer): void {
    const max = this.hooks.limits.maxFrameBytes;
    if (this.legacyBytes + chunk.length > max) {
      this.legacyChunks = [];
      this.refuse(new BridgeError('frame_too_large', `legacy request exceeds the maximum of ${max} bytes (max_frame_bytes)`));
      return;
    }
    this.legacyChunks.push(chunk);
    this.legacyBytes += chunk.length;
  }

  private overloaded(): boolean {
    const lim = this.hooks.limits;
    return this.inFlight >= lim.maxInFlightPerConnection || this.socket.writableLength >= lim.maxUnreadReplyBytes;
  }

  /** Handles queued frames while the client keeps up; otherwise stops reading until it does. */
  private pump(): void {
    while (this.queueHead < this.queue.length && this.mode === 'framed' && !this.overloaded()) {
      const f = this.queue[this.queueHead++];
      this.onFrame(f);
    }
    if (this.queueHead >= this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    }
    if (this.mode !== 'framed') return;
    if (this.ending) {
      if (!this.queue.length && this.inFlight === 0) this.socket.end();
      return;
    }
    if (this.queue.length || this.overloaded()) this.socket.pause();
    else this.socket.resume();
  }

  private send(json: string): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(encodeFrame(json));
  }

  private fail(id: unknown, e: BridgeError): void {
    this.send(JSON.stringify({ id: typeof id === 'string' || typeof id === 'number' ? id : null, success: false, error: e.toWire() }));
  }

  /** Sends a coded error in the connection's own format and closes it. */
  private refuse(e: unknown): void {
    if (this.mode === 'closing') return;
    const legacy = this.mode === 'legacy';
    this.mode = 'closing';
    this.authenticated();
    if (legacy) legacyRefusal(this.socket, e);
    else {
      this.send(JSON.stringify(this.session ? { id: null, success: false, error: toWireError(e) } : { type: 'hello', success: false, error: toWireError(e) }));
      this.socket.end();
    }
    this.lingerThenDestroy();
  }

  private lingerThenDestroy(): void {
    this.socket.resume(); // unread input is dropped, not buffered
    setTimeout(() => this.socket.destroy(), LINGER_MS).unref();
  }

  private onFrame(body: Buffer): void {
    let msg: Record<string, unknown>;
    try {
      msg = parseMessage(body, this.hooks.limits.maxNestingDepth);
    } catch (e) {
      if (!this.session) return this.refuse(e);
      return this.fail(null, e instanceof BridgeError ? e : new BridgeError('bad_frame', String(e)));
    }
    if (!this.session) return this.hello(msg);
    if (this.hooks.isShuttingDown()) return this.fail(msg.id, new BridgeError('shutting_down', 'the daemon is shutting down; reconnect'));
    if (typeof msg.id !== 'string' && typeof msg.id !== 'number') return this.fail(msg.id, new BridgeError('bad_request', 'request without an id'));
    if (typeof msg.module !== 'string' || typeof msg.function !== 'string') {
      return this.fail(msg.id, new BridgeError('bad_request', 'a request needs "module" and "function" strings'));
    }
    this.inFlight++;
    const session = this.session;
    (msg.legacy === true
      ? submitLegacy(this.engine, session, String(msg.id), msg.module, msg.function, msg.params)
      : this.engine.submit(session, typeof msg.id === 'string' ? msg as unknown as RequestMsg : { ...(msg as unknown as RequestMsg), id: String(msg.id) }))
      .then((reply) => {
        this.inFlight--;
        this.send(reply.json);
        reply.afterReply();
      })
      .catch((e) => {
        this.inFlight--;
        this.log.error({ err: String(e) }, 'request failed unexpectedly');
        this.fail(msg.id, new BridgeError('internal', String((e as Error)?.message ?? e)));
      })
      .finally(() => this.guard(() => this.pump()));
  }

  private hello(msg: Record<string, unknown>): void {
    const reply = (ok: boolean, body: Record<string, unknown>) => this.send(JSON.stringify({ type: 'hello', success: ok, ...body }));
    const refuse = (e: BridgeError) => this.refuse(e);
    if (msg.type !== 'hello') return refuse(new BridgeError('bad_request', 'the first frame must be a hello'));
    if (msg.protocol !== PROTOCOL_VERSION) {
      return refuse(new BridgeError('protocol_mismatch', `client speaks protocol ${text(msg.protocol)}, this daemon (version ${VERSION}) speaks ${PROTOCOL_VERSION}: update the client or the daemon so that they match`));
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
    this.authenticated();
    this.session = {
      id: msg.session, pid: typeof msg.pid === 'number' ? msg.pid : null, host: str(msg.host), script: str(msg.script), cwd: str(msg.cwd),
      peer: this.peer,
    };
    this.session = this.engine.sessionState(this.session).session;
    this.hooks.onSession(this, this.session);
    reply(true, { result: { protocol: PROTOCOL_VERSION, daemon_version: VERSION, pid: process.pid } });
  }
}
