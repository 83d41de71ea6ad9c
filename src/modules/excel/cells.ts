// The compact cell batch of excel.write_batch. The Perl shim buffers cell writes and sends them as
// one string (building JSON arrays with JSON::PP per cell would cost more than the write itself):
//
//   record  := sheet US row US col US type US fmt US value [US extra]...     (records joined by RS)
//   RS = \x1e, US = \x1f; inside fields, \x1c..\x1f are escaped as \x1c followed by chr(c + 32).
//   fmt: '' (none) or the format index. A field left off (fewer fields) is undef.
//
// Types (the Perl side has already made Excel::Writer::XLSX's write() decision):
//   n number, s string, f formula [cached value], a array formula, range [cached value],
//   d dynamic array formula, range [cached value], b blank (formatted), l boolean (0/1).
import { BridgeError } from '../../errors';
import type { CellOp } from './store';
import { perlNum } from './xlsx/xml';

export const MAX_ROW = 1_048_575;
export const MAX_COL = 16_383;
const RS = '\x1e';
const US = '\x1f';
const TYPES = new Set(['n', 's', 'f', 'a', 'd', 'b', 'l']);
const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$|^[+-]?(?:Inf|NaN)$/;

/** One cell record, its fields escaped (what the Perl shim builds; the predecessor's write_cell here). */
export function encodeCell(fields: readonly (string | number)[]): string {
  return fields.map((f) => String(f).replace(/[\x1c-\x1f]/g, (c) => '\x1c' + String.fromCharCode(c.charCodeAt(0) + 32))).join(US);
}

function unescape(s: string): string {
  return s.indexOf('\x1c') < 0 ? s : s.replace(/\x1c([\s\S])/g, (_m, c: string) => String.fromCharCode(c.charCodeAt(0) - 32));
}

function int(s: string, what: string, max: number): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0 || n > max || s === '') throw new BridgeError('bad_params', `excel.write_batch: bad ${what} "${s}"`);
  return n;
}

/** Decodes a batch; `sheetCount` bounds the sheet index. */
export function decodeCells(data: string, sheetCount: number): CellOp[] {
  const out: CellOp[] = [];
  if (data === '') return out;
  for (const rec of data.split(RS)) {
    const f = rec.split(US);
    if (f.length < 5) throw new BridgeError('bad_params', 'excel.write_batch: truncated cell record');
    const sheet = int(f[0], 'sheet', sheetCount - 1);
    const row = int(f[1], 'row', MAX_ROW);
    const col = int(f[2], 'column', MAX_COL);
    const t = f[3];
    if (!TYPES.has(t)) throw new BridgeError('bad_params', `excel.write_batch: unknown cell type "${t}"`);
    const fmt = f[4] === '' ? null : int(f[4], 'format index', 1_000_000);
    const raw = f.length > 5 ? unescape(f[5]) : null;
    let v: string | number | null = raw;
    let x: string | null = null;
    switch (t) {
      case 'n': {
        // Perl's own string of the number; kept as a string when a double would not print it back
        // the same (1.79769313486232e+308, DBL_MAX as Perl prints it, is beyond a double)
        if (raw === null || !NUMERIC.test(raw)) throw new BridgeError('bad_params', `excel.write_batch: not a number "${raw}"`);
        const n = Number(raw);
        v = Number.isFinite(n) && perlNum(n) === raw ? n : raw;
        break;
      }
      case 'l':
        v = raw === '1' ? 1 : 0;
        break;
      case 'b':
        v = null;
        break;
      case 'f':
        x = f.length > 6 ? unescape(f[6]) : null;
        break;
      case 'a':
      case 'd':
        x = JSON.stringify(f.slice(6).map(unescape));
        break;
      default:
        break;
    }
    out.push({ sheet, row, col, t, v, x, fmt });
  }
  return out;
}
