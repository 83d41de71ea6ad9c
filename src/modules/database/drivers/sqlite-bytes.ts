// Text that is not valid UTF-8, as DBD::SQLite (sqlite_unicode off) stores and reads it: a Perl
// byte string is bound as TEXT with its bytes as they are, and TEXT comes back as its bytes.
// better-sqlite3 binds JS strings as UTF-8 and Buffers as BLOBs, and decodes TEXT as UTF-8
// (invalid sequences become U+FFFD). So such a bind arrives tagged {"$b64t": base64} and its
// placeholder is wrapped in CAST(? AS TEXT) (a blob cast to TEXT keeps its bytes); and a result
// row with U+FFFD in a string is read again through a query that casts TEXT columns to BLOB.
import { isUtf8 } from 'node:buffer';
import { wireTag } from '../../../protocol/values';
import { mapCode, sqliteParamIndex } from '../placeholders';

/** The wire tag of a byte string bound as TEXT (perl/lib/CPANBridge/DBI/Rows.pm). */
export const TEXT_BYTES = '$b64t';

/** The bytes of a {"$b64t": ...} bind, else null. */
export function textBytes(v: unknown): Buffer | null {
  const tag = wireTag(v, TEXT_BYTES);
  return typeof tag === 'string' ? Buffer.from(tag, 'base64') : null;
}

/**
 * The SQL with the given placeholders cast to TEXT: positional ones by their 0-based bind number
 * (SQLite's parameter index less one: `?NNN` is bind NNN-1 at each place it appears), named ones
 * (`:name`) by name.
 */
export function castTextBinds(sql: string, positions: ReadonlySet<number>, names: ReadonlySet<string>): string {
  let largest = 0;
  return mapCode(sql, (code) =>
    code.replace(/\?(\d*)|(^|[^:\w]):([A-Za-z_]\w*|\d+)/g, (m, digits: string | undefined, pre: string | undefined, name: string | undefined) => {
      if (name !== undefined) return names.has(`:${name}`) ? `${pre}CAST(:${name} AS TEXT)` : m;
      // bind i is parameter i + 1 (`?2` is the second bind wherever it stands)
      const at = sqliteParamIndex(digits ?? '', largest);
      largest = Math.max(largest, at);
      return positions.has(at - 1) ? `CAST(${m} AS TEXT)` : m;
    }),
  );
}

/**
 * A query giving the rows of `sql` (a read-only query with `ncols` columns) with each column as
 * two: its value, TEXT as a BLOB of its bytes, and whether it was TEXT. The CTE's column list
 * names the columns by position, so duplicate or missing names do not matter.
 */
export function rawTextQuery(sql: string, ncols: number): string {
  // a statement's only `;` in code is its end (better-sqlite3 prepares one statement)
  const body = mapCode(sql, (code) => code.replace(/;/g, ' '));
  const cols = Array.from({ length: ncols }, (_, i) => `c${i}`);
  const out = cols.map((c) => `CASE WHEN typeof(${c}) = 'text' THEN CAST(${c} AS BLOB) ELSE ${c} END, typeof(${c}) = 'text'`);
  // the newline ends a trailing -- comment of the user's SQL
  return `WITH cb_raw_text(${cols.join(', ')}) AS (\n${body}\n) SELECT ${out.join(', ')} FROM cb_raw_text`;
}

/** A row of rawTextQuery as the plain query gives it, but with invalid UTF-8 TEXT as its bytes. */
export function fromRawTextRow(raw: unknown[]): unknown[] {
  const row = new Array<unknown>(raw.length / 2);
  for (let i = 0; i < row.length; i++) {
    const v = raw[2 * i];
    const wasText = raw[2 * i + 1];
    row[i] = wasText && Buffer.isBuffer(v) && isUtf8(v) ? v.toString('utf8') : v;
  }
  return row;
}

/** Whether a string of this row may have lost bytes when better-sqlite3 decoded it. */
export function mayHaveLostBytes(row: readonly unknown[]): boolean {
  for (const v of row) if (typeof v === 'string' && v.includes('\uFFFD')) return true;
  return false;
}
