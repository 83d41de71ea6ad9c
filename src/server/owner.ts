import * as fs from 'node:fs';

// Whether the client process that owns a session is gone: its handles can then be released, as a
// dead DBI script loses its connections. Only a process of this host can be checked.
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // a zombie (dead, not yet reaped by a parent that never will) answers signal 0 too
  try {
    return !/^\d+ \(.*\) Z/s.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc: signal 0 is all there is
  }
}

export function ownerGone(s: { pid: number | null; host: string | null }, host: string): boolean {
  return s.pid !== null && (!s.host || s.host === host) && !pidAlive(s.pid);
}
