// The predecessor's call_python sftp functions on ours, in its shapes (nested under `result`).
// put and get are not translated: their local files are the script's, which only the Perl side
// (SFTPHelper, Net::SFTP::Foreign) reads and writes. Host keys are checked against the
// known_hosts text given (the predecessor accepted any key).
import type { LegacyTable } from '../../kit/legacy';
import { nested, text } from '../../kit/legacy';

const sid = (p: Record<string, unknown>) => text(p.session_id ?? p.sftp_id ?? '');
const path = (p: Record<string, unknown>, ...keys: string[]) => text(keys.map((k) => p[k]).find((v) => v !== undefined && v !== null) ?? '.');
const ok = (r: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  r.ok ? nested(extra) : { success: false, error: text(r.text ?? 'failed'), status: r.status };

export const SFTP_LEGACY: LegacyTable = {
  'sftp.new': {
    to: (p) => ({
      module: 'sftp', function: 'connect', params: {
        host: text(p.host ?? ''), port: Number(p.port ?? 22), user: text(p.username ?? p.user ?? ''),
        password: p.password === undefined ? null : text(p.password), key: p.private_key === undefined ? null : text(p.private_key),
        passphrase: p.passphrase === undefined ? null : text(p.passphrase), timeout: Number(p.timeout ?? 60),
        known_hosts: text(p.known_hosts ?? ''), strict: 'yes',
      },
    }),
    shape: (r) => nested({ session_id: r.sftp, connected: true }),
  },
  'sftp.ls': {
    to: (p) => ({ module: 'sftp', function: 'ls', params: { sftp: sid(p), path: path(p, 'path', 'remote_dir', 'dir') } }),
    shape: (r) => {
      const entries = ((r.entries ?? []) as { filename: string; longname: string; a: { size: number; mtime: number; perm: number } }[])
        .filter((e) => e.filename !== '.' && e.filename !== '..')
        .map((e) => ({ filename: e.filename, longname: e.longname, size: e.a.size, mtime: e.a.mtime, permissions: e.a.perm, is_dir: (e.a.perm & 0o170000) === 0o040000 }));
      return ok(r, { files: entries, count: entries.length });
    },
  },
  'sftp.mkdir': {
    to: (p) => ({ module: 'sftp', function: 'mkdir', params: { sftp: sid(p), path: path(p, 'path', 'remote_dir'), attrs: {} } }),
    shape: (r) => ok(r, { created: true }),
  },
  'sftp.remove': {
    to: (p) => ({ module: 'sftp', function: 'remove', params: { sftp: sid(p), path: path(p, 'path', 'remote_file') } }),
    shape: (r) => ok(r, { removed: true }),
  },
  'sftp.rename': {
    to: (p) => ({ module: 'sftp', function: 'rename', params: { sftp: sid(p), from: path(p, 'old_path', 'old_name'), to: path(p, 'new_path', 'new_name'), posix: Boolean(p.overwrite) } }),
    shape: (r) => ok(r, { renamed: true }),
  },
  'sftp.disconnect': {
    to: (p) => ({ module: 'sftp', function: 'disconnect', params: { sftp: sid(p) } }),
    shape: () => nested({ disconnected: true }),
  },
};
