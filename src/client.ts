// A small Node client of the daemon (the CLI's status/ping/stop/call use it; so do the tests).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import { statePaths, type Settings } from './config';
import { BridgeError, type WireError } from './errors';
import { encodeFrame, FrameDecoder } from './protocol/frame';
import { PROTOCOL_VERSION, VERSION } from './version';

export interface ReplyMsg {
  id: string | null;
  success: boolean;
  result?: unknown;
  error?: WireError;
  type?: string;
}

export class BridgeClient {
  private decoder = new FrameDecoder(1 << 30);
  private waiters = new Map<string, (r: ReplyMsg) => void>();
  private helloWaiter: ((r: ReplyMsg) => void) | null = null;
  private nextId = 1;
  private closed = false;
  readonly session: string;

  private constructor(private readonly socket: net.Socket, session?: string) {
    this.session = session ?? crypto.randomBytes(16).toString('hex');
    socket.on('data', (chunk) => {
      for (const f of this.decoder.push(chunk)) {
        const msg = JSON.parse(f) as ReplyMsg;
        if (msg.type === 'hello') this.helloWaiter?.(msg);
        else if (msg.id !== null && this.waiters.has(String(msg.id))) {
          const w = this.waiters.get(String(msg.id))!;
          this.waiters.delete(String(msg.id));
          w(msg);
        }
      }
    });
    const fail = () => {
      this.closed = true;
      const err: ReplyMsg = { id: null, success: false, error: new BridgeError('disconnected', 'connection to the daemon lost').toWire() };
      for (const w of this.waiters.values()) w(err);
      this.waiters.clear();
      this.helloWaiter?.(err);
    };
    socket.on('close', fail);
    socket.on('error', fail);
  }

  static async connect(settings: Settings, opts: { session?: string; timeoutMs?: number; pid?: number } = {}): Promise<BridgeClient> {
    const token = fs.readFileSync(statePaths(settings.home).token, 'utf8').trim();
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(settings.socket);
      const t = setTimeout(() => { s.destroy(); reject(new Error(`timeout connecting to ${settings.socket}`)); }, opts.timeoutMs ?? 5000);
      s.once('connect', () => { clearTimeout(t); resolve(s); });
      s.once('error', (e) => { clearTimeout(t); reject(e); });
    });
    const c = new BridgeClient(socket, opts.session);
    const hello = await new Promise<ReplyMsg>((resolve) => {
      c.helloWaiter = resolve;
      socket.write(encodeFrame(JSON.stringify({
        type: 'hello', protocol: PROTOCOL_VERSION, client_version: VERSION, pid: opts.pid ?? process.pid, host: os.hostname(),
        script: process.argv[1] ?? 'node', token, session: c.session, cwd: process.cwd(),
      })));
    });
    if (!hello.success) {
      socket.destroy();
      throw new Error(`daemon refused the connection: ${hello.error?.message}`);
    }
    return c;
  }

  /** Sends a request and resolves with the whole reply. */
  request(module: string, fn: string, params: unknown = {}, id?: string, legacy = false): Promise<ReplyMsg> {
    const rid = id ?? String(this.nextId++);
    if (this.closed) return Promise.resolve({ id: rid, success: false, error: new BridgeError('disconnected', 'not connected').toWire() });
    return new Promise((resolve) => {
      this.waiters.set(rid, resolve);
      this.socket.write(encodeFrame(JSON.stringify(legacy ? { id: rid, module, function: fn, params, legacy } : { id: rid, module, function: fn, params })));
    });
  }

  /** Sends a request and returns its result, throwing on an error reply. */
  async call<T = Record<string, unknown>>(module: string, fn: string, params: unknown = {}): Promise<T> {
    const r = await this.request(module, fn, params);
    if (!r.success) throw Object.assign(new Error(`${r.error?.code}: ${r.error?.message}`), { wire: r.error });
    return r.result as T;
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }
}
