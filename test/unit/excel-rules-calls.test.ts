// The rules' recorded calls: their argument schemas refuse malformed calls before they are journaled
// (so a close never meets them), and replayed calls write the real module's elements.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import Ajv from 'ajv';
import { rulesMethods } from '../../src/modules/excel/xlsx/methods/rules';
import {
  newRulesState, writeAutoFilter, writeConditionalFormats, writeDataValidations, writeExtList, writeSheetProtection,
  type RulesBook, type RulesSheet,
} from '../../src/modules/excel/xlsx/rules';
import { XmlWriter } from '../../src/modules/excel/xlsx/xml';

// as the engine compiles schemas
const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false });
const check = Object.fromEntries(Object.entries(rulesMethods).map(([k, m]) => [k, ajv.compile(m.args)]));

function sheet(): RulesSheet {
  return { rules: newRulesState(), index: 0, excelVersion: 2007, filterOn: 0 };
}
const book: RulesBook = { palette: [[0, 0, 0, 0], [255, 255, 255, 0], [255, 0, 0, 0]], dxfIndex: (ref) => ref * 10 };

function call(ws: RulesSheet, method: string, args: unknown[]): void {
  assert.ok(check[method](args), `${method} ${JSON.stringify(args)}: ${ajv.errorsText(check[method].errors)}`);
  rulesMethods[method].apply(ws, args, book);
}

test('rules calls: malformed arguments are refused by the schemas', () => {
  const bad: [string, unknown[]][] = [
    ['conditional_formatting', ['A1', { criteria: 'lessThan' }]],
    ['conditional_formatting', ['A1', { type: 'cellIs', format: { $fmt: -1 } }]],
    ['conditional_formatting', ['', { type: 'cellIs' }]],
    ['data_validation', [{ validate: 'whole', criteria: 'between', cells: [[0, 0, 0]] }]],
    ['data_validation', [{ validate: 'whole', criteria: 'between', cells: [[0, 0, 0, 2000000]] }]],
    ['filter_column', [0, ['2', 'x', '0']]],
    ['filter_column_list', [0, []]],
    ['autofilter', ['Sheet1!$A$1', 'A1', 0, 20000]],
    ['ignore_errors', [{ nope: 'A1' }]],
    ['add_sparkline', [{ _type: 'line', _locations: ['A1'], _ranges: ['Sheet1!B1:C1'], extra: '1' }, 0, {}]],
    ['protect', [{ sheet: { deep: 1 } }]],
    ['unprotect_range', ['A1']],
  ];
  for (const [m, args] of bad) assert.equal(check[m](args), false, `${m} ${JSON.stringify(args)} accepted`);
});

test('rules calls: conditional formats take dxf indices and priorities in call order, 2010 data bars their GUIDs', () => {
  const ws = sheet();
  call(ws, 'conditional_formatting', ['A1', { type: 'cellIs', criteria: 'lessThan', value: 'Foo', format: { $fmt: 2 } }]);
  call(ws, 'conditional_formatting', ['A1', { type: 'colorScale', min_type: 'min', max_type: 'max', min_value: '0', max_value: '0', min_color: '#ff7128', max_color: '10', format: { $fmt: 3 } }]);
  call(ws, 'conditional_formatting', ['B1:B3', { type: 'dataBar', min_type: 'min', max_type: 'max', _x14_min_type: 'autoMin', _x14_max_type: 'autoMax', bar_color: '#638EC6', bar_border_color: '#638EC6', bar_negative_color: '#FF0000', bar_negative_border_color: '#FF0000', bar_axis_color: '#000000', bar_direction: '', bar_axis_position: '', _is_data_bar_2010: '1', _range: 'B1:B3' }]);
  assert.equal(ws.excelVersion, 2010);
  const w = new XmlWriter();
  writeConditionalFormats(w, ws);
  writeExtList(w, ws.rules);
  const xml = w.take();
  assert.match(xml, /^<conditionalFormatting sqref="A1"><cfRule type="cellIs" dxfId="20" priority="1" operator="lessThan"><formula>"Foo"<\/formula><\/cfRule>/);
  // the colour scale took its format's dxf index, then dropped it; a palette index is looked up
  assert.match(xml, /<cfRule type="colorScale" priority="2"><colorScale><cfvo type="min" val="0"\/><cfvo type="max" val="0"\/><color rgb="FFFF7128"\/><color rgb="FFFF0000"\/><\/colorScale><\/cfRule>/);
  assert.match(xml, /<x14:id>\{DA7ABA51-AAAA-BBBB-0001-000000000001\}<\/x14:id>/);
  assert.match(xml, /<x14:cfRule type="dataBar" id="\{DA7ABA51-AAAA-BBBB-0001-000000000001\}"><x14:dataBar minLength="0" maxLength="100" border="1" negativeBarBorderColorSameAsPositive="0">/);
  assert.match(xml, /<xm:sqref>B1:B3<\/xm:sqref><\/x14:conditionalFormatting><\/x14:conditionalFormattings><\/ext><\/extLst>$/);
});

test('rules calls: autofilter, filters, validation and protection', () => {
  const ws = sheet();
  call(ws, 'autofilter', ['Sheet1!$A$1:$D$51', 'A1:D51', 0, 3]);
  call(ws, 'filter_column_list', [0, ['South', 'East', 'Blanks']]);
  call(ws, 'filter_column', [2, ['4', '3000', '0', '1', '8000']]);
  assert.equal(ws.filterOn, 1);
  call(ws, 'data_validation', [{ validate: 'list', criteria: 'between', value: ['a', 'b'], maximum: null, error_type: '1', ignore_blank: '1', dropdown: '0', show_input: '1', show_error: '1', cells: [[0, 0, 0, 0], [4, 2, 2, 1]] }]);
  call(ws, 'protect', [{ sheet: '1', objects: '0', scenarios: '0', select_locked_cells: '1', select_unlocked_cells: '1', sort: '1', password: '83AF' }]);
  const w = new XmlWriter();
  writeSheetProtection(w, ws.rules);
  writeAutoFilter(w, ws.rules);
  writeDataValidations(w, ws.rules);
  assert.equal(w.take(),
    '<sheetProtection password="83AF" sheet="1" objects="1" scenarios="1" sort="0"/>'
    + '<autoFilter ref="A1:D51"><filterColumn colId="0"><filters blank="1"><filter val="East"/><filter val="South"/></filters></filterColumn>'
    + '<filterColumn colId="2"><customFilters and="1"><customFilter operator="greaterThan" val="3000"/><customFilter operator="lessThan" val="8000"/></customFilters></filterColumn></autoFilter>'
    + '<dataValidations count="1"><dataValidation type="list" errorStyle="warning" allowBlank="1" showDropDown="1" showInputMessage="1" showErrorMessage="1" sqref="A1 B3:C5"><formula1>"a,b"</formula1></dataValidation></dataValidations>');
});
