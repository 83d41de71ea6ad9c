// Rows as they travel and as they are checked: each row is encoded once (bigint → number or string,
// bytes → {"$b64"}), hashed into the cursor's running checksum, and joined into the reply's JSON.
import * as crypto from 'node:crypto';
import { encodeScalar } from '../../protocol/values';

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
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (typeof v === 'bigint') parts[i] = v.toString();
    else if (typeof v === 'number') {
      if (!Number.isFinite(v)) parts[i] = Number.isNaN(v) ? '"NaN"' : v > 0 ? '"Inf"' : '"-Inf"';
      else if (Number.isInteger(v) && !Number.isSafeInteger(v)) parts[i] = v.toExponential();
      else parts[i] = JSON.stringify(v);
    } else if (v === undefined) parts[i] = 'null';
    else if (v !== null && typeof v === 'object') parts[i] = JSON.stringify(encodeScalar(v));
    else parts[i] = JSON.stringify(v);
  }
  return `[${parts.join(',')}]`;
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

  digest(): string {
    return this.hash.copy().digest('base64');
  }
}

/** Encodes a batch: the JSON array text and the checksum updated with each row. */
export function encodeBatch(rows: unknown[][], sum: RowChecksum | null): string {
  const parts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    parts[i] = encodeRow(rows[i]);
    sum?.add(parts[i]);
  }
  return `[${parts.join(',')}]`;
}

/** Checksum of one batch of encoded rows (reads inside a transaction are checked batch by batch). */
export function batchChecksum(rowsJson: string): string {
  return crypto.createHash('sha256').update(rowsJson).digest('base64');
}
