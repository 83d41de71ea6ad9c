// Whether a client's user may itself create `target` (in its directory): the daemon, which may
// run as root or serve a group, never writes where the client could not. Checked with the
// peer's uid and gid from SO_PEERCRED (supplementary groups are not known: a directory writable
// only through one is refused, erring on the safe side); an unknown peer counts as "others".
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PeerCredentials } from './server/peercred';

const W = 2;
const X = 1;

/** The rwx bits of `st` that apply to `peer` (owner, group or others). */
function bitsFor(st: fs.Stats, peer: PeerCredentials | null): number {
  if (peer && st.uid === peer.uid) return (st.mode >> 6) & 7;
  if (peer && st.gid === peer.gid) return (st.mode >> 3) & 7;
  return st.mode & 7;
}

/** Null when `peer` may create or replace `target` (an absolute real path), else why not. */
export function peerMayWrite(target: string, peer: PeerCredentials | null): string | null {
  const me = process.getuid?.() ?? -1;
  if (peer && peer.uid === 0) return null; // root may write anywhere
  const dir = path.dirname(target);
  // no such directory: nothing can be created there, and the caller says so (ENOENT); close checks again
  if (!fs.existsSync(dir)) return null;
  const who = peer ? `uid ${peer.uid}` : 'a client whose identity is unknown';
  if (peer && peer.uid === me) {
    // our own user: the kernel answers exactly (supplementary groups, ACLs)
    try {
      fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
      return null;
    } catch {
      return `${who} may not write in ${dir}`;
    }
  }
  // every directory on the way must be searchable by the peer, the last one writable
  for (let d = dir; ; d = path.dirname(d)) {
    let st: fs.Stats;
    try {
      st = fs.statSync(d);
    } catch {
      return `${d} does not exist`;
    }
    const bits = bitsFor(st, peer);
    if (!(bits & X) || (d === dir && !(bits & W))) return `${who} may not ${d === dir ? 'write in' : 'enter'} ${d}`;
    if (d === dir && st.mode & 0o1000) {
      // sticky (like /tmp): an existing file may be replaced only by its owner or the directory's
      try {
        const t = fs.lstatSync(target);
        if (!peer || (t.uid !== peer.uid && st.uid !== peer.uid)) return `${target} belongs to uid ${t.uid} in the sticky directory ${dir}`;
      } catch { /* absent: may be created */ }
    }
    if (d === path.dirname(d)) return null;
  }
}
