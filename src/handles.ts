// Live handles, keyed by unguessable ids and bound to the session that created them. A handle that
// is not in memory (the daemon restarted, or this is a process-mode call) is rebuilt from the
// journal the first time it is touched, parents first: lazy rehydration.
import * as crypto from 'node:crypto';
import type { Journal } from '../journal/journal';
import { BridgeError } from './errors';
import { refuseOverLimit } from './limits';
import type { HandleKindDef, LiveHandle, ModuleDef, RehydrateContext } from './kit/types';

/** Random bytes for handle ids, drawn 256 ids at a time (a draw per id cost ~10 µs per create). */
const ID_BYTES = 16;
const idPool = Buffer.alloc(ID_BYTES * 256);
let idNext = idPool.length;

export function newHandleId(): string {
  if (idNext === idPool.length) {
    crypto.randomFillSync(idPool);
    idNext = 0;
  }
  const id = idPool.toString('base64url', idNext, idNext + ID_BYTES);
  idPool.fill(0, idNext, idNext + ID_BYTES); // an id handed out is not left lying in the pool
  idNext += ID_BYTES;
  return id;
}

export class HandleRegistry {
  private readonly live = new Map<string, LiveHandle>();
  private readonly pending = new Map<string, Promise<LiveHandle>>();
  rehydrations = 0;

  constructor(
    private readonly journal: Journal,
    private readonly modules: Map<string, ModuleDef>,
    private readonly rctx: RehydrateContext,
  ) {}

  get size(): number {
    return this.live.size;
  }

  countsByKind(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const h of this.live.values()) out[`${h.module}.${h.kind}`] = (out[`${h.module}.${h.kind}`] ?? 0) + 1;
    return out;
  }

  countOf(session: string): number {
    let n = 0;
    for (const h of this.live.values()) if (h.session === session) n++;
    return n;
  }

  /** Closes an object a module opened for a handle that will not be registered (a refused create). */
  disposeObject(module: string, kind: string, obj: unknown): void {
    void Promise.resolve(this.modules.get(module)?.kinds[kind]?.dispose?.(obj)).catch(() => undefined);
  }

  /** Registers a new handle; over max_handles_total it is disposed and refused. */
  add(h: LiveHandle): void {
    const max = this.rctx.settings.maxHandlesTotal;
    if (this.live.size >= max) {
      this.disposeObject(h.module, h.kind, h.obj);
      refuseOverLimit(this.live.size, max, 'no more handles in this daemon', 'max_handles_total');
    }
    this.live.set(h.id, h);
  }

  private kindDef(module: string, kind: string): HandleKindDef {
    const def = this.modules.get(module)?.kinds[kind];
    if (!def) throw new BridgeError('internal', `no handle kind ${module}.${kind}`);
    return def;
  }

  /** Spec fields of a kind sealed in the journal (and redacted in logs), as the kind declares them. */
  secretsOf(module: string, kind: string): readonly string[] {
    return this.kindDef(module, kind).secrets ?? [];
  }

  /**
   * Looks up a handle for `session`, rehydrating it (and its parents) from the journal if needed;
   * what the rehydration writes goes through `rctx` (the request's, when one asks).
   */
  async get(id: string, session: string, rctx: RehydrateContext = this.rctx): Promise<LiveHandle> {
    const h = this.live.get(id) ?? (await this.rehydrate(id, rctx));
    if (h.session !== session) throw new BridgeError('foreign_handle', `handle ${id} belongs to another client`);
    return h;
  }

  private rehydrate(id: string, rctx: RehydrateContext): Promise<LiveHandle> {
    let p = this.pending.get(id);
    if (!p) {
      p = this.doRehydrate(id, rctx).finally(() => this.pending.delete(id));
      this.pending.set(id, p);
    }
    return p;
  }

  private async doRehydrate(id: string, rctx: RehydrateContext): Promise<LiveHandle> {
    const row = this.journal.getHandle(id);
    if (!row) throw new BridgeError('unknown_handle', `no such handle: ${id} (closed, or never created)`);
    const parent = row.parent ? (this.live.get(row.parent) ?? (await this.rehydrate(row.parent, rctx))) : null;
    const h: LiveHandle<unknown> = {
      id: row.id, module: row.module, kind: row.kind, session: row.session, parent,
      spec: this.journal.sealer.unsealFields(row.spec), state: row.state, obj: undefined,
    };
    h.obj = await this.kindDef(row.module, row.kind).rehydrate(h as LiveHandle<undefined>, rctx);
    this.live.set(id, h);
    this.rehydrations++;
    return h;
  }

  /** Disposes a handle and its live descendants; returns the ids removed. */
  async dispose(h: LiveHandle): Promise<void> {
    for (const child of [...this.live.values()]) if (child.parent === h) await this.dispose(child);
    this.live.delete(h.id);
    try {
      await this.kindDef(h.module, h.kind).dispose?.(h.obj);
    } catch {
      // a handle that cannot close cleanly (connection already gone) is still forgotten
    }
  }

  /** Releases everything held in memory (shutdown); the journal keeps what is needed to rebuild it. */
  async disposeAll(filter: (h: LiveHandle) => boolean = () => true): Promise<void> {
    const roots = [...this.live.values()].filter((h) => filter(h) && (!h.parent || !filter(h.parent)));
    for (const h of roots) await this.dispose(h);
  }

  all(): LiveHandle[] {
    return [...this.live.values()];
  }
}
