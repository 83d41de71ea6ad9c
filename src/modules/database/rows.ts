// Rows as they travel and as they are checked. Each row has one canonical encoding, its JSON text
// (bigint → number text, bytes → {"$b64"}), which is hashed into the cursor's running checksum and
// into the checksum of reads journaled inside a transaction, whatever format the reply uses.
//
// Replies carry rows in one of two formats:
//  - `json` (default): "batch": [row, row, ...], the canonical row texts joined.
//  - `sep` (compact, asked for by clients whose JSON decoder is slow, such as JSON::PP):
//    "batch_sep": one string, split by the client with Perl's split; see encodeBatch below.
import * as crypto from 'node:crypto';
import { encodeScalar, encodeValues } from '../../protocol/values';
import { RefCursorOut } from './driver';

/** The canonical JSON text of one row. */
export function encodeRow(row: unknown[]): string {
  let plain = true;
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (v === null || typeof v === 'string') continue;
    if (typeof v === 'number' && Number.isFinite(v) && (!Number.isInteger(v) || Number.isSafeInteger(v))) continue;
    plain = false;
    break;
  }
  if (plain) return JSON.stringify(row);
  // As DBI drivers return them: 64-bit integers exactly (a JSON integer, which the Perl client
  // decodes to an IV), floats beyond 2^53 as floats (exponent form decodes to an NV), and
  // non-finite floats as Perl spells them.
  const parts = new Array<string>(row.length);
  for (let i = 0; i < row.length; i++) parts[i] = canonicalValue(row[i]);
  return `[${parts.join(',')}]`;
}

function canonicalValue(v: unknown): string {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? '"NaN"' : v > 0 ? '"Inf"' : '"-Inf"';
    if (Number.isInteger(v) && !Number.isSafeInteger(v)) return v.toExponential();
    return JSON.stringify(v);
  }
  if (v === undefined) return 'null';
  if (v !== null && typeof v === 'object') return JSON.stringify(encodeScalar(v));
  return JSON.stringify(v);
}

/** Running checksum of the rows delivered to the client, in order. */
export class RowChecksum {
  private hash = crypto.createHash('sha256');
  count = 0;

  add(rowJson: string): void {
    this.hash.update(rowJson);
    this.hash.update('\n');
    this.count++;
  }

  /** The same as add() for each row in turn (one hash update: the hashed bytes are identical). */
  addAll(rowsJson: string[]): void {
    if (!rowsJson.length) return;
    this.hash.update(`${rowsJson.join('\n')}\n`);
    this.count += rowsJson.length;
  }

  digest(): string {
    return this.hash.copy().digest('base64');
  }
}

export type RowFormat = 'json' | 'sep';

/** A batch of rows as encoded for a reply. */
export interface EncodedBatch {
  /** Canonical JSON text of each row (what the checksums cover). */
  rows: string[];
  /**
   * The members of the reply object that carry the rows, e.g. `"batch":[...]` or
   * `"batch_sep":"...","num":[...],"esc":false`. For `sep`, batch_sep comes first, so that a
   * reply reads `{"batch_sep":"` from its start (the Perl client cuts the string out of the reply
   * before JSON-decoding the rest).
   */
  members: string;
  format: RowFormat;
}

/** The JSON array text of a batch (what batchChecksum covers). */
export function batchJson(b: EncodedBatch): string {
  return `[${b.rows.join(',')}]`;
}

// The compact format. The batch is one string; the client splits it on byte sequences:
//   "\x7f,"  between the fields of a row
//   "\x7f;"  after each row (an empty string is no rows)
// Field text is the value itself, with these escapes (so that the string needs no JSON escaping
// and the reply carries it verbatim between its quotes):
//   "\x7f" + chr(c + 0x40)  for a character c < 0x20 ('@'..'_'), except "\x7f|" for \x1c
//                           (chr(0x5c) would be a backslash)
//   "\x7fq" for '"', "\x7fs" for '\', "\x7fd" for "\x7f"
// and these markers at the start of a field:
//   "\x7fn"           NULL (the whole field)
//   "\x7fb" + base64  bytes (binary values)
//   "\x7fi" + text    a number, in a column whose values in this batch are otherwise strings
//   "\x7ff" + text    a float beyond 2^53 (exponent form), to become an NV whatever the column
//   "\x7ft" + text    a string, in a column whose values in this batch are otherwise numbers
// Numbers are their decimal text, exactly as in the canonical JSON (so they come out as the IVs
// and NVs a JSON decoder gives). "num" lists the columns whose first non-NULL value in the batch
// is a number: the client numifies their plain fields. "esc" is false when no field has an escape
// or a marker: the client can then skip looking.
// Values that have no place in this format (booleans, structures) make the batch travel as JSON.

const CLS_NONE = 0;
const CLS_STR = 1;
const CLS_NUM = 2;

// eslint-disable-next-line no-control-regex
const SEP_SPECIAL = /[\x00-\x1f"\\\x7f]/g;

function sepEscapeChar(c: string): string {
  const n = c.charCodeAt(0);
  if (n < 0x20) return n === 0x1c ? '\x7f|' : `\x7f${String.fromCharCode(n + 0x40)}`;
  return c === '"' ? '\x7fq' : c === '\\' ? '\x7fs' : '\x7fd';
}

/** Field text of a string in the compact format (and whether it needed escapes). */
export function sepEscape(s: string): string {
  return s.replace(SEP_SPECIAL, sepEscapeChar);
}

/** Encodes a batch as a JSON array text, adding each row to the running checksum `sum` when given. */
export function encodeBatch(rows: unknown[][], sum: RowChecksum | null): string {
  return batchJson(encodeReplyBatch(rows, sum, 'json'));
}

/**
 * Encodes a batch for a reply: the canonical text of each row, added to the running checksum `sum`
 * when given, and the reply members in the format asked for.
 */
export function encodeReplyBatch(rows: unknown[][], sum: RowChecksum | null, format: RowFormat = 'json'): EncodedBatch {
  const out = format === 'sep' ? encodeSep(rows) : null;
  if (out) {
    sum?.addAll(out.rows);
    return out;
  }
  const parts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) parts[i] = encodeRow(rows[i]);
  sum?.addAll(parts);
  return { rows: parts, members: `"batch":[${parts.join(',')}]`, format: 'json' };
}

function encodeSep(rows: unknown[][]): EncodedBatch | null {
  const parts = new Array<string>(rows.length);
  const width = rows.length ? rows[0].length : 0;
  const cls = new Array<number>(width).fill(CLS_NONE);
  let esc = false;
  let sep = '';
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    let canon = '[';
    let line = '';
    for (let k = 0; k < row.length; k++) {
      const v = asText(row[k]);
      if (k) {
        canon += ',';
        line += '\x7f,';
      }
      if (typeof v === 'string') {
        const q = JSON.stringify(v);
        canon += q;
        let t = q.length === v.length + 2 && v.indexOf('\x7f') < 0 ? v : sepEscape(v);
        if (t !== v) esc = true;
        const c = cls[k];
        if (c === CLS_NUM) {
          t = `\x7ft${t}`;
          esc = true;
        } else if (c === CLS_NONE) cls[k] = CLS_STR;
        line += t;
        continue;
      }
      let num: string;
      if (typeof v === 'number') {
        if (Number.isInteger(v) && !Number.isSafeInteger(v)) {
          // a float beyond 2^53 (exponent form): Perl's `+ 0` would make it an integer
          num = v.toExponential();
          canon += num;
          line += `\x7ff${num}`;
          esc = true;
          if (cls[k] === CLS_NONE) cls[k] = CLS_NUM;
          continue;
        }
        num = String(v);
      } else if (typeof v === 'bigint') {
        num = v.toString();
      } else if (v === null || v === undefined) {
        canon += 'null';
        line += '\x7fn';
        esc = true;
        continue;
      } else if (typeof v === 'object' && (Buffer.isBuffer(v) || v instanceof Uint8Array)) {
        const b64 = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
        canon += `{"$b64":"${b64}"}`;
        line += `\x7fb${b64}`;
        esc = true;
        continue;
      } else {
        return null; // booleans, structures: JSON only
      }
      canon += num;
      const c = cls[k];
      if (c === CLS_STR) {
        line += `\x7fi${num}`;
        esc = true;
      } else {
        if (c === CLS_NONE) cls[k] = CLS_NUM;
        line += num;
      }
    }
    parts[r] = `${canon}]`;
    sep += `${line}\x7f;`;
  }
  const num: number[] = [];
  for (let k = 0; k < width; k++) if (cls[k] === CLS_NUM) num.push(k);
  return { rows: parts, members: `"batch_sep":"${sep}","num":[${num.join(',')}],"esc":${esc}`, format: 'sep' };
}

/** Values that travel as text (as in the canonical JSON): non-finite floats as Perl spells them, dates. */
function asText(v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : '-Inf';
  return v instanceof Date ? v.toISOString() : v;
}

/** Checksum of one batch of encoded rows (reads inside a transaction are checked batch by batch). */
/** Checksum of a procedure's OUT values (bind_param_inout), as a replay must reproduce them. */
export function outChecksum(values: unknown[]): string {
  // a REF CURSOR is checked for being one, not for its rows (the client fetches those from it)
  return batchChecksum(JSON.stringify(encodeValues(values.map((v) => (v instanceof RefCursorOut ? 'REF CURSOR' : v)))));
}

export function batchChecksum(rowsJson: string): string {
  return crypto.createHash('sha256').update(rowsJson).digest('base64');
}
