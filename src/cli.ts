// `cpan-bridge`: the command line. Each command is small; the work is in the modules it calls.
import { installDeferredCa } from './extra-ca';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as crypto from 'node:crypto';
import { BridgeClient } from './client';
import { BridgeError } from './errors';
import { detachDaemon, readPid, runDaemon } from './cli/daemon';
import { loadSettings, statePaths, type Settings } from './config';
import { pidAlive } from './server/owner';
import { ensureHome } from './state-dir';
import { socketAnswers } from './server/probe';
import { VERSION } from './version';

// Heavy parts (journal, modules, drivers) load only in the commands that need them.
const lazy = {
  journal: () => require('../journal/journal') as typeof import('../journal/journal'),
  inspect: () => require('../journal/inspect') as typeof import('../journal/inspect'),
  compact: () => require('../journal/compact') as typeof import('../journal/compact'),
  lock: () => require('./server/lock') as typeof import('./server/lock'),
  processMode: () => require('./process-mode') as typeof import('./process-mode'),
  doctor: () => require('./cli/doctor') as typeof import('./cli/doctor'),
};

const HELP: Record<string, string> = {
  main: `cpan-bridge ${VERSION} — a crash-resilient bridge between Perl batch jobs and Node.js

Usage: cpan-bridge <command> [options]

Commands:
  daemon [--detach]        run the daemon (foreground; --detach: background, return when it serves)
  stop                     stop the daemon (SIGTERM: in-flight requests finish, journal closed)
  status [--json]          pid, uptime, open handles by kind, journal size, request counts
  ping                     check that the daemon answers
  call MODULE FUNCTION JSON  run one request (through the daemon if one answers, else in this process)
  journal show|verify|compact  inspect, check or compact the journal
  doctor [--init-db DSN]   check dependencies, permissions, socket and journal
  service                  print a systemd unit for the daemon

Options for every command: --home DIR (CPAN_BRIDGE_HOME), --socket PATH (CPAN_BRIDGE_SOCKET).
Run "cpan-bridge <command> --help" for a command's help.`,
  daemon: 'cpan-bridge daemon [--detach]\n  Serves on the socket until SIGTERM/SIGINT. --detach starts it in the background and exits 0 once it answers.\n  --ready-fd N (what the Perl client\'s autostart passes): writes "ready" on file descriptor N once it serves, or "fail CODE MESSAGE".\n  (--standby is how a daemon with the standby setting starts its warm standby; not for use by hand.)',
  stop: 'cpan-bridge stop\n  Sends SIGTERM to the daemon and waits for it to exit (in-flight requests finish first).',
  status: 'cpan-bridge status [--json]\n  Shows pid, uptime, open handles by kind, journal size and request counts. Exit 1 if no daemon answers.',
  ping: 'cpan-bridge ping\n  Prints "pong" (and the round trip) when the daemon answers; exit 1 otherwise.',
  call: 'cpan-bridge call MODULE FUNCTION JSON\n  Runs one request and prints the reply as JSON. Uses the daemon when one answers, else runs in this process\n  against the journal (process mode). CPAN_BRIDGE_SESSION and CPAN_BRIDGE_REQUEST_ID give the session and the request id.',
  journal: 'cpan-bridge journal show [--json] | verify | compact\n  show: live handles and kept replies (secrets stay sealed). verify: integrity checks (exit 1 on a problem).\n  compact: forget expired replies and stray records, shrink the file.',
  doctor: 'cpan-bridge doctor [--init-db DSN]\n  Checks Node, native modules, state directory and file permissions, the socket, the journal and Perl.\n  --init-db DSN creates the commit-outcome marker table in that database.',
  service: 'cpan-bridge service\n  Prints a systemd unit (user service) that runs the daemon.',
};

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: false,
    options: {
      help: { type: 'boolean', short: 'h' }, detach: { type: 'boolean' }, json: { type: 'boolean' }, bench: { type: 'boolean' }, 'ready-fd': { type: 'string' },
      standby: { type: 'boolean' }, 'socket-ino': { type: 'string' },
      home: { type: 'string' }, socket: { type: 'string' }, 'init-db': { type: 'string' }, version: { type: 'boolean' },
    },
  });
  const cmd = positionals[0];
  if (values.version) {
    console.log(VERSION);
    return 0;
  }
  if (!cmd || cmd === 'help' || (values.help && !HELP[cmd])) {
    console.log(HELP.main);
    return cmd ? 0 : values.help ? 0 : 2;
  }
  if (values.help) {
    console.log(HELP[cmd]);
    return 0;
  }
  const overrides: Partial<Settings> = {};
  if (typeof values.home === 'string') overrides.home = values.home;
  if (typeof values.socket === 'string') overrides.socket = values.socket;
  const settings = loadSettings(overrides);

  switch (cmd) {
    case 'daemon':
      if (values.detach) return detachDaemon(settings);
      await runDaemon(settings, values.bench === true, readyFd(values['ready-fd']), values.standby === true ? Number(values['socket-ino']) : null);
      return process.exitCode ? Number(process.exitCode) : -1; // keep running
    case 'stop':
      return stop(settings);
    case 'status':
      return status(settings, Boolean(values.json));
    case 'ping':
      return ping(settings);
    case 'call':
      return call(settings, positionals.slice(1));
    case 'journal':
      return journal(settings, positionals[1], Boolean(values.json));
    case 'doctor':
      return lazy.doctor().runDoctor(settings, typeof values['init-db'] === 'string' ? values['init-db'] : null);
    case 'service':
      console.log(serviceUnit(settings));
      return 0;
    default:
      process.stderr.write(`cpan-bridge: unknown command "${cmd}"\n\n${HELP.main}\n`);
      return 2;
  }
}

/** `daemon --ready-fd N`: the pipe the starting client reads (see runDaemon). */
function readyFd(v: unknown): number | null {
  const n = typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) && n > 2 ? n : null;
}

async function withClient<T>(settings: Settings, f: (c: BridgeClient) => Promise<T>, session?: string, pid?: number): Promise<T | null> {
  if (!(await socketAnswers(settings.socket))) return null;
  const c = await BridgeClient.connect(settings, { session, pid });
  try {
    return await f(c);
  } finally {
    c.close();
  }
}

async function stop(settings: Settings): Promise<number> {
  const pid = readPid(settings);
  // A daemon busy starting (or loaded) may not answer the probe in time: the pid file counts as
  // long as the state directory's lock is held (a stale pid file, whose pid may belong to
  // anybody now, comes with a free lock).
  if (!pid || (!(await socketAnswers(settings.socket)) && !lockHeld(settings))) {
    console.log('no daemon is running');
    return 0;
  }
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    console.log('no daemon is running');
    return 0;
  }
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) {
      console.log(`daemon ${pid} stopped`);
      return 0;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  process.stderr.write(`cpan-bridge: daemon ${pid} did not stop within 20 s\n`);
  return 1;
}

function lockHeld(settings: Settings): boolean {
  const lock = lazy.lock().StateLock.acquire(statePaths(settings.home).lock, 0);
  lock?.release();
  return lock === null;
}

async function status(settings: Settings, json: boolean): Promise<number> {
  const s = await withClient(settings, (c) => c.call<Record<string, unknown>>('system', 'status'));
  if (!s) {
    if (json) console.log(JSON.stringify({ running: false, socket: settings.socket }));
    else console.log(`no daemon answers on ${settings.socket}`);
    return 1;
  }
  if (json) {
    console.log(JSON.stringify({ running: true, ...s }));
    return 0;
  }
  const req = s.requests as { requests: number; errors: number; replayed: number };
  console.log(`daemon      pid ${s.pid}, version ${s.version}, up ${Math.round(Number(s.uptime_ms) / 1000)} s`);
  console.log(`socket      ${s.socket}`);
  console.log(`handles     ${s.handles} live, ${s.journal_handles} journaled ${JSON.stringify(s.handles_by_kind)}`);
  console.log(`journal     ${s.journal_bytes} bytes`);
  console.log(`requests    ${req.requests} (${req.errors} errors, ${req.replayed} answered from the journal)`);
  console.log(`memory      ${Math.round(Number(s.rss_bytes) / 1048576)} MiB resident`);
  if (s.standby_pid) console.log(`standby     pid ${s.standby_pid} (takes over if the daemon dies)`);
  return 0;
}

async function ping(settings: Settings): Promise<number> {
  const t0 = process.hrtime.bigint();
  const r = await withClient(settings, (c) => c.call('system', 'ping'));
  if (!r) {
    console.log(`no daemon answers on ${settings.socket}`);
    return 1;
  }
  console.log(`pong from pid ${(r as { pid: number }).pid} in ${Number(process.hrtime.bigint() - t0) / 1e6} ms`);
  return 0;
}

async function call(settings: Settings, args: string[]): Promise<number> {
  const [module, fn, json] = args;
  if (!module || !fn) {
    process.stderr.write(`${HELP.call}\n`);
    return 2;
  }
  let params: unknown;
  try {
    // "-": the parameters come on stdin (large requests exceed the argument size limit)
    const text = json === '-' ? fs.readFileSync(0, 'utf8') : json;
    params = text === undefined || text === '' ? {} : JSON.parse(text);
  } catch (e) {
    console.log(JSON.stringify({ id: null, success: false, error: new BridgeError('bad_request', `JSON parameter: ${(e as Error).message}`).toWire() }));
    return 0;
  }
  const session = process.env.CPAN_BRIDGE_SESSION || crypto.randomBytes(16).toString('hex');
  const id = process.env.CPAN_BRIDGE_REQUEST_ID || '1';
  const ack = process.env.CPAN_BRIDGE_ACK ? Number(process.env.CPAN_BRIDGE_ACK) : undefined;
  const clientPid = process.env.CPAN_BRIDGE_CLIENT_PID ? Number(process.env.CPAN_BRIDGE_CLIENT_PID) : process.ppid;
  const legacy = process.env.CPAN_BRIDGE_LEGACY === '1';
  // A daemon that answers owns the state directory (single writer): the request goes through it,
  // even from a client in process mode. The session belongs to the script (clientPid), not to this
  // short-lived process: its handles live as long as the script does. A daemon lost before it
  // answered leaves the request to the journal: it is run here under the same id.
  const viaDaemon = await withClient(settings, async (c) => c.request(module, fn, params, id, legacy), session, clientPid ?? undefined).catch(() => null);
  if (viaDaemon && !(viaDaemon.id === null && viaDaemon.error?.code === 'disconnected')) {
    console.log(JSON.stringify(viaDaemon));
    return 0;
  }
  const reply = await lazy.processMode().runProcessCall(settings, { module, function: fn, params, session, id, ack, clientPid, legacy });
  process.stdout.write(reply + '\n');
  return 0;
}

async function journal(settings: Settings, sub: string | undefined, json: boolean): Promise<number> {
  const paths = statePaths(settings.home);
  if (!fs.existsSync(paths.journal)) {
    console.log(`no journal at ${paths.journal}`);
    return sub === 'verify' ? 0 : 1;
  }
  if (sub === 'compact' && (await socketAnswers(settings.socket))) {
    const r = await withClient(settings, (c) => c.call('system', 'compact'));
    console.log(JSON.stringify(r));
    return 0;
  }
  ensureHome(settings.home);
  const lock = sub === 'compact' ? lazy.lock().StateLock.acquire(paths.lock, 10_000) : null;
  if (sub === 'compact' && !lock) {
    process.stderr.write('cpan-bridge: the journal is in use\n');
    return 1;
  }
  const j = new (lazy.journal().Journal)(paths.journal, { keyFile: paths.key, readonly: sub !== 'compact' });
  try {
    switch (sub) {
      case 'show': {
        const s = lazy.inspect().summarize(j);
        if (json) console.log(JSON.stringify(s, null, 2));
        else {
          console.log(`journal ${paths.journal}: format ${s.format}, ${s.handles.length} live handle(s), ${s.requests.done} kept repl(ies), ${s.requests.begun} begun side effect(s), ${s.sessions} session(s)`);
          for (const h of s.handles) console.log(`  ${h.id}  ${h.module}.${h.kind}${h.parent ? ` (in ${h.parent})` : ''}  session ${h.session}  ops ${h.ops}  state ${JSON.stringify(h.state)}`);
        }
        return 0;
      }
      case 'verify': {
        const problems = lazy.inspect().verify(j);
        if (problems.length === 0) {
          console.log('journal ok');
          return 0;
        }
        for (const p of problems) console.log(`problem: ${p}`);
        return 1;
      }
      case 'compact':
        console.log(JSON.stringify(lazy.compact().compact(j, settings.replyRetentionSeconds, true)));
        return 0;
      default:
        process.stderr.write(`${HELP.journal}\n`);
        return 2;
    }
  } finally {
    j.close();
    lock?.release();
  }
}

function serviceUnit(settings: Settings): string {
  const cli = path.resolve(__dirname, '..', 'cli.js');
  return `[Unit]
Description=CPAN Bridge daemon (Perl batch jobs' bridge to Node.js)
After=network.target

[Service]
Type=simple
Environment=CPAN_BRIDGE_HOME=${settings.home}
Environment=CPAN_BRIDGE_SOCKET=${settings.socket}
ExecStart=${process.execPath} ${cli} daemon
ExecStop=${process.execPath} ${cli} stop
KillSignal=SIGTERM
TimeoutStopSec=30
Restart=on-failure
UMask=0077

[Install]
WantedBy=default.target`;
}

installDeferredCa();
main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`cpan-bridge: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
