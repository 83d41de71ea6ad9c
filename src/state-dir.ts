// The state directory is trusted only when this process's user alone controls it: the directory
// and every entry in it owned by our uid, none group- or world-writable, no symlink. Once the
// directory itself is ours and 0700, nobody else can plant a file in it, so checking what is
// there when we start, and creating files exclusively (O_EXCL / O_NOFOLLOW), is enough.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pidAlive } from './pid-alive';

export class StateDirError extends Error {}

const uid = (): number => process.getuid?.() ?? -1;

function describe(file: string, st: fs.Stats): string | null {
  const me = uid();
  if (st.isSymbolicLink()) return `${file} is a symbolic link (to ${safeReadlink(file)}): remove it (rm ${file}); the daemon creates its own files`;
  if (me >= 0 && st.uid !== me) {
    return `${file} is owned by uid ${st.uid}, not by this user (uid ${me}): someone else may have prepared it; remove it, or use a state directory of your own (CPAN_BRIDGE_HOME)`;
  }
  if (st.mode & 0o022) {
    return `${file} is writable by its group or by everyone (mode ${(st.mode & 0o777).toString(8)}): chmod go-w ${file}, or remove it`;
  }
  return null;
}

function safeReadlink(file: string): string {
  try {
    return fs.readlinkSync(file);
  } catch {
    return '?';
  }
}

/** Everything that makes `home` untrustworthy, each with how to fix it (empty: all is well). */
export function stateProblems(home: string): string[] {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(home);
  } catch {
    return []; // absent: created, private, on first start
  }
  if (!st.isSymbolicLink() && !st.isDirectory()) return [`${home} is not a directory: remove it or set CPAN_BRIDGE_HOME elsewhere`];
  const own = describe(home, st);
  if (own) return [own.replace('the daemon creates its own files', 'or point CPAN_BRIDGE_HOME at the real directory')];
  const problems: string[] = [];
  for (const name of fs.readdirSync(home)) {
    const file = path.join(home, name);
    try {
      const p = describe(file, fs.lstatSync(file));
      if (p) problems.push(p);
    } catch { /* gone meanwhile */ }
  }
  return problems;
}

/** Creates the state directory (0700), or checks the one found and tightens it to 0700. */
export function ensureHome(home: string): void {
  fs.mkdirSync(path.dirname(home), { recursive: true, mode: 0o700 });
  try {
    fs.mkdirSync(home, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const problems = stateProblems(home);
  if (problems.length) {
    throw new StateDirError(`the state directory ${home} cannot be trusted:\n  ${problems.join('\n  ')}`);
  }
  fs.chmodSync(home, 0o700);
}

const NOFOLLOW = fs.constants.O_NOFOLLOW;

/** Opens a state file for appending (a log), never through a symlink. */
export function openAppend(file: string): number {
  return fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | NOFOLLOW, 0o600);
}

/** Opens a state file afresh (truncated), never through a symlink. */
export function openTruncate(file: string): number {
  return fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_TRUNC | fs.constants.O_CREAT | NOFOLLOW, 0o600);
}

/**
 * Writes `data` to `file` all or nothing: a temporary file created exclusively, synced, then
 * renamed over `file` (`replace`) or linked to it only if `file` does not exist yet (returns false
 * when another process created it first). A process killed midway leaves no partial `file`.
 */
export function writeAtomic(file: string, data: string | Buffer, replace: boolean): boolean {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    if (replace) {
      fs.renameSync(tmp, file);
      return true;
    }
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    if (!replace && (e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    try { fs.unlinkSync(tmp); } catch { /* renamed */ }
  }
}

/** Removes the temporary files of writes cut short by a crash (`file`.PID.TIME.tmp). */
export function removeStaleTemps(file: string): void {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const f = path.join(dir, name);
    const writer = Number(name.slice(prefix.length).split('.')[0]);
    try {
      // its writer is dead (killed mid-write), or it is a minute old: not the write of a process
      // starting beside us
      if ((writer > 0 && writer !== process.pid && !pidAlive(writer)) || Date.now() - fs.lstatSync(f).mtimeMs > 60_000) fs.unlinkSync(f);
    } catch { /* gone meanwhile */ }
  }
}
