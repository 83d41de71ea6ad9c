// The styles side of the new writer: Perl scalar semantics, format numbering (get_xf_index/
// get_dxf_index), the recorded style calls' schemas, and styles.xml as the real module writes it
// (the expected part below is Excel::Writer::XLSX 1.10's output for the same workbook).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import Ajv from 'ajv';
import { Format, formatFromProps, formatKey, formatPropsSchema, getDxfIndex, getXfIndex, pnum, pstr, ptrue, setFormatProps } from '../../src/modules/excel/xlsx/format';
import { styleMethods, type StyleBook } from '../../src/modules/excel/xlsx/methods/styles';
import { newStyleState, paletteColor, prepareFormatProperties, writeStyles, type StyleState } from '../../src/modules/excel/xlsx/styles';
import { XmlWriter } from '../../src/modules/excel/xlsx/xml';

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false });

function book(st: StyleState): StyleBook {
  return {
    styles: st,
    format: (ref) => {
      const f = st.formats[ref.$fmt];
      if (!f) throw new Error(`no format ${ref.$fmt}`);
      return f;
    },
  };
}

function call(b: StyleBook, method: string, args: unknown[]): void {
  const check = ajv.compile(styleMethods[method].args);
  assert.ok(check(args), `${method} ${JSON.stringify(args)}: ${ajv.errorsText(check.errors)}`);
  styleMethods[method].apply(b, args);
}

test('styles: Perl scalars are compared, printed and tested as Perl does', () => {
  assert.equal(pnum('12abc'), 12);
  assert.equal(pnum(' -1.5e1x'), -15);
  assert.equal(pnum('abc'), 0);
  assert.equal(pnum('.5'), 0.5);
  assert.equal(pstr(10.5), '10.5');
  assert.equal(pstr(0.1 + 0.2), '0.3');
  for (const v of ['', '0', 0]) assert.equal(ptrue(v), false, JSON.stringify(v));
  for (const v of ['0.0', '00', ' ', 'a', 1, -1]) assert.equal(ptrue(v), true, JSON.stringify(v));
});

test('styles: a props set is the whole state; unknown or non-scalar properties are refused', () => {
  const f = formatFromProps(2, { bold: '1', color: '10' });
  assert.equal(f.bold, '1');
  setFormatProps(f, { italic: '1' });
  assert.equal(f.bold, 0, 'left out: back to the default');
  assert.equal(f.italic, '1');
  assert.throws(() => setFormatProps(f, { font_name: 'x' }), /unknown format property font_name/);
  assert.throws(() => setFormatProps(f, { bold: { a: 1 } }), /not a scalar/);
  const check = ajv.compile(formatPropsSchema);
  assert.ok(check({ bold: '1', num_format: '0.00', xf_index: '0', type: '65525' }));
  assert.ok(!check({ nonesuch: '1' }));
  assert.ok(!check({ bold: ['1'] }));
});

test('styles: get_xf_index numbers keys in the order asked; only the first format of a key keeps it', () => {
  const st = newStyleState();
  const a = formatFromProps(2, { bold: '1' });
  const b = formatFromProps(3, { bold: '1' });
  const c = formatFromProps(4, { italic: '1' });
  assert.equal(getXfIndex(c, st.indices), 1);
  assert.equal(getXfIndex(a, st.indices), 2);
  assert.equal(getXfIndex(b, st.indices), 2);
  assert.equal(a.xfIndex, 2);
  assert.equal(b.xfIndex, undefined, 'a later format with the same key asks again each time');
  setFormatProps(b, { bold: '1', italic: '1' });
  assert.equal(getXfIndex(b, st.indices), 3);
  assert.equal(getDxfIndex(c, st.indices), 0, 'dxf indices count from 0, separately');
  assert.equal(formatKey(new Format(9)), '0:0:0:2:0:0:0:0:Calibri:0:11:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:General:1:0');
});

test('styles: the style calls refuse malformed arguments', () => {
  const bad: [string, unknown[]][] = [
    ['get_xf_index', [{ $fmt: -1 }]], ['get_xf_index', [3]], ['get_dxf_index', []],
    ['set_custom_color', [7, 1, 2, 3]], ['set_custom_color', [8, 256, 0, 0]], ['set_custom_color', [8, 1, 2]],
    ['_custom_colors', [[1]]], ['_set_default_xf_indices', [1]], ['set_color_palette', [0]],
  ];
  for (const [m, args] of bad) assert.ok(!ajv.compile(styleMethods[m].args)(args), `${m} ${JSON.stringify(args)} refused`);
});

// The workbook of the real module's run: set_custom_color(40, 0x26, 0xDA, 0x55); bold with num_format
// '0.000' (A1); bg_color 40, border 1, align center, rotation -45 (A2); a write_url (A3); a conditional
// format with color '#9C0006', bg_color '#FFC7CE', bold, size 20 (its dxf: bgColor, no font name or size).
const EXPECTED = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
  + '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="0.000"/></numFmts>'
  + '<fonts count="3"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
  + '<font><b/><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
  + '<font><u/><sz val="11"/><color theme="10"/><name val="Calibri"/><family val="2"/></font></fonts>'
  + '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
  + '<fill><patternFill patternType="solid"><fgColor rgb="FF26DA55"/><bgColor indexed="64"/></patternFill></fill></fills>'
  + '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"><color auto="1"/></left>'
  + '<right style="thin"><color auto="1"/></right><top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>'
  + '<cellStyleXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/><xf numFmtId="0" fontId="2" fillId="0" borderId="0" applyNumberFormat="0" '
  + 'applyFill="0" applyBorder="0" applyAlignment="0" applyProtection="0"><alignment vertical="top"/><protection locked="0"/></xf></cellStyleXfs>'
  + '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" '
  + 'applyNumberFormat="1" applyFont="1"/><xf numFmtId="0" fontId="0" fillId="2" borderId="1" xfId="0" applyFill="1" applyBorder="1" applyAlignment="1">'
  + '<alignment horizontal="center" textRotation="135"/></xf><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="1" applyAlignment="1" applyProtection="1"/></cellXfs>'
  + '<cellStyles count="2"><cellStyle name="Hyperlink" xfId="1" builtinId="8"/><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
  + '<dxfs count="1"><dxf><font><b/><color rgb="FF9C0006"/></font><fill><patternFill><bgColor rgb="FFFFC7CE"/></patternFill></fill></dxf></dxfs>'
  + '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
  + '<colors><mruColors><color rgb="FF26DA55"/></mruColors></colors></styleSheet>';

test('styles: styles.xml as the real module writes it (dxf fill as bgColor, dxf font without name and size)', () => {
  const st = newStyleState();
  const b = book(st);
  // the props sets the shim sends: the default format, the URL format, then the script's
  const sets: Record<string, string>[] = [
    { xf_index: '0' }, { hyperlink: '1', theme: '10', underline: '1', xf_id: '1' },
    { bold: '1', num_format: '0.000' }, { bg_color: '40', bottom: '1', top: '1', left: '1', right: '1', text_h_align: '2', rotation: '135' },
    { color: '#9C0006', bg_color: '#FFC7CE', bold: '1', size: '20' },
  ];
  sets.forEach((p, i) => { st.formats[i] = formatFromProps(i, p); });
  call(b, 'set_custom_color', [40, 0x26, 0xda, 0x55]);
  call(b, 'get_dxf_index', [{ $fmt: 4 }]);
  // the worksheet asks for the cells' formats as it writes them
  for (const i of [2, 3, 1]) getXfIndex(st.formats[i] as Format, st.indices);
  const w = new XmlWriter();
  writeStyles(w, st, prepareFormatProperties(st), false);
  assert.equal(w.take(), EXPECTED);
});

test('styles: custom colours: the palette, the last ten most recent first, a script\'s own list', () => {
  const st = newStyleState();
  const b = book(st);
  assert.equal(paletteColor(st.palette, 10), 'FFFF0000');
  assert.equal(paletteColor(st.palette, '#abcdef'), 'FFABCDEF');
  for (let i = 20; i < 32; i++) call(b, 'set_custom_color', [i, i, i, i]);
  assert.equal(paletteColor(st.palette, 25), 'FF191919');
  st.formats[0] = formatFromProps(0, { xf_index: '0' });
  const w = new XmlWriter();
  writeStyles(w, st, prepareFormatProperties(st), false);
  const mru = /<mruColors>(.*)<\/mruColors>/.exec(w.take())?.[1];
  assert.equal(mru, Array.from({ length: 10 }, (_, k) => 31 - k).map((n) => `<color rgb="FF${n.toString(16).toUpperCase().padStart(2, '0').repeat(3)}"/>`).join(''));
  call(b, 'set_color_palette', []);
  assert.equal(paletteColor(st.palette, 25), 'FF993366');
  call(b, '_custom_colors', [['FF0000FF']]);
  assert.deepEqual(st.customColors, ['FF0000FF']);
});
