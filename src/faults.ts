// Fault injection for the chaos suite: CPAN_BRIDGE_CRASH_AT="<seq>:<phase>" or
// "<module.function>#<n>:<phase>" makes the daemon SIGKILL itself at that point. It fires once per
// state directory (a marker file), so a daemon started again with the same environment runs on.
import * as fs from 'node:fs';
import { writeAtomic } from './state-dir';

export const PHASES = ['before_journal', 'after_journal', 'after_effect', 'after_reply'] as const;
export type Phase = (typeof PHASES)[number];

interface Target { seq?: number; fn?: string; nth?: number; phase: Phase }

export function parseCrashAt(spec: string): Target {
  const m = /^(?:(\d+)|([a-z_][\w]*\.[\w]+)(?:#(\d+))?):(before_journal|after_journal|after_effect|after_reply)$/i.exec(spec.trim());
  if (!m) throw new Error(`CPAN_BRIDGE_CRASH_AT: expected "<seq>:<phase>" or "<module.function>[#n]:<phase>", got "${spec}"`);
  const phase = m[4] as Phase;
  return m[1] ? { seq: Number(m[1]), phase } : { fn: m[2], nth: m[3] ? Number(m[3]) : 1, phase };
}

export class CrashInjector {
  private readonly target: Target | null;
  private readonly counts = new Map<string, number>();

  constructor(spec: string | undefined, private readonly markerFile: string) {
    this.target = spec ? parseCrashAt(spec) : null;
    if (this.target && fs.existsSync(markerFile) && fs.readFileSync(markerFile, 'utf8') === spec) this.target = null;
    this.spec = spec ?? '';
  }
  private readonly spec: string;

  /** Counts a request; returns its per-function occurrence number. */
  count(fn: string): number {
    const n = (this.counts.get(fn) ?? 0) + 1;
    this.counts.set(fn, n);
    return n;
  }

  at(phase: Phase, seq: number, fn: string, nth: number): void {
    const t = this.target;
    if (!t || t.phase !== phase) return;
    if (t.seq !== undefined ? t.seq !== seq : t.fn !== fn || t.nth !== nth) return;
    writeAtomic(this.markerFile, this.spec, true);
    process.kill(process.pid, 'SIGKILL');
  }
}
