// A message's bytes, spooled in the state directory as the script streams them (a 20 MiB
// attachment never sits in memory). The journal holds the spool's path and its acknowledged
// length; after a crash the file is cut back to that length (bytes of a write that was never
// acknowledged are sent again by the client under the same request id).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { BridgeError } from '../../errors';

export function spoolDir(home: string): string {
  return path.join(home, 'mail-spool');
}

export class Spool {
  constructor(readonly file: string, public size: number) {}

  static create(dir: string, name: string): Spool {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `${name}.eml`);
    fs.writeFileSync(file, Buffer.alloc(0), { mode: 0o600 });
    return new Spool(file, 0);
  }

  /** After a restart: the file as journaled (longer: cut back; shorter: lost, said so). */
  static reopen(file: string, size: number): Spool {
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      throw new BridgeError('mail_error', `the spooled message ${path.basename(file)} is gone from the state directory; it cannot be sent`);
    }
    if (st.size < size) throw new BridgeError('mail_error', `the spooled message ${path.basename(file)} is shorter (${st.size} bytes) than journaled (${size}); it cannot be sent`);
    if (st.size > size) fs.truncateSync(file, size);
    return new Spool(file, size);
  }

  append(data: Buffer): void {
    if (!data.length) return;
    const fd = fs.openSync(this.file, 'a');
    try {
      fs.writeSync(fd, data);
    } finally {
      fs.closeSync(fd);
    }
    this.size += data.length;
  }

  /** The first `n` bytes (the header block, read to find a Message-ID). */
  head(n: number): Buffer {
    const fd = fs.openSync(this.file, 'r');
    try {
      const b = Buffer.alloc(Math.min(n, this.size));
      fs.readSync(fd, b, 0, b.length, 0);
      return b;
    } finally {
      fs.closeSync(fd);
    }
  }

  reader(): Readable {
    return fs.createReadStream(this.file, { start: 0, end: Math.max(0, this.size - 1), highWaterMark: 64 * 1024 }).on('error', () => undefined);
  }

  /** An empty spool still reads as nothing. */
  empty(): boolean {
    return this.size === 0;
  }

  remove(): void {
    fs.rmSync(this.file, { force: true });
  }
}

/** Spools of clients that died without discarding them (their handles are gone): a week old. */
export function sweepStale(dir: string, maxAgeMs = 7 * 24 * 3600 * 1000): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const limit = Date.now() - maxAgeMs;
  for (const n of names) {
    const f = path.join(dir, n);
    try {
      if (n.endsWith('.eml') && fs.statSync(f).mtimeMs < limit) fs.rmSync(f, { force: true });
    } catch {
      // gone meanwhile
    }
  }
}
