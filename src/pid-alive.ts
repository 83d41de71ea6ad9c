// Whether a process of this host is alive: signal 0, and a zombie (dead, never to be reaped)
// counts as gone. Used for session owners, lock holders and crashed writers' temporary files.
import * as fs from 'node:fs';

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
