import { pidAlive } from '../pid-alive';

export { pidAlive };

// Whether the client process that owns a session is gone: its handles can then be released, as a
// dead DBI script loses its connections. Only a process of this host can be checked.
export function ownerGone(s: { pid: number | null; host: string | null }, host: string): boolean {
  return s.pid !== null && (!s.host || s.host === host) && !pidAlive(s.pid);
}
