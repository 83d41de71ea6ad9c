// The notes' recorded calls: their argument schemas refuse malformed calls before they are journaled,
// and the close-time steps number VML blocks, shapes, tables and header-image links as the real
// module does (the parts themselves are compared with the real module's in perl/t/86-excel-notes.t).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import Ajv from 'ajv';
import { positionObjectPixels } from '../../src/modules/excel/xlsx/drawing/position';
import { notesMethods } from '../../src/modules/excel/xlsx/methods/notes';
import {
  commentParts, newNotesState, prepareHeaderImage, prepareTables, prepareVmlObjects, setHeaderFooterImages, tableParts,
  vmlParts, writeLegacyDrawing, writeTableParts, type NotesBook, type NotesSheet,
} from '../../src/modules/excel/xlsx/notes';
import { palette } from '../../src/modules/excel/xlsx/palette';
import { XmlWriter } from '../../src/modules/excel/xlsx/xml';

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false });
const check = Object.fromEntries(Object.entries(notesMethods).map(([k, m]) => [k, ajv.compile(m.args)]));

function sheet(): NotesSheet & { dims: [number, number][] } {
  let rel = 0;
  const size = {
    sizeCol: () => 64, sizeRow: () => 20, colSizeChanged: false, rowSizeChanged: false, defaultColPixels: 64, defaultRowPixels: 20,
  };
  const dims: [number, number][] = [];
  return {
    notes: newNotesState(), defaultColPixels: 64, defaultRowPixels: 20, dims,
    positionObjectPixels: (c, r, x, y, w, h) => positionObjectPixels(size, c, r, x, y, w, h),
    checkDimensions: (r, c) => { dims.push([r, c]); },
    nextRelId: () => ++rel,
  };
}
const book: NotesBook = { palette: palette(), dxfIndex: (ref) => ref + 100 };

function call(ws: NotesSheet, method: string, args: unknown[]): void {
  assert.ok(check[method](args), `${method} ${JSON.stringify(args)}: ${ajv.errorsText(check[method].errors)}`);
  notesMethods[method].apply(ws, args, book);
}

function xml(write: (w: XmlWriter) => void): string {
  const w = new XmlWriter();
  write(w);
  return w.take();
}

test('notes calls: malformed arguments are refused by the schemas', () => {
  const bad: [string, unknown[]][] = [
    ['write_comment', [-1, 0, 'x', {}]],
    ['write_comment', [0, 16384, 'x', {}]],
    ['write_comment', [0, 0, 'x', { colour: 'red' }]],
    ['write_comment', [0, 0, 'x']],
    ['insert_button', [0, 0, { caption: { deep: 1 } }]],
    ['insert_button', [0, 0, { width: 1e12 }]],
    ['write_comment', [0, 0, 'x', { x_scale: 1e6 }]],
    ['write_comment', [0, 0, 'x', { x_offset: '1.5e+300' }]],
    ['write_comment', [0, 0, 'x', { width: '12345678' }]],
    ['add_table', [0, 0, 1, 1, { data: [[1]] }]],
    ['add_table', [0, 0, 1, 1, { columns: [{ header: 'a', format: { $fmt: -1 } }] }]],
    ['add_table', [0, 0, 1, 1, { columns: [{ nope: 1 }] }]],
    ['show_comments', [{}]],
    ['set_comments_author', []],
  ];
  for (const [m, args] of bad) assert.equal(check[m](args), false, `${m} ${JSON.stringify(args)} accepted`);
});

test('notes: VML blocks of 1024 shapes across sheets, comments in row/column order, authors in first-use order', () => {
  const a = sheet();
  const b = sheet();
  for (let r = 2048; r >= 0; r--) call(a, 'write_comment', [r, 0, `c${r}`, r === 5 ? { author: 'Ann', x_offset: '3.3333333333333335' } : {}]);
  call(a, 'set_comments_author', ['John']);
  call(b, 'insert_button', [1, 2, {}]);
  call(b, 'write_comment', [0, 1, 'b', {}]);
  assert.equal(a.dims.length, 2049, 'every comment widens the dimension');
  const counts = prepareVmlObjects([a, b], book);
  assert.deepEqual(counts, { numVmlFiles: 1, numCommentFiles: 2, hasComments: true });
  // 2049 comments take three idmap blocks; the next sheet starts at the fourth
  assert.equal(a.notes.vmlDataId, '1,2,3');
  assert.equal(b.notes.vmlDataId, '4');
  assert.equal(b.notes.vmlShapeId, 4096);
  assert.deepEqual(a.notes.commentsArray.slice(0, 2).map((c) => [c.row, c.text]), [[0, 'c0'], [1, 'c1']]);
  assert.deepEqual(b.notes.externalCommentLinks, [['/comments', '../comments2.xml']]);
  assert.deepEqual(b.notes.externalVmlLinks, [['/vmlDrawing', '../drawings/vmlDrawing2.vml']]);
  const parts = vmlParts([a, b]);
  assert.deepEqual(parts.map((p) => p.name), ['xl/drawings/vmlDrawing1.vml', 'xl/drawings/vmlDrawing2.vml']);
  const vml2 = xml((w) => parts[1].write(w));
  // the button comes before the comment and takes the first shape id of its block
  assert.match(vml2, /<o:idmap v:ext="edit" data="4"\/>.*<v:shape id="_x0000_s4097" type="#_x0000_t201".*<v:shape id="_x0000_s4098" type="#_x0000_t202"/);
  const comments = xml((w) => commentParts([a, b])[0].write(w));
  // the same text in pieces: 2049 comments' VML is several chunks
  const pieces = [...parts[0].chunks()];
  assert.ok(pieces.length > 2, `${pieces.length} chunks`);
  assert.equal(pieces.join(''), xml((w) => parts[0].write(w)));
  assert.equal([...commentParts([a, b])[0].chunks()].join(''), comments);
  assert.match(comments, /<authors><author>John<\/author><author>Ann<\/author><\/authors>/);
  assert.match(comments, /<comment ref="A6" authorId="1">/);
  assert.deepEqual(a.notes.commentsArray[5].vertices.slice(0, 4), [1, 4, 3.3333333333333335, 10], 'an offset sent as %.17g text is a number');
  assert.equal(xml((w) => writeLegacyDrawing(w, b)), '<legacyDrawing r:id="rId1"/>');
});

test('notes: table ids and default names across sheets, their parts, and a duplicate name refused at close', () => {
  const a = sheet();
  const b = sheet();
  call(a, 'add_table', [2, 1, 6, 3, {}]);
  call(a, 'add_table', [10, 1, 12, 2, { name: 'Sales', columns: [{ header: 'Q1', format: { $fmt: 3 } }, null] }]);
  call(b, 'add_table', [0, 0, 3, 0, {}]);
  prepareTables([a, b]);
  assert.deepEqual([...a.notes.tables, ...b.notes.tables].map((t) => [t.id, t.name]), [[1, 'Table1'], [2, 'Sales'], [3, 'Table3']]);
  assert.equal(a.notes.tables[1].columns[0].format, 103, 'the dxf index the workbook gave at replay');
  assert.deepEqual(b.notes.externalTableLinks, [['/table', '../tables/table3.xml']]);
  assert.deepEqual(tableParts([a, b]).map((p) => p.name), ['xl/tables/table1.xml', 'xl/tables/table2.xml', 'xl/tables/table3.xml']);
  assert.equal(xml((w) => writeTableParts(w, a)), '<tableParts count="2"><tablePart r:id="rId1"/><tablePart r:id="rId2"/></tableParts>');
  const c = sheet();
  call(c, 'add_table', [0, 0, 1, 1, { name: 'sales' }]);
  assert.throws(() => prepareTables([a, c]), /^Error: error: invalid duplicate table name 'sales' found$/);
});

test('notes: header images share one VML rel per distinct image; the sheet keeps header VML once it had images', () => {
  const s = sheet();
  const img = (image: string, position: string) => ({ image, filename: `/x/${image}.png`, position });
  setHeaderFooterImages(s.notes, 'header', [img('red', 'LH'), img('blue', 'CH')]);
  setHeaderFooterImages(s.notes, 'footer', [img('red', 'RF')]);
  const props = (md5: string) => ({ type: 'png' as const, width: 32, height: 32, name: `${md5}.png`, xDpi: 96, yDpi: 96, md5 });
  prepareVmlObjects([s], book);
  prepareHeaderImage(s.notes, 1, props('red'), 'LH');
  prepareHeaderImage(s.notes, 2, props('blue'), 'CH');
  prepareHeaderImage(s.notes, 1, props('red'), 'RF');
  assert.deepEqual(s.notes.vmlDrawingLinks, [['/image', '../media/image1.png'], ['/image', '../media/image2.png']]);
  assert.deepEqual(s.notes.headerImagesArray.map((h) => [h.position, h.refId, h.name]), [['LH', 1, 'red'], ['CH', 2, 'blue'], ['RF', 1, 'red']]);
  const [part] = vmlParts([s]);
  assert.equal(part.rels?.name, 'xl/drawings/_rels/vmlDrawing1.vml.rels');
  assert.match(xml((w) => part.write(w)), /<v:shape id="RF" o:spid="_x0000_s1027" type="#_x0000_t75" style="position:absolute;margin-left:0;margin-top:0;width:24pt;height:24pt;z-index:3"><v:imagedata o:relid="rId1" o:title="red"\/>/);
  setHeaderFooterImages(s.notes, 'header', []);
  assert.equal(s.notes.hasHeaderVml, true);
});
