// The predecessor's connect_cached: the first call connects (cached 0), later ones with the same
// DSN, user and AutoCommit/RaiseError/PrintError get the same connection id (cached 1) while it
// is alive. Kept per client session (a cached handle is never handed to another client, whose
// transaction it would share), in memory: after a daemon restart the first call connects anew.
import { flat, text, type LegacyCall, type LegacyRunner } from '../../kit/legacy';

/** Connection ids by cache key, per session; bounded like the predecessor's (50 entries). */
const bySession = new Map<string, Map<string, string>>();
const MAX_PER_SESSION = 50;
const MAX_SESSIONS = 1000;

function cacheKey(p: Record<string, unknown>): string {
  const o = (p.options && typeof p.options === 'object' ? p.options : {}) as Record<string, unknown>;
  const flag = (k: string) => (o[k] === undefined ? '' : o[k] ? '1' : '0');
  // the password is not part of the key (DBI's rule, kept by the predecessor)
  return JSON.stringify([text(p.dsn ?? ''), text(p.username ?? p.user ?? ''), flag('AutoCommit'), flag('RaiseError'), flag('PrintError')]);
}

export async function connectCached(p: Record<string, unknown>, r: LegacyRunner, connect: LegacyCall): Promise<Record<string, unknown>> {
  const key = cacheKey(p);
  let cache = bySession.get(r.session.id);
  const known = cache?.get(key);
  if (known) {
    // alive and still ours (not disconnected): the same id again
    const ping = await r.call('ping', { module: 'database', function: 'ping', params: { dbh: known } }, true);
    if (!ping.error && ping.alive) {
      cache!.delete(key);
      cache!.set(key, known); // most recently used last
      return flat({ connection_id: known, cached: 1 });
    }
    cache!.delete(key);
  }
  const c = await r.call('connect', connect);
  if (!cache) {
    if (bySession.size >= MAX_SESSIONS) bySession.delete(bySession.keys().next().value as string);
    cache = new Map();
    bySession.set(r.session.id, cache);
  }
  if (cache.size >= MAX_PER_SESSION) cache.delete(cache.keys().next().value as string);
  cache.set(key, text(c.dbh));
  return flat({ connection_id: c.dbh, cached: 0 });
}
