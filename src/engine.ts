// The request pipeline, shared by the daemon and process mode:
//   validate → deduplicate → [before_journal] → run (side effects: 'begun' committed first,
//   [after_journal]) → commit records + reply (grouped) → [after_journal/after_effect] → reply
//   → [after_reply].
// Requests of one session run in arrival order; their commits are grouped, replies follow commits.
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import type { Logger } from 'pino';
import { GroupCommitter } from '../journal/committer';
import type { Journal, Write } from '../journal/journal';
import type { Settings } from './config';
import { BridgeError } from './errors';
import type { CrashInjector, Phase } from './faults';
import { HandleRegistry } from './handles';
import type { FunctionDef, ModuleDef, Session } from './kit/types';
import { numericSeq, RequestContext, standaloneRehydration, type RequestScope } from './request-context';
import { LazyDigest } from './protocol/digest';
import { decodeValues, hasEncodedValues } from './protocol/values';
import { errorBody, successBody } from './kit/results';
import { fromKept, toKept } from './reply-keeping';

/** Acknowledgements journaled (replies deleted) once this many have come in. */
const ACK_BATCH = 32;

export interface RequestMsg {
  id: string;
  module: string;
  function: string;
  params?: unknown;
  ack?: number;
}

interface SessionState {
  session: Session;
  /** Runs of this session's requests, in order. */
  chain: Promise<unknown>;
  /** Commit of this session's latest request (its records and all before it). */
  committed: Promise<void>;
  /** The client has received every reply up to this numeric id (carried by the next commit). */
  ack: number;
  ackJournaled: number;
  /**
   * Numeric request ids above this were never journaled for the session (null: not yet asked):
   * such a request needs no look-up for a stored reply. The journal's highest at first sight,
   * then every id this daemon has taken.
   */
  journaledUpTo: number | null;
  /** The session's row (pid, host) is in the journal: a dead client's handles can be released. */
  recorded: boolean;
  inflight: Map<string, { reply: Promise<Reply>; digest: LazyDigest }>;
}

/** A reply ready to write, and the hook to call once it is written (crash point after_reply). */
export interface Reply {
  json: string;
  afterReply(): void;
}

interface Compiled {
  def: FunctionDef;
  /** Compiled on the function's first call: compiling every schema at start cost ~150 ms per node start. */
  validate: ValidateFunction | null;
}

interface Outcome {
  body: string;
  writes: Write[];
  /** False for protocol errors: nothing to journal, nothing to deduplicate. */
  journaled: boolean;
  /** A side effect ran: its crash points were passed during the run. */
  sideEffect?: boolean;
  /** The function ran (not a protocol error, not a stored reply): its crash points apply. */
  ran?: boolean;
}

export interface EngineOptions {
  journal: Journal;
  modules: ModuleDef[];
  settings: Settings;
  log: Logger;
  crash?: CrashInjector | null;
  onJournalFailure?: (e: unknown) => void;
}

export class Engine {
  readonly journal: Journal;
  readonly registry: HandleRegistry;
  readonly modules = new Map<string, ModuleDef>();
  readonly settings: Settings;
  private readonly log: Logger;
  private readonly crash: CrashInjector | null;
  private readonly committer: GroupCommitter;
  private readonly functions = new Map<string, Compiled>();
  private readonly sessions = new Map<string, SessionState>();
  private ajv: Ajv | null = null;
  private seq = 0;
  private readonly scope: RequestScope;
  readonly stats = { requests: 0, errors: 0, replayed: 0, byFunction: {} as Record<string, number> };

  constructor(opts: EngineOptions) {
    this.journal = opts.journal;
    this.settings = opts.settings;
    this.log = opts.log;
    this.crash = opts.crash ?? null;
    this.committer = new GroupCommitter(opts.journal, (e) => {
      this.log.fatal({ err: String(e) }, 'journal write failed');
      opts.onJournalFailure?.(e);
    });
    for (const m of opts.modules) {
      this.modules.set(m.name, m);
      for (const [name, def] of Object.entries(m.functions)) this.functions.set(`${m.name}.${name}`, { def, validate: null });
    }
    const shared = { journal: opts.journal, committer: this.committer, settings: opts.settings, log: opts.log };
    this.registry = new HandleRegistry(opts.journal, this.modules, standaloneRehydration(shared));
    this.scope = { ...shared, registry: this.registry };
  }

  sessionState(session: Session): SessionState {
    let st = this.sessions.get(session.id);
    if (!st) {
      st = { session, chain: Promise.resolve(), committed: Promise.resolve(), inflight: new Map(), ack: 0, ackJournaled: 0, recorded: false, journaledUpTo: null };
      this.sessions.set(session.id, st);
    } else {
      Object.assign(st.session, {
        pid: session.pid ?? st.session.pid, host: session.host, script: session.script, cwd: session.cwd ?? st.session.cwd,
        peer: session.peer !== undefined ? session.peer : st.session.peer, // the latest connection's, from the kernel
      });
    }
    return st;
  }

  /**
   * Records a client's session in the journal as soon as it says hello (so that a dead client's
   * handles can be released). Its first journaled request records it again, with its records.
   */
  recordSession(session: Session): void {
    try {
      this.journal.touchSession(session.id, session.pid, session.host, session.script);
    } catch (e) {
      this.log.error({ err: String(e) }, 'cannot record the client session');
    }
  }

  /** Executes one request; resolves with the reply (never rejects). */
  submit(session: Session, req: RequestMsg): Promise<Reply> {
    // a connection passes the session object its hello got from here: nothing to update
    const known = this.sessions.get(session.id);
    const st = known && known.session === session ? known : this.sessionState(session);
    const id = typeof req.id === 'string' ? req.id : String(req.id ?? '');
    const digest = new LazyDigest(`${req.module}.${req.function}`, req.params);
    const same = st.inflight.get(id);
    if (same) {
      // resent while the original is still running: one execution, one answer
      if (same.digest.get() === digest.get()) return same.reply;
      return Promise.resolve({ json: withId(id, errorBody(idReused(id, `${req.module}.${req.function}`))), afterReply: () => undefined });
    }
    const seq = ++this.seq;
    const p = this.process(st, id, req, seq, digest).finally(() => st.inflight.delete(id));
    if (id) st.inflight.set(id, { reply: p, digest });
    return p;
  }



  private async process(st: SessionState, id: string, req: RequestMsg, seq: number, digest: LazyDigest): Promise<Reply> {
    const fn = `${req.module}.${req.function}`;
    const nth = this.crash?.count(fn) ?? 0;
    const crashAt = (phase: Phase) => this.crash?.at(phase, seq, fn, nth);
    this.stats.requests++;
    const counted = this.functions.has(fn) ? fn : '(unknown)'; // a client's made-up names must not grow the table
    this.stats.byFunction[counted] = (this.stats.byFunction[counted] ?? 0) + 1;

    const prior = st.committed;
    if (typeof req.ack === 'number' && Number.isInteger(req.ack) && req.ack > st.ack) st.ack = req.ack;
    const effectDone = st.chain.then(() => this.run(st, id, req, fn, digest, crashAt, prior));
    st.chain = effectDone.catch(() => undefined);
    // a reply with nothing to journal still waits for the records of the requests before it
    const committed = effectDone.then((o) => (o.writes.length ? this.committer.commit(o.writes) : prior));
    st.committed = committed.catch(() => undefined);
    let out: Outcome;
    try {
      out = await effectDone;
      await committed;
    } catch (e) {
      const err = e instanceof BridgeError ? e : new BridgeError('journal_unavailable', `the journal cannot be written: ${String((e as Error)?.message ?? e)}`);
      out = { body: errorBody(err), writes: [], journaled: false };
    }
    if (out.ran && !out.sideEffect) {
      // effects that are not side effects are in memory, journaled with the reply: both points are here
      crashAt('after_journal');
      crashAt('after_effect');
    }
    return { json: withId(id, out.body, this.journal.commitSeq), afterReply: () => crashAt('after_reply') };
  }

  private async run(st: SessionState, id: string, req: RequestMsg, fn: string, digest: LazyDigest, crashAt: (p: Phase) => void, earlier: Promise<void>): Promise<Outcome> {
    const session = st.session;
    const compiled = this.functions.get(fn);
    if (!compiled) {
      const known = this.modules.get(req.module);
      const err = known
        ? new BridgeError('unknown_function', `unknown function ${fn}; module ${req.module} has: ${Object.keys(known.functions).sort().join(', ')}`)
        : new BridgeError('unknown_module', `unknown module "${req.module}"; available: ${[...this.modules.keys()].sort().join(', ')}`);
      return protocolError(err);
    }
    if (!id) return protocolError(new BridgeError('bad_request', 'request without an id'));
    const params = req.params === undefined || req.params === null ? {} : req.params;
    const validate = (compiled.validate ??= (this.ajv ??= newAjv()).compile(compiled.def.params));
    if (!validate(params)) {
      const e = validate.errors?.[0];
      const where = e?.instancePath ? `params${e.instancePath.replace(/\//g, '.')}` : 'params';
      return protocolError(new BridgeError('bad_params', `${fn}: ${where} ${e?.message ?? 'invalid'}`));
    }
    // the digest is of the params as they came: taken now unless this is a read whose params
    // decodeValues leaves as they are (then it is taken only if something needs it)
    if (compiled.def.effect !== 'read' || hasEncodedValues(params)) digest.get();
    decodeValues(params);

    const prior = this.mayBeJournaled(st, id) ? this.journal.getRequest(session.id, id) : undefined;
    if (prior?.digest && prior.digest !== digest.get()) return protocolError(idReused(id, fn));
    let rerun = false;
    if (prior?.status === 'done' && prior.reply !== null) {
      this.stats.replayed++;
      const kept = fromKept(prior.reply, this.journal.sealer);
      if (kept !== 'rerun') return { body: kept, writes: [], journaled: false };
      rerun = true;
    }

    if (!rerun) crashAt('before_journal');
    const ctx = new RequestContext(this.scope, {
      session, id, fn, get digest() { return digest.get(); }, effect: compiled.def.effect, begun: prior?.status === 'begun', rerun, earlier, crashAt,
      begunNote: prior?.status === 'begun' ? begunNote(prior.reply) : null,
    });
    let body: string;
    try {
      if (prior?.status === 'begun') {
        // A side effect began before a crash and never reported: ask the module, or say so.
        const known = compiled.def.outcome ? await compiled.def.outcome(params, ctx) : undefined;
        if (known === undefined) {
          throw new BridgeError('in_doubt', `${fn} (request ${id}) was started before the daemon stopped and its outcome is unknown; it was not run again`);
        }
        body = successBody(known.happened ? known.result : await compiled.def.run(params, ctx));
      } else {
        if (compiled.def.effect === 'side-effect') await ctx.beginSideEffect();
        const result = await compiled.def.run(params, ctx);
        if (ctx.sideEffectBegun) crashAt('after_effect'); // the effect happened; its 'done' record is not yet written
        body = successBody(result);
      }
    } catch (e) {
      await ctx.abandon();
      this.stats.errors++;
      body = errorBody(e);
    }
    const begun = ctx.sideEffectBegun;
    // answered again from journaled state: the request's records are already there
    if (rerun) return { body, writes: ctx.replayWrites, journaled: false };
    if (!begun && ctx.writes.length === 0 && compiled.def.effect === 'read' && ctx.effect === 'read') {
      // A pure read (ping, a SELECT through do, ...) changes nothing: nothing to journal but what a
      // rehydration wrote, and a resend simply runs it again.
      return { body, writes: ctx.replayWrites, journaled: false, ran: true };
    }
    const writes = ctx.allWrites();
    writes.push({ t: 'request', session: session.id, id, seq: numericSeq(id), fn, status: 'done', reply: toKept(compiled.def, body, this.journal.sealer), digest: digest.get() });
    if (!st.recorded) {
      writes.push({ t: 'session', id: session.id, pid: session.pid, host: session.host, script: session.script });
      st.recorded = true;
    }
    // acknowledged replies are deleted in batches: keeping one a little longer is always safe
    if (st.ack - st.ackJournaled >= ACK_BATCH) {
      writes.push({ t: 'ack', session: session.id, seq: st.ack });
      st.ackJournaled = st.ack;
    }
    return { body, writes, journaled: true, sideEffect: begun, ran: true };
  }

  /** Whether the journal may hold a record of this request id (a resend), else it is new. */
  private mayBeJournaled(st: SessionState, id: string): boolean {
    const n = numericSeq(id);
    if (n === null) return true;
    st.journaledUpTo ??= this.journal.maxSeq(st.session.id);
    if (n <= st.journaledUpTo) return true;
    st.journaledUpTo = n;
    return false;
  }

  /** Forgets a session whose client is gone (its handles are released by the caller). */
  dropSession(id: string): void {
    this.sessions.delete(id);
  }

  /** Releases every live handle (daemon shutdown): connections closed, the journal keeps the rest. */
  async shutdown(): Promise<void> {
    await this.registry.disposeAll();
  }
}

/** The schema compiler, loaded on the first request (process mode and recovery start faster). */
/**
 * The validator of the function tables. Checking each schema against JSON Schema's meta-schema
 * costs a compile of the meta-schema on a daemon's first request (~30 ms of CPU on every recovery
 * path), so the daemon does not; test/unit/schemas.test.ts checks every schema with it on.
 */
export function newAjv(opts: { validateSchema?: boolean } = {}): Ajv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: AjvClass } = require('ajv') as typeof import('ajv');
  return new AjvClass({ allErrors: false, strict: false, coerceTypes: false, validateSchema: opts.validateSchema ?? false });
}

/** The note a side effect began with (RequestContext.beginSideEffect), from its 'begun' record. */
function begunNote(stored: string | null): Record<string, unknown> | null {
  if (!stored) return null;
  try {
    const v = JSON.parse(stored) as { begun?: unknown };
    return v.begun && typeof v.begun === 'object' ? (v.begun as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function idReused(id: string, fn: string): BridgeError {
  return new BridgeError('id_reused', `request id ${id} was already used in this session for another call; ${fn} was not run (a client must never reuse a request id)`);
}

function protocolError(e: BridgeError): Outcome {
  return { body: errorBody(e), writes: [], journaled: false };
}

/** The reply frame: the id, the journal's commit count (`j`, see Journal.commitSeq), the body. */
export function withId(id: string, body: string, commitSeq?: number): string {
  return `{"id":${JSON.stringify(id)},${commitSeq === undefined ? '' : `"j":${commitSeq},`}${body.slice(1)}`;
}
