// The file a workbook becomes: its name checked at new_workbook, its temporary files (short names,
// created exclusively, so neither a long basename nor a planted symlink gets in the way), the
// failure of the stream it is written through, and the final fsync + rename. Whatever goes wrong
// ends in a coded error and no temporary file left behind.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BridgeError } from '../../errors';

/** NAME_MAX of Linux file systems (ext4, xfs, tmpfs...), in bytes. */
const NAME_MAX = 255;

function openFailed(filename: string, message: string, errno: string): BridgeError {
  return new BridgeError('excel_open_failed', `${filename}: ${message}`, { extra: { errno } });
}

/** Refuses, before the name is resolved, a name that is a directory by its form ("dir/", ".", ".."). */
export function checkFileName(filename: string): void {
  if (/(^|\/)\.{0,2}\/*$/.test(filename)) throw openFailed(filename, 'Is a directory (not a file name)', 'EISDIR');
}

/** Refuses, at new_workbook, a resolved target that can never become a file. */
export function checkTarget(filename: string, target: string): void {
  const base = path.basename(target);
  if (Buffer.byteLength(base) > NAME_MAX) throw openFailed(filename, 'File name too long', 'ENAMETOOLONG');
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(target);
  } catch { /* absent: the usual case */ }
  if (st?.isDirectory()) throw openFailed(filename, 'Is a directory', 'EISDIR');
}

/** A write error of the output, coded (the client sees which file and why). */
export function writeFailed(target: string, e: unknown): BridgeError {
  if (e instanceof BridgeError) return e;
  const err = e as NodeJS.ErrnoException;
  const why = err.code === 'ENOENT' ? 'No such file or directory (was the directory removed?)' : String(err.message ?? e);
  return new BridgeError('excel_write_failed', `${target}: cannot write the workbook: ${why}`, { extra: { errno: err.code ?? 'EIO' } });
}

export class OutputFile {
  /** Where the workbook is rendered, and where drawings are added to it (a second pass). */
  readonly tmp: string;
  readonly tmp2: string;
  private failure: Error | null = null;
  private rejectFailed: (e: Error) => void = () => undefined;
  private readonly failed: Promise<never>;

  constructor(readonly target: string, wbn: number) {
    const dir = path.dirname(target);
    this.tmp = path.join(dir, `.cb${wbn}.tmp`);
    this.tmp2 = path.join(dir, `.cb${wbn}.d.tmp`);
    this.failed = new Promise<never>((_, reject) => { this.rejectFailed = reject; });
    this.failed.catch(() => undefined); // observed through guard(), never unhandled
  }

  /** The render's stream, on a file created exclusively (fails at once when the directory is gone). */
  openStream(): fs.WriteStream {
    this.discard(); // the leftovers of an attempt cut short by a crash
    const fd = fs.openSync(this.tmp, 'wx', 0o666);
    const s = fs.createWriteStream(this.tmp, { fd });
    s.on('error', (e) => this.fail(e));
    return s;
  }

  fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    this.rejectFailed(e);
  }

  /** Throws the stream's error, if any: a loop waiting on a dead stream would wait forever. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** `p`, or the stream's error if that comes first. */
  guard<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.failed]);
  }

  /** Puts the finished file `from` (tmp or tmp2) in place, durably. */
  commit(from: string): void {
    const fd = fs.openSync(from, 'r');
    try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
    fs.renameSync(from, this.target);
    try {
      const dfd = fs.openSync(path.dirname(this.target), 'r');
      try { fs.fsyncSync(dfd); } finally { fs.closeSync(dfd); }
    } catch { /* directory fsync is best effort */ }
  }

  discard(): void {
    for (const f of [this.tmp, this.tmp2]) {
      try { fs.unlinkSync(f); } catch { /* not there */ }
    }
  }
}
