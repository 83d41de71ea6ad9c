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
  maxInFlightPerConnection: number;
  /** Directories output files may be written to; empty = client's cwd and the system temp dir. */
  allowedDirs: string[];
  eagerRehydrate: boolean;
  /** Commit-outcome marker table in client databases (exactly-once commits). */
  markerTable: boolean;
  /** Seconds a dead client's handles are kept before being released. */
  orphanGraceSeconds: number;
  /** Seconds the daemon stays up with no client and no open handle (0 = forever). */
  idleExitSeconds: number;
}

type Overrides = Partial<Settings>;

const DEFAULTS: Omit<Settings, 'home' | 'socket' | 'configFile'> = {
  maxFrameBytes: 10 * 1024 * 1024,
  synchronous: 'NORMAL',
  logLevel: 'info',
  replyRetentionSeconds: 24 * 3600,
  maxHandlesPerSession: 10000,
  maxInFlightPerConnection: 10000,
  allowedDirs: [],
  eagerRehydrate: false,
  markerTable: false,
  orphanGraceSeconds: 2,
  idleExitSeconds: 0,
};

const ENV: Record<string, keyof Settings> = {
  CPAN_BRIDGE_HOME: 'home',
  CPAN_BRIDGE_SOCKET: 'socket',
  CPAN_BRIDGE_MAX_FRAME_BYTES: 'maxFrameBytes',
  CPAN_BRIDGE_SYNCHRONOUS: 'synchronous',
  CPAN_BRIDGE_LOG_LEVEL: 'logLevel',
  CPAN_BRIDGE_ALLOWED_DIRS: 'allowedDirs',
  CPAN_BRIDGE_MARKER_TABLE: 'markerTable',
  CPAN_BRIDGE_IDLE_EXIT: 'idleExitSeconds',
  CPAN_BRIDGE_EAGER_REHYDRATE: 'eagerRehydrate',
};

/** Config-file keys use snake_case, as the Perl client reads the same file. */
const FILE_KEYS: Record<string, keyof Settings> = {
  home: 'home', socket: 'socket', max_frame_bytes: 'maxFrameBytes', synchronous: 'synchronous',
  log_level: 'logLevel', reply_retention_seconds: 'replyRetentionSeconds',
  max_handles_per_session: 'maxHandlesPerSession', max_in_flight_per_connection: 'maxInFlightPerConnection',
  allowed_dirs: 'allowedDirs', eager_rehydrate: 'eagerRehydrate', marker_table: 'markerTable',
  orphan_grace_seconds: 'orphanGraceSeconds', idle_exit_seconds: 'idleExitSeconds',
};

function coerce(key: keyof Settings, raw: unknown): unknown {
  const def = (DEFAULTS as Record<string, unknown>)[key];
  if (typeof def === 'number') {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`setting ${key}: not a number: ${String(raw)}`);
    return n;
  }
  if (typeof def === 'boolean') return raw === true || raw === 1 || raw === '1' || raw === 'true' || raw === 'yes';
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
  };
}
