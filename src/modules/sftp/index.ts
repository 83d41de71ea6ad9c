// The sftp module: Net::SFTP::Foreign 1.93 on ssh2's SFTP client. The shim keeps the object's
// fields (cwd, error, status) and formats Foreign's messages; the daemon runs the SFTP requests
// and answers each with success or the server's status code and text, which Foreign stores.
// Transfers stream through the shim in chunks: an upload writes a temporary remote file named
// from its opening request and renames it into place at commit; a download reads at offsets.
import type { CallContext, FunctionDef, HandleKindDef, LiveHandle, ModuleDef } from '../../kit/types';
import { BridgeError } from '../../errors';
import { ConnectError, SftpSession, type SessionSpec } from './connection';
import { attrsIn, attrsOf, call, lstat, readdir, readlink, realpath, rename, stat, type AttrsIn, type Result } from './ops';
import { Download, tempName, Upload, type UploadSpec } from './transfers';

const id = { type: 'string', minLength: 1, maxLength: 100 };
const pathS = { type: 'string', maxLength: 4096 };
const int = { type: ['integer', 'null'], minimum: 0 };
const attrs = { type: 'object', additionalProperties: false, properties: { perm: int, uid: int, gid: int, atime: int, mtime: int } };
const bytes = { type: 'object', required: ['$b64'], additionalProperties: false, properties: { $b64: { type: 'string' } } };
const obj = (required: string[], properties: Record<string, unknown>) => ({ type: 'object', additionalProperties: false, required, properties });

const MAX_CHUNK = 4 * 1024 * 1024;
const PROGRESS_EVERY = 32 * 1024 * 1024;

/** The reply of a request the server answered: success (with fields) or its status. */
function reply<T>(r: Result<T>, ok: (v: T) => Record<string, unknown> = () => ({})): Record<string, unknown> {
  return r.ok ? { ok: 1, ...ok(r.value) } : { ok: 0, status: r.status, text: r.text };
}

const session = (ctx: CallContext, h: string) => ctx.handle<SftpSession>(h, 'sftp', 'session');
const upload = (ctx: CallContext, h: string) => ctx.handle<Upload>(h, 'sftp', 'upload');
const download = (ctx: CallContext, h: string) => ctx.handle<Download>(h, 'sftp', 'download');

type PathP = { sftp: string; path: string };
const pathParams = obj(['sftp', 'path'], { sftp: id, path: pathS });

function read<T>(f: (s: SftpSession, p: string) => Promise<Result<T>>, shape: (v: T) => Record<string, unknown>): FunctionDef<PathP> {
  return {
    params: pathParams,
    effect: 'read',
    async run(p, ctx) { return reply(await f((await session(ctx, p.sftp)).obj, p.path), shape); },
  };
}

/**
 * Is a path there? (true, false, or null when the server would not say). After a crash between
 * begun and done, a path gone means a remove happened and a directory there means a mkdir did:
 * the same end state whichever way it went (a remove of a path already missing is then answered
 * as a success: the server cannot tell them apart).
 */
async function exists(s: SftpSession, p: string): Promise<boolean | null> {
  const r = await lstat(s, p);
  return r.ok ? true : r.status === 2 ? false : null;
}

const gone = (p: PathP & Record<string, unknown>, ctx: CallContext) => session(ctx, p.sftp).then(async (h) => {
  const e = await exists(h.obj, p.path);
  return e === false ? { happened: true as const, result: { ok: 1 } } : e === true ? { happened: false as const } : undefined;
});

/**
 * A side effect whose connection went while its request was out (the server restarted): after
 * the reconnect, the server is looked at as after a daemon crash: done, run once more, or the error.
 */
async function orLookUp<P>(p: P, ctx: CallContext, outcome: FunctionDef<P>['outcome'], run: () => Promise<Record<string, unknown>>): Promise<unknown> {
  try {
    return await run();
  } catch (e) {
    if (!(e instanceof BridgeError) || e.code !== 'sftp_connection' || e.extra.stalled || !outcome) throw e;
    const known = await outcome(p, ctx).catch(() => undefined);
    if (known?.happened) return known.result;
    if (known) return run();
    throw e;
  }
}

const simple = (f: (s: SftpSession, p: PathP & { attrs?: AttrsIn }) => Promise<Result<void>>, outcome: FunctionDef<PathP>['outcome'], extra: Record<string, unknown> = {}): FunctionDef<PathP & { attrs?: AttrsIn }> => ({
  params: obj(['sftp', 'path'], { sftp: id, path: pathS, ...extra }),
  effect: 'side-effect',
  outcome,
  async run(p, ctx) { return orLookUp(p, ctx, outcome, async () => reply(await f((await session(ctx, p.sftp)).obj, p))); },
});

const functions: Record<string, FunctionDef> = {
  connect: {
    params: obj(['host', 'port', 'user', 'timeout', 'known_hosts', 'strict'], {
      host: { type: 'string', minLength: 1, maxLength: 255 }, port: { type: 'integer', minimum: 1, maximum: 65535 },
      user: { type: 'string', minLength: 1, maxLength: 255 }, password: { type: ['string', 'null'] }, key: { type: ['string', 'null'], maxLength: 100_000 },
      passphrase: { type: ['string', 'null'] }, timeout: { type: 'number', minimum: 0.1, maximum: 3600 },
      io_timeout: { type: ['number', 'null'], minimum: 0.1, maximum: 86400 },
      known_hosts: { type: 'string', maxLength: 10_000_000 }, strict: { enum: ['yes', 'no', 'accept-new'] },
    }),
    effect: 'create',
    async run(p: Partial<SessionSpec> & Pick<SessionSpec, 'host' | 'port' | 'user' | 'timeout' | 'known_hosts' | 'strict'>, ctx) {
      const spec: SessionSpec = { password: null, key: null, passphrase: null, ...p };
      const s = new SftpSession(spec);
      try {
        await s.open();
      } catch (e) {
        if (e instanceof ConnectError) throw new BridgeError('sftp_connect_failed', e.message, { extra: { kind: e.kind, ...e.extra } });
        // a bad private key or passphrase (ssh2 parses it before connecting)
        throw new BridgeError('sftp_connect_failed', (e as Error).message, { extra: { kind: 'key' } });
      }
      // what the session was made from, accept-new having accepted: a reconnect checks the same key
      const known = s.newKeys.length ? `${spec.known_hosts}\n${s.newKeys.join('\n')}\n` : spec.known_hosts;
      const h = ctx.create('sftp', 'session', { ...spec, known_hosts: known, strict: spec.strict === 'accept-new' ? 'yes' : spec.strict }, s, { state: { cwd: null } });
      ctx.log.info({ sftp: h.id, host: spec.host, port: spec.port, user: spec.user }, 'sftp session open');
      return { sftp: h.id, new_keys: s.newKeys };
    },
  },

  disconnect: {
    params: obj(['sftp'], { sftp: id }),
    effect: 'close',
    async run(p: { sftp: string }, ctx) {
      const h = await session(ctx, p.sftp).catch(() => null);
      if (h) await ctx.close(h);
      return { ok: 1 };
    },
  },

  // the shim resolves relative paths; the journal keeps the cwd so a rebuilt session has it
  setcwd: {
    params: obj(['sftp', 'cwd'], { sftp: id, cwd: { type: ['string', 'null'], maxLength: 4096 } }),
    effect: 'mutate-local',
    async run(p: { sftp: string; cwd: string | null }, ctx) {
      const h = await session(ctx, p.sftp);
      ctx.setState(h, { cwd: p.cwd });
      return { cwd: p.cwd };
    },
  },

  session_state: {
    params: obj(['sftp'], { sftp: id }),
    effect: 'read',
    async run(p: { sftp: string }, ctx) {
      const h = await session(ctx, p.sftp);
      return { cwd: h.state?.cwd ?? null, connected: h.obj.connected, reconnects: Math.max(0, h.obj.gen - 1) };
    },
  },

  stat: read(stat, (a) => ({ a: attrsOf(a) })),
  lstat: read(lstat, (a) => ({ a: attrsOf(a) })),
  realpath: read(realpath, (v) => ({ path: v })),
  readlink: read(readlink, (v) => ({ path: v })),

  // ssh2 puts the paths in OpenSSH's (swapped) order for OpenSSH servers, as Foreign always does
  symlink: {
    params: obj(['sftp', 'link', 'target'], { sftp: id, link: pathS, target: pathS }),
    effect: 'side-effect',
    async outcome(p: { sftp: string; link: string }, ctx) {
      const e = await exists((await session(ctx, p.sftp)).obj, p.link);
      return e === true ? { happened: true, result: { ok: 1 } } : e === false ? { happened: false } : undefined;
    },
    async run(p: { sftp: string; link: string; target: string }, ctx) {
      return reply(await call<void>((await session(ctx, p.sftp)).obj, false, (f, cb) => f.symlink(p.target, p.link, cb)));
    },
  },
  ls: {
    params: pathParams,
    effect: 'read',
    async run(p: PathP, ctx) {
      const r = await readdir((await session(ctx, p.sftp)).obj, p.path);
      return r.ok ? { ok: 1, entries: r.value } : { ok: 0, status: r.status, text: r.text, step: r.step };
    },
  },

  mkdir: simple((s, p) => call<void>(s, false, (f, cb) => f.mkdir(p.path, attrsIn(p.attrs), cb)), async (p, ctx) => {
    const a = await stat((await session(ctx, p.sftp)).obj, p.path);
    return a.ok && (a.value.mode & 0o170000) === 0o040000 ? { happened: true, result: { ok: 1 } } : { happened: false };
  }, { attrs }),
  rmdir: simple((s, p) => call<void>(s, false, (f, cb) => f.rmdir(p.path, cb)), gone),
  remove: simple((s, p) => call<void>(s, false, (f, cb) => f.unlink(p.path, cb)), gone),
  // setting attributes twice sets them once: after a crash it simply runs
  setstat: simple((s, p) => call<void>(s, true, (f, cb) => f.setstat(p.path, attrsIn(p.attrs), cb)), async () => ({ happened: false }), { attrs }),

  rename: {
    params: obj(['sftp', 'from', 'to', 'posix'], { sftp: id, from: pathS, to: pathS, posix: { type: 'boolean' } }),
    effect: 'side-effect',
    async outcome(p: { sftp: string; from: string; to: string }, ctx) {
      const s = (await session(ctx, p.sftp)).obj;
      const [src, dst] = [await exists(s, p.from), await exists(s, p.to)];
      if (src === false && dst === true) return { happened: true, result: { ok: 1 } };
      if (src === true) return { happened: false };
      return undefined;
    },
    async run(p: { sftp: string; from: string; to: string; posix: boolean }, ctx) {
      return orLookUp(p, ctx, functions.rename.outcome, async () => reply(await rename((await session(ctx, p.sftp)).obj, p.from, p.to, p.posix)));
    },
  },

  put_open: {
    params: obj(['sftp', 'remote', 'resume'], { sftp: id, remote: pathS, resume: { type: 'boolean' }, perm: int }),
    effect: 'create',
    async run(p: { sftp: string; remote: string; resume: boolean; perm?: number | null }, ctx) {
      const sh = await session(ctx, p.sftp);
      const s = sh.obj;
      let offset = 0;
      let direct = false;
      if (p.resume) {
        const a = await stat(s, p.remote);
        if (a.ok) { offset = a.value.size; direct = true; }
      }
      const file = direct ? p.remote : tempName(p.remote, ctx.session.id, ctx.requestId);
      const mode = p.perm ?? undefined;
      const r = await call<Buffer>(s, true, (f, cb) => f.open(file, direct ? 'r+' : 'w', mode === undefined ? {} : { mode }, cb));
      if (!r.ok) return reply(r);
      await call<void>(s, false, (f, cb) => f.close(r.value, cb));
      const spec: UploadSpec = { session: p.sftp, remote: p.remote, file, direct };
      const u = new Upload(s, spec);
      const h = ctx.create('sftp', 'upload', { ...spec }, u, { parent: sh, state: { offset } });
      return { ok: 1, upload: h.id, offset, temp: direct ? null : file };
    },
  },

  put_write: {
    params: obj(['upload', 'offset', 'data'], { upload: id, offset: { type: 'integer', minimum: 0 }, data: bytes }),
    effect: 'mutate-local',
    async run(p: { upload: string; offset: number; data: Buffer }, ctx) {
      if (p.data.length > MAX_CHUNK) throw new BridgeError('bad_params', `put_write: a chunk of ${p.data.length} bytes is over ${MAX_CHUNK}`);
      const h = await upload(ctx, p.upload);
      const r = await h.obj.write(p.offset, p.data);
      if (!r.ok) return reply(r);
      const end = p.offset + p.data.length;
      if (Math.floor(end / PROGRESS_EVERY) > Math.floor(p.offset / PROGRESS_EVERY)) ctx.log.info({ upload: h.id, remote: h.obj.spec.remote, bytes: end }, 'sftp upload progress');
      ctx.setState(h, { offset: end });
      return { ok: 1, offset: end };
    },
  },

  put_commit: {
    params: obj(['upload', 'size', 'mode'], { upload: id, size: { type: 'integer', minimum: 0 }, attrs, to: pathS, mode: { enum: ['overwrite', 'plain'] } }),
    effect: 'side-effect',
    async outcome(p: { upload: string; size: number; to?: string }, ctx) {
      const h = await upload(ctx, p.upload);
      const s = h.obj.s;
      if (h.obj.spec.direct) return { happened: false }; // resume: closing and setstat again is harmless
      const temp = await exists(s, h.obj.spec.file);
      if (temp === true) return { happened: false };
      const target = p.to ?? h.obj.spec.remote;
      const a = await stat(s, target);
      if (temp === false && a.ok && a.value.size === p.size) { await ctx.close(h); return { happened: true, result: { ok: 1, remote: target } }; }
      return undefined;
    },
    // a failed rename leaves the upload open: the shim may commit again under another name (numbered)
    async run(p: { upload: string; size: number; attrs?: AttrsIn; to?: string; mode: 'overwrite' | 'plain' }, ctx) {
      const h = await upload(ctx, p.upload);
      const u = h.obj;
      const c = await u.close();
      if (!c.ok) return { ...reply(c), step: 'close' };
      const set = attrsIn(p.attrs);
      if (Object.keys(set).length) {
        const r = await call<void>(u.s, true, (f, cb) => f.setstat(u.spec.file, set, cb));
        if (!r.ok) return { ...reply(r), step: 'setstat' };
      }
      const target = p.to ?? u.spec.remote;
      if (!u.spec.direct) {
        let r = await rename(u.s, u.spec.file, target, p.mode === 'overwrite');
        // the server lacks posix-rename: Foreign falls back to a plain rename
        if (!r.ok && p.mode === 'overwrite' && r.status === 8) r = await rename(u.s, u.spec.file, target, false);
        if (!r.ok) return { ...reply(r), step: 'rename' };
      }
      await ctx.close(h);
      ctx.log.info({ remote: target, bytes: p.size }, 'sftp upload done');
      return { ok: 1, remote: target };
    },
  },

  // the transfer failed or was given up: its temporary file goes
  put_abort: {
    params: obj(['upload'], { upload: id }),
    effect: 'close',
    async run(p: { upload: string }, ctx) {
      const h = await upload(ctx, p.upload).catch(() => null);
      if (!h) return { ok: 1 };
      await h.obj.close().catch(() => undefined);
      if (!h.obj.spec.direct) await call<void>(h.obj.s, true, (f, cb) => f.unlink(h.obj.spec.file, cb)).catch(() => undefined);
      await ctx.close(h);
      return { ok: 1 };
    },
  },

  get_open: {
    params: obj(['sftp', 'remote'], { sftp: id, remote: pathS }),
    effect: 'create',
    async run(p: { sftp: string; remote: string }, ctx) {
      const sh = await session(ctx, p.sftp);
      const a = await stat(sh.obj, p.remote);
      if (!a.ok) return { ...reply(a), step: 'stat' };
      const d = new Download(sh.obj, p.remote);
      const o = await d.ensure();
      if (!o.ok) return { ...reply(o), step: 'open' };
      const h = ctx.create('sftp', 'download', { session: p.sftp, remote: p.remote }, d, { parent: sh });
      return { ok: 1, download: h.id, a: attrsOf(a.value) };
    },
  },

  get_read: {
    params: obj(['download', 'offset', 'length'], { download: id, offset: { type: 'integer', minimum: 0 }, length: { type: 'integer', minimum: 1, maximum: MAX_CHUNK } }),
    effect: 'read',
    async run(p: { download: string; offset: number; length: number }, ctx) {
      const h = await download(ctx, p.download);
      const r = await h.obj.read(p.offset, p.length);
      return r.ok ? { ok: 1, data: r.value, eof: r.value.length === 0 } : reply(r);
    },
  },

  get_close: {
    params: obj(['download'], { download: id }),
    effect: 'close',
    async run(p: { download: string }, ctx) {
      const h = await download(ctx, p.download).catch(() => null);
      if (h) { await h.obj.close().catch(() => undefined); await ctx.close(h); }
      return { ok: 1 };
    },
  },
};

function parentSession(h: LiveHandle<undefined>): SftpSession {
  const s = h.parent?.obj;
  if (!(s instanceof SftpSession)) throw new BridgeError('internal', `sftp ${h.kind} ${h.id} without its session`);
  return s;
}

const kinds: Record<string, HandleKindDef> = {
  // rebuilt lazily: the connection opens on the first request that needs it
  session: {
    secrets: ['password', 'key', 'passphrase'],
    async rehydrate(h) { return new SftpSession(h.spec as unknown as SessionSpec); },
    dispose(obj) { (obj as SftpSession).close(); },
  },
  upload: {
    async rehydrate(h) { return new Upload(parentSession(h), h.spec as unknown as UploadSpec); },
    async dispose(obj) { await (obj as Upload).close().catch(() => undefined); },
  },
  download: {
    async rehydrate(h) { return new Download(parentSession(h), String(h.spec.remote)); },
    async dispose(obj) { await (obj as Download).close().catch(() => undefined); },
  },
};

export const sftpModule: ModuleDef = { name: 'sftp', functions, kinds };
