// The workbook's state lives in the journal: one row per sheet row of cells (packed, row-cells.ts),
// format, sheet, row setting and sheet item (column widths, merges, print settings, validations...). Writes are deferred closures
// (ctx.sql) that commit with the request's other records; reads go straight to the database.
// Nothing but the small per-workbook metadata is held in the daemon's memory.
import type BetterSqlite3 from 'better-sqlite3';
import type { Migration } from '../../../journal/migrations';
import { MAX_ROW } from './cells';
import { mergeRow, packRow, parseRow, type LostString, type PackedCell } from './row-cells';

export const EXCEL_MIGRATIONS: Migration[] = [
  {
    name: 'excel/001_init',
    up: `
      -- wbn: a random integer id (cells carry it, so it is kept short); handle: the workbook handle
      CREATE TABLE excel_workbooks (
        wbn INTEGER PRIMARY KEY, handle TEXT NOT NULL UNIQUE, path TEXT NOT NULL, options TEXT NOT NULL,
        created INTEGER NOT NULL);
      CREATE TABLE excel_sheets (
        wbn INTEGER NOT NULL, idx INTEGER NOT NULL, name TEXT NOT NULL,
        PRIMARY KEY (wbn, idx)) WITHOUT ROWID;
      CREATE TABLE excel_formats (
        wbn INTEGER NOT NULL, idx INTEGER NOT NULL, props TEXT NOT NULL,
        PRIMARY KEY (wbn, idx)) WITHOUT ROWID;
      -- t: n number, s string, f formula, a array formula, b blank, l boolean, u url
      CREATE TABLE excel_cells (
        wbn INTEGER NOT NULL, sheet INTEGER NOT NULL, row INTEGER NOT NULL, col INTEGER NOT NULL,
        t TEXT NOT NULL, v, x TEXT, fmt INTEGER,
        PRIMARY KEY (wbn, sheet, row, col)) WITHOUT ROWID;
      CREATE TABLE excel_rows (
        wbn INTEGER NOT NULL, sheet INTEGER NOT NULL, row INTEGER NOT NULL, props TEXT NOT NULL,
        PRIMARY KEY (wbn, sheet, row)) WITHOUT ROWID;
      -- sheet = -1: workbook-level items; kind: col, merge, set, dv, cf, ...
      CREATE TABLE excel_items (
        wbn INTEGER NOT NULL, sheet INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (wbn, sheet, kind, key)) WITHOUT ROWID;
    `,
  },
  {
    // seq: the order of writes (shared strings are numbered in first-write order); calls: the
    // recorded method calls (excel.call), kind 'call' keyed by the same sequence, sheet -3
    name: 'excel/002_seq',
    up: `
      ALTER TABLE excel_cells ADD COLUMN seq INTEGER;
      ALTER TABLE excel_workbooks ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    // A string cell written over keeps its string in the shared strings (the real module numbers a
    // string when it is written): the overwritten writes are kept here by a trigger, which costs
    // nothing on the writes that overwrite nothing.
    name: 'excel/003_lost_strings',
    up: `
      CREATE TABLE excel_lost_strings (
        wbn INTEGER NOT NULL, seq INTEGER NOT NULL, v,
        PRIMARY KEY (wbn, seq)) WITHOUT ROWID;
      CREATE TRIGGER excel_cells_lost_string AFTER UPDATE ON excel_cells WHEN old.t = 's'
      BEGIN
        INSERT OR IGNORE INTO excel_lost_strings(wbn, seq, v) VALUES (old.wbn, coalesce(old.seq, 0), old.v);
      END;
    `,
  },
  {
    // One row per sheet row, its cells packed (row-cells.ts), instead of one per cell: the cells
    // of an open workbook move over, and the per-cell table and its trigger go (the lost strings
    // are kept by the merge now). An older daemon would find no cells: journal format 3.
    name: 'excel/004_row_cells',
    up: (db) => {
      db.exec(`
        CREATE TABLE excel_row_cells (
          wbn INTEGER NOT NULL, sheet INTEGER NOT NULL, row INTEGER NOT NULL,
          cmin INTEGER NOT NULL, cmax INTEGER NOT NULL, n INTEGER NOT NULL, ns INTEGER NOT NULL, cells TEXT NOT NULL,
          PRIMARY KEY (wbn, sheet, row)) WITHOUT ROWID;
      `);
      // all at once: better-sqlite3 runs no insert while a read iterates (open workbooks' cells only);
      // in key order, so each sheet row is one run and putCells packs it as it stands
      const byWorkbook = new Map<number, CellOp[]>();
      const all = db.prepare('SELECT wbn, sheet, row, col, t, v, x, fmt, seq FROM excel_cells ORDER BY wbn, sheet, row, col').all() as (CellOp & { wbn: number })[];
      for (const { wbn, ...op } of all) {
        let ops = byWorkbook.get(wbn);
        if (!ops) byWorkbook.set(wbn, (ops = []));
        ops.push(op);
      }
      for (const [wbn, ops] of byWorkbook) store.putCells(db, wbn, ops);
      db.exec(`
        DROP TRIGGER excel_cells_lost_string;
        DROP TABLE excel_cells;
        UPDATE meta SET value = '3' WHERE key = 'format';
      `);
    },
  },
];

export interface CellRow {
  row: number;
  col: number;
  t: string;
  v: string | number | null;
  x: string | null;
  fmt: number | null;
}

export interface ItemRow {
  sheet: number;
  kind: string;
  key: string;
  value: string;
}

/** One cell write, decoded from a batch. */
export interface CellOp {
  sheet: number;
  row: number;
  col: number;
  t: string;
  v: string | number | null;
  x: string | null;
  fmt: number | null;
  /** write sequence (set by the daemon as the batch is taken) */
  seq?: number;
}

type Db = BetterSqlite3.Database;

/** Sheet rows a statement reads at close (each a packed row of cells). */
const ROWS_PER_READ = 256;

// Prepared statements are cached per database connection (the daemon has one; tests may open more).
const cache = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
  return {
    insWorkbook: db.prepare('INSERT OR REPLACE INTO excel_workbooks(wbn, handle, path, options, created) VALUES (?, ?, ?, ?, ?)'),
    getWorkbook: db.prepare('SELECT wbn, handle, path, options FROM excel_workbooks WHERE wbn = ?'),
    openWorkbooks: db.prepare('SELECT count(*) FROM excel_workbooks').pluck(),
    insSheet: db.prepare('INSERT OR REPLACE INTO excel_sheets(wbn, idx, name) VALUES (?, ?, ?)'),
    sheets: db.prepare('SELECT idx, name FROM excel_sheets WHERE wbn = ? ORDER BY idx'),
    putFormat: db.prepare('INSERT OR REPLACE INTO excel_formats(wbn, idx, props) VALUES (?, ?, ?)'),
    formats: db.prepare('SELECT idx, props FROM excel_formats WHERE wbn = ? ORDER BY idx'),
    formatCount: db.prepare('SELECT count(*) FROM excel_formats WHERE wbn = ?'),
    // a row's cells: inserted when the row is new, else read, merged and rewritten (row-cells.ts)
    insRowCells: db.prepare('INSERT INTO excel_row_cells(wbn, sheet, row, cmin, cmax, n, ns, cells) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'),
    getRowCells: db.prepare('SELECT cells FROM excel_row_cells WHERE wbn = ? AND sheet = ? AND row = ?').pluck(),
    updRowCells: db.prepare('UPDATE excel_row_cells SET cmin = ?, cmax = ?, n = ?, ns = ?, cells = ? WHERE wbn = ? AND sheet = ? AND row = ?'),
    putLostString: db.prepare('INSERT OR IGNORE INTO excel_lost_strings(wbn, seq, v) VALUES (?, ?, ?)'),
    setSeq: db.prepare('UPDATE excel_workbooks SET seq = ? WHERE wbn = ?'),
    getSeq: db.prepare('SELECT seq FROM excel_workbooks WHERE wbn = ?').pluck(),
    calls: db.prepare("SELECT value FROM excel_items WHERE wbn = ? AND sheet = -3 AND kind = 'call' ORDER BY CAST(key AS INTEGER)").pluck(),
    stringRows: db.prepare('SELECT cells FROM excel_row_cells WHERE wbn = ? AND ns > 0').pluck(),
    lostStringRows: db.prepare('SELECT seq, v FROM excel_lost_strings WHERE wbn = ?').raw(true),
    lostStrings: db.prepare('SELECT count(*) FROM excel_lost_strings WHERE wbn = ?').pluck(),
    cellDims: db.prepare('SELECT min(row) rmin, max(row) rmax, min(cmin) cmin, max(cmax) cmax FROM excel_row_cells WHERE wbn = ? AND sheet = ?'),
    putRow: db.prepare('INSERT OR REPLACE INTO excel_rows(wbn, sheet, row, props) VALUES (?, ?, ?, ?)'),
    putItem: db.prepare('INSERT OR REPLACE INTO excel_items(wbn, sheet, kind, key, value) VALUES (?, ?, ?, ?, ?)'),
    maxItemKey: db.prepare('SELECT max(CAST(key AS INTEGER)) FROM excel_items WHERE wbn = ? AND sheet = ? AND kind = ?'),
    items: db.prepare('SELECT sheet, kind, key, value FROM excel_items WHERE wbn = ? AND sheet >= -1 ORDER BY sheet, kind, CAST(key AS INTEGER), key'),
    item: db.prepare('SELECT value FROM excel_items WHERE wbn = ? AND sheet = ? AND kind = ? AND key = ?'),
    blobParts: db.prepare("SELECT key, value FROM excel_items WHERE wbn = ? AND sheet = -2 AND kind = 'blob' AND key >= ? AND key < ? ORDER BY key"),
    rowCellsIn: db.prepare(`SELECT row, cells FROM excel_row_cells WHERE wbn = ? AND sheet = ? AND row >= ? AND row <= ? AND cmax >= ? AND cmin <= ?
      ORDER BY row`).raw(true),
    rowCellsFrom: db.prepare('SELECT row, cells FROM excel_row_cells WHERE wbn = ? AND sheet = ? AND row >= ? ORDER BY row LIMIT ?').raw(true),
    rowsBetween: db.prepare('SELECT row, props FROM excel_rows WHERE wbn = ? AND sheet = ? AND row >= ? AND row <= ? ORDER BY row'),
    rowsFrom: db.prepare('SELECT row, props FROM excel_rows WHERE wbn = ? AND sheet = ? AND row >= ? ORDER BY row LIMIT ?'),
    cellCount: db.prepare('SELECT coalesce(sum(n), 0) FROM excel_row_cells WHERE wbn = ?'),
    stringCount: db.prepare('SELECT coalesce(sum(ns), 0) FROM excel_row_cells WHERE wbn = ?'),
    byHandle: db.prepare('SELECT wbn FROM excel_workbooks WHERE handle = ?'),
    del: ['excel_row_cells', 'excel_lost_strings', 'excel_rows', 'excel_items', 'excel_formats', 'excel_sheets', 'excel_workbooks'].map((t) => db.prepare(`DELETE FROM ${t} WHERE wbn = ?`)),
  };
}

function st(db: Db) {
  let s = cache.get(db);
  if (!s) {
    s = prepare(db);
    cache.set(db, s);
  }
  return s;
}

export interface WorkbookRow {
  wbn: number;
  handle: string;
  path: string;
  options: string;
}

export const store = {
  insertWorkbook(db: Db, wbn: number, handle: string, path: string, options: Record<string, unknown>): void {
    st(db).insWorkbook.run(wbn, handle, path, JSON.stringify(options), Date.now());
  },
  /** Workbooks created and not closed, in every session (live or waiting to be rehydrated). */
  openWorkbooks(db: Db): number {
    return st(db).openWorkbooks.get() as number;
  },
  workbook(db: Db, wbn: number): WorkbookRow | undefined {
    return st(db).getWorkbook.get(wbn) as WorkbookRow | undefined;
  },
  insertSheet(db: Db, wbn: number, idx: number, name: string): void {
    st(db).insSheet.run(wbn, idx, name);
  },
  sheets(db: Db, wbn: number): { idx: number; name: string }[] {
    return st(db).sheets.all(wbn) as { idx: number; name: string }[];
  },
  putFormat(db: Db, wbn: number, idx: number, props: Record<string, unknown>): void {
    st(db).putFormat.run(wbn, idx, JSON.stringify(props));
  },
  formats(db: Db, wbn: number): Map<number, Record<string, unknown>> {
    const out = new Map<number, Record<string, unknown>>();
    for (const r of st(db).formats.all(wbn) as { idx: number; props: string }[]) out.set(r.idx, JSON.parse(r.props) as Record<string, unknown>);
    return out;
  },
  /** Writes cells in write order; a later op on the same cell wins (also inside one batch). */
  putCells(db: Db, wbn: number, ops: readonly CellOp[]): void {
    const s = st(db);
    // the batch's writes by sheet row, in write order (a row is usually one run of a batch)
    const rows = new Map<number, { sheet: number; row: number; writes: PackedCell[] }>();
    let cur: { sheet: number; row: number; writes: PackedCell[] } | undefined;
    for (const o of ops) {
      if (!cur || cur.row !== o.row || cur.sheet !== o.sheet) {
        const k = o.sheet * (MAX_ROW + 1) + o.row;
        cur = rows.get(k);
        if (!cur) rows.set(k, (cur = { sheet: o.sheet, row: o.row, writes: [] }));
      }
      cur.writes.push([o.col, o.t, o.v, o.x, o.fmt, o.seq ?? null]);
    }
    const lost: LostString[] = [];
    for (const r of rows.values()) {
      let p = packRow(mergeRow([], r.writes, lost));
      if (s.insRowCells.run(wbn, r.sheet, r.row, p.cmin, p.cmax, p.n, p.ns, p.cells).changes === 0) {
        const base = parseRow(s.getRowCells.get(wbn, r.sheet, r.row) as string);
        lost.length = 0;
        p = packRow(mergeRow(base, r.writes, lost));
        s.updRowCells.run(p.cmin, p.cmax, p.n, p.ns, p.cells, wbn, r.sheet, r.row);
      }
      for (const l of lost) s.putLostString.run(wbn, l.seq, l.v);
      lost.length = 0;
    }
  },
  putRow(db: Db, wbn: number, sheet: number, row: number, props: Record<string, unknown>): void {
    st(db).putRow.run(wbn, sheet, row, JSON.stringify(props));
  },
  putItem(db: Db, wbn: number, sheet: number, kind: string, key: string, value: unknown): void {
    st(db).putItem.run(wbn, sheet, kind, key, JSON.stringify(value));
  },
  /** Appends an ordered item (validations, conditional formats): key = next integer. */
  appendItem(db: Db, wbn: number, sheet: number, kind: string, value: unknown): void {
    const max = st(db).maxItemKey.pluck().get(wbn, sheet, kind) as number | null;
    st(db).putItem.run(wbn, sheet, kind, String((max ?? 0) + 1), JSON.stringify(value));
  },
  item(db: Db, wbn: number, sheet: number, kind: string, key: string): unknown {
    const v = st(db).item.pluck().get(wbn, sheet, kind, key) as string | undefined;
    return v === undefined ? undefined : JSON.parse(v) as unknown;
  },
  /** A part of a binary object (image bytes), base64; kept apart from the sheet items (sheet -2). */
  putBlobPart(db: Db, wbn: number, sha: string, part: number, base64: string): void {
    st(db).putItem.run(wbn, -2, 'blob', `${sha}:${String(part).padStart(6, '0')}`, JSON.stringify(base64));
  },
  /** The parts of a binary object, in order: [part number, bytes]. */
  blobParts(db: Db, wbn: number, sha: string): [number, Buffer][] {
    const rows = st(db).blobParts.all(wbn, `${sha}:`, `${sha};`) as { key: string; value: string }[];
    return rows.map((r) => [Number(r.key.slice(sha.length + 1)), Buffer.from(JSON.parse(r.value) as string, 'base64')]);
  },
  /** Cells of a rectangle, in row order, at most `limit`. */
  cellsIn(db: Db, wbn: number, sheet: number, r1: number, r2: number, c1: number, c2: number, limit: number): CellRow[] {
    const out: CellRow[] = [];
    for (const [row, cells] of st(db).rowCellsIn.iterate(wbn, sheet, r1, r2, c1, c2) as IterableIterator<[number, string]>) {
      for (const c of parseRow(cells)) {
        if (c[0] < c1 || c[0] > c2) continue;
        out.push({ row, col: c[0], t: c[1], v: c[2], x: c[3], fmt: c[4] });
        if (out.length >= limit) return out;
      }
    }
    return out;
  },
  items(db: Db, wbn: number): ItemRow[] {
    return st(db).items.all(wbn) as ItemRow[];
  },
  /**
   * Cells of a sheet after (row, col) in row order, as arrays [row, col, t, v, x, fmt]: at least
   * `limit` (whole rows) unless the sheet ends first.
   */
  cellPage(db: Db, wbn: number, sheet: number, row: number, col: number, limit: number): unknown[][] {
    const s = st(db);
    const out: unknown[][] = [];
    let from = row;
    for (;;) {
      const rows = s.rowCellsFrom.all(wbn, sheet, from, ROWS_PER_READ) as [number, string][];
      for (const [r, cells] of rows) {
        for (const c of parseRow(cells)) if (r > row || c[0] > col) out.push([r, c[0], c[1], c[2], c[3], c[4]]);
      }
      if (rows.length < ROWS_PER_READ || out.length >= limit) return out;
      from = rows[rows.length - 1][0] + 1;
    }
  },
  rowsBetween(db: Db, wbn: number, sheet: number, from: number, to: number): { row: number; props: string }[] {
    return st(db).rowsBetween.all(wbn, sheet, from, to) as { row: number; props: string }[];
  },
  rowsFrom(db: Db, wbn: number, sheet: number, from: number, limit: number): { row: number; props: string }[] {
    return st(db).rowsFrom.all(wbn, sheet, from, limit) as { row: number; props: string }[];
  },
  cellCount(db: Db, wbn: number): number {
    return st(db).cellCount.pluck().get(wbn) as number;
  },
  /** String writes: the string cells, and the writes to string cells written over since. */
  stringCount(db: Db, wbn: number): number {
    return (st(db).stringCount.pluck().get(wbn) as number) + (st(db).lostStrings.get(wbn) as number);
  },
  /** The workbook's write sequence: cells and calls are numbered from it. */
  seq(db: Db, wbn: number): number {
    return (st(db).getSeq.get(wbn) as number | undefined) ?? 0;
  },
  setSeq(db: Db, wbn: number, seq: number): void {
    st(db).setSeq.run(seq, wbn);
  },
  /** A recorded method call (excel.call), at its place in the sequence. */
  putCall(db: Db, wbn: number, seq: number, call: unknown): void {
    st(db).putItem.run(wbn, -3, 'call', String(seq), JSON.stringify(call));
  },
  /** The recorded calls, in order (iterated: a long log is not held at once). */
  *calls(db: Db, wbn: number): Generator<unknown> {
    for (const v of st(db).calls.iterate(wbn) as IterableIterator<string>) yield JSON.parse(v) as unknown;
  },
  /** The distinct strings of string cells and of strings written over, in the order each was first written. */
  *sstStrings(db: Db, wbn: number): Generator<string> {
    const s = st(db);
    const first = new Map<string | number | null, number>();
    const see = (v: string | number | null, seq: number) => {
      const had = first.get(v);
      if (had === undefined || seq < had) first.set(v, seq);
    };
    for (const cells of s.stringRows.iterate(wbn) as IterableIterator<string>) {
      for (const c of parseRow(cells)) if (c[1] === 's') see(c[2], c[5] ?? 0);
    }
    for (const [seq, v] of s.lostStringRows.all(wbn) as [number, string | number | null][]) see(v, seq);
    for (const [v] of [...first].sort((x, y) => x[1] - y[1])) yield String(v);
  },
  cellDims(db: Db, wbn: number, sheet: number): { rmin: number; rmax: number; cmin: number; cmax: number } | undefined {
    const r = st(db).cellDims.get(wbn, sheet) as { rmin: number | null; rmax: number; cmin: number; cmax: number };
    return r.rmin === null ? undefined : r as { rmin: number; rmax: number; cmin: number; cmax: number };
  },

  /** Every row of a workbook, in every excel table. */
  deleteWorkbook(db: Db, wbn: number): void {
    for (const d of st(db).del) d.run(wbn);
  },
  workbookOf(db: Db, handle: string): number | undefined {
    return st(db).byHandle.pluck().get(handle) as number | undefined;
  },
};
