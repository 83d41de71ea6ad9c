// SFTP requests on a session, each answering what Net::SFTP::Foreign stores: success with a value,
// or the server's status code and text (`2 No such file`, `4 Failure`). A call that fails without
// a status (the connection died) reconnects and runs again where that is safe (`retry`), else it
// is reported as a lost connection.
import type { Attributes, InputAttributes, SFTPWrapper } from 'ssh2';
import { BridgeError } from '../../errors';
import type { SftpSession } from './connection';

export type Status = { ok: false; status: number; text: string };
export type Result<T> = { ok: true; value: T } | Status;

/** The attributes as Net::SFTP::Foreign::Attributes holds them. */
export interface Attrs { size: number; uid: number; gid: number; perm: number; atime: number; mtime: number }

export function attrsOf(a: Attributes): Attrs {
  return { size: a.size, uid: a.uid, gid: a.gid, perm: a.mode, atime: a.atime, mtime: a.mtime };
}

/** What the shim sends for setstat/mkdir: only the fields the script set. */
export interface AttrsIn { perm?: number | null; uid?: number | null; gid?: number | null; atime?: number | null; mtime?: number | null }

export function attrsIn(a: AttrsIn | undefined): InputAttributes {
  const out: InputAttributes = {};
  if (!a) return out;
  if (a.perm !== undefined && a.perm !== null) out.mode = a.perm;
  if (a.uid !== undefined && a.uid !== null && a.gid !== undefined && a.gid !== null) { out.uid = a.uid; out.gid = a.gid; }
  if (a.atime !== undefined && a.atime !== null && a.mtime !== undefined && a.mtime !== null) { out.atime = a.atime; out.mtime = a.mtime; }
  return out;
}

// ssh2 filters '.' and '..' unless asked (its types lack the option); Foreign lists them
interface FullReaddir { readdir(h: Buffer, o: { full: boolean }, cb: Cb<{ filename: string; longname: string; attrs: Attributes }[] | false>): void }

class StalledError extends Error {}

type Cb<T> = (err: (Error & { code?: unknown }) | undefined | null, v?: T) => void;

function isStatus(e: unknown): e is Error & { code: number } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'number';
}

/**
 * Runs one request. `retry`: the request may run twice (reads, writes at an offset, opens) and
 * is sent again on a fresh connection when the first died; otherwise a lost connection is an error.
 */
export async function call<T>(s: SftpSession, retry: boolean, f: (sftp: SFTPWrapper, cb: Cb<T>) => void): Promise<Result<T>> {
  for (let attempt = 0; ; attempt++) {
    const sftp = await s.sftp();
    try {
      const value = await new Promise<T>((resolve, reject) => {
        const onClose = () => reject(new Error('connection lost'));
        const limit = s.spec.io_timeout;
        const timer = limit ? setTimeout(() => reject(new StalledError()), limit * 1000) : null;
        const done = () => { sftp.removeListener('close', onClose); if (timer) clearTimeout(timer); };
        sftp.once('close', onClose);
        try {
          f(sftp, (err, v) => { done(); if (err) reject(err); else resolve(v as T); });
        } catch (e) { done(); reject(e); }
      });
      return { ok: true, value };
    } catch (e) {
      if (isStatus(e)) return { ok: false, status: e.code, text: e.message };
      s.lost();
      // as Foreign: a stall drops the connection for good (no retry), the object reports it
      if (e instanceof StalledError) throw new BridgeError('sftp_connection', 'Connection to remote server stalled', { extra: { stalled: true } });
      if (!retry || attempt >= 1) throw new BridgeError('sftp_connection', `Connection to remote server is broken: ${(e as Error).message}`);
    }
  }
}

export const stat = (s: SftpSession, p: string) => call<Attributes>(s, true, (f, cb) => f.stat(p, cb));
export const lstat = (s: SftpSession, p: string) => call<Attributes>(s, true, (f, cb) => f.lstat(p, cb));
export const realpath = (s: SftpSession, p: string) => call<string>(s, true, (f, cb) => f.realpath(p, cb));
export const readlink = (s: SftpSession, p: string) => call<string>(s, true, (f, cb) => f.readlink(p, cb));

/** A directory's entries ('.' and '..' included, as the server sends them). */
export async function readdir(s: SftpSession, dir: string): Promise<Result<{ filename: string; longname: string; a: Attrs }[]> & { step?: string }> {
  const h = await call<Buffer>(s, true, (f, cb) => f.opendir(dir, cb));
  if (!h.ok) return { ...h, step: 'open' };
  const out: { filename: string; longname: string; a: Attrs }[] = [];
  for (;;) {
    const r = await call<{ filename: string; longname: string; attrs: Attributes }[] | false>(s, false, (f, cb) => (f as unknown as FullReaddir).readdir(h.value, { full: true }, cb));
    if (!r.ok) {
      if (r.status === 1) break; // EOF
      await call(s, false, (f, cb) => f.close(h.value, cb));
      return { ...r, step: 'read' };
    }
    if (r.value === false) break;
    for (const e of r.value) out.push({ filename: e.filename, longname: e.longname, a: attrsOf(e.attrs) });
  }
  await call(s, false, (f, cb) => f.close(h.value, cb));
  return { ok: true, value: out };
}

/** posix-rename@openssh.com when the server has it (status 8 when it has not, as Foreign reports). */
export function rename(s: SftpSession, from: string, to: string, posix: boolean): Promise<Result<void>> {
  return call<void>(s, false, (f, cb) => {
    if (!posix) return f.rename(from, to, cb);
    try { f.ext_openssh_rename(from, to, cb); } catch { const e = new Error('Operation unsupported') as Error & { code: number }; e.code = 8; cb(e); }
  });
}
