// Whether the client process that owns a session is gone: its handles can then be released, as a
// dead DBI script loses its connections. Only a process of this host can be checked.
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function ownerGone(s: { pid: number | null; host: string | null }, host: string): boolean {
  return s.pid !== null && (!s.host || s.host === host) && !pidAlive(s.pid);
}
