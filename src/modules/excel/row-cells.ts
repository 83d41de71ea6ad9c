// The cell store's unit: one journal row per sheet row, its cells packed as JSON in column order
// (excel/004). A row of cells costs one B-tree entry instead of one per cell: the insert while the
// cells arrive and the read-back at close were most of the daemon's time in a bulk export.
//
//   cells := [[col, t, v, x, fmt, seq], ...]      ascending col, one entry per column
//
// v is what the per-cell table held: a finite number, a string or null (a number a double would
// not print back as Perl did, -0 among them, is its string already: cells.ts), so JSON keeps it.

/** One packed cell: [col, t, v, x, fmt, seq]. */
export type PackedCell = [number, string, string | number | null, string | null, number | null, number | null];

export interface PackedRow {
  cmin: number;
  cmax: number;
  /** cells, and string cells among them (the shared strings' count) */
  n: number;
  ns: number;
  cells: string;
}

/** A string written over: its write's sequence and text stay in the shared strings (excel_lost_strings). */
export interface LostString {
  seq: number;
  v: string | number | null;
}

export function parseRow(cells: string): PackedCell[] {
  return JSON.parse(cells) as PackedCell[];
}

/**
 * Merges writes (in write order) into a row's cells (ascending col); a later write to a column
 * wins, and a string cell written over is reported to `lost`.
 */
export function mergeRow(base: PackedCell[], writes: readonly PackedCell[], lost: LostString[]): PackedCell[] {
  // a new row written left to right (a bulk export's every row) is its writes
  if (!base.length && ascending(writes)) return writes as PackedCell[];
  const byCol = new Map<number, PackedCell>();
  for (const c of base) byCol.set(c[0], c);
  let sorted = true;
  let last = base.length ? base[base.length - 1][0] : -1;
  for (const w of writes) {
    const old = byCol.get(w[0]);
    if (old) {
      if (old[1] === 's') lost.push({ seq: old[5] ?? 0, v: old[2] });
    } else if (w[0] < last) sorted = false;
    else last = w[0];
    byCol.set(w[0], w);
  }
  const out = [...byCol.values()];
  // the usual case, writes left to right after what the row held, needs no sort
  if (!sorted) out.sort((a, b) => a[0] - b[0]);
  return out;
}

function ascending(cells: readonly PackedCell[]): boolean {
  for (let i = 1; i < cells.length; i++) if (cells[i][0] <= cells[i - 1][0]) return false;
  return true;
}

export function packRow(cells: readonly PackedCell[]): PackedRow {
  let ns = 0;
  for (const c of cells) if (c[1] === 's') ns++;
  return { cmin: cells[0][0], cmax: cells[cells.length - 1][0], n: cells.length, ns, cells: JSON.stringify(cells) };
}
