// One place decides every setting's precedence: explicit option, then environment variable,
// then the JSON config file, then the embedded default (as node-postgres does for its own).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Settings {
  home: string;
  socket: string;
  configFile: string | null;
  maxFrameBytes: number;
  synchronous: 'NORMAL' | 'FULL';
  logLevel: string;
  /** Replies of requests older than this are forgotten (seconds). */
  replyRetentionSeconds: number;
  maxHandlesPerSession: number;
  /** Live handles of all clients together. */
  maxHandlesTotal: number;
  /** replies one session keeps for resends (a client that never acknowledges): count and bytes */
  maxKeptReplies: number;
  maxKeptReplyBytes: number;
  /** Requests read from one connection and not yet answered; past it the daemon stops reading. */
  maxInFlightPerConnection: number;
  /** Reply bytes written to one connection and not yet read by the client; past it the daemon stops reading. */
  maxUnreadReplyBytes: number;
  /** Client connections at once (framed and legacy); one more is refused with `too_many_connections`. */
  maxConnections: number;
  /** JSON nesting (arrays and objects) accepted in a request. */
  maxNestingDepth: number;
  /** SFTP sessions open at once in the daemon (used by the sftp module). */
  maxSftpSessions: number;
  /** Workbooks open (created, not closed) at once in the daemon. */
  maxOpenWorkbooks: number;
  /** Resident memory above which new heavy handles (client connections, database connections, workbooks) are refused; 0 = no ceiling. */
  memoryCeilingBytes: number;
  /** Seconds from connect to a successful hello (or a complete legacy request). */
  helloTimeoutSeconds: number;
  /** Seconds an unauthenticated socket may stay silent. */
  unauthenticatedIdleSeconds: number;
  /** Uids besides the daemon's own and root that may use the legacy raw-JSON wire (it has no token). */
  legacyUids: number[];
  /** Directories output files may be written to; empty = client's cwd and the system temp dir. */
  allowedDirs: string[];
  eagerRehydrate: boolean;
  /** Commit-outcome marker table in client databases (exactly-once commits). */
  markerTable: boolean;
  /** Seconds a dead client's handles are kept before being released. */
  orphanGraceSeconds: number;
  /** A warm standby daemon that takes over the moment the daemon dies (src/server/standby-keeper.ts). */
  standby: boolean;
}

type Overrides = Partial<Settings>;

const DEFAULTS: Omit<Settings, 'home' | 'socket' | 'configFile'> = {
  maxFrameBytes: 10 * 1024 * 1024,
  synchronous: 'NORMAL',
  logLevel: 'info',
  replyRetentionSeconds: 24 * 3600,
  maxHandlesPerSession: 10000,
  maxHandlesTotal: 100000,
  maxKeptReplies: 10000,
  maxKeptReplyBytes: 64 * 1024 * 1024,
  // the Perl client pipelines at most 32 requests; the predecessor allowed 100 concurrent requests
  maxInFlightPerConnection: 100,
  maxUnreadReplyBytes: 16 * 1024 * 1024,
  // the predecessor's accept gate was 100; our clients keep one connection per job for its lifetime
  maxConnections: 1000,
  // JSON::PP / JSON::XS refuse more than 512; a batch job's data is a few levels deep
  maxNestingDepth: 128,
  maxSftpSessions: 50, // the seed's MAX_SESSIONS
  maxOpenWorkbooks: 100,
  // a quarter of the machine's memory, at least the predecessor's CPAN_BRIDGE_MAX_MEMORY_MB (1 GiB):
  // a parsed 50 MiB XML document alone needs about 2 GiB
  memoryCeilingBytes: Math.max(1024 * 1024 * 1024, Math.floor(os.totalmem() / 4)),
  helloTimeoutSeconds: 10,
  unauthenticatedIdleSeconds: 5,
  legacyUids: [],
  allowedDirs: [],
  eagerRehydrate: false,
  markerTable: false,
  orphanGraceSeconds: 2,
  // off: a second resident node (~60 MiB) for a faster recovery is the operator's choice
  standby: false,
};

const ENV: Record<string, keyof Settings> = {
  CPAN_BRIDGE_HOME: 'home',
  CPAN_BRIDGE_SOCKET: 'socket',
  CPAN_BRIDGE_MAX_FRAME_BYTES: 'maxFrameBytes',
  CPAN_BRIDGE_SYNCHRONOUS: 'synchronous',
  CPAN_BRIDGE_LOG_LEVEL: 'logLevel',
  CPAN_BRIDGE_ALLOWED_DIRS: 'allowedDirs',
  CPAN_BRIDGE_MARKER_TABLE: 'markerTable',
  CPAN_BRIDGE_EAGER_REHYDRATE: 'eagerRehydrate',
  CPAN_BRIDGE_STANDBY: 'standby',
  CPAN_BRIDGE_MAX_CONNECTIONS: 'maxConnections',
  CPAN_BRIDGE_MAX_HANDLES_PER_SESSION: 'maxHandlesPerSession',
  CPAN_BRIDGE_MAX_HANDLES_TOTAL: 'maxHandlesTotal',
  CPAN_BRIDGE_MAX_KEPT_REPLIES: 'maxKeptReplies',
  CPAN_BRIDGE_MAX_KEPT_REPLY_BYTES: 'maxKeptReplyBytes',
  CPAN_BRIDGE_MAX_IN_FLIGHT: 'maxInFlightPerConnection',
  CPAN_BRIDGE_MAX_UNREAD_REPLY_BYTES: 'maxUnreadReplyBytes',
  CPAN_BRIDGE_MAX_NESTING_DEPTH: 'maxNestingDepth',
  CPAN_BRIDGE_MAX_SFTP_SESSIONS: 'maxSftpSessions',
  CPAN_BRIDGE_MAX_OPEN_WORKBOOKS: 'maxOpenWorkbooks',
  CPAN_BRIDGE_MEMORY_CEILING: 'memoryCeilingBytes',
  CPAN_BRIDGE_HELLO_TIMEOUT: 'helloTimeoutSeconds',
  CPAN_BRIDGE_UNAUTH_IDLE: 'unauthenticatedIdleSeconds',
  CPAN_BRIDGE_LEGACY_UIDS: 'legacyUids',
};

/** Config-file keys use snake_case, as the Perl client reads the same file. */
const FILE_KEYS: Record<string, keyof Settings> = {
  home: 'home', socket: 'socket', max_frame_bytes: 'maxFrameBytes', synchronous: 'synchronous',
  log_level: 'logLevel', reply_retention_seconds: 'replyRetentionSeconds',
  max_handles_per_session: 'maxHandlesPerSession', max_in_flight_per_connection: 'maxInFlightPerConnection',
  allowed_dirs: 'allowedDirs', eager_rehydrate: 'eagerRehydrate', marker_table: 'markerTable',
  orphan_grace_seconds: 'orphanGraceSeconds', standby: 'standby',
  max_connections: 'maxConnections', max_handles_total: 'maxHandlesTotal', max_kept_replies: 'maxKeptReplies', max_kept_reply_bytes: 'maxKeptReplyBytes', max_unread_reply_bytes: 'maxUnreadReplyBytes',
  max_nesting_depth: 'maxNestingDepth', max_sftp_sessions: 'maxSftpSessions', max_open_workbooks: 'maxOpenWorkbooks',
  memory_ceiling_bytes: 'memoryCeilingBytes', hello_timeout_seconds: 'helloTimeoutSeconds',
  unauthenticated_idle_seconds: 'unauthenticatedIdleSeconds', legacy_uids: 'legacyUids',
};

/**
 * The one boolean rule, shared with perl/lib/CPANBridge/Config.pm: `1`, `true`, `yes`, `on` (any
 * case, spaces around ignored) and JSON `true` are true; anything else is false.
 */
export function parseBool(raw: unknown): boolean {
  return raw === true || /^\s*(?:1|true|yes|on)\s*$/i.test(String(raw));
}

function coerce(key: keyof Settings, raw: unknown): unknown {
  const def = (DEFAULTS as Record<string, unknown>)[key];
  if (typeof def === 'number') {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`setting ${key}: not a number: ${String(raw)}`);
    return n;
  }
  if (key === 'legacyUids') {
    const list = Array.isArray(raw) ? raw : String(raw).split(/[\s,:]+/).filter(Boolean);
    return list.map((u) => {
      const n = Number(u);
      if (!Number.isInteger(n) || n < 0) throw new Error(`setting legacy_uids: not a uid: ${String(u)}`);
      return n;
    });
  }
  if (typeof def === 'boolean') return parseBool(raw);
  if (Array.isArray(def)) return Array.isArray(raw) ? raw.map(String) : String(raw).split(path.delimiter).filter(Boolean);
  if (key === 'synchronous') {
    const s = String(raw).toUpperCase();
    if (s !== 'NORMAL' && s !== 'FULL') throw new Error(`setting synchronous: NORMAL or FULL, not ${String(raw)}`);
    return s;
  }
  return String(raw);
}

export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.HOME || os.homedir(), '.cpan-bridge');
}

export function loadSettings(overrides: Overrides = {}, env: NodeJS.ProcessEnv = process.env): Settings {
  const fromEnv: Overrides = {};
  for (const [name, key] of Object.entries(ENV)) {
    const v = env[name];
    if (v !== undefined && v !== '') (fromEnv as Record<string, unknown>)[key] = coerce(key, v);
  }
  const configFile = env.CPAN_BRIDGE_CONFIG || null;
  const fromFile: Overrides = {};
  if (configFile && fs.existsSync(configFile)) {
    // a named file that does not exist is ignored (as the Perl client does); one that is not JSON is an error
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(fs.readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`configuration file ${configFile}: ${(e as Error).message}`);
    }
    for (const [k, v] of Object.entries(parsed)) {
      const key = FILE_KEYS[k];
      if (key) (fromFile as Record<string, unknown>)[key] = coerce(key, v);
    }
  }
  const merged = { ...DEFAULTS, ...fromFile, ...fromEnv, ...overrides } as Omit<Settings, 'home' | 'socket' | 'configFile'> & Overrides;
  const home = path.resolve(merged.home ?? defaultHome(env));
  const socket = path.resolve(merged.socket ?? path.join(home, 'bridge.sock'));
  return { ...merged, home, socket, configFile } as Settings;
}

/** Files in the state directory. */
export function statePaths(home: string) {
  return {
    journal: path.join(home, 'journal.sqlite'),
    key: path.join(home, 'journal.key'),
    token: path.join(home, 'token'),
    pid: path.join(home, 'daemon.pid'),
    lock: path.join(home, 'daemon.lock'),
    log: path.join(home, 'daemon.log'),
    crashMarker: path.join(home, 'crash-at.fired'),
    standbyPid: path.join(home, 'standby.pid'),
  };
}
