// Output paths: only under the allowed directories (configuration; by default the client's working
// directory and the system temporary directory), and only where the client's own user may write
// (its uid from the socket, not its word: the cwd it claims widens nothing). Symlinks are resolved
// before the check, so a link cannot lead a write outside them.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Settings } from './config';
import { BridgeError } from './errors';
import type { Session } from './kit/types';
import { peerMayWrite } from './peer-access';

function real(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

export function allowedDirs(settings: Settings, session: Session): string[] {
  if (settings.allowedDirs.length) return settings.allowedDirs.map(real);
  // no cwd from the client: the daemon's own, but never "/" (a detached daemon's)
  const cwd = session.cwd ?? (process.cwd() === path.parse(process.cwd()).root ? null : process.cwd());
  return [...(cwd ? [cwd] : []), os.tmpdir()].map(real);
}

/** Absolute path of `p` (relative to the client's cwd), or a `path_denied` error. */
export function resolveOutputPath(p: string, settings: Settings, session: Session): string {
  if (!p || p.includes('\0')) throw new BridgeError('path_denied', 'an output path must be a non-empty string without NUL bytes');
  const abs = path.resolve(session.cwd ?? process.cwd(), p);
  const dir = real(path.dirname(abs));
  const full = path.join(dir, path.basename(abs));
  const ok = allowedDirs(settings, session).some((d) => full === d || full.startsWith(d.endsWith(path.sep) ? d : d + path.sep));
  if (!ok) {
    throw new BridgeError('path_denied', `${p}: outside the allowed directories (${allowedDirs(settings, session).join(', ')}); set allowed_dirs in the configuration to permit it`);
  }
  const why = peerMayWrite(full, session.peer ?? null);
  if (why) throw new BridgeError('path_denied', `${p}: ${why} (the bridge writes only where the client's own user may)`);
  return full;
}
