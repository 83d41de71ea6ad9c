// The core of the workbook writer: every method table's argument schema compiles as the engine
// compiles it (an invalid schema would refuse every call of its method), the core calls refuse
// malformed arguments, and a small workbook replayed from the store has the real module's parts:
// shared strings in first-write order (a string written over keeps its place and its count),
// dimensions, spans, column widths of a sheet without cells, print titles and links; the same parts
// from the shared strings and dimensions taken as the cells arrived (live-cells.ts).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import Ajv from 'ajv';
import Database from 'better-sqlite3';
import { applyMigrations, CORE_MIGRATIONS } from '../../journal/migrations';
import { EXCEL_MIGRATIONS, store, type CellOp } from '../../src/modules/excel/store';
import { METHOD_TABLES, replay } from '../../src/modules/excel/xlsx/replay';
import { writePackage } from '../../src/modules/excel/xlsx/packager';
import { LiveCells } from '../../src/modules/excel/live-cells';

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false });

test('every method schema compiles', () => {
  let n = 0;
  for (const [kind, table] of Object.entries(METHOD_TABLES)) {
    for (const [name, m] of Object.entries(table)) {
      assert.doesNotThrow(() => ajv.compile(m.args), `${kind}.${name}`);
      n++;
    }
  }
  assert.ok(n > 100, `${n} methods`);
});

test('core calls refuse malformed arguments', () => {
  const ws = METHOD_TABLES.worksheet;
  const wb = METHOD_TABLES.workbook;
  const bad: [typeof ws, string, unknown[]][] = [
    [ws, 'set_column', [0]],
    [ws, 'set_column', [0, 16384, 10]],
    [ws, 'set_row', [1048576, 15]],
    [ws, 'set_row', [0, 15, { $fmt: 'x' }]],
    [ws, 'merge_range', [0, 0, 1]],
    [ws, 'hyperlink', [0, 0, 3, 'http://x', null, null]],
    [ws, 'select', [1]],
    [ws, 'set_background', ['not-a-sha', 'f.png']],
    [ws, 'internal', ['_secret', 1]],
    [wb, 'define_name', ['x', -2, '=1']],
    [wb, 'set_custom_property', ['x', 1, 'nope']],
    [wb, 'set_properties', [{ bogus: 1 }]],
  ];
  for (const [t, m, args] of bad) assert.equal(ajv.compile(t[m].args)(args), false, `${m} ${JSON.stringify(args)}`);
  assert.equal(ajv.compile(ws.set_row.args)([0, 15, { $fmt: 3 }, 0, 1, 0, 2]), true);
});

/** The members of a zip written by ZipWriter (data descriptors, deflate): name -> text. */
function unzip(buf: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let p = buf.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28);
    const off = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
    const lnlen = buf.readUInt16LE(off + 26);
    const data = buf.subarray(off + 30 + lnlen, off + 30 + lnlen + csize);
    out.set(name, zlib.inflateRawSync(data).toString('utf8'));
    p += 46 + nlen;
  }
  return out;
}

test('a workbook replayed from the store', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cb-xcore-'));
  const db = new Database(path.join(dir, 'j.db'));
  applyMigrations(db, [...CORE_MIGRATIONS, ...EXCEL_MIGRATIONS]);
  const wbn = 7;
  let seq = 0;
  const call = (target: object, method: string, args: unknown[]) => store.putCall(db, wbn, ++seq, { target, method, args });
  // the shared strings and dimensions taken as the cells arrive (what the daemon does) beside the store's
  const live = new LiveCells();
  const cells = (ops: Omit<CellOp, 'seq' | 'x' | 'fmt'>[]) => {
    const full = ops.map((o) => ({ x: null, fmt: null, ...o, seq: ++seq }));
    store.putCells(db, wbn, full);
    assert.equal(live.take(full), true);
  };
  store.insertWorkbook(db, wbn, 'h', path.join(dir, 'x.xlsx'), {});
  store.putFormat(db, wbn, 0, { xf_index: 0 });
  store.putFormat(db, wbn, 1, { hyperlink: 1, color: 12, underline: 1 });
  call({}, '_add_worksheet', [0, 'Sheet1']);
  call({}, '_add_worksheet', [1, 'Empty']);
  cells([{ sheet: 0, row: 0, col: 0, t: 's', v: 'beta' }, { sheet: 0, row: 2, col: 3, t: 's', v: 'alpha' }]);
  // A1 written over with a number: 'beta' keeps its index 0 and its count
  cells([{ sheet: 0, row: 0, col: 0, t: 'n', v: 1.5 }, { sheet: 0, row: 20, col: 1, t: 's', v: 'beta' }]);
  call({ sheet: 0 }, 'hyperlink', [2, 3, 2, 'Empty!A1', 'go', 'a tip']);
  call({ sheet: 0 }, 'repeat_rows', ['Sheet1!$1:$1']);
  call({ sheet: 1 }, 'set_column', [1, 3, 30, null, 0, 0]);
  const write = async (from: LiveCells | null) => {
    const wb = replay(db, wbn, [{ idx: 0, name: 'Sheet1' }, { idx: 1, name: 'Empty' }], {}, new Date(Date.UTC(2024, 0, 2, 3, 4, 5)));
    const file = path.join(dir, 'out.xlsx');
    const out = fs.createWriteStream(file);
    await writePackage(db, wbn, wb, out, from);
    await new Promise<void>((resolve) => out.end(resolve));
    return unzip(fs.readFileSync(file));
  };
  const parts = await write(null);
  // the same parts from what was taken as the cells arrived
  assert.deepEqual(await write(live), parts);
  assert.deepEqual([...parts.keys()].sort(), ['[Content_Types].xml', '_rels/.rels', 'docProps/app.xml', 'docProps/core.xml',
    'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml', 'xl/theme/theme1.xml', 'xl/workbook.xml',
    'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']);
  assert.match(parts.get('xl/sharedStrings.xml')!, /count="3" uniqueCount="2"><si><t>beta<\/t><\/si><si><t>alpha<\/t><\/si><\/sst>$/);
  const s1 = parts.get('xl/worksheets/sheet1.xml')!;
  assert.match(s1, /<dimension ref="A1:D21"\/>/);
  assert.match(s1, /<row r="1" spans="1:4"><c r="A1"><v>1.5<\/v><\/c><\/row><row r="3" spans="1:4"><c r="D3" t="s"><v>1<\/v><\/c><\/row>/);
  assert.match(s1, /<row r="21" spans="2:2"><c r="B21" t="s"><v>0<\/v><\/c><\/row>/);
  assert.match(s1, /<hyperlinks><hyperlink ref="D3" location="Empty!A1" tooltip="a tip" display="go"\/><\/hyperlinks>/);
  const s2 = parts.get('xl/worksheets/sheet2.xml')!;
  assert.match(s2, /<dimension ref="A1"\/>.*<cols><col min="2" max="4" width="30.7109375" customWidth="1"\/><\/cols><sheetData\/>/);
  assert.match(parts.get('xl/workbook.xml')!, /<definedName name="_xlnm.Print_Titles" localSheetId="0">Sheet1!\$1:\$1<\/definedName>/);
  assert.match(parts.get('docProps/core.xml')!, /<dcterms:created xsi:type="dcterms:W3CDTF">2024-01-02T03:04:05Z<\/dcterms:created>/);
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
