// The chaos suite: `npm run chaos -- [--quick|--full] [--seed N] [--only ID[,ID...]] [--workflows a,b]`
//
// For each workflow: a golden run (no faults) records its artifacts and counts its requests; then
// the workflow runs once per (request x phase) with the daemon killing itself there
// (CPAN_BRIDGE_CRASH_AT, set on the first daemon only: the client autostarts a clean one), and
// under external faults. Each run is judged: artifacts identical to golden (or an accepted in-doubt
// report, or for journal damage a clean refusal), no temporary files, zero handles left,
// `journal verify` passing. Results: chaos/results/summary.{json,md}.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { PHASES, type Phase } from '../src/faults';
import { collect, diffArtifacts, type Artifacts } from './artifacts';
import { FAULT_KINDS, chattr, fillFs, inject, mountSmallFs, policy, unmount, type FaultKind, type FaultLog } from './faults';
import {
  RESULTS_DIR, alive, baseEnv, cli, daemonPid, daemonsOf, hash32, killDaemons, listFiles, makeRunDirs, median,
  reconnectTimes, rng, runPerl, sleep,
} from './harness';
import { WORKFLOWS, type Golden, type SuiteOptions, type Workflow } from './workflows';

type Verdict = 'recovered' | 'in_doubt' | 'refused' | 'diverged' | 'failed' | 'not_exercised';

interface PlannedRun {
  id: string;
  wf: Workflow;
  crash?: { seq?: number; phase: Phase; spec: string };
  fault?: { kind: FaultKind; n: number };
}

interface RunResult {
  id: string;
  workflow: string;
  kind: string;
  verdict: Verdict;
  reasons: string[];
  notes: string[];
  exit: number | null;
  durationMs: number;
  recoveryMs: number[];
  repro: string;
  dir?: string;
}

const HELP = `npm run chaos -- [options]
  --quick            a seeded sample of crash points and faults (CI; < 10 minutes) [default]
  --full             every crash point of every workflow, and more external faults
  --seed N           seed of the sample and of the fault moments (default 1)
  --only ID,...      run only these runs (ids as printed: seed:17:after_journal, seed:sigkill:1, seed:golden)
  --workflows a,b    only these workflows (${WORKFLOWS.map((w) => w.name).join(', ')})
  --no-external      crash points only
  --no-crash         external faults only
  --keep             keep every run's directory (default: only failing runs')
  --jobs N           runs in parallel (default 1)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2), strict: true,
    options: {
      quick: { type: 'boolean' }, full: { type: 'boolean' }, seed: { type: 'string' }, only: { type: 'string' },
      workflows: { type: 'string' }, 'no-external': { type: 'boolean' }, 'no-crash': { type: 'boolean' }, keep: { type: 'boolean' }, jobs: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const full = Boolean(values.full);
  const mode = full ? 'full' : 'quick';
  const seed = values.seed ? Number(values.seed) : 1;
  const jobs = Math.max(1, Math.min(4, Number(values.jobs ?? 1)));
  const only = values.only ? values.only.split(',').map((s) => s.trim()).filter(Boolean) : null;
  let wfs = WORKFLOWS;
  if (values.workflows) {
    const want = values.workflows.split(',');
    wfs = WORKFLOWS.filter((w) => want.includes(w.name));
  }
  if (only) wfs = wfs.filter((w) => only.some((o) => o.split(':')[0] === w.name));
  if (!wfs.length) {
    process.stderr.write('chaos: no workflow selected\n');
    return 2;
  }
  const t0 = Date.now();
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cbchaos-cache-'));
  const opts: SuiteOptions = { quick: !full, cache };
  const ctx: Ctx = { opts, mode, seed, keep: Boolean(values.keep) };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  console.log(`chaos: ${mode} run, seed ${seed}, workflows ${wfs.map((w) => w.name).join(', ')}`);

  const results: RunResult[] = [];
  const enumerated: Record<string, number> = {};
  const goldens = new Map<string, Golden>();
  let pgOk = true;
  for (const wf of wfs) {
    if (wf.usesPg && !(await pgAvailable())) {
      console.log(`chaos: ${wf.name}: SKIPPED — PostgreSQL does not answer on 127.0.0.1:5432 (db test, user postgres)`);
      pgOk = false;
      continue;
    }
    const g = await golden(ctx, wf);
    results.push(g.result);
    if (!g.golden) continue;
    goldens.set(wf.name, g.golden);
    enumerated[wf.name] = g.golden.requests * PHASES.length;
    console.log(`chaos: ${wf.name}: golden ${g.golden.durationMs} ms, ${g.golden.requests} requests (${enumerated[wf.name]} crash points) ${JSON.stringify(g.golden.byFunction)}`);
  }

  const plan: PlannedRun[] = [];
  for (const wf of wfs) {
    const g = goldens.get(wf.name);
    if (!g) continue;
    if (!values['no-crash']) plan.push(...crashPlan(wf, g.requests, full, seed));
    if (!values['no-external']) plan.push(...faultPlan(wf, full));
  }
  const selected = only ? plan.filter((r) => only.includes(r.id)) : plan;
  if (only) {
    for (const o of only) if (!o.endsWith(':golden') && !plan.some((r) => r.id === o)) console.log(`chaos: no run "${o}" in the ${mode} plan`);
  }
  console.log(`chaos: ${selected.length} runs planned`);

  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < selected.length) {
      const run = selected[next++];
      const r = await execute(ctx, run, goldens.get(run.wf.name)!);
      results.push(r);
      done++;
      const mark = r.verdict === 'recovered' || r.verdict === 'in_doubt' || r.verdict === 'refused' ? 'ok  ' : r.verdict === 'not_exercised' ? 'skip' : 'FAIL';
      console.log(`${mark} [${done}/${selected.length}] ${r.id}: ${r.verdict}${r.recoveryMs.length ? ` (recovery ${r.recoveryMs.join('/')} ms)` : ''} ${r.durationMs} ms${r.reasons.length ? `\n       ${r.reasons.join('\n       ')}` : ''}${r.verdict !== 'recovered' && r.notes.length ? `\n       note: ${r.notes.join('\n       note: ')}` : ''}`);
      if (mark === 'FAIL') console.log(`       reproduce: ${r.repro}${r.dir ? `\n       kept: ${r.dir}` : ''}`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  fs.rmSync(cache, { recursive: true, force: true });

  const summary = summarize(ctx, results, enumerated, Date.now() - t0, pgOk);
  fs.writeFileSync(path.join(RESULTS_DIR, 'runs.json'), JSON.stringify(results, null, 2) + '\n');
  fs.writeFileSync(path.join(RESULTS_DIR, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  fs.writeFileSync(path.join(RESULTS_DIR, 'summary.md'), markdown(summary));
  console.log(`\n${markdown(summary)}`);
  console.log(`chaos: results in ${path.relative(process.cwd(), RESULTS_DIR) || RESULTS_DIR}/summary.{json,md}`);
  return summary.failed + summary.diverged > 0 ? 1 : 0;
}

interface Ctx {
  opts: SuiteOptions;
  mode: string;
  seed: number;
  keep: boolean;
}

function repro(ctx: Ctx, id: string): string {
  return `npm run chaos -- --${ctx.mode} --seed ${ctx.seed} --only ${id}`;
}

async function pgAvailable(): Promise<boolean> {
  try {
    const { withPg } = await import('./artifacts');
    await withPg((c) => c.query('SELECT 1'));
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Planning

function crashPlan(wf: Workflow, requests: number, full: boolean, seed: number): PlannedRun[] {
  const all: PlannedRun[] = [];
  for (let seq = 1; seq <= requests; seq++) for (const phase of PHASES) all.push({ id: `${wf.name}:${seq}:${phase}`, wf, crash: { seq, phase, spec: `${seq}:${phase}` } });
  // commits interrupted after their effect, by function name: the in-doubt / exactly-once path
  const named: PlannedRun[] = wf.stopPoints
    ? [2, 3].map((n) => ({ id: `${wf.name}:database.commit#${n}:after_effect`, wf, crash: { phase: 'after_effect' as Phase, spec: `database.commit#${n}:after_effect` } }))
    : [];
  if (full) return [...all, ...named];
  // quick: the first and last request at every phase, then a seeded sample
  const sample: Record<string, number> = { seed: 12, 'txn-sqlite': 12, 'txn-pg': 8, export: 5, long: 10, threads: 6, fork: 5, 'process-mode': 4, crypt: 6, log4perl: 6, sftp: 6, mail: 6, xpath: 6 };
  const want = Math.min(all.length, sample[wf.name] ?? 8);
  const pick = new Set<number>();
  for (const [i, r] of all.entries()) if ((r.crash!.seq === 1 && r.crash!.phase === 'before_journal') || (r.crash!.seq === requests && r.crash!.phase === 'after_reply')) pick.add(i);
  const rand = rng(seed ^ hash32(wf.name));
  for (let guard = 0; pick.size < want && guard < 10_000; guard++) pick.add(Math.floor(rand() * all.length));
  return [...[...pick].sort((a, b) => a - b).map((i) => all[i]), ...named];
}

function faultPlan(wf: Workflow, full: boolean): PlannedRun[] {
  const n: Partial<Record<FaultKind, number>> = {};
  if (full) {
    n.sigkill = 4;
    n['kill-everything'] = 2;
    if (!wf.usesPg) { n['wal-truncate'] = 2; n['journal-ro'] = 1; }
    if (wf.name === 'seed' || wf.name === 'long') { n.sigstop = 2; n.socket = 2; n['fs-full'] = 2; }
    if (wf.usesPg) { n['pg-restart'] = 3; n.sigstop = 1; }
    if (wf.name === 'sftp') n['sshd-restart'] = 2;
  } else {
    const q: Record<string, Partial<Record<FaultKind, number>>> = {
      seed: { sigkill: 2, 'kill-everything': 1, sigstop: 1, socket: 2, 'journal-ro': 1, 'wal-truncate': 1, 'fs-full': 1 },
      'txn-sqlite': { sigkill: 1, 'wal-truncate': 1 },
      'txn-pg': { sigkill: 1, 'pg-restart': 1 },
      export: { sigkill: 1 },
      long: { sigkill: 2, sigstop: 1 },
      threads: { sigkill: 1, 'kill-everything': 1 },
      fork: { sigkill: 1, 'kill-everything': 1 },
      'process-mode': { sigkill: 1, 'kill-everything': 1 },
      crypt: { sigkill: 1 },
      log4perl: { sigkill: 1 },
      sftp: { sigkill: 1, 'sshd-restart': 1 },
      mail: { sigkill: 2 },
      xpath: { sigkill: 1, 'kill-everything': 1 },
    };
    Object.assign(n, q[wf.name] ?? { sigkill: 1 });
  }
  const out: PlannedRun[] = [];
  for (const kind of FAULT_KINDS) for (let i = 1; i <= (n[kind] ?? 0); i++) out.push({ id: `${wf.name}:${kind}:${i}`, wf, fault: { kind, n: i } });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Golden runs

async function golden(ctx: Ctx, wf: Workflow): Promise<{ golden: Golden | null; result: RunResult }> {
  const id = `${wf.name}:golden`;
  const r = await runOnce(ctx, { id, wf }, null);
  const result = r.result;
  if (!r.artifacts || !r.status) return { golden: null, result };
  if (r.artifacts.exit !== 0) result.reasons.push(`golden run exited ${r.artifacts.exit}: ${r.stderrTail}`);
  const states: Golden['states'] = {};
  if (wf.stopPoints && !result.reasons.length) {
    for (let k = 0; k <= wf.stopPoints; k++) {
      const s = await runOnce(ctx, { id: `${wf.name}:golden-stop-${k}`, wf }, null, { stopAfter: k });
      if (!s.artifacts || s.result.reasons.length) {
        result.reasons.push(`golden stop-after-${k} run failed: ${s.result.reasons.join('; ')}`);
        break;
      }
      states[String(k)] = s.artifacts.db;
    }
  }
  if (result.reasons.length) {
    result.verdict = 'failed';
    console.log(`FAIL ${id}: ${result.reasons.join('; ')}\n       reproduce: ${result.repro}`);
    return { golden: null, result };
  }
  result.verdict = 'recovered';
  const req = r.status.requests as { requests: number; byFunction: Record<string, number> };
  const byFunction = { ...req.byFunction };
  delete byFunction['system.status'];
  return {
    golden: {
      artifacts: r.artifacts, requests: req.requests - 1, byFunction, durationMs: result.durationMs,
      journalBytes: Number(r.status.journal_bytes ?? 0), states,
    },
    result,
  };
}

// ---------------------------------------------------------------------------------------------
// One run

interface Once {
  result: RunResult;
  artifacts: Artifacts | null;
  status: Record<string, unknown> | null;
  stderrTail: string;
}

async function execute(ctx: Ctx, run: PlannedRun, g: Golden): Promise<RunResult> {
  const o = await runOnce(ctx, run, g);
  return o.result;
}

async function runOnce(ctx: Ctx, run: PlannedRun, g: Golden | null, extra: { stopAfter?: number } = {}): Promise<Once> {
  const { wf } = run;
  const kind = run.crash ? 'crash' : run.fault ? run.fault.kind : 'golden';
  const result: RunResult = { id: run.id, workflow: wf.name, kind, verdict: 'failed', reasons: [], notes: [], exit: null, durationMs: 0, recoveryMs: [], repro: repro(ctx, run.id.replace(/:golden-stop-\d+$/, ':golden')) };
  const fault = run.fault;
  const pol = fault ? policy(fault.kind) : null;
  // A generous orphan grace makes a leaked handle visible; where the script may be refused
  // (journal damage) its handles are released by the daemon's orphan sweep instead, so a short one.
  const dirs = makeRunDirs(run.id, wf.orphanGraceSeconds ?? (pol?.mayRefuse ? 1 : 600));
  const rand = rng(ctx.seed ^ hash32(run.id));
  let prepared: Awaited<ReturnType<Workflow['prepare']>> | null = null;
  let mounted = false;
  let status: Record<string, unknown> | null = null;
  let artifacts: Artifacts | null = null;
  let stderrTail = '';
  try {
    prepared = await wf.prepare(dirs, ctx.opts);
    if (fault?.kind === 'fs-full') {
      const err = mountSmallFs(dirs.home, 8192);
      if (err) {
        result.verdict = 'not_exercised';
        result.notes.push(`SKIPPED: cannot mount a tmpfs for the journal (${err}); run as root to exercise "filesystem full"`);
        return { result, artifacts, status, stderrTail };
      }
      mounted = true;
    }
    const env = baseEnv(dirs, wf.env);
    const daemonEnv = { ...env, ...(run.crash ? { CPAN_BRIDGE_CRASH_AT: run.crash.spec } : {}) };
    const start = cli(daemonEnv, ['daemon', '--detach'], 30_000);
    if (start.status !== 0) {
      result.reasons.push(`the first daemon did not start: ${start.stderr.trim()}`);
      return { result, artifacts, status, stderrTail };
    }
    const firstPid = daemonPid(dirs.home);
    if (fault?.kind === 'fs-full') {
      // leave a seeded fraction of what the golden run's journal needed
      const leave = Math.max(48 * 1024, Math.floor((g?.journalBytes ?? 400_000) * (0.15 + 0.5 * rand())));
      fillFs(dirs.home, leave);
      result.notes.push(`journal filesystem: tmpfs 8 MiB, ${Math.round(leave / 1024)} KiB left free`);
    }
    const clientEnv: NodeJS.ProcessEnv = { ...env, CPAN_BRIDGE_DEBUG: '1', ...(pol?.clientEnv ?? {}) };
    if (extra.stopAfter !== undefined) clientEnv.CHAOS_STOP_AFTER = String(extra.stopAfter);
    const flog: FaultLog = { deaths: [], actions: [], applied: 0 };
    const goldMs = g?.durationMs ?? 60_000;
    const timeoutMs = Math.min(20 * 60_000, Math.max(90_000, goldMs * 10) + (pol?.extraMs ?? 0));
    let firstDeath: number | null = null;
    const during = async (_pid: number, startedAt: number, done: () => boolean) => {
      const watch = (async () => {
        // the moment the first daemon dies (crash point): recovery is measured from there
        while (firstPid && !done()) {
          if (!alive(firstPid)) { firstDeath = Date.now(); return; }
          await sleep(5);
        }
      })();
      if (fault) {
        const count = fault.kind === 'sigkill' ? 3 : fault.kind === 'socket' && fault.n % 2 === 0 ? 2 : 1;
        const span = goldMs;
        const at = fault.kind === 'kill-everything'
          // a moment of the run, then two moments within the first second of the next starts
          ? [Math.round(span * (0.1 + 0.6 * rand())), Math.round(1000 * rand()), Math.round(1000 * rand())]
          : Array.from({ length: count }, () => Math.round(span * (0.1 + 0.6 * rand()))).sort((a, b) => a - b);
        await inject(fault.kind, dirs, at, startedAt, done, flog);
      }
      await watch;
    };
    if (extra.stopAfter === 0) {
      // the database before the script: nothing to run
      artifacts = await collect({ exit: 0, stdout: '', outDir: dirs.out, sqlite: prepared.sqlite, pgPrefix: prepared.pgPrefix, xlsx: prepared.xlsx });
      await killDaemons(dirs.home);
      return { result, artifacts, status, stderrTail };
    }
    const perl = await runPerl(wf.script, prepared.args, clientEnv, dirs.out, timeoutMs, during);
    result.exit = perl.exit;
    result.durationMs = perl.endedAt - perl.startedAt;
    stderrTail = perl.stderr.split('\n').filter((l) => l && !l.startsWith('[CPANBridge ')).slice(-3).join(' | ');
    if (perl.timedOut) result.reasons.push(`the workflow did not finish within ${timeoutMs} ms (killed)`);
    result.notes.push(...flog.actions);
    if (/switching to process mode/.test(perl.stderr)) result.notes.push('the client fell back to process mode (one cpan-bridge call per request)');

    // recovery: from each death to the client's next successful connection
    const deaths = [...flog.deaths];
    if (run.crash && firstDeath) deaths.push(firstDeath);
    const conns = reconnectTimes(perl.stderr);
    for (const d of deaths.sort((a, b) => a - b)) {
      const c = conns.find((t) => t >= d - 5);
      if (c !== undefined) result.recoveryMs.push(Math.max(0, c - d));
    }

    // the crash point must have been reached (a crash after the last reply may still be under way:
    // on a loaded machine it took more than 3 s, so the daemon is given up to 15)
    for (const t0 = Date.now(); run.crash && firstPid && alive(firstPid) && Date.now() - t0 < 15_000;) await sleep(10);
    const fired = fs.existsSync(path.join(dirs.home, 'crash-at.fired'));
    if (run.crash && !fired) result.reasons.push(`crash point ${run.crash.spec} was never reached (the workflow sends fewer or different requests than the golden run)`);
    if (fault && flog.applied === 0 && fault.kind !== 'fs-full') {
      result.verdict = 'not_exercised';
      result.notes.push('the fault was not applied (the workflow ended first)');
    }

    // journal made unwritable: nobody may serve on it
    if (fault?.kind === 'journal-ro') {
      const st = cli(env, ['status', '--json'], 20_000);
      if (st.status === 0) result.reasons.push(`a daemon serves although its journal is unwritable: ${st.stdout.trim().slice(0, 200)}`);
      await killDaemons(dirs.home);
      chattr('-i', ['journal.sqlite', 'journal.sqlite-wal', 'journal.sqlite-shm'].map((f) => path.join(dirs.home, f)).filter((f) => fs.existsSync(f)));
    }
    if (fault?.kind === 'fs-full') {
      // free the space again: the checks below need a working journal
      fs.rmSync(path.join(dirs.home, 'filler.bin'), { force: true });
    }

    // zero handles after the workflow
    let st = cli(env, ['status', '--json'], 20_000);
    // a daemon whose socket file was deleted listens again within a second or so: give it that
    for (let i = 0; i < 10 && st.status !== 0 && fault?.kind === 'socket'; i++) {
      await sleep(500);
      st = cli(env, ['status', '--json'], 20_000);
    }
    if (st.status !== 0 && fault?.kind === 'socket') {
      const orphans = daemonsOf(dirs.home);
      if (orphans.length) {
        result.reasons.push(`after the socket file was deleted no daemon answers on ${path.join(dirs.home, 'bridge.sock')}, yet daemon ${orphans.join(',')} still runs and holds the state directory (no new daemon can start there)`);
        await killDaemons(dirs.home);
      }
    }
    if (st.status !== 0) {
      const again = cli(env, ['daemon', '--detach'], 30_000);
      if (again.status !== 0) result.reasons.push(`no daemon after the workflow and none can be started: ${again.stderr.trim()}`);
      st = cli(env, ['status', '--json'], 20_000);
    }
    if (st.status === 0 && ((pol?.mayRefuse && (perl.exit !== 0 || fault?.kind === 'wal-truncate')) || wf.orphanGraceSeconds !== undefined)) {
      // a refused script died with handles open, or the WAL lost the records of a job that had
      // already finished (closing its handles) when it was cut, with no client left to notice:
      // either way the orphan sweep must release them (bounded wait)
      for (let i = 0; i < 20; i++) {
        const s2 = JSON.parse(st.stdout) as Record<string, unknown>;
        if (Number(s2.handles) === 0 && Number(s2.journal_handles) === 0) break;
        await sleep(500);
        st = cli(env, ['status', '--json'], 20_000);
        if (st.status !== 0) break;
      }
    }
    if (st.status === 0) {
      status = JSON.parse(st.stdout) as Record<string, unknown>;
      if (Number(status.handles) !== 0 || Number(status.journal_handles) !== 0) {
        let kinds = '';
        try {
          const shown = JSON.parse(cli(env, ['journal', 'show', '--json'], 20_000).stdout) as { handles: { id: string; module: string; kind: string; session: string }[] };
          kinds = shown.handles.map((h) => `${h.module}.${h.kind} ${h.id} (session ${h.session})`).join(', ');
        } catch { /* best effort */ }
        result.reasons.push(`handles left open after the workflow: ${status.handles} live, ${status.journal_handles} journaled ${JSON.stringify(status.handles_by_kind)} ${kinds}`);
      }
    } else result.reasons.push(`status --json failed: ${st.stderr.trim() || st.stdout.trim()}`);
    const stop = cli(env, ['stop'], 30_000);
    if (stop.status !== 0) result.reasons.push(`cpan-bridge stop failed: ${stop.stderr.trim()}`);
    const left = daemonsOf(dirs.home);
    if (left.length) {
      result.reasons.push(`daemon process(es) ${left.join(',')} still running after stop`);
      await killDaemons(dirs.home);
    }

    // the journal passes its integrity checks
    const ver = cli(env, ['journal', 'verify'], 60_000);
    if (ver.status !== 0) result.reasons.push(`journal verify failed: ${(ver.stdout + ver.stderr).trim().slice(0, 400)}`);

    // no temporary files anywhere the bridge writes
    const temps = [...listFiles(dirs.out).filter((f) => /\.tmp$|\.part$|~$/.test(f)).map((f) => `out/${f}`),
      ...listFiles(dirs.home).filter((f) => /\.tmp$|\.part$/.test(f)).map((f) => `home/${f}`)];
    if (temps.length) result.reasons.push(`temporary files left: ${temps.join(', ')}`);

    artifacts = await collect({ exit: perl.exit, stdout: perl.stdout, outDir: dirs.out, sqlite: prepared.sqlite, pgPrefix: prepared.pgPrefix, xlsx: prepared.xlsx, known: g?.artifacts });
    if (!g) {
      // a golden run: no comparison, only the checks above
      if (perl.exit !== 0 && extra.stopAfter === undefined) result.reasons.push(`exit ${perl.exit}: ${stderrTail}`);
      return { result, artifacts, status, stderrTail };
    }

    // the verdict
    const diffs = diffArtifacts(g.artifacts, artifacts);
    const inDoubt = /^IN_DOUBT (.+)$/m.exec(perl.stdout);
    if (result.verdict === 'not_exercised') {
      if (diffs.length) result.reasons.push(...diffs);
    } else if (!diffs.length) {
      result.verdict = 'recovered';
    } else if (inDoubt && perl.exit === 3) {
      const step = inDoubt[1].trim();
      const before = perl.stdout.slice(0, inDoubt.index).split('\n').filter(Boolean);
      const goldLines = g.artifacts.stdout.split('\n').filter(Boolean);
      const prefixOk = before.every((l, i) => l === goldLines[i]);
      const why = prefixOk ? wf.judgeInDoubt(step, artifacts, g) : `stdout before the in-doubt report differs from the golden run's`;
      if (why) {
        result.verdict = 'diverged';
        result.reasons.push(`in doubt at "${step}" but ${why}`);
      } else {
        result.verdict = 'in_doubt';
        result.notes.push(`reported in doubt: ${step} (nothing done twice)`);
      }
    } else if (pol?.mayRefuse && perl.exit !== 0 && !perl.timedOut) {
      // journal damage: failing is right if it is clear, and nothing half-done is left
      const clear = /journal|disk|space|full|readonly|read-only|unwritable|database/i.test(perl.stderr);
      const outputs = artifacts.files.filter((f) => !g.artifacts.files.includes(f));
      if (!clear) result.reasons.push(`the workflow failed without a clear reason: ${stderrTail}`);
      if (outputs.length) result.reasons.push(`unexpected output files: ${outputs.join(', ')}`);
      if (clear && !outputs.length) { result.verdict = 'refused'; result.notes.push(`refused: ${stderrTail}`); }
      else result.verdict = 'failed';
    } else {
      result.verdict = perl.exit === 0 ? 'diverged' : 'failed';
      result.reasons.push(...diffs);
      if (perl.exit !== 0) result.reasons.push(`script stderr: ${stderrTail}`);
    }
    if (result.reasons.length && (result.verdict === 'recovered' || result.verdict === 'in_doubt' || result.verdict === 'refused' || result.verdict === 'not_exercised')) {
      result.verdict = 'failed';
    }
    return { result, artifacts, status, stderrTail };
  } catch (e) {
    result.reasons.push(`chaos harness error: ${(e as Error).stack ?? String(e)}`);
    result.verdict = 'failed';
    return { result, artifacts, status, stderrTail };
  } finally {
    await killDaemons(dirs.home);
    if (fault?.kind === 'journal-ro') chattr('-i', ['journal.sqlite', 'journal.sqlite-wal', 'journal.sqlite-shm'].map((f) => path.join(dirs.home, f)).filter((f) => fs.existsSync(f)));
    if (mounted) {
      const err = unmount(dirs.home);
      if (err) result.notes.push(`umount ${dirs.home}: ${err}`);
    }
    const bad = result.reasons.length > 0 && result.verdict !== 'recovered';
    if (bad || ctx.keep) result.dir = dirs.root;
    else fs.rmSync(dirs.root, { recursive: true, force: true });
    if (prepared && !bad) await prepared.cleanup().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Summary

interface Summary {
  mode: string;
  seed: number;
  finished: string;
  duration_s: number;
  node: string;
  runs: number;
  crash_points_enumerated: number;
  crash_points_covered: number;
  recovered: number;
  in_doubt_accepted: number;
  refused_cleanly: number;
  diverged: number;
  failed: number;
  not_exercised: number;
  recovery_ms: { n: number; min: number | null; median: number | null; max: number | null };
  by_workflow: Record<string, Record<string, number>>;
  by_kind: Record<string, Record<string, number>>;
  failures: { id: string; verdict: Verdict; reasons: string[]; repro: string; dir?: string }[];
  skipped: string[];
}

function summarize(ctx: Ctx, results: RunResult[], enumerated: Record<string, number>, ms: number, pgOk: boolean): Summary {
  const count = (v: Verdict) => results.filter((r) => r.verdict === v).length;
  const rec = results.flatMap((r) => r.recoveryMs);
  const by = (key: (r: RunResult) => string) => {
    const m: Record<string, Record<string, number>> = {};
    for (const r of results) {
      const k = key(r);
      m[k] ??= {};
      m[k][r.verdict] = (m[k][r.verdict] ?? 0) + 1;
      m[k].runs = (m[k].runs ?? 0) + 1;
    }
    return m;
  };
  return {
    mode: ctx.mode, seed: ctx.seed, finished: new Date().toISOString(), duration_s: Math.round(ms / 1000), node: process.version,
    runs: results.length,
    crash_points_enumerated: Object.values(enumerated).reduce((a, b) => a + b, 0),
    crash_points_covered: results.filter((r) => r.kind === 'crash' && !r.reasons.some((x) => x.includes('never reached'))).length,
    recovered: count('recovered'), in_doubt_accepted: count('in_doubt'), refused_cleanly: count('refused'),
    diverged: count('diverged'), failed: count('failed'), not_exercised: count('not_exercised'),
    recovery_ms: { n: rec.length, min: rec.length ? Math.min(...rec) : null, median: median(rec), max: rec.length ? Math.max(...rec) : null },
    by_workflow: by((r) => r.workflow), by_kind: by((r) => r.kind),
    failures: results.filter((r) => r.verdict === 'failed' || r.verdict === 'diverged').map((r) => ({ id: r.id, verdict: r.verdict, reasons: r.reasons, repro: r.repro, dir: r.dir })),
    skipped: [
      ...(pgOk ? [] : ['PostgreSQL workflows: PostgreSQL unavailable']),
      ...results.filter((r) => r.verdict === 'not_exercised').map((r) => `${r.id}: ${r.notes.join('; ')}`),
    ],
  };
}

function markdown(s: Summary): string {
  const l: string[] = [];
  l.push(`# Chaos suite — ${s.mode} run, seed ${s.seed}`, '');
  l.push(`Finished ${s.finished} in ${s.duration_s} s (Node ${s.node}).`, '');
  l.push('| runs | crash points (enumerated / covered) | recovered | in doubt (accepted) | refused cleanly | diverged | failed | not exercised | recovery ms (min / median / max) |');
  l.push('|---|---|---|---|---|---|---|---|---|');
  l.push(`| ${s.runs} | ${s.crash_points_enumerated} / ${s.crash_points_covered} | ${s.recovered} | ${s.in_doubt_accepted} | ${s.refused_cleanly} | ${s.diverged} | ${s.failed} | ${s.not_exercised} | ${s.recovery_ms.min ?? '-'} / ${s.recovery_ms.median ?? '-'} / ${s.recovery_ms.max ?? '-'} (n=${s.recovery_ms.n}) |`, '');
  const table = (title: string, m: Record<string, Record<string, number>>) => {
    l.push(`## ${title}`, '', '| | runs | recovered | in_doubt | refused | diverged | failed | not_exercised |', '|---|---|---|---|---|---|---|---|');
    for (const [k, v] of Object.entries(m)) l.push(`| ${k} | ${v.runs ?? 0} | ${v.recovered ?? 0} | ${v.in_doubt ?? 0} | ${v.refused ?? 0} | ${v.diverged ?? 0} | ${v.failed ?? 0} | ${v.not_exercised ?? 0} |`);
    l.push('');
  };
  table('By workflow', s.by_workflow);
  table('By fault', s.by_kind);
  if (s.failures.length) {
    l.push('## Failures', '');
    for (const f of s.failures) {
      l.push(`- **${f.id}** (${f.verdict}): ${f.reasons.join('; ')}`);
      l.push(`  reproduce: \`${f.repro}\`${f.dir ? ` (kept: ${f.dir})` : ''}`);
    }
    l.push('');
  }
  if (s.skipped.length) {
    l.push('## Skipped / not exercised', '');
    for (const x of s.skipped) l.push(`- ${x}`);
    l.push('');
  }
  l.push('Recovery time: from the daemon\'s death (crash point or SIGKILL) to the client\'s next successful connection (the resent request then rehydrates what it needs).', '');
  return l.join('\n');
}

main().then(
  (code) => { process.exitCode = code; },
  (e) => {
    process.stderr.write(`chaos: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
