// A connection over max_connections: told why in a frame, then closed, before it costs anything
// more (no decoder, no timers). A client that neither reads nor closes loses the socket at once.
import type * as net from 'node:net';
import type { Logger } from 'pino';
import { BridgeError } from '../errors';
import { encodeFrame } from '../protocol/frame';

let lastWarned = 0;

export function refuseConnection(socket: net.Socket, max: number, log: Logger): void {
  if (Date.now() - lastWarned > 10_000) {
    lastWarned = Date.now(); // one line per burst, not one per refused socket
    log.warn({ max }, 'connection refused: too many connections');
  }
  const e = new BridgeError('too_many_connections', `the daemon already serves ${max} connections (max_connections); retry later`);
  socket.on('error', () => undefined);
  socket.end(encodeFrame(JSON.stringify({ type: 'hello', success: false, error: e.toWire() })));
  setTimeout(() => socket.destroy(), 200).unref();
}
