// Image type, size and resolution read from the bytes, as Workbook::_get_image_properties and its
// _process_png/_jpg/_gif/_bmp read them (same offsets, same defaults, same errors).
import { createHash } from 'node:crypto';
import { CroakError } from '../croak';

export type ImageType = 'png' | 'jpeg' | 'gif' | 'bmp';

export interface ImageProps {
  type: ImageType;
  width: number;
  height: number;
  /** the file name without its directories (fileparse) */
  name: string;
  xDpi: number;
  yDpi: number;
  /** dedupe key of the real module (md5 of the bytes) */
  md5: string;
}

function png(d: Buffer): [number, number, number, number] {
  let width = 0;
  let height = 0;
  let xDpi = 96;
  let yDpi = 96;
  let off = 8;
  while (off < d.length) {
    if (off + 8 > d.length) break;
    const len = d.readUInt32BE(off);
    const type = d.toString('latin1', off + 4, off + 8).replace(/[\0 ]+$/, '');
    if (type === 'IHDR' && off + 16 <= d.length) {
      width = d.readUInt32BE(off + 8);
      height = d.readUInt32BE(off + 12);
    }
    if (type === 'pHYs' && off + 17 <= d.length) {
      const xp = d.readUInt32BE(off + 8);
      const yp = d.readUInt32BE(off + 12);
      if (d[off + 16] === 1) {
        xDpi = xp * 0.0254;
        yDpi = yp * 0.0254;
      }
    }
    off = off + len + 12;
    if (type === 'IEND') break;
  }
  return [width, height, xDpi, yDpi];
}

function jpeg(d: Buffer, filename: string): [number, number, number, number] {
  let width: number | undefined;
  let height: number | undefined;
  let xDpi = 96;
  let yDpi = 96;
  let off = 2;
  const n = (at: number) => (at + 2 <= d.length ? d.readUInt16BE(at) : 0);
  while (off < d.length) {
    const marker = n(off);
    const len = n(off + 2);
    if ((marker & 0xfff0) === 0xffc0 && marker !== 0xffc4 && marker !== 0xffcc) {
      height = n(off + 5);
      width = n(off + 7);
    }
    if (marker === 0xffe0) {
      const units = d[off + 11] ?? 0;
      const xd = n(off + 12);
      const yd = n(off + 14);
      if (units === 1) { xDpi = xd; yDpi = yd; }
      if (units === 2) { xDpi = xd * 2.54; yDpi = yd * 2.54; }
    }
    off = off + len + 2;
    if (marker === 0xffda) break;
  }
  if (height === undefined || width === undefined) throw new CroakError(`${filename}: no size data found in jpeg image.\n`);
  return [width, height, xDpi, yDpi];
}

function bmp(d: Buffer, filename: string): [number, number] {
  if (d.length <= 0x36) throw new CroakError(`${filename} doesn't contain enough data.`);
  const width = d.readUInt32LE(18);
  const height = d.readUInt32LE(22);
  if (width > 0xffff) throw new CroakError(`${filename}: largest image width ${width} supported is 65k.`);
  if (height > 0xffff) throw new CroakError(`${filename}: largest image height supported is 65k.`);
  const planes = d.readUInt16LE(26);
  const bitcount = d.readUInt16LE(28);
  if (bitcount !== 24) throw new CroakError(`${filename} isn't a 24bit true color bitmap.`);
  if (planes !== 1) throw new CroakError(`${filename}: only 1 plane supported in bitmap image.`);
  if (d.readUInt32LE(30) !== 0) throw new CroakError(`${filename}: compression not supported in bitmap image.`);
  return [width, height];
}

/** The properties of an image; `filename` is the path the caller gave (its last part is the name). */
export function imageProperties(data: Buffer, filename: string): ImageProps {
  const name = filename.replace(/^.*[\\/]/, '');
  const md5 = createHash('md5').update(data).digest('hex');
  let type: ImageType;
  let width: number;
  let height: number;
  let xDpi = 96;
  let yDpi = 96;
  if (data.length >= 4 && data.toString('latin1', 1, 4) === 'PNG') {
    type = 'png';
    [width, height, xDpi, yDpi] = png(data);
  } else if (data.length >= 2 && data.readUInt16BE(0) === 0xffd8) {
    type = 'jpeg';
    [width, height, xDpi, yDpi] = jpeg(data, filename);
  } else if (data.length >= 10 && data.toString('latin1', 0, 4) === 'GIF8') {
    type = 'gif';
    width = data.readUInt16LE(6);
    height = data.readUInt16LE(8);
  } else if (data.length >= 2 && data.toString('latin1', 0, 2) === 'BM') {
    type = 'bmp';
    [width, height] = bmp(data, filename);
  } else {
    throw new CroakError(`Unsupported image format for file: ${filename}\n`);
  }
  if (xDpi === 0) xDpi = 96;
  if (yDpi === 0) yDpi = 96;
  return { type, width, height, name, xDpi, yDpi, md5 };
}
