// Length-prefixed frames: 4-byte big-endian length, then UTF-8 JSON. The length is checked against
// the maximum before any of the body is buffered, so an oversize frame costs no memory.
import { BridgeError } from '../errors';

export const HEADER_BYTES = 4;

export function encodeFrame(json: string): Buffer {
  const body = Buffer.from(json, 'utf8');
  const frame = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, HEADER_BYTES);
  return frame;
}

export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private expected = -1;

  constructor(private readonly maxBytes: number) {}

  /** Feeds bytes; returns the complete frame bodies as text. Throws `frame_too_large` before buffering an oversize body. */
  push(chunk: Buffer): string[] {
    return this.pushRaw(chunk).map((b) => b.toString('utf8'));
  }

  /** Feeds bytes; returns the complete frame bodies as bytes (the daemon decodes them strictly, see parse.ts). */
  pushRaw(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const out: Buffer[] = [];
    for (;;) {
      if (this.expected < 0) {
        if (this.buffered < HEADER_BYTES) break;
        const head = this.take(HEADER_BYTES);
        this.expected = head.readUInt32BE(0);
        if (this.expected > this.maxBytes) {
          throw new BridgeError('frame_too_large', `frame of ${this.expected} bytes exceeds the maximum of ${this.maxBytes} bytes`);
        }
      }
      if (this.buffered < this.expected) break;
      out.push(this.take(this.expected));
      this.expected = -1;
    }
    return out;
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0); // an empty frame: nothing to take, and there may be no chunk left
    if (this.chunks.length === 1 || this.chunks[0].length >= n) {
      const first = this.chunks[0];
      const part = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return part;
    }
    const all = Buffer.concat(this.chunks, this.buffered);
    const part = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
    return part;
  }
}
