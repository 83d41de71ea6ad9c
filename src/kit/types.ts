// What a module is: a table of functions (schema, effect class, implementation) and the handle
// kinds it creates (how each is rebuilt after a restart). The router reads nothing else.
import type BetterSqlite3 from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Migration } from '../../journal/migrations';
import type { Settings } from '../config';
import type { PeerCredentials } from '../server/peercred';

/** How a function is journaled and what a resend after a crash does (see DESIGN.md). */
export type EffectClass = 'read' | 'create' | 'mutate-local' | 'transactional' | 'side-effect' | 'close';

/** A JSON schema (validated by ajv before anything runs). */
export type Schema = Record<string, unknown>;

export interface LiveHandle<T = unknown> {
  readonly id: string;
  readonly module: string;
  readonly kind: string;
  readonly session: string;
  readonly parent: LiveHandle | null;
  /** What the handle was created from (secrets unsealed, in memory only). */
  readonly spec: Record<string, unknown>;
  /** Where it stands, as last journaled. */
  state: Record<string, unknown> | null;
  obj: T;
}

export interface Session {
  readonly id: string;
  pid: number | null;
  host: string | null;
  script: string | null;
  /** Working directory of the client, for relative paths. */
  cwd: string | null;
  /** Who the client is, from the socket (SO_PEERCRED); null when unknown. */
  peer?: PeerCredentials | null;
}

export interface CreateOptions {
  parent?: LiveHandle | null;
  state?: Record<string, unknown> | null;
}

export interface CallContext {
  readonly session: Session;
  readonly requestId: string;
  /**
   * This request was answered before a crash lost the reply, and its function keeps no reply
   * (keepReply 'rerun'): answer it again from the journaled state; writes are not journaled.
   */
  readonly rerun: boolean;
  readonly settings: Settings;
  readonly log: Logger;
  /** The live handle `id` of this session, rebuilt from the journal if needed (parents first). */
  handle<T>(id: string, module: string, kind?: string | readonly string[]): Promise<LiveHandle<T>>;
  /** Registers a new handle; its record commits with this request. */
  create<T>(module: string, kind: string, spec: Record<string, unknown>, obj: T, opts?: CreateOptions): LiveHandle<T>;
  setState(h: LiveHandle, state: Record<string, unknown> | null): void;
  appendOp(h: LiveHandle, op: unknown): void;
  clearOps(h: LiveHandle): void;
  /** Removes a handle and its descendants (disposed, journal records deleted with this request). */
  close(h: LiveHandle): Promise<void>;
  /**
   * Commits a 'begun' record before an external side effect, so that a resend after a crash knows
   * the effect may have happened. Called by the engine for side-effect functions; functions whose
   * class depends on their arguments (DML under AutoCommit) call it themselves. `note` is kept
   * with the record for `outcome` to read (`begunNote`): what will tell whether the effect
   * happened (a database transaction's id). Called again, it only adds a note.
   */
  beginSideEffect(note?: Record<string, unknown>): Promise<void>;
  /** On the resend of a side effect begun before a crash: the note it began with (else null). */
  readonly begunNote: Record<string, unknown> | null;
  /** The effect class this request turned out to have. */
  effect: EffectClass;
  /** For modules that rebuild a live object in the middle of a request (a lost database connection). */
  readonly rehydration: RehydrateContext;
  /** The journal database, for reads of a module's own tables. */
  readonly db: BetterSqlite3.Database;
  /** A write to a module's own journal tables, committed with this request's other records. */
  sql(run: (db: BetterSqlite3.Database) => void): void;
  /**
   * Resolves once the records of this session's earlier requests are committed. Requests run in
   * order but commit in groups, so a function that reads the journal (ctx.db) awaits this first.
   */
  settled(): Promise<void>;
}

export interface RehydrateContext {
  readonly settings: Settings;
  readonly db: BetterSqlite3.Database;
  readonly log: Logger;
  readonly journalOps: (handleId: string) => unknown[];
  /** Forgets a handle's replay ops at once (a transaction that diverged was rolled back). */
  readonly clearOps: (handleId: string) => void;
  /** Journals a handle's state at once (outside any request). */
  readonly setState: (handleId: string, state: Record<string, unknown> | null) => void;
}

export interface FunctionDef<P = any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- params are typed by each module after schema validation
  params: Schema;
  effect: EffectClass;
  /**
   * After a crash between 'begun' and 'done': did the side effect happen? `{happened: true, result}`
   * answers the resend with that result, `{happened: false}` runs it now, undefined means unknown
   * (the client gets `in_doubt`). Without this, a begun side effect is always in doubt.
   */
  outcome?: (params: P, ctx: CallContext) => Promise<{ happened: true; result: unknown } | { happened: false } | undefined>;
  /**
   * What the journal keeps of a successful reply for a resend after a crash (default: the reply).
   * 'sealed': sealed with the journal key, for replies that hold a script's data (file contents).
   * 'rerun': nothing; a resend calls `run` again with `ctx.rerun` set, and the function answers the
   * same from the state it journaled, changing nothing (a cipher stream's output: never on disk).
   */
  keepReply?: 'sealed' | 'rerun';
  run(params: P, ctx: CallContext): Promise<unknown> | unknown;
}

export interface HandleKindDef {
  /** Spec fields that are secrets: sealed in the journal, redacted in logs. Declared here only. */
  secrets?: readonly string[];
  rehydrate(h: LiveHandle<undefined>, ctx: RehydrateContext): Promise<unknown>;
  dispose?(obj: unknown): Promise<void> | void;
}

export interface ModuleDef {
  name: string;
  functions: Record<string, FunctionDef>;
  kinds: Record<string, HandleKindDef>;
  migrations?: Migration[];
  /**
   * The state directory is opened (a daemon starts, a process-mode call runs), before any request:
   * for clean-up that must not wait for a request (what a killed daemon left on disk).
   */
  onOpen?(settings: Settings): void;
  /** A handle of this module was deleted from the journal (closed, or its client died): drop its own rows. */
  onHandleDeleted?(db: BetterSqlite3.Database, handle: { id: string; kind: string }): void;
}
