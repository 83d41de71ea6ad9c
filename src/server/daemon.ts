// The daemon: takes the state directory's lock, opens the journal, serves the socket, and shuts
// down cleanly on SIGTERM/SIGINT (stop accepting, finish in-flight requests, close the journal).
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { compact } from '../../journal/compact';
import type { Journal } from '../../journal/journal';
import { statePaths, type Settings } from '../config';
import { ensureHome, removeStaleTemps, writeAtomic } from '../state-dir';
import type { Engine } from '../engine';
import { CrashInjector } from '../faults';
import { createLogger } from '../log';
import { allModules, secretFields } from '../modules';
import type { ModuleDef, Session } from '../kit/types';
import { openBridge } from '../wiring';
import { handleLegacy } from './legacy';
import { ClientConnection } from './connection';
import { refuseConnection } from './refuse';
import { StateLock } from './lock';
import { ownerGone } from './owner';
import { socketAnswers } from './probe';
import { StandbyKeeper, type ListeningSocket } from './standby-keeper';
import type { Takeover } from './standby-wait';
import { ensureToken } from './token';

export { socketAnswers };

export class DaemonError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}


export class Daemon {
  readonly log: Logger;
  private readonly paths: ReturnType<typeof statePaths>;
  private lock: StateLock | null = null;
  private journal: Journal | null = null;
  engine: Engine | null = null;
  private server: net.Server | null = null;
  private readonly conns = new Set<ClientConnection>();
  private shuttingDown = false;
  private readonly started = Date.now();
  private sweepTimer: NodeJS.Timeout | null = null;
  private readonly modules: ModuleDef[];
  private standby: StandbyKeeper | null = null;

  /** `log`: the logger (tests); `benchJournalOff`: benchmarks only, see src/bench-mode.ts. */
  constructor(readonly settings: Settings, log?: Logger, private readonly benchJournalOff = false) {
    this.paths = statePaths(settings.home);
    ensureHome(settings.home);
    this.modules = allModules({
      status: () => this.status(),
      compact: () => ({ ...compact(this.journal!, settings.replyRetentionSeconds, false) }),
      shutdown: () => void setTimeout(() => void this.stop(0), 100), // the reply is written first
    });
    this.log = log ?? createLogger(settings.logLevel, this.paths.log, secretFields(this.modules));
  }

  /** `takeover`: this process was the standby of a daemon that died (src/server/standby-wait.ts). */
  async start(takeover?: Takeover): Promise<void> {
    const { settings, paths } = this;
    this.lock = takeover?.lock ?? StateLock.acquire(paths.lock, 3000);
    if (!this.lock) {
      let pid = '?';
      try { pid = fs.readFileSync(paths.pid, 'utf8').trim(); } catch { /* no pid file */ }
      throw new DaemonError(`another cpan-bridge daemon (pid ${pid}) already serves the state directory ${settings.home}`, 3);
    }
    const sockDir = path.dirname(settings.socket);
    if (!fs.existsSync(sockDir)) fs.mkdirSync(sockDir, { recursive: true, mode: 0o700 });
    const inherited = takeover ? this.inheritedSocket(takeover) : null;
    if (inherited === null && fs.existsSync(settings.socket)) {
      if (await socketAnswers(settings.socket)) {
        this.lock.release();
        throw new DaemonError(`a daemon already answers on ${settings.socket} (another state directory uses the same socket)`, 3);
      }
      fs.unlinkSync(settings.socket); // stale: nobody answers on it
    }
    const token = ensureToken(paths.token);
    if (this.benchJournalOff) this.log.warn('bench mode: the journal writes nothing (npm run bench only)');
    ({ journal: this.journal, engine: this.engine } = openBridge(settings, this.modules, {
      log: this.log, discardJournal: this.benchJournalOff,
      crash: process.env.CPAN_BRIDGE_CRASH_AT ? new CrashInjector(process.env.CPAN_BRIDGE_CRASH_AT, paths.crashMarker) : null,
      onJournalFailure: () => {
        // never serve without a journal: stop, and let clients fall back or restart us
        this.log.fatal('journal unavailable: shutting down');
        void this.stop(70);
      },
    }));

    this.server = net.createServer({ allowHalfOpen: true }, (socket) => {
      if (this.conns.size >= settings.maxConnections) return refuseConnection(socket, settings.maxConnections, this.log);
      const c = new ClientConnection(socket, this.engine!, {
        token, limits: settings,
        isShuttingDown: () => this.shuttingDown,
        onSession: (_conn, s) => this.engine!.recordSession(s),
        onClose: (conn) => this.onClose(conn),
        legacy: (raw, sock, session) => handleLegacy(raw, sock, this.engine!, this.log, session, settings.maxNestingDepth),
      }, this.log);
      this.conns.add(c);
    });
    const oldMask = process.umask(0o177); // the socket is born 0600
    try {
      await new Promise<void>((resolve, reject) => {
        this.server!.once('error', reject);
        // the standby's takeover goes on with its primary's socket, and the connections queued on it
        if (inherited !== null) this.server!.listen({ fd: inherited }, () => resolve());
        else this.server!.listen(settings.socket, () => resolve());
      });
    } finally {
      process.umask(oldMask);
    }
    fs.chmodSync(settings.socket, 0o600);
    removeStaleTemps(paths.pid); // a daemon killed while writing its pid file
    writeAtomic(paths.pid, `${process.pid}\n`, true);
    this.watchSocket();
    this.sweepTimer = setInterval(() => void this.sweepOrphans(), Math.max(1000, settings.orphanGraceSeconds * 1000));
    this.sweepTimer.unref();
    // expired replies and stray records go every ten minutes (closed handles go when they close)
    setInterval(() => {
      try {
        if (!this.shuttingDown) compact(this.journal!, settings.replyRetentionSeconds, false);
      } catch (e) {
        this.log.error({ err: String(e) }, 'compaction failed');
      }
    }, 600_000).unref();
    if (settings.eagerRehydrate) void this.rehydrateAll();
    if (settings.standby) {
      this.standby = new StandbyKeeper(settings, this.listening(), this.benchJournalOff, this.log);
      this.standby.start();
    }
    this.log.info({ socket: settings.socket, home: settings.home, takeover: Boolean(takeover) }, 'daemon started');
  }

  /**
   * The standby's inherited descriptor, if the socket file still names that socket (its inode is
   * the one the primary bound); else it is closed and the daemon binds afresh.
   */
  private inheritedSocket(t: Takeover): number | null {
    try {
      if (fs.statSync(this.settings.socket).ino === t.ino) return t.fd;
    } catch { /* the file is gone */ }
    this.log.warn({ socket: this.settings.socket }, 'standby: the socket file changed since the primary bound it: binding afresh');
    try { fs.closeSync(t.fd); } catch { /* already closed */ }
    return null;
  }

  /** The listening socket, to share with a standby (a Unix socket server's handle has its descriptor). */
  private listening(): ListeningSocket {
    const fd = (this.server as unknown as { _handle?: { fd?: number } })._handle?.fd;
    if (typeof fd !== 'number' || fd < 0) throw new Error('the listening socket has no descriptor');
    return { fd, ino: fs.statSync(this.settings.socket).ino };
  }

  /**
   * A socket file deleted under a running daemon (an over-eager clean-up of /tmp) would leave it
   * holding the state directory while nobody can reach it: it listens again on a new socket.
   */
  private watchSocket(): void {
    const inode = () => {
      try {
        return fs.statSync(this.settings.socket).ino;
      } catch {
        return null;
      }
    };
    let ino = inode();
    const timer = setInterval(() => {
      if (this.shuttingDown || !this.server) return;
      const now = inode();
      if (now !== null && now === ino) return;
      this.log.warn({ socket: this.settings.socket }, 'socket file gone or replaced: listening again');
      const old = this.server;
      old.close();
      const oldMask = process.umask(0o177);
      const fresh = net.createServer({ allowHalfOpen: true }, old.listeners('connection')[0] as (s: net.Socket) => void);
      try {
        if (now !== null) fs.unlinkSync(this.settings.socket);
      } catch { /* gone meanwhile */ }
      fresh.listen(this.settings.socket, () => {
        fs.chmodSync(this.settings.socket, 0o600);
        ino = inode();
        // the standby shares the old socket, which nobody reaches any more
        if (this.standby) void this.standby.replaceSocket(this.listening());
      });
      fresh.on('error', (e) => this.log.error({ err: String(e) }, 'cannot listen again'));
      process.umask(oldMask);
      this.server = fresh;
    }, 500);
    timer.unref();
  }

  /** Eager rehydration (configuration): every journaled handle is rebuilt at start, not on first use. */
  private async rehydrateAll(): Promise<void> {
    const rows = this.journal!.handleIds();
    for (const r of rows) {
      try {
        await this.engine!.registry.get(r.id, r.session);
      } catch (e) {
        this.log.warn({ handle: r.id, err: String((e as Error).message) }, 'eager rehydration failed; the handle is retried on first use');
      }
    }
    this.log.info({ handles: rows.length }, 'eager rehydration done');
  }

  private onClose(conn: ClientConnection): void {
    this.conns.delete(conn);
    if (conn.session) setTimeout(() => void this.sweepOrphans(), this.settings.orphanGraceSeconds * 1000).unref();
  }

  /**
   * A client whose process is gone (a killed script) loses its handles, as a dead DBI script loses
   * its connection: open transactions roll back and locks are released. A client still alive keeps
   * them while it reconnects.
   */
  private async sweepOrphans(): Promise<void> {
    const engine = this.engine;
    const journal = this.journal;
    if (!engine || !journal || this.shuttingDown) return;
    const connected = new Set([...this.conns].map((c) => c.session?.id).filter(Boolean));
    const host = os.hostname();
    for (const r of journal.sessions()) {
      if (connected.has(r.id) || !ownerGone(r, host)) continue;
      await engine.registry.disposeAll((h) => h.session === r.id);
      journal.forgetSession(r.id);
      engine.dropSession(r.id);
      this.log.info({ session: r.id, pid: r.pid }, 'client process gone: its handles were released');
    }
  }

  status(): Record<string, unknown> {
    let journalBytes = 0;
    for (const suffix of ['', '-wal', '-shm']) {
      try { journalBytes += fs.statSync(this.paths.journal + suffix).size; } catch { /* absent */ }
    }
    const e = this.engine;
    return {
      socket: this.settings.socket, home: this.settings.home, started_ms: this.started,
      connections: this.conns.size,
      connection_list: [...this.conns].map((c) => ({ pid: c.peer?.pid ?? null, uid: c.peer?.uid ?? null, in_flight: c.inFlight })),
      handles: e?.registry.size ?? 0, handles_by_kind: e?.registry.countsByKind() ?? {},
      journal_handles: this.journal?.handleCount() ?? 0,
      journal_bytes: journalBytes,
      requests: e?.stats ?? {},
      rehydrations: e?.registry.rehydrations ?? 0,
      rss_bytes: process.memoryUsage().rss,
      standby_pid: this.standby?.pid ?? null,
      modules: this.modules.map((m) => m.name),
    };
  }

  /** Stops accepting, lets in-flight requests finish (bounded), closes handles and the journal. */
  async stop(exitCode = 0): Promise<never> {
    if (!this.shuttingDown) {
      this.shuttingDown = true;
      this.log.info('shutting down');
      // the standby holds the listening socket too, and must be gone before the lock is released
      const standbyGone = this.standby?.stop();
      this.server?.close();
      const deadline = Date.now() + 10_000;
      while ([...this.conns].some((c) => c.inFlight > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const c of this.conns) c.socket.end();
      try {
        await this.engine?.shutdown();
      } catch (e) {
        this.log.error({ err: String(e) }, 'error while closing handles');
      }
      this.journal?.close();
      await standbyGone;
      try { fs.unlinkSync(this.settings.socket); } catch { /* already gone */ }
      try { if (fs.readFileSync(this.paths.pid, 'utf8').trim() === String(process.pid)) fs.unlinkSync(this.paths.pid); } catch { /* gone */ }
      this.lock?.release();
      this.log.info('stopped');
    }
    await new Promise((r) => setTimeout(r, 50));
    process.exit(exitCode);
  }
}


export type { Session };
