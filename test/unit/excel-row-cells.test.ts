// The cell store packed by sheet row (excel/004, src/modules/excel/row-cells.ts) against a model
// of what the per-cell table it replaced answered: random batches in every order, overwrites
// inside and across batches, every query the writer asks; and the migration of a journal that
// still holds per-cell rows.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { applyMigrations, CORE_MIGRATIONS } from '../../journal/migrations';
import { EXCEL_MIGRATIONS, store, type CellOp } from '../../src/modules/excel/store';

type Cell = { row: number; col: number; t: string; v: string | number | null; x: string | null; fmt: number | null; seq: number };

function journalDb(migrations = EXCEL_MIGRATIONS): Database.Database {
  const db = new Database(':memory:');
  applyMigrations(db, [...CORE_MIGRATIONS, ...migrations]);
  return db;
}

/** A small deterministic generator (the test repeats exactly). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** What the per-cell table answered: the last write per cell; every string written over is kept. */
class Model {
  readonly cells = new Map<string, Cell & { sheet: number }>();
  readonly strings: { v: string | number | null; seq: number }[] = [];
  put(o: CellOp & { seq: number }): void {
    const k = `${o.sheet}:${o.row}:${o.col}`;
    const old = this.cells.get(k);
    if (old && old.t === 's') this.strings.push({ v: old.v, seq: old.seq });
    this.cells.set(k, { sheet: o.sheet, row: o.row, col: o.col, t: o.t, v: o.v, x: o.x, fmt: o.fmt, seq: o.seq });
  }
  sheet(sheet: number): Cell[] {
    return [...this.cells.values()].filter((c) => c.sheet === sheet).sort((a, b) => a.row - b.row || a.col - b.col);
  }
  sst(): string[] {
    const all = [...this.strings, ...[...this.cells.values()].filter((c) => c.t === 's')];
    const first = new Map<string | number | null, number>();
    for (const s of all) if (!first.has(s.v) || s.seq < first.get(s.v)!) first.set(s.v, s.seq);
    return [...first].sort((a, b) => a[1] - b[1]).map(([v]) => String(v));
  }
}

function randomOp(r: () => number, seq: number, rowBase: number): CellOp & { seq: number } {
  const t = ['n', 's', 's', 'f', 'b', 'l', 'a'][Math.floor(r() * 7)];
  const v = t === 'n' ? Math.round(r() * 1e6) / 100 : t === 's' ? `str ${Math.floor(r() * 40)} é\u2028"\\` : t === 'f' ? '=A1+1' : t === 'l' ? 1 : t === 'a' ? '{=A1:B2}' : null;
  return {
    sheet: Math.floor(r() * 2), row: rowBase + Math.floor(r() * 30), col: Math.floor(r() * 12), t, v,
    x: t === 'f' ? '2' : t === 'a' ? JSON.stringify(['A1:B2', '3']) : null, fmt: r() < 0.3 ? Math.floor(r() * 5) : null, seq,
  };
}

test('packed rows answer every query as the per-cell table did: random batches, overwrites, strings written over', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const r = rng(seed);
    const db = journalDb();
    const model = new Model();
    const wbn = 100 + seed;
    let seq = 0;
    for (let b = 0; b < 30; b++) {
      const batch: (CellOp & { seq: number })[] = [];
      // some batches write row by row left to right (the bulk case), others anywhere
      const ordered = r() < 0.5;
      const n = 1 + Math.floor(r() * 40);
      for (let i = 0; i < n; i++) {
        const o = ordered ? { ...randomOp(r, ++seq, 0), row: b * 3 + Math.floor(i / 12), col: i % 12 } : randomOp(r, ++seq, 0);
        batch.push(o);
      }
      store.putCells(db, wbn, batch);
      for (const o of batch) model.put(o);
    }
    // another workbook's cells are never seen
    store.putCells(db, wbn + 1000, [{ sheet: 0, row: 1, col: 1, t: 's', v: 'other', x: null, fmt: null, seq: 1 }]);
    for (const sheet of [0, 1]) {
      const want = model.sheet(sheet);
      // the close's paging: from (-1, -1), each page continuing after its last cell
      const got: unknown[][] = [];
      for (let row = -1, col = -1; ;) {
        const page = store.cellPage(db, wbn, sheet, row, col, 7);
        got.push(...page);
        if (page.length < 7) break;
        [row, col] = page[page.length - 1] as [number, number];
      }
      assert.deepEqual(got, want.map((c) => [c.row, c.col, c.t, c.v, c.x, c.fmt]), `seed ${seed} sheet ${sheet}: cells in order`);
      const rect = want.filter((c) => c.row >= 5 && c.row <= 20 && c.col >= 2 && c.col <= 8);
      assert.deepEqual(store.cellsIn(db, wbn, sheet, 5, 20, 2, 8, 1_000_000), rect.map(({ row, col, t, v, x, fmt }) => ({ row, col, t, v, x, fmt })), 'a rectangle');
      assert.deepEqual(store.cellsIn(db, wbn, sheet, 5, 20, 2, 8, 3), rect.slice(0, 3).map(({ row, col, t, v, x, fmt }) => ({ row, col, t, v, x, fmt })), 'a rectangle, limited');
      const dims = want.length ? { rmin: want[0].row, rmax: want[want.length - 1].row, cmin: Math.min(...want.map((c) => c.col)), cmax: Math.max(...want.map((c) => c.col)) } : undefined;
      assert.deepEqual(store.cellDims(db, wbn, sheet), dims, 'dimensions');
    }
    assert.equal(store.cellCount(db, wbn), model.cells.size, 'cell count');
    assert.equal(store.stringCount(db, wbn), [...model.cells.values()].filter((c) => c.t === 's').length + model.strings.length, 'string writes');
    assert.deepEqual([...store.sstStrings(db, wbn)], model.sst(), 'shared strings in first-write order');
    store.deleteWorkbook(db, wbn);
    assert.equal(store.cellCount(db, wbn), 0);
    assert.equal(store.cellCount(db, wbn + 1000), 1, 'the other workbook is left');
    db.close();
  }
});

test('excel/004 moves the per-cell rows of an open workbook into packed rows; the format becomes 3', () => {
  const db = journalDb(EXCEL_MIGRATIONS.filter((m) => m.name !== 'excel/004_row_cells'));
  db.prepare("INSERT INTO meta(key, value) VALUES ('format', '2')").run();
  const ins = db.prepare('INSERT INTO excel_cells(wbn, sheet, row, col, t, v, x, fmt, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const rows: [number, number, number, number, string, string | number | null, string | null, number | null, number | null][] = [
    [1, 0, 0, 0, 's', 'a', null, null, 1], [1, 0, 0, 2, 'n', 1.25, null, 3, 2], [1, 0, 4, 1, 'f', '=A1', '1', null, 3],
    [1, 1, 0, 0, 'b', null, null, 1, 4], [2, 0, 7, 7, 's', 'b', null, null, null],
  ];
  for (const r of rows) ins.run(...r);
  db.prepare('INSERT INTO excel_lost_strings(wbn, seq, v) VALUES (1, 0, ?)').run('lost');
  applyMigrations(db, [...CORE_MIGRATIONS, ...EXCEL_MIGRATIONS]);
  assert.equal(db.prepare("SELECT value FROM meta WHERE key = 'format'").pluck().get(), '3');
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name IN ('excel_cells', 'excel_cells_lost_string')").pluck().get(), 0, 'the per-cell table and its trigger are gone');
  assert.deepEqual(store.cellPage(db, 1, 0, -1, -1, 100), [[0, 0, 's', 'a', null, null], [0, 2, 'n', 1.25, null, 3], [4, 1, 'f', '=A1', '1', null]]);
  assert.deepEqual(store.cellPage(db, 1, 1, -1, -1, 100), [[0, 0, 'b', null, null, 1]]);
  assert.deepEqual(store.cellPage(db, 2, 0, -1, -1, 100), [[7, 7, 's', 'b', null, null]]);
  assert.equal(store.stringCount(db, 1), 2);
  assert.deepEqual([...store.sstStrings(db, 1)], ['lost', 'a']);
  // and the workbook goes on: a write over a migrated string keeps it
  store.putCells(db, 1, [{ sheet: 0, row: 0, col: 0, t: 'n', v: 5, x: null, fmt: null, seq: 9 }]);
  assert.deepEqual([...store.sstStrings(db, 1)], ['lost', 'a']);
  assert.equal(store.stringCount(db, 1), 2);
  db.close();
});
