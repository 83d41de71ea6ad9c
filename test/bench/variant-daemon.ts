// The daemon with bench-only patches, to measure what the journal costs and what a proposed fix
// would gain before anyone changes src/ or journal/. Never use it for anything but measuring.
//   BENCH_VARIANT=off       every Journal.commit() is a no-op (journal off: nothing survives a
//                           crash, workbooks render empty) - the floor for the journaling overhead
//   BENCH_VARIANT=proposed  the fixes proposed in the bench report, approximated from outside:
//                           (1) a request that only reads (no records but its reply) commits
//                               nothing: no `requests` row, no transaction, its ack rides on
//                               the next commit of its session;
//                           (2) acks coalesced: one DELETE per session per transaction (the
//                               highest), not one per request;
//                           (3) an index on requests(session, seq), so the ack DELETE is a
//                               range scan, not a scan of the session's rows.
//   node variant-daemon.js daemon
if (process.env.NODE_TEST_CONTEXT) process.exit(0); // npm test treats files under test/ as tests
import type { Write } from '../../journal/journal';
import { Journal } from '../../journal/journal';
import { Engine } from '../../src/engine';

type Commit = (this: Journal, writes: Write[]) => void;
const J = Journal.prototype as unknown as { commit: Commit };
const variant = process.env.BENCH_VARIANT ?? '';

if (variant === 'off') {
  J.commit = function commitOff(): void { /* journal off (bench) */ };
} else if (variant === 'proposed') {
  // functions whose only record is their reply: re-running them is the retry policy of a read
  const PURE_READS = new Set(['system.ping', 'system.status', 'excel.info', 'database.ping', 'database.last_insert_id']);
  const indexed = new WeakSet<Journal>();
  const deferredAck = new Map<string, number>();
  const original = J.commit;
  J.commit = function commitProposed(this: Journal, writes: Write[]): void {
    if (!indexed.has(this)) {
      this.db.exec('CREATE INDEX IF NOT EXISTS bench_requests_session_seq ON requests(session, seq)');
      indexed.add(this);
    }
    const acks = new Map<string, number>(deferredAck);
    deferredAck.clear();
    const rest: Write[] = [];
    for (const w of writes) {
      if (w.t === 'ack') acks.set(w.session, Math.max(acks.get(w.session) ?? -1, w.seq));
      else rest.push(w);
    }
    for (const [session, seq] of acks) rest.push({ t: 'ack', session, seq });
    original.call(this, rest);
  };
  // (1): drop the writes of pure reads before they reach the committer (their ack is deferred)
  const E = Engine.prototype as unknown as { run: (...a: unknown[]) => Promise<{ writes: Write[] }> };
  const run = E.run;
  E.run = async function runProposed(this: Engine, ...a: unknown[]) {
    const out = await run.apply(this, a);
    const fn = a[3] as string;
    if (PURE_READS.has(fn) && out.writes.every((w) => w.t === 'ack' || (w.t === 'request' && w.status === 'done'))) {
      for (const w of out.writes) if (w.t === 'ack') deferredAck.set(w.session, Math.max(deferredAck.get(w.session) ?? -1, w.seq));
      out.writes = [];
    }
    return out;
  };
} else if (variant !== '') {
  process.stderr.write(`variant-daemon: unknown BENCH_VARIANT ${variant}\n`);
  process.exit(2);
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../../src/cli');
