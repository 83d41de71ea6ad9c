// A streaming zip writer for the package: each member deflated as it is produced (data descriptor
// after the data, so nothing is held back), dated 1980-01-01 00:00:00 as the real module dates its
// members. No zip64: a member or an archive of 4 GiB is refused.
import * as zlib from 'node:zlib';
import { once } from 'node:events';
import type { Writable } from 'node:stream';

const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
const DOS_TIME = 0;
const LIMIT = 0xffffffff;

interface Entry { name: Buffer; crc: number; csize: number; usize: number; offset: number; utf8: boolean }

export class ZipWriter {
  private offset = 0;
  private readonly entries: Entry[] = [];

  constructor(private readonly out: Writable) {}

  private async write(b: Buffer): Promise<void> {
    this.offset += b.length;
    if (!this.out.write(b)) await once(this.out, 'drain');
  }

  /** Adds a member; `data` may be produced piece by piece (a worksheet). */
  async add(name: string, data: string | Buffer | Iterable<string>): Promise<void> {
    const nameBuf = Buffer.from(name, 'utf8');
    const utf8 = /[^\x20-\x7e]/.test(name);
    const e: Entry = { name: nameBuf, crc: 0, csize: 0, usize: 0, offset: this.offset, utf8 };
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x0008 | (utf8 ? 0x0800 : 0), 6);
    h.writeUInt16LE(8, 8);
    h.writeUInt16LE(DOS_TIME, 10);
    h.writeUInt16LE(DOS_DATE, 12);
    h.writeUInt16LE(nameBuf.length, 26);
    await this.write(h);
    await this.write(nameBuf);

    // level 1: the container's bytes are not compared (the parts are); speed is what bulk exports need
    const deflate = zlib.createDeflateRaw({ level: 1 });
    const pending: Buffer[] = [];
    deflate.on('data', (c: Buffer) => pending.push(c));
    const drainOut = async () => {
      while (pending.length) {
        const c = pending.shift()!;
        e.csize += c.length;
        await this.write(c);
      }
    };
    const feed = async (b: Buffer) => {
      e.crc = zlib.crc32(b, e.crc);
      e.usize += b.length;
      if (e.usize > LIMIT) throw new Error(`excel: ${name} is larger than 4 GiB`);
      if (!deflate.write(b)) await once(deflate, 'drain');
      await drainOut();
    };
    if (typeof data === 'string') await feed(Buffer.from(data, 'utf8'));
    else if (Buffer.isBuffer(data)) await feed(data);
    else for (const s of data) await feed(Buffer.from(s, 'utf8'));
    deflate.end();
    await once(deflate, 'end');
    await drainOut();

    const d = Buffer.alloc(16);
    d.writeUInt32LE(0x08074b50, 0);
    d.writeUInt32LE(e.crc >>> 0, 4);
    d.writeUInt32LE(e.csize, 8);
    d.writeUInt32LE(e.usize, 12);
    await this.write(d);
    this.entries.push(e);
  }

  /** Writes the central directory. */
  async finish(): Promise<void> {
    const start = this.offset;
    for (const e of this.entries) {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(20, 4);
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(0x0008 | (e.utf8 ? 0x0800 : 0), 8);
      c.writeUInt16LE(8, 10);
      c.writeUInt16LE(DOS_TIME, 12);
      c.writeUInt16LE(DOS_DATE, 14);
      c.writeUInt32LE(e.crc >>> 0, 16);
      c.writeUInt32LE(e.csize, 20);
      c.writeUInt32LE(e.usize, 24);
      c.writeUInt16LE(e.name.length, 28);
      c.writeUInt32LE(e.offset, 42);
      await this.write(c);
      await this.write(e.name);
    }
    const size = this.offset - start;
    if (this.offset > LIMIT) throw new Error('excel: the workbook is larger than 4 GiB');
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(size, 12);
    end.writeUInt32LE(start, 16);
    await this.write(end);
  }
}
