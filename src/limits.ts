// Guards for resources that can take the daemon down when they pile up (the seed's "cascade 2"):
// over a limit the one request that asked gets a clear, coded error; nothing else is touched.
import type { Settings } from './config';
import { BridgeError } from './errors';

/** Refuses a new heavy handle (a database connection, a workbook) while resident memory is over the ceiling. */
export function refuseOverMemory(settings: Pick<Settings, 'memoryCeilingBytes'>, what: string): void {
  const ceiling = settings.memoryCeilingBytes;
  if (!ceiling) return;
  const rss = process.memoryUsage.rss();
  if (rss > ceiling) {
    throw new BridgeError('memory_limit',
      `${what} refused: the daemon uses ${Math.round(rss / 1048576)} MiB, over its memory ceiling of ${Math.round(ceiling / 1048576)} MiB (memory_ceiling_bytes); close handles or retry later`);
  }
}

/** Refuses one more of something counted against a configured maximum. */
export function refuseOverLimit(count: number, max: number, what: string, setting: string): void {
  if (count >= max) throw new BridgeError('limit', `${what}: ${max} already open (${setting})`);
}
