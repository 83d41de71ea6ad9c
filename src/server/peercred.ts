// The credentials of a Unix-socket peer: pid, uid and gid as the kernel recorded them when it
// connected (SO_PEERCRED), which the peer cannot forge. Node.js does not expose SO_PEERCRED, so a
// tiny N-API addon (native/peercred, built by `npm ci`) reads it. Without the addon, or for a
// socket that is not a connected Unix socket, the answer is null: the caller must then treat the
// peer as unknown (trusted for nothing beyond what anyone may do).
import * as path from 'node:path';
import type * as net from 'node:net';

export interface PeerCredentials {
  pid: number;
  uid: number;
  gid: number;
}

type Addon = { peercred(fd: number): PeerCredentials | null };

let addon: Addon | null | undefined;

function load(): Addon | null {
  if (addon === undefined) {
    try {
      // dist/src/server → the repository root
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      addon = require(path.join(__dirname, '..', '..', '..', 'native', 'peercred', 'build', 'Release', 'peercred.node')) as Addon;
    } catch {
      addon = null;
    }
  }
  return addon;
}

/** Whether peer credentials can be had at all on this installation (doctor reports it). */
export function peerCredentialsAvailable(): boolean {
  return load() !== null;
}

export function peerCredentials(socket: net.Socket): PeerCredentials | null {
  // libuv keeps the descriptor on the handle; it is there for every connected pipe on Unix
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  const a = load();
  if (!a || typeof fd !== 'number' || fd < 0) return null;
  try {
    const c = a.peercred(fd);
    return c && c.pid > 0 ? c : null;
  } catch {
    return null;
  }
}
