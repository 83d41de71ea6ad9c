// `cpan-bridge journal show|verify`: what the journal holds, and whether it is sound.
import { FORMAT_VERSION } from './migrations';
import type { Journal } from './journal';
import { Sealer } from './secrets';

export interface JournalSummary {
  format: string | null;
  migrations: string[];
  handles: { id: string; session: string; module: string; kind: string; parent: string | null; ops: number; state: unknown; spec: unknown }[];
  requests: { done: number; begun: number };
  sessions: number;
}

export function summarize(j: Journal): JournalSummary {
  const db = j.db;
  const handles = (db.prepare('SELECT id, session, module, kind, parent, spec, state FROM handles ORDER BY created').all() as Record<string, string>[]).map((h) => ({
    id: h.id, session: h.session.slice(0, 8) + '…', module: h.module, kind: h.kind, parent: h.parent,
    ops: db.prepare('SELECT count(*) FROM ops WHERE handle = ?').pluck().get(h.id) as number,
    state: h.state ? JSON.parse(h.state) : null,
    spec: JSON.parse(h.spec), // secrets stay sealed
  }));
  const count = (status: string) => db.prepare('SELECT count(*) FROM requests WHERE status = ?').pluck().get(status) as number;
  return {
    format: j.getMeta('format') ?? null,
    migrations: db.prepare('SELECT name FROM migrations ORDER BY name').pluck().all() as string[],
    handles,
    requests: { done: count('done'), begun: count('begun') },
    sessions: db.prepare('SELECT count(*) FROM sessions').pluck().get() as number,
  };
}

/** Returns the problems found (empty when the journal is sound). */
export function verify(j: Journal): string[] {
  const db = j.db;
  const problems: string[] = [];
  const integrity = db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') problems.push(`SQLite integrity check: ${String(integrity)}`);
  const fmt = Number(j.getMeta('format'));
  if (!(fmt >= 1 && fmt <= FORMAT_VERSION)) problems.push(`unknown journal format ${String(j.getMeta('format'))}`);
  const orphans = db.prepare('SELECT id FROM handles h WHERE parent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM handles p WHERE p.id = h.parent)').pluck().all() as string[];
  for (const id of orphans) problems.push(`handle ${id} has a parent that no longer exists`);
  const strayOps = db.prepare('SELECT count(*) FROM ops o WHERE NOT EXISTS (SELECT 1 FROM handles h WHERE h.id = o.handle)').pluck().get() as number;
  if (strayOps) problems.push(`${strayOps} replay op(s) belong to no handle`);
  for (const row of db.prepare('SELECT id, spec, state FROM handles').all() as { id: string; spec: string; state: string | null }[]) {
    try {
      const spec = JSON.parse(row.spec) as Record<string, unknown>;
      if (row.state !== null) JSON.parse(row.state);
      for (const v of Object.values(spec)) if (Sealer.isSealed(v)) j.sealer.unseal(v);
    } catch (e) {
      problems.push(`handle ${row.id}: ${(e as Error).message}`);
    }
  }
  for (const r of db.prepare("SELECT session, id, reply FROM requests WHERE status = 'done'").all() as { session: string; id: string; reply: string | null }[]) {
    try {
      JSON.parse(r.reply ?? 'null');
    } catch {
      problems.push(`request ${r.id}: stored reply is not JSON`);
    }
  }
  return problems;
}
