// The predecessor's built-ins (call_python 'test', ... and 'system', ...) on ours, in its shapes
// (python_helpers/cpan_daemon.py), plus `success => 1` beside the fields, which its older scripts
// test, and the same fields again under `result`, which its operations guide reads (on the
// predecessor those snippets printed nothing). Only what this daemon measures is reported: no
// invented response times (null) or process tables.
import { text, type LegacyRunner, type LegacyTable } from '../../kit/legacy';
import { requireOwner } from './index';

type Status = Record<string, unknown> & { uptime_ms: number; version: string; requests?: { requests?: number; errors?: number; replayed?: number; byFunction?: Record<string, number> } };

const fmtUptime = (sec: number) => `${Math.floor(sec / 3600)}h ${Math.floor((sec % 3600) / 60)}m ${Math.floor(sec % 60)}s`;
const status = async (r: LegacyRunner) => (await r.call('status', { module: 'system', function: 'status', params: {} })) as Status;
const uptime = (s: Status) => s.uptime_ms / 1000;
const limits = (s: Status) => (s.limits ?? {}) as Record<string, number>;
const counters = (s: Status) => ({
  requests_processed: s.requests?.requests ?? 0,
  requests_failed: s.requests?.errors ?? 0,
  requests_replayed: s.requests?.replayed ?? 0,
  start_time: typeof s.started_ms === 'number' ? s.started_ms / 1000 : Date.now() / 1000 - uptime(s),
});

function resourceStatus(s: Status) {
  const rss = typeof s.rss_bytes === 'number' ? s.rss_bytes : process.memoryUsage().rss;
  const ceiling = limits(s).memory_ceiling_bytes ?? 0;
  const violations: string[] = [];
  const warnings: string[] = [];
  if (ceiling > 0 && rss > ceiling) violations.push(`memory: ${Math.round(rss / 1048576)} MB over the ceiling of ${Math.round(ceiling / 1048576)} MB`);
  else if (ceiling > 0 && rss > ceiling * 0.8) warnings.push(`memory: ${Math.round(rss / 1048576)} MB, over 80 % of the ceiling`);
  const cpu = process.cpuUsage();
  const cpuPercent = uptime(s) > 0 ? ((cpu.user + cpu.system) / 1e6 / uptime(s)) * 100 : 0; // average since start
  const c = counters(s);
  const rpm = uptime(s) > 0 ? (c.requests_processed / uptime(s)) * 60 : 0; // average since start
  const inFlight = ((s.connection_list as { in_flight: number }[] | undefined) ?? []).reduce((n, c) => n + c.in_flight, 0);
  return { concurrent_requests: inFlight, memory_mb: rss / 1048576, memory_ceiling_mb: ceiling ? ceiling / 1048576 : null, cpu_percent: cpuPercent, requests_per_minute: rpm, handles: s.handles ?? 0, connections: s.connections ?? 0, violations, warnings };
}

function performance(s: Status) {
  const c = counters(s);
  const byFn = s.requests?.byFunction ?? {};
  const top = Object.entries(byFn).sort((a, b) => b[1] - a[1]).slice(0, 10).map(([fn, count]) => ({ function: fn, count }));
  const errorRate = c.requests_processed ? c.requests_failed / c.requests_processed : 0;
  const rps = uptime(s) > 0 ? c.requests_processed / uptime(s) : 0;
  const concerns = [...(errorRate > 0.05 ? [`error rate ${(errorRate * 100).toFixed(1)} % over 5 %`] : []), ...(rps > 50 ? [`${rps.toFixed(0)} requests per second, over 50`] : [])];
  return {
    performance_metrics: { total_requests: c.requests_processed, successful_requests: c.requests_processed - c.requests_failed, total_errors: c.requests_failed, error_rate: errorRate, requests_per_second: rps, avg_response_time: null, uptime: uptime(s) },
    module_performance: { top_modules: top.map((t) => ({ module_function: t.function, requests: t.count, avg_time_ms: null, error_rate: null })) },
    health_indicators: { high_error_rate: errorRate > 0.05, high_load: rps > 50, concerns, recommendations: concerns.length ? ['see the daemon log (cpan-bridge status)'] : [] },
  };
}

function health(s: Status) {
  const res = resourceStatus(s);
  const errors = [...res.violations];
  const warnings = [...res.warnings];
  const mem = res.violations.length ? 'fail' : res.warnings.length ? 'warn' : 'pass';
  const modules = (s.modules as string[] | undefined) ?? [];
  const checks = {
    daemon_running: { status: 'pass', message: `daemon pid ${text(s.pid)} up ${fmtUptime(uptime(s))}`, pid: s.pid, uptime: uptime(s) },
    memory_usage: { status: mem, message: `${res.memory_mb.toFixed(1)} MB resident${res.memory_ceiling_mb ? ` (ceiling ${res.memory_ceiling_mb.toFixed(0)} MB)` : ''}`, memory_mb: res.memory_mb, ceiling_mb: res.memory_ceiling_mb },
    journal: { status: 'pass', message: s.mode === 'process' ? 'process mode' : `${text(s.journal_bytes)} bytes`, bytes: s.journal_bytes ?? null },
    helper_modules: { status: 'pass', message: `${modules.length} modules: ${modules.join(', ')}`, loaded: modules },
  };
  const overall = errors.length ? 'unhealthy' : warnings.length ? 'degraded' : 'healthy';
  return {
    success: true, timestamp: new Date().toISOString(), overall_status: overall, status: overall, uptime: uptime(s), checks, warnings, errors,
    daemon_version: s.version, active_connections: s.connections ?? 0, loaded_modules: modules, resources: res,
  };
}

type Conn = { pid: number | null; uid: number | null; in_flight: number };
const connections = (s: Status) => {
  const list = ((s.connection_list as Conn[] | undefined) ?? []).map((c, i) => ({ connection_id: `${i + 1}:pid ${text(c.pid)}`, client_pid: c.pid, client_uid: c.uid, in_flight: c.in_flight }));
  // connections are closed at EOF here: none is ever stale
  return { total_connections: s.connections ?? 0, active_connections: s.connections ?? 0, stale_connections: 0, connections: list, connection_limits: { max_concurrent: limits(s).max_connections ?? null, stale_timeout: null } };
};

const BUILT_INS: LegacyTable = {
  'test.ping': {
    reaches: ['system'],
    async run(p, r) {
      const s = await status(r);
      return { success: true, message: 'pong', daemon_version: s.version, node_version: process.version, platform: process.platform, uptime: uptime(s), stats: counters(s), input: p };
    },
  },
  'test.echo': {
    reaches: ['system'],
    async run(p, r) {
      await status(r);
      return { success: true, echo: p, input: p };
    },
  },
  'test.stats': {
    reaches: ['system'],
    async run(_p, r) {
      const s = await status(r);
      return { success: true, ...counters(s), validation_config: { max_frame_bytes: limits(s).max_frame_bytes ?? null } };
    },
  },
  'test.health': { reaches: ['system'], run: async (_p, r) => health(await status(r)) },
  'test.check_module': {
    reaches: ['system'],
    async run(p, r) {
      const s = await status(r);
      const name = text(p.module ?? p.module_name ?? '');
      // a module this bridge serves, under our name or the predecessor's
      const served = new Set([...((s.modules as string[] | undefined) ?? []), 'test', 'excel', 'database', 'crypto']);
      return { success: true, module: name, available: served.has(name) };
    },
  },
  'system.info': {
    reaches: ['system'],
    async run(_p, r) {
      const s = await status(r);
      const l = limits(s);
      return {
        success: true, daemon_version: s.version, node_version: process.version, node_executable: process.execPath, platform: process.platform,
        working_directory: process.cwd(), socket_path: s.socket ?? null, uptime: uptime(s), loaded_modules: s.modules ?? [], active_connections: s.connections ?? 0,
        configuration: { max_connections: l.max_connections ?? null, max_request_size: l.max_frame_bytes ?? null, connection_timeout: l.hello_timeout_seconds ?? null, cleanup_interval: null, reply_retention_seconds: l.reply_retention_seconds ?? null },
      };
    },
  },
  'system.health': { reaches: ['system'], run: async (_p, r) => health(await status(r)) },
  'system.performance': {
    reaches: ['system'],
    async run(_p, r) {
      return { success: true, timestamp: new Date().toISOString(), ...performance(await status(r)) };
    },
  },
  'system.connections': { reaches: ['system'], run: async (_p, r) => ({ success: true, ...connections(await status(r)) }) },
  'system.metrics': {
    reaches: ['system'],
    async run(_p, r) {
      const s = await status(r);
      return {
        success: true, timestamp: new Date().toISOString(), uptime_seconds: uptime(s), total_requests: counters(s).requests_processed,
        successful_requests: counters(s).requests_processed - counters(s).requests_failed,
        daemon_info: { version: s.version, uptime_seconds: uptime(s), uptime_formatted: fmtUptime(uptime(s)) },
        resource_status: resourceStatus(s), performance_metrics: performance(s).performance_metrics, connection_summary: connections(s),
        module_status: { loaded_modules: ((s.modules as string[] | undefined) ?? []).length, available_modules: s.modules ?? [] }, system_stats: counters(s),
      };
    },
  },
  'system.stats': {
    reaches: ['system'],
    async run(_p, r) {
      const s = await status(r);
      return { success: true, ...counters(s), connections_total: s.connections ?? 0, performance_summary: performance(s).performance_metrics, resource_status: resourceStatus(s) };
    },
  },
  'system.cleanup': {
    // the predecessor's dropped its own stale bookkeeping; ours forgets replies past retention
    // (compaction), which no client can still need: nobody's handles or transactions are touched
    reaches: ['system'],
    async run(_p, r) {
      requireOwner(r.session, 'system.cleanup');
      const c = await r.call('compact', { module: 'system', function: 'compact', params: {} });
      // its bookkeeping of socket connections has no counterpart here: nothing stale to drop
      return { success: true, message: 'Cleanup completed', cleaned_connections: 0, ...c };
    },
  },
  'system.shutdown': {
    reaches: ['system'],
    async run(_p, r) {
      requireOwner(r.session, 'system.shutdown');
      await r.call('shutdown', { module: 'system', function: 'shutdown', params: {} });
      return { success: true, message: 'Shutdown initiated' };
    },
  },
};

/** The fields beside `success`, and again under `result` (the operations guide's `$r->{result}{...}`). */
export const SYSTEM_LEGACY: LegacyTable = Object.fromEntries(Object.entries(BUILT_INS).map(([name, e]) => [name, 'run' in e ? {
  reaches: e.reaches,
  async run(p: Record<string, unknown>, r: LegacyRunner) {
    const out = await e.run(p, r);
    const { success: _success, ...fields } = out;
    return { ...out, result: fields };
  },
} : e]));
