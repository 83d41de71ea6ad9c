// A transfer in flight. An upload writes at explicit offsets into a temporary remote file named
// from the request that opened it (or, for resume, into the target itself), so a chunk sent again
// after a crash or a lost connection lands on the same bytes; the remote file handle is reopened
// whenever the session had to reconnect. A download reads at explicit offsets the same way.
import * as crypto from 'node:crypto';
import * as path from 'node:path/posix';
import type { SftpSession } from './connection';
import type { OpenMode } from 'ssh2';
import { call, type Result } from './ops';

const O_READ: OpenMode = 'r';
const O_WRITE: OpenMode = 'r+'; // WRITE without TRUNC: reopening keeps what was written

export interface UploadSpec {
  session: string;
  remote: string;
  /** where the bytes go: the temporary name, or the target itself when resuming */
  file: string;
  direct: boolean;
}

/** The temporary name of an upload: beside the target, unique to the request that opened it. */
export function tempName(remote: string, sessionId: string, requestId: string): string {
  const tag = crypto.createHash('sha256').update(`${sessionId}\0${requestId}`).digest('hex').slice(0, 16);
  return path.join(path.dirname(remote), `.${path.basename(remote)}.cb-${tag}.tmp`);
}

class RemoteFile {
  private handle: Buffer | null = null;
  private gen = -1;
  constructor(readonly s: SftpSession, readonly file: string, readonly flags: OpenMode) {}

  async ensure(): Promise<Result<Buffer>> {
    if (this.handle && this.gen === this.s.gen && this.s.connected) return { ok: true, value: this.handle };
    const r = await call<Buffer>(this.s, true, (f, cb) => f.open(this.file, this.flags, cb));
    if (r.ok) { this.handle = r.value; this.gen = this.s.gen; }
    return r;
  }

  async close(): Promise<Result<void>> {
    const h = this.handle;
    this.handle = null;
    if (!h || this.gen !== this.s.gen || !this.s.connected) return { ok: true, value: undefined };
    return call<void>(this.s, false, (f, cb) => f.close(h, cb));
  }
}

export class Upload extends RemoteFile {
  constructor(s: SftpSession, readonly spec: UploadSpec) { super(s, spec.file, O_WRITE); }

  async write(offset: number, data: Buffer): Promise<Result<void>> {
    for (let attempt = 0; ; attempt++) {
      const h = await this.ensure();
      if (!h.ok) return h;
      const gen = this.s.gen;
      const r = await call<void>(this.s, true, (f, cb) => f.write(h.value, data, 0, data.length, offset, cb));
      // a reconnect inside call() made the handle stale: reopen and write again (same offset)
      if (!r.ok && this.s.gen !== gen && attempt < 2) continue;
      return r;
    }
  }
}

export class Download extends RemoteFile {
  constructor(s: SftpSession, file: string) { super(s, file, O_READ); }

  async read(offset: number, length: number): Promise<Result<Buffer>> {
    for (let attempt = 0; ; attempt++) {
      const h = await this.ensure();
      if (!h.ok) return h;
      const gen = this.s.gen;
      const buf = Buffer.alloc(length);
      const r = await call<number>(this.s, true, (f, cb) => f.read(h.value, buf, 0, length, offset, (err, n) => cb(err, n)));
      if (!r.ok && this.s.gen !== gen && attempt < 2) continue;
      if (!r.ok) return r.status === 1 ? { ok: true, value: Buffer.alloc(0) } : r;
      return { ok: true, value: buf.subarray(0, r.value) };
    }
  }
}
