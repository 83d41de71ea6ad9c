// One request's unit of work, as a module sees it (CallContext): the handles it touches, creates
// and closes, and every record it writes — including those a rehydration writes while serving it —
// collected here and committed with its reply by the engine's group committer.
import type { GroupCommitter } from '../journal/committer';
import type { Journal, Write } from '../journal/journal';
import type { Settings } from './config';
import { BridgeError } from './errors';
import type { Phase } from './faults';
import { newHandleId, type HandleRegistry } from './handles';
import type { CallContext, CreateOptions, EffectClass, LiveHandle, RehydrateContext, Session } from './kit/types';
import type { Logger } from 'pino';

/** What a request context works with: the engine's parts, shared by all requests. */
export interface RequestScope {
  journal: Journal;
  registry: HandleRegistry;
  committer: GroupCommitter;
  settings: Settings;
  log: Logger;
}

export interface RequestInfo {
  session: Session;
  id: string;
  /** module.function */
  fn: string;
  digest: string;
  effect: EffectClass;
  /** A 'begun' record of this request is already in the journal (a resend after a crash). */
  begun: boolean;
  /** Answered before a crash; its reply was not kept (keepReply 'rerun'). */
  rerun?: boolean;
  /** The note of the 'begun' record of this request (a resend after a crash). */
  begunNote?: Record<string, unknown> | null;
  /** Commit of the session's earlier requests. */
  earlier: Promise<void>;
  crashAt(phase: Phase): void;
}

/** The replay context of rehydrations outside any request (eager rehydration): written at once. */
export function standaloneRehydration(scope: Omit<RequestScope, 'registry'>): RehydrateContext {
  return rehydrationWith(scope, (w) => void scope.committer.commit([w]).catch(() => undefined)); // a failed commit stops the daemon (onJournalFailure)
}

function rehydrationWith(scope: Omit<RequestScope, 'registry'>, write: (w: Write) => void): RehydrateContext {
  return {
    settings: scope.settings, log: scope.log, db: scope.journal.db,
    journalOps: (id) => scope.journal.getOps(id),
    clearOps: (id) => write({ t: 'clear_ops', handle: id }),
    setState: (id, state) => write({ t: 'state', id, state }),
  };
}

export class RequestContext implements CallContext {
  readonly session: Session;
  readonly requestId: string;
  readonly rerun: boolean;
  readonly begunNote: Record<string, unknown> | null;
  readonly settings: Settings;
  readonly log: Logger;
  readonly db: Journal['db'];
  effect: EffectClass;
  /** The request's records, dropped if it fails. */
  readonly writes: Write[] = [];
  /** Records of rehydrations done for it (a diverged transaction rolled back): kept even if it fails. */
  readonly replayWrites: Write[] = [];
  private readonly created: LiveHandle[] = [];
  private rehydrationCtx: RehydrateContext | null = null;
  private begun: boolean;

  constructor(private readonly scope: RequestScope, private readonly req: RequestInfo) {
    this.session = req.session;
    this.requestId = req.id;
    this.rerun = req.rerun === true;
    this.begunNote = req.begunNote ?? null;
    this.settings = scope.settings;
    this.log = scope.log;
    this.db = scope.journal.db;
    this.effect = req.effect;
    this.begun = req.begun;
  }

  /** Made when a handle is first looked up: a request that touches none (a ping) never needs it. */
  get rehydration(): RehydrateContext {
    return (this.rehydrationCtx ??= rehydrationWith(this.scope, (w) => this.replayWrites.push(w)));
  }

  /** A 'begun' record was committed for this request (it has a side effect). */
  get sideEffectBegun(): boolean {
    return this.begun;
  }

  async handle<T>(hid: string, module: string, kind?: string | readonly string[]): Promise<LiveHandle<T>> {
    if (typeof hid !== 'string' || !hid) throw new BridgeError('bad_params', `${this.req.fn}: missing handle`);
    const h = await this.scope.registry.get(hid, this.session.id, this.rehydration);
    const kinds = kind === undefined ? null : typeof kind === 'string' ? [kind] : kind;
    if (h.module !== module || (kinds && !kinds.includes(h.kind))) {
      throw new BridgeError('bad_params', `${this.req.fn}: handle ${hid} is a ${h.module} ${h.kind}, not a ${module} ${kinds?.join('/') ?? 'handle'}`);
    }
    return h as LiveHandle<T>;
  }

  create<T>(module: string, kind: string, spec: Record<string, unknown>, obj: T, opts: CreateOptions = {}): LiveHandle<T> {
    const { registry, journal, settings } = this.scope;
    if (registry.countOf(this.session.id) >= settings.maxHandlesPerSession) {
      // the module has already opened the object (a connection): close it, or it would leak
      registry.disposeObject(module, kind, obj);
      throw new BridgeError('limit', `this client already holds ${settings.maxHandlesPerSession} handles (max_handles_per_session)`);
    }
    const h: LiveHandle<T> = { id: newHandleId(), module, kind, session: this.session.id, parent: opts.parent ?? null, spec, state: opts.state ?? null, obj };
    registry.add(h);
    this.created.push(h);
    this.writes.push({ t: 'handle', row: {
      id: h.id, session: this.session.id, module, kind, parent: h.parent?.id ?? null,
      spec: journal.sealer.sealFields(spec, registry.secretsOf(module, kind)), state: h.state, created: Date.now(),
    } });
    return h;
  }

  setState(h: LiveHandle, state: Record<string, unknown> | null): void {
    h.state = state;
    this.writes.push({ t: 'state', id: h.id, state });
  }

  appendOp(h: LiveHandle, op: unknown): void {
    this.writes.push({ t: 'op', handle: h.id, op });
  }

  clearOps(h: LiveHandle): void {
    this.writes.push({ t: 'clear_ops', handle: h.id });
  }

  sql(run: (db: Journal['db']) => void): void {
    this.writes.push({ t: 'sql', run });
  }

  settled(): Promise<void> {
    return this.req.earlier;
  }

  async close(h: LiveHandle): Promise<void> {
    await this.scope.registry.dispose(h);
    this.writes.push({ t: 'delete', id: h.id });
  }

  async beginSideEffect(note?: Record<string, unknown>): Promise<void> {
    if (this.begun && !note) return;
    const first = !this.begun;
    this.begun = true;
    this.effect = 'side-effect';
    const { session, id, fn, digest } = this.req;
    const reply = note ? JSON.stringify({ begun: note }) : null; // a 'begun' record has no reply: the column keeps the note
    await this.scope.committer.commit([{ t: 'request', session: session.id, id, seq: numericSeq(id), fn, status: 'begun', reply, digest }]);
    if (first) this.req.crashAt('after_journal');
  }

  /** The request failed: what it created is disposed and its own records dropped (replay records stay). */
  async abandon(): Promise<void> {
    for (const h of this.created) await this.scope.registry.dispose(h);
    this.writes.length = 0;
  }

  /** Everything to commit, rehydration records first (they happened first). */
  allWrites(): Write[] {
    return [...this.replayWrites, ...this.writes];
  }
}

/** Numeric request ids (the Perl client's) are kept as a sequence, for acknowledgements. */
export function numericSeq(id: string): number | null {
  return /^\d{1,15}$/.test(id) ? Number(id) : null;
}
