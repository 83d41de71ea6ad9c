// Issue 21: "`npm run bench` shows every goal above met, or states for each missed goal the
// measured bound that stops it and what would move it." Computed from the run's own `results`
// (the values the section tables print); a section not run (--only) or failed is "not measured".
// The bounds are README.md's "What bounds the missed goals, measured, and what would move them",
// condensed: update both together.

type Results = Record<string, unknown>;
type Unit = 'ratio' | 'pct' | 'ms';
export type GoalStatus = 'met' | 'missed' | 'partly met' | 'not measured';
export type GoalKey = 'bulk' | 'seed' | 'ping' | 'journal_single' | 'journal_pipelined' | 'recovery' | 'process' | 'crypt' | 'log4perl';

export interface GoalRow {
  key: GoalKey;
  figure: string;
  goal: string;
  limit: number;
  unit: Unit;
  /** the values judged against the limit (all must be within it for "met") */
  judged: Record<string, number | null>;
  measured: string;
  status: GoalStatus;
  verdict: string;
  bound?: string;
}

const BOUNDS: Record<GoalKey, string> = {
  bulk: 'Bound: both sides of the loop. The cell store is packed by sheet row since excel/004 (its insert and read-back went from ~2.7 to ~1.4 s of daemon CPU per 600,000 cells); what is left in the daemon is decoding the batches, packing the rows as JSON, the commits and the request digest of each batch, and in Perl the DBI fetch and the shim\'s one sub per cell. Would move it: a batch stored as the client sent it (no decode or repack on the write path), a digest of the frame\'s bytes, fewer Perl calls per row (write_row).',
  seed: 'Bound: six round trips; the Excel shim\'s cell path and, in the daemon, the close (three fsyncs: the pending-outputs list, the file, its directory; the largest single item), the SQLite open and the zip. Would move it: fewer round trips (the shim\'s batches); the fsyncs stay (a finished workbook must survive a power cut as the journal does).',
  ping: 'Bound: the client alone against the echo server (its ratio is in the row), three syscalls per call (getpid, sendto, read); that floor moves with the machine\'s state. Would move it: a shorter promise chain in the daemon (about 5 of ~15 microtasks per request, ~1 µs), and a quieter machine.',
  journal_single: 'Bound: one WAL commit per request, 3 pages for a mutate (request row, module row, the workbook\'s sequence) and 4 for a create (`handles`, its primary-key index, `handles_parent`, the request). Would move it: the workbook sequence derived at rehydration, and `locking_mode=EXCLUSIVE` (measured 7–10 % off each commit) with the journal\'s readers (`journal show|verify`, `doctor`) asking the daemon.',
  journal_pipelined: 'Bound: one commit per batch of replies that arrive in one turn of the event loop; the JSON::XS client sends faster than the daemon commits, so batches stay small. Would move it: fewer pages per cell batch or a longer batching window (which would delay single calls).',
  recovery: 'Bound (cold): a node start plus module loading. Would move it: the warm standby (`standby` on, no node start), a single-file bundle (no module resolution) or a V8 code cache (measured −15–20 % of the CPU of loading the modules, not enough alone).',
  process: 'Bound: a node start plus module loading per call (`node -e 0` and node + the modules are in the row). Would move it: as for cold recovery, a single-file bundle or a V8 code cache; or the daemon mode.',
  crypt: 'Bound: not analysed (met in the recorded full runs); the section\'s encrypt and decrypt columns show which half is slow.',
  log4perl: 'Bound: not analysed (met in the recorded full runs); the section\'s log loop and last-line columns show where the time goes.',
};

const NAMES: Record<GoalKey, string> = {
  bulk: 'Bulk export', seed: 'Seed workflow', ping: 'Ping', journal_single: 'Journaling, single calls', journal_pipelined: 'Journaling, pipelined',
  recovery: 'Recovery', process: 'Process mode', crypt: 'Crypt::CBC', log4perl: 'Log::Log4perl',
};

/** a finite number at `path` in `v`, else null */
function num(v: unknown, ...path: string[]): number | null {
  let x = v;
  for (const k of path) {
    if (x === null || typeof x !== 'object') return null;
    x = (x as Record<string, unknown>)[k];
  }
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}
const div = (a: number | null, b: number | null): number | null => (a !== null && b ? a / b : null);
const sum = (a: number | null, b: number | null): number | null => (a !== null && b !== null ? a + b : null);
const over = (on: number | null, off: number | null): number | null => (on !== null && off ? ((on - off) / off) * 100 : null);
const maxOf = (xs: (number | null)[]): number | null => (xs.every((x): x is number => x !== null) && xs.length ? Math.max(...xs) : null);

function fmt(x: number | null, unit: Unit): string {
  if (x === null) return '–';
  if (unit === 'ratio') return `${x.toFixed(2)}×`;
  if (unit === 'pct') return `${x.toFixed(0)} %`;
  return `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)} ms`;
}
const range = (xs: (number | null)[], unit: Unit): string => {
  const v = xs.filter((x): x is number => x !== null);
  if (!v.length) return '–';
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  return fmt(lo, unit) === fmt(hi, unit) ? fmt(lo, unit) : `${fmt(lo, unit).replace(/ ?[×%]$|ms$/, '').trim()}–${fmt(hi, unit)}`;
};

interface Spec {
  key: GoalKey;
  section: string; // the --only name (and results key, with `-` as `_`)
  figure: (r: Results) => string;
  goal: string;
  limit: number;
  unit: Unit;
  /** null: not measured; else the judged values and the row's text */
  measure: (r: Results) => { judged: Record<string, number | null>; measured: string } | null;
  /** the part of the bound this run measures (null where its figures are missing) */
  bound?: (r: Results) => string | null;
}

// cold recovery and process mode share their bound: a node start and module loading
const startupBound = (r: Results): string | null => {
  const s = (k: string) => num(r.startup, k);
  if (s('node_load_modules') === null) return null;
  return `\`node -e 0\` takes ${fmt(s('node_e0'), 'ms')} here (${fmt(s('node_e0_no_ca'), 'ms')} with NODE_EXTRA_CA_CERTS unset) and node with the modules loaded ${fmt(s('node_load_modules'), 'ms')}; a daemon's cold start, spawn to an answering socket, ${fmt(s('daemon_start'), 'ms')}.`;
};

const SPECS: Spec[] = [
  {
    key: 'bulk', section: 'bulk', goal: '≤ 0.5× (in script and whole process)', limit: 0.5, unit: 'ratio',
    figure: (r) => `bulk export, ${(num(r.bulk, 'rows') ?? 100_000).toLocaleString('en')} rows × 6 columns SQLite → xlsx vs native (Excel::Writer::XLSX default), JSON::XS`,
    measure: (r) => {
      const b = r.bulk;
      const q = (c: string, k: string) => div(num(b, c, k), num(b, 'native', k));
      const judged = { 'in script': q('bridge_xs', 'in_script_ms'), 'whole process': q('bridge_xs', 'wall_ms') };
      return { judged, measured: `${fmt(judged['whole process'], 'ratio')} whole, ${fmt(judged['in script'], 'ratio')} in script (JSON::PP ${fmt(q('bridge_pp', 'wall_ms'), 'ratio')}, ${fmt(q('bridge_pp', 'in_script_ms'), 'ratio')})` };
    },
    bound: (r) => {
      const b = r.bulk;
      const nat = num(b, 'native', 'wall_ms');
      const loop = num(b, 'bridge_xs', 'loop_ms');
      const cpu = num(b, 'bridge_xs', 'loop_cpu_ms');
      const close = num(b, 'bridge_xs', 'close_ms');
      const dcpu = num(b, 'bridge_xs', 'daemon_cpu_ms');
      if (nat === null || loop === null || cpu === null || close === null) return null;
      // each side runs on its own core: the daemon busy for most of the script's time is a bound too
      const script = num(b, 'bridge_xs', 'in_script_ms');
      const busy = dcpu !== null && script ? ` (busy ${((dcpu / script) * 100).toFixed(0)} % of the script's ${fmt(script, 'ms')})` : '';
      return `the goal allows ${fmt(nat * 0.5, 'ms')} whole (0.5 × native's ${fmt(nat, 'ms')}); the bridge's fetch+write loop took ${fmt(loop, 'ms')}, of which the Perl process's own CPU ${fmt(cpu, 'ms')} (${fmt(div(cpu, nat * 0.5), 'ratio')} the whole budget on its own), and the close ${fmt(close, 'ms')}; the daemon used ${fmt(dcpu, 'ms')} of CPU over the export${busy}, beside the Perl process on the second core.`;
    },
  },
  {
    key: 'seed', section: 'seed', goal: '≤ 1.0×', limit: 1.0, unit: 'ratio',
    figure: () => 'seed workflow (100 rows), in script vs native, JSON::XS',
    measure: (r) => {
      const q = (c: string, k: string) => div(num(r.seed, c, k), num(r.seed, 'native', k));
      const judged = { first: q('bridge_xs', 'first_ms'), warm: q('bridge_xs', 'warm_ms') };
      return { judged, measured: `${fmt(judged.first, 'ratio')} first, ${fmt(judged.warm, 'ratio')} warm (JSON::PP ${fmt(q('bridge_pp', 'first_ms'), 'ratio')}, ${fmt(q('bridge_pp', 'warm_ms'), 'ratio')})` };
    },
    bound: (r) => {
      const f = (c: string, k: string) => num(r.seed, c, k);
      const [bc, nc, bf, nf] = [f('bridge_xs', 'close_first_ms'), f('native', 'close_first_ms'), f('bridge_xs', 'first_ms'), f('native', 'first_ms')];
      if (bc === null || nc === null || bf === null || nf === null) return null;
      return `the workbook's close takes ${fmt(bc, 'ms')} of the bridge's ${fmt(bf, 'ms')} first workflow (native's close ${fmt(nc, 'ms')} of ${fmt(nf, 'ms')}); the rest, connect to the last write, ${fmt(bf - bc, 'ms')} against native's ${fmt(nf - nc, 'ms')}.`;
    },
  },
  {
    key: 'ping', section: 'latency', goal: '≤ 2×', limit: 2, unit: 'ratio',
    figure: () => 'ping p50 vs the raw Perl↔Node echo, JSON::XS',
    measure: (r) => {
      const p = (k: string) => num(r.latency, k, 'p50_us');
      const judged = { ping: div(p('ping_xs'), p('echo_raw_xs')) };
      return { judged, measured: `${fmt(judged.ping, 'ratio')} (${fmt(div(p('ping_xs'), p('echo_json_xs')), 'ratio')} the JSON echo; the client alone against the echo server ${fmt(div(p('client_xs'), p('echo_raw_xs')), 'ratio')}; JSON::PP ${fmt(div(p('ping_pp'), p('echo_raw_pp')), 'ratio')})` };
    },
    bound: (r) => {
      const p = (k: string) => num(r.latency, k, 'p50_us');
      const floor = div(p('client_xs'), p('echo_raw_xs'));
      if (floor === null) return null;
      return `the Perl client alone against the echo server is ${fmt(floor, 'ratio')} the raw echo (${p('client_xs')?.toFixed(1)} µs against ${p('echo_raw_xs')?.toFixed(1)} µs), and a ping through the daemon is ${fmt(div(p('ping_xs'), p('client_xs')), 'ratio')} that client floor: ≤ 2× the raw echo needs the client floor well under 2×.`;
    },
  },
  {
    key: 'journal_single', section: 'journaling', goal: '≤ 25 %', limit: 25, unit: 'pct',
    figure: () => 'journaling overhead, single create/mutate calls (on, synchronous=NORMAL, vs off; p50; worst of prepare, set_zoom, write_batch)',
    measure: (r) => {
      const j = r.journaling;
      const per = (c: string) => ['create', 'mutate', 'cell'].map((k) => over(num(j, `normal_${c}`, `${k}_p50_us`), num(j, `off_${c}`, `${k}_p50_us`)));
      const judged = { 'JSON::XS': maxOf(per('xs')), 'JSON::PP': maxOf(per('pp')) };
      return { judged, measured: `${range(per('xs'), 'pct')} (JSON::XS), ${range(per('pp'), 'pct')} (JSON::PP)` };
    },
    bound: (r) => {
      const j = r.journaling;
      const parts = ['create', 'mutate', 'cell'].map((k) => {
        const on = num(j, 'normal_xs', `${k}_p50_us`);
        const off = num(j, 'off_xs', `${k}_p50_us`);
        return on !== null && off !== null ? `${k} ${(on - off).toFixed(0)} µs on ${off.toFixed(0)} µs (25 %: ${(off / 4).toFixed(0)} µs)` : null;
      });
      if (parts.some((x) => x === null)) return null;
      return `what the journal adds to a call at p50 (JSON::XS), on what the call costs with it off: ${parts.join(', ')}.`;
    },
  },
  {
    key: 'journal_pipelined', section: 'journaling', goal: '≤ 10 %', limit: 10, unit: 'pct',
    figure: () => 'journaling overhead, pipelined write_batch (on, synchronous=NORMAL, vs off)',
    measure: (r) => {
      const q = (c: string) => over(num(r.journaling, `normal_${c}`, 'pipelined_us'), num(r.journaling, `off_${c}`, 'pipelined_us'));
      const judged = { 'JSON::XS': q('xs'), 'JSON::PP': q('pp') };
      return { judged, measured: `${fmt(judged['JSON::XS'], 'pct')} (JSON::XS), ${fmt(judged['JSON::PP'], 'pct')} (JSON::PP)` };
    },
    bound: (r) => {
      const on = num(r.journaling, 'normal_xs', 'pipelined_us');
      const off = num(r.journaling, 'off_xs', 'pipelined_us');
      if (on === null || off === null) return null;
      return `a pipelined write_batch costs ${on.toFixed(1)} µs with the journal and ${off.toFixed(1)} µs without (JSON::XS): the journal adds ${(on - off).toFixed(1)} µs a call, where 10 % is ${(off / 10).toFixed(1)} µs.`;
    },
  },
  {
    key: 'recovery', section: 'recovery', goal: '≤ 150 ms median', limit: 150, unit: 'ms',
    figure: () => 'recovery: SIGKILL with a fetch in flight → that fetch answered, 10,000-cell workbook open, JSON::XS',
    measure: (r) => {
      const f = (k: string) => num(r.recovery, k, 'fetch_ms');
      const judged = { cold: f('10000_xs'), 'warm standby': f('10000_xs_standby') };
      return { judged, measured: `${fmt(judged.cold, 'ms')} cold, ${fmt(judged['warm standby'], 'ms')} with the warm standby (JSON::PP ${fmt(f('10000_pp'), 'ms')}, ${fmt(f('10000_pp_standby'), 'ms')})` };
    },
    bound: startupBound,
  },
  {
    key: 'process', section: 'startup', goal: '≤ 150 ms', limit: 150, unit: 'ms',
    figure: () => 'process mode, per call (from Perl, JSON::XS)',
    measure: (r) => {
      const s = (k: string) => num(r.startup, k);
      const judged = { call: s('process_mode_call') };
      return { judged, measured: `${fmt(judged.call, 'ms')} (\`node -e 0\` alone ${fmt(s('node_e0'), 'ms')}, node + the modules ${fmt(s('node_load_modules'), 'ms')})` };
    },
    bound: startupBound,
  },
  {
    key: 'crypt', section: 'crypt', goal: '≤ 1.0×', limit: 1.0, unit: 'ratio',
    figure: (r) => `Crypt::CBC (${num(r.crypt, 'mib') ?? 100} MiB, encrypt + decrypt) vs the real Crypt::CBC, JSON::XS`,
    measure: (r) => {
      const t = (k: string) => sum(num(r.crypt, k, 'encrypt_ms'), num(r.crypt, k, 'decrypt_ms'));
      if (t('native') === null) return null; // the real module is not installed
      const judged = { crypt: div(t('bridge_xs'), t('native')) };
      return { judged, measured: `${fmt(judged.crypt, 'ratio')} (JSON::PP ${fmt(div(t('bridge_pp'), t('native')), 'ratio')})` };
    },
  },
  {
    key: 'log4perl', section: 'log4perl', goal: '≤ 1.5×', limit: 1.5, unit: 'ratio',
    figure: (r) => `Log::Log4perl (${(num(r.log4perl, 'n') ?? 100_000).toLocaleString('en')} INFO, whole process) vs the real module, JSON::XS`,
    measure: (r) => {
      const judged = { log4perl: num(r.log4perl, 'xs', 'ratio') };
      return { judged, measured: `${fmt(judged.log4perl, 'ratio')} (JSON::PP ${fmt(num(r.log4perl, 'pp', 'ratio'), 'ratio')})` };
    },
  },
];

// judged as printed: "10 %" against "≤ 10 %" is met
const asShown = (x: number, unit: Unit): number => Number(fmt(x, unit).replace(/[^0-9.-]/g, ''));

function judge(judged: Record<string, number | null>, limit: number, unit: Unit): { status: GoalStatus; verdict: string } {
  const ok: string[] = [];
  const bad: string[] = [];
  for (const [label, v] of Object.entries(judged)) if (v !== null) (asShown(v, unit) <= limit ? ok : bad).push(label);
  if (!ok.length && !bad.length) return { status: 'not measured', verdict: 'not measured in this run' };
  if (!bad.length) return { status: 'met', verdict: 'met' };
  if (!ok.length) return { status: 'missed', verdict: 'missed' };
  return { status: 'partly met', verdict: `met for ${ok.join(', ')}; missed for ${bad.join(', ')}` };
}

/** `ran(section)`: whether the section was asked for in this run (--only) */
export function issue21Goals(r: Results, ran: (section: string) => boolean): { rows: GoalRow[]; md: string[] } {
  const rows: GoalRow[] = SPECS.map((s) => {
    const base = { key: s.key, figure: s.figure(r), goal: s.goal, limit: s.limit, unit: s.unit };
    const failed = r[`${s.section}_error`] !== undefined;
    const m = ran(s.section) && !failed ? s.measure(r) : null;
    if (!m) {
      const why = !ran(s.section) ? 'not measured in this run' : failed ? 'not measured in this run (the section failed)' : 'not measured in this run (the real module is not installed)';
      return { ...base, judged: {}, measured: '–', status: 'not measured', verdict: why };
    }
    const v = judge(m.judged, s.limit, s.unit);
    const here = v.status === 'missed' || v.status === 'partly met' ? s.bound?.(r) ?? null : null;
    const bound = here ? `Measured in this run: ${here} ${BOUNDS[s.key]}` : BOUNDS[s.key];
    return { ...base, ...m, ...v, ...(v.status === 'missed' || v.status === 'partly met' ? { bound } : {}) };
  });
  const quick = (r.machine as { quick?: unknown } | undefined)?.quick === true;
  const md = ["### Issue 21's goals", '', `Computed from this run's own figures (the sections below); ratios are bridge time / native time.${quick ? ' Quick run: fewer runs and smaller sizes than the goals name (see each figure).' : ''}`, '',
    '| figure | measured in this run | goal | met / missed |', '|---|---|---|---|',
    ...rows.map((g) => `| ${g.figure} | ${g.measured} | ${g.goal} | ${g.status === 'met' ? '**met**' : g.verdict} |`), ''];
  const missed = rows.filter((g) => g.bound);
  if (missed.length) md.push('What bounds the missed goals ("measured in this run": this run\'s own figures, the rest from the profiles in README.md) and what would move them:', '', ...missed.map((g) => `* **${NAMES[g.key]}** (${g.verdict}): ${g.bound}`), '');
  return { rows, md };
}
