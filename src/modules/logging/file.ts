// One log file as Log::Log4perl's File appender (or Log::Dispatch::FileRotate) has it open: the
// daemon holds the descriptor and appends the bytes the script's layouts made. After a restart it
// reopens for append (a clobber happens once, at creation) and, on the first write, recognises what
// the request lost in the crash had already written (so nothing is written twice).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BridgeError } from '../../errors';

export interface FileSpec {
  path: string;
  /** append, or clobber (Log4perl's `write`/`clobber`: truncated when the appender is created). */
  mode: 'append' | 'clobber';
  mkpath: boolean;
  /** Permission bits of a file (or directory) the appender creates (0666/0777 minus the script's umask). */
  umask: number;
  /** The umask directories made by mkpath get (Log4perl's mkpath_umask, 0 by default). */
  mkpath_umask: number;
  create_at_logtime: boolean;
  /** Log::Dispatch::FileRotate size mode: rotate before a message once the file holds `size` bytes. */
  rotate: { size: number; max: number } | null;
}

/** Where the file stood after the last journaled write: its size and inode. */
export interface FilePos {
  end: number;
  ino: number;
}

export function openFailed(p: string, e: unknown, what = 'open'): BridgeError {
  const err = e as NodeJS.ErrnoException;
  return new BridgeError('log_open_failed', `Can't ${what} ${p} (${err.code ?? 'EIO'})`, { extra: { errno: err.code ?? 'EIO', path: p } });
}

export class LogFile {
  private fd: number | null = null;
  private size = 0;
  private ino = 0;
  /**
   * Rebuilt after a crash: the bytes found past the journaled end. The requests lost in the crash
   * (several, when their records had not been committed yet) wrote them; their resends skip them.
   */
  private seen: Buffer | null = null;

  constructor(readonly spec: FileSpec) {}

  /** Opens now (creation of the appender); `fresh` false after a restart: never truncate again. */
  open(fresh: boolean): void {
    if (this.fd !== null) return;
    const p = this.spec.path;
    const existed = fs.existsSync(p);
    if (!existed && this.spec.mkpath) {
      try {
        mkpath(path.dirname(p), 0o777 & ~this.spec.mkpath_umask);
      } catch (e) {
        throw new BridgeError('log_open_failed', `Can't create path ${path.dirname(p)}/ (${(e as NodeJS.ErrnoException).code ?? 'EIO'})`, { extra: { errno: (e as NodeJS.ErrnoException).code ?? 'EIO', path: p } });
      }
    }
    try {
      // clobber truncates once; every write then goes to the end (O_APPEND), so that another
      // writer of the same file (a forked child's appender, another job) is never overwritten
      if (fresh && this.spec.mode === 'clobber') fs.closeSync(fs.openSync(p, 'w', 0o666 & ~this.spec.umask));
      this.fd = fs.openSync(p, 'a', 0o666 & ~this.spec.umask);
      // the daemon's own umask must not decide: the script's does
      if (!existed) fs.fchmodSync(this.fd, 0o666 & ~this.spec.umask);
    } catch (e) {
      throw openFailed(p, e);
    }
    const st = fs.fstatSync(this.fd);
    this.size = st.size;
    this.ino = st.ino;
  }

  get opened(): boolean {
    return this.fd !== null;
  }

  pos(): FilePos {
    return { end: this.size, ino: this.ino };
  }

  /** After a restart: reopen for append and remember where the journal says the file stood. */
  reopen(at: FilePos | null): void {
    if (!at) return; // never opened before the crash (create_at_logtime): opens as new at first write
    this.open(false);
    this.seen = this.writtenSince(at);
    if (this.seen.length === 0) this.seen = null;
  }

  /** Appends the messages (each whole: FileRotate decides before each one). */
  write(messages: Buffer[]): void {
    if (this.fd === null) this.open(true);
    if (this.seen) messages = this.skipWritten(messages);
    if (!this.spec.rotate) {
      this.put(messages.length === 1 ? messages[0]! : Buffer.concat(messages));
      return;
    }
    for (const m of messages) {
      // FileRotate: a file whose name was moved away by someone else is reopened; a full one rotated
      const byName = statIno(this.spec.path);
      if (byName !== this.ino) this.reopenByName();
      else if (this.size >= this.spec.rotate.size && this.size > 0) this.rotate();
      this.put(m);
    }
  }

  private put(buf: Buffer): void {
    let off = 0;
    try {
      while (off < buf.length) off += fs.writeSync(this.fd!, buf, off, buf.length - off);
    } catch (e) {
      throw new BridgeError('log_write_failed', `cannot write ${this.spec.path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { extra: { errno: (e as NodeJS.ErrnoException).code ?? 'EIO' } });
    }
    this.size += buf.length;
  }

  private rotate(): void {
    const name = this.spec.path;
    this.close();
    // the same renames, in the same order, as Log::Dispatch::FileRotate's log_message
    for (let idx = this.spec.rotate!.max - 1; idx >= 0; idx--) {
      try {
        if (idx <= 0) fs.renameSync(name, `${name}.1`);
        else fs.renameSync(`${name}.${idx}`, `${name}.${idx + 1}`);
      } catch { /* an absent backup: rename fails quietly there too */ }
    }
    this.reopenByName();
  }

  /** Log::Dispatch::File->new again: its mode applies (a clobber truncates the new file). */
  private reopenByName(): void {
    this.close();
    this.open(true);
  }

  /** What lies past `at` now: in this file, or across the rotations that happened since. */
  private writtenSince(at: FilePos): Buffer {
    try {
      if (this.ino === at.ino) return readFrom(this.spec.path, at.end);
      const max = this.spec.rotate?.max ?? 0;
      const parts: Buffer[] = [readFrom(this.spec.path, 0)];
      for (let j = 1; j <= max; j++) {
        const name = `${this.spec.path}.${j}`;
        if (statIno(name) === at.ino) return Buffer.concat([readFrom(name, at.end), ...parts]);
        parts.unshift(readFrom(name, 0));
      }
    } catch { /* unreadable: nothing recognised */ }
    return Buffer.alloc(0);
  }

  /** Skips what the lost requests already wrote of these messages (whole messages, in order). */
  private skipWritten(messages: Buffer[]): Buffer[] {
    const seen = this.seen!;
    const all = Buffer.concat(messages);
    const n = Math.min(seen.length, all.length);
    if (!all.subarray(0, n).equals(seen.subarray(0, n))) {
      this.seen = null; // someone else's bytes: ours were not written
      return messages;
    }
    this.seen = seen.length > n ? seen.subarray(n) : null;
    let skip = n;
    const out: Buffer[] = [];
    for (const m of messages) {
      if (skip >= m.length) skip -= m.length;
      else {
        out.push(skip ? m.subarray(skip) : m);
        skip = 0;
      }
    }
    return out;
  }

  close(): void {
    if (this.fd !== null) {
      try {
        fs.closeSync(this.fd);
      } catch { /* closing is best effort */ }
    }
    this.fd = null;
  }
}

/** mkdir -p whose new directories get `mode` exactly (not masked by the daemon's own umask). */
function mkpath(dir: string, mode: number): void {
  if (fs.existsSync(dir)) return;
  mkpath(path.dirname(dir), mode);
  fs.mkdirSync(dir, { mode });
  fs.chmodSync(dir, mode);
}

function statIno(p: string): number {
  try {
    return fs.statSync(p).ino;
  } catch {
    return -1;
  }
}

/** The bytes of `p` from offset `from` on (only what lies past the journaled end is read). */
function readFrom(p: string, from: number): Buffer {
  const fd = fs.openSync(p, 'r');
  try {
    const n = Math.max(0, fs.fstatSync(fd).size - from);
    const b = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const r = fs.readSync(fd, b, got, n - got, from + got);
      if (r === 0) break;
      got += r;
    }
    return b.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}
