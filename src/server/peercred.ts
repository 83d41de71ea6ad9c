// Who is on the other end of a Unix socket: the kernel's SO_PEERCRED (pid, uid, gid of the peer
// when it connected), read with getsockopt through koffi (a maintained FFI with prebuilt binaries;
// Node has no API for it). The credentials come from the kernel, so a client cannot forge them.
// Linux only: elsewhere, or when anything fails, the answer is null and callers refuse (fail closed).
import type * as net from 'node:net';
import * as os from 'node:os';

export interface PeerCredentials {
  pid: number;
  uid: number;
  gid: number;
}

type GetSockOpt = (fd: number, level: number, name: number, val: Buffer, len: Buffer) => number;

const SOL_SOCKET = 1;
const SO_PEERCRED = 17;
const UCRED_BYTES = 12; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }

let getsockopt: GetSockOpt | null | undefined;

function load(): GetSockOpt | null {
  if (getsockopt !== undefined) return getsockopt;
  getsockopt = null;
  if (process.platform !== 'linux') return null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily: the daemon runs (legacy wire refused) without it
    const koffi = require('koffi') as typeof import('koffi');
    const fn = koffi.load('libc.so.6').func('int getsockopt(int, int, int, void *, void *)');
    getsockopt = (fd, level, name, val, len) => fn(fd, level, name, val, len) as number;
  } catch {
    getsockopt = null;
  }
  return getsockopt;
}

/** The peer's credentials, or null when they cannot be had (not a Unix socket, not Linux, no koffi). */
export function peerCredentials(socket: net.Socket): PeerCredentials | null {
  // net.Socket keeps its file descriptor on the internal handle (a Pipe for Unix sockets)
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) return null;
  const call = load();
  if (!call) return null;
  const val = Buffer.alloc(UCRED_BYTES);
  const len = Buffer.alloc(4);
  const le = os.endianness() === 'LE'; // the struct is in the host's byte order
  if (le) len.writeUInt32LE(UCRED_BYTES, 0);
  else len.writeUInt32BE(UCRED_BYTES, 0);
  try {
    if (call(fd, SOL_SOCKET, SO_PEERCRED, val, len) !== 0 || (le ? len.readUInt32LE(0) : len.readUInt32BE(0)) !== UCRED_BYTES) return null;
  } catch {
    return null;
  }
  const cred = le
    ? { pid: val.readInt32LE(0), uid: val.readUInt32LE(4), gid: val.readUInt32LE(8) }
    : { pid: val.readInt32BE(0), uid: val.readUInt32BE(4), gid: val.readUInt32BE(8) };
  return cred.pid > 0 ? cred : null;
}

/** Whether peer credentials can be had at all on this installation (doctor reports it). */
export function peerCredentialsAvailable(): boolean {
  return load() !== null;
}
