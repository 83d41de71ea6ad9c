// A daemon must resume from journals written by earlier versions (an upgrade happens while jobs
// are mid-workflow): each format's fixture is opened and its open cursor continued.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import JSZip from 'jszip';
import type { BridgeClient } from '../../src/client';
import { encodeCell } from '../../src/modules/excel/cells';
import { makeFixtureData } from '../fixtures/make-journal-v1';
import { cli, ROOT, startDaemon, tempDir } from '../helpers';

test('journal format 1: a cursor left open by a killed daemon continues at row 21', async () => {
  const src = path.join(ROOT, 'test', 'fixtures', 'journal-v1');
  const ids = JSON.parse(fs.readFileSync(path.join(src, 'handles.json'), 'utf8')) as { dbh: string; sth: string; session: string };
  makeFixtureData();
  const home = tempDir();
  for (const f of ['journal.sqlite', 'journal.key']) {
    fs.copyFileSync(path.join(src, f), path.join(home, f));
    fs.chmodSync(path.join(home, f), 0o600);
  }
  assert.equal(cli(home, ['journal', 'verify']).status, 0);
  const d = await startDaemon(home);
  const c = await d.client(ids.session);
  try {
    // the session's request ids continue where the killed daemon's client stopped
    const r = await c.request('database', 'fetch', { sth: ids.sth, max: 100 }, '10');
    assert.equal(r.success, true, JSON.stringify(r.error));
    const res = r.result as { batch: unknown[][]; done: boolean };
    assert.deepEqual(res.batch, Array.from({ length: 30 }, (_, k) => [k + 21, `name ${k + 21}`]));
    assert.equal(res.done, true);
    assert.equal((await c.request('database', 'disconnect', { dbh: ids.dbh }, '11')).success, true);
  } finally {
    c.close();
    await d.kill('SIGTERM');
  }
});

// Journal format 2 held one row per cell (excel_cells); format 3 packs them by sheet row
// (excel/004). A workbook half written by a format-2 daemon is finished by this one exactly as an
// uninterrupted one: the journal is made format 2 again by hand (per-cell rows, the trigger, the
// migration unrecorded) after a SIGKILL, then the job goes on.
const CELLS_1 = [
  encodeCell([0, 0, 0, 's', '', 'name']), encodeCell([0, 0, 1, 's', '', 'total']),
  encodeCell([0, 1, 0, 's', '', 'Zürich\x1f\x1e']), encodeCell([0, 1, 1, 'n', '', '12.5']),
  encodeCell([0, 2, 0, 's', '', 'written over']), encodeCell([0, 2, 0, 's', '', 'Basel']), encodeCell([0, 2, 1, 'n', '', '-0']),
  encodeCell([0, 5, 3, 'f', '', '=B2*2', '25']), encodeCell([0, 4, 2, 'b', '']),
].join('\x1e');
const CELLS_2 = [
  encodeCell([0, 1, 1, 'n', '', '13']), encodeCell([0, 1, 0, 's', '', 'Bern']), encodeCell([0, 3, 0, 's', '', 'total']),
  encodeCell([0, 2, 2, 'l', '', '1']),
].join('\x1e');

async function halfWorkbook(c: BridgeClient, file: string): Promise<string> {
  const r = await c.request('excel', 'new_workbook', { filename: file }, '1');
  assert.equal(r.success, true, JSON.stringify(r.error));
  const wb = (r.result as { wb: string }).wb;
  for (const [id, fn, p] of [['2', 'add_worksheet', { wb, idx: 0, name: 'S' }], ['3', 'write_batch', { wb, cells: CELLS_1 }]] as const) {
    const x = await c.request('excel', fn, p, id);
    assert.equal(x.success, true, JSON.stringify(x.error));
  }
  return wb;
}

async function finishWorkbook(c: BridgeClient, wb: string): Promise<void> {
  for (const [id, fn, p] of [['4', 'write_batch', { wb, cells: CELLS_2 }], ['5', 'close', { wb }]] as const) {
    const x = await c.request('excel', fn, p, id);
    assert.equal(x.success, true, JSON.stringify(x.error));
  }
}

/** Back to the journal a format-2 daemon left: the packed rows as per-cell rows. */
function toFormat2(journal: string): number {
  const db = new Database(journal);
  try {
    let n = 0;
    db.transaction(() => {
      db.exec(`CREATE TABLE excel_cells (
          wbn INTEGER NOT NULL, sheet INTEGER NOT NULL, row INTEGER NOT NULL, col INTEGER NOT NULL,
          t TEXT NOT NULL, v, x TEXT, fmt INTEGER, seq INTEGER,
          PRIMARY KEY (wbn, sheet, row, col)) WITHOUT ROWID;
        CREATE TRIGGER excel_cells_lost_string AFTER UPDATE ON excel_cells WHEN old.t = 's'
        BEGIN
          INSERT OR IGNORE INTO excel_lost_strings(wbn, seq, v) VALUES (old.wbn, coalesce(old.seq, 0), old.v);
        END;`);
      const ins = db.prepare('INSERT INTO excel_cells(wbn, sheet, row, col, t, v, x, fmt, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
      for (const r of db.prepare('SELECT wbn, sheet, row, cells FROM excel_row_cells').all() as { wbn: number; sheet: number; row: number; cells: string }[]) {
        for (const c of JSON.parse(r.cells) as unknown[][]) {
          ins.run(r.wbn, r.sheet, r.row, ...c);
          n++;
        }
      }
      db.exec("DROP TABLE excel_row_cells; DELETE FROM migrations WHERE name = 'excel/004_row_cells'; UPDATE meta SET value = '2' WHERE key = 'format'");
    })();
    return n;
  } finally {
    db.close();
  }
}

async function xlsxParts(file: string): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const out: Record<string, string> = {};
  for (const name of Object.keys(zip.files).sort()) {
    if (name === 'docProps/core.xml') continue; // its dates
    out[name] = await zip.files[name].async('string');
  }
  return out;
}

test('journal format 2: a workbook half written (one row per cell) is finished after the upgrade as an uninterrupted one', async () => {
  const ref = tempDir();
  const refFile = path.join(ref, 'out.xlsx');
  const a = await startDaemon(ref);
  try {
    const ca = await a.client('session-ref');
    await finishWorkbook(ca, await halfWorkbook(ca, refFile));
    ca.close();
  } finally {
    await a.kill('SIGTERM');
  }

  const home = tempDir();
  const file = path.join(home, 'out.xlsx');
  const b = await startDaemon(home);
  let wb: string;
  try {
    const cb = await b.client('session-up');
    wb = await halfWorkbook(cb, file);
    cb.close();
  } finally {
    await b.kill('SIGKILL');
  }
  assert.equal(toFormat2(path.join(home, 'journal.sqlite')), 8, 'the cells, one row each, as format 2 held them');
  assert.equal(cli(home, ['journal', 'verify']).status, 0);
  const d = await startDaemon(home);
  try {
    const c = await d.client('session-up');
    await finishWorkbook(c, wb);
    c.close();
  } finally {
    await d.kill('SIGTERM');
  }
  const db = new Database(path.join(home, 'journal.sqlite'), { readonly: true });
  try {
    assert.equal(db.prepare("SELECT value FROM meta WHERE key = 'format'").pluck().get(), '3');
  } finally {
    db.close();
  }
  assert.deepEqual(await xlsxParts(file), await xlsxParts(refFile));
});
