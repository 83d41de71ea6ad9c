// sheetProtection and protectedRanges (Worksheet::_write_sheet_protection, _write_protected_ranges).
import type { XmlWriter } from '../xml';
import { perlTrue, type RulesState } from './state';

/** [attribute, option, value written, written when the option is true (else when false)] */
const FLAGS: readonly (readonly [string, string, number, boolean])[] = [
  ['sheet', 'sheet', 1, true],
  ['content', 'content', 1, true],
  ['objects', 'objects', 1, false],
  ['scenarios', 'scenarios', 1, false],
  ['formatCells', 'format_cells', 0, true],
  ['formatColumns', 'format_columns', 0, true],
  ['formatRows', 'format_rows', 0, true],
  ['insertColumns', 'insert_columns', 0, true],
  ['insertRows', 'insert_rows', 0, true],
  ['insertHyperlinks', 'insert_hyperlinks', 0, true],
  ['deleteColumns', 'delete_columns', 0, true],
  ['deleteRows', 'delete_rows', 0, true],
  ['selectLockedCells', 'select_locked_cells', 1, false],
  ['sort', 'sort', 0, true],
  ['autoFilter', 'autofilter', 0, true],
  ['pivotTables', 'pivot_tables', 0, true],
  ['selectUnlockedCells', 'select_unlocked_cells', 1, false],
];

export function writeSheetProtection(w: XmlWriter, st: RulesState): void {
  const p = st.protect;
  if (!p) return;
  const a: [string, string | number][] = [];
  if (perlTrue(p.password)) a.push(['password', p.password as string]);
  for (const [attr, opt, val, whenTrue] of FLAGS) {
    if (perlTrue(p[opt]) === whenTrue) a.push([attr, val]);
  }
  w.emptyTag('sheetProtection', a);
}

export function writeProtectedRanges(w: XmlWriter, st: RulesState): void {
  if (st.numProtectedRanges === 0) return;
  w.startTag('protectedRanges');
  for (const [sqref, name, password] of st.protectedRanges) {
    const a: [string, string][] = [];
    if (perlTrue(password)) a.push(['password', password as string]);
    a.push(['sqref', sqref], ['name', name]);
    w.emptyTag('protectedRange', a);
  }
  w.endTag('protectedRanges');
}
