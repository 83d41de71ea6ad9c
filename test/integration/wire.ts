// Raw access to the daemon's socket for the tests of hostile or buggy clients: frames written and
// read by hand, the legacy raw-JSON wire, and the token of a state directory.
import * as fs from 'node:fs';
import * as net from 'node:net';
import { encodeFrame, FrameDecoder } from '../../src/protocol/frame';
import { PROTOCOL_VERSION } from '../../src/version';
import { statePaths } from '../helpers';

export type Frame = Record<string, unknown> & { error?: { code: string; message: string; retryable?: boolean } };

export interface RawConn {
  s: net.Socket;
  /** Waits for `n` more frames (or the close, or the timeout) and returns those that came. */
  next(n?: number, timeoutMs?: number): Promise<Frame[]>;
  isClosed(): boolean;
  closed: Promise<void>;
}

export function tokenOf(home: string): string {
  return fs.readFileSync(statePaths(home).token, 'utf8').trim();
}

export function helloFrame(token: string, session: string, extra: Record<string, unknown> = {}): Buffer {
  return encodeFrame(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, token, session, pid: process.pid, ...extra }));
}

export function requestFrame(id: string, module: string, fn: string, params: unknown = {}): Buffer {
  return encodeFrame(JSON.stringify({ id, module, function: fn, params }));
}

/** A frame with an arbitrary body (bytes as given, the length prefix correct). */
export function rawFrame(body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

export async function rawConn(socketPath: string): Promise<RawConn> {
  const s = net.connect(socketPath);
  s.on('error', () => undefined);
  await new Promise((r) => s.once('connect', r));
  const dec = new FrameDecoder(1 << 30);
  const frames: Frame[] = [];
  let closed = false;
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  s.on('data', (c) => {
    for (const f of dec.push(c)) frames.push(JSON.parse(f) as Frame);
    wake();
  });
  const closedP = new Promise<void>((resolve) => s.on('close', () => {
    closed = true;
    wake();
    resolve();
  }));
  const next = async (n = 1, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    while (frames.length < n && !closed && Date.now() < deadline) await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 50); });
    return frames.splice(0, n);
  };
  return { s, next, isClosed: () => closed, closed: closedP };
}

/** An authenticated raw connection. */
export async function helloConn(socketPath: string, token: string, session: string): Promise<RawConn> {
  const c = await rawConn(socketPath);
  c.s.write(helloFrame(token, session));
  const [h] = await c.next();
  if (h?.success !== true) throw new Error(`hello refused: ${JSON.stringify(h)}`);
  return c;
}

/** One request in the predecessor's wire format: raw JSON, half-close, raw JSON back. */
export async function legacyCall(socketPath: string, body: Buffer | Record<string, unknown>): Promise<Record<string, unknown>> {
  const s = net.connect(socketPath);
  s.on('error', () => undefined);
  await new Promise((r) => s.once('connect', r));
  let out = '';
  s.on('data', (c) => (out += c));
  const closed = new Promise((r) => s.on('close', r));
  s.end(Buffer.isBuffer(body) ? body : JSON.stringify(body));
  await closed;
  return JSON.parse(out) as Record<string, unknown>;
}
