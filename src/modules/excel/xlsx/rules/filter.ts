// autoFilter (Worksheet::_write_auto_filter and its filterColumn children).
import type { XmlWriter } from '../xml';
import type { RulesState } from './state';

const CUSTOM_OPS: Record<string, string> = {
  1: 'lessThan', 2: 'equal', 3: 'lessThanOrEqual', 4: 'greaterThan', 5: 'notEqual', 6: 'greaterThanOrEqual', 22: 'equal',
};

/** Perl's sort: by code point. */
function perlSort(a: string[]): string[] {
  return [...a].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

function writeFilters(w: XmlWriter, filters: string[]): void {
  const nonBlanks = filters.filter((f) => !/^blanks$/i.test(f));
  const a: [string, number][] = filters.length !== nonBlanks.length ? [['blank', 1]] : [];
  if (filters.length === 1 && nonBlanks.length === 0) {
    w.emptyTag('filters', a);
    return;
  }
  w.startTag('filters', a);
  for (const f of perlSort(nonBlanks)) w.emptyTag('filter', [['val', f]]);
  w.endTag('filters');
}

function writeCustomFilter(w: XmlWriter, operator: string, val: string): void {
  const op = CUSTOM_OPS[operator];
  if (op === undefined) throw new Error(`Unknown operator = ${operator}`);
  const a: [string, string][] = [];
  if (op !== 'equal') a.push(['operator', op]);
  a.push(['val', val]);
  w.emptyTag('customFilter', a);
}

function writeCustomFilters(w: XmlWriter, t: string[]): void {
  if (t.length === 2) {
    w.startTag('customFilters');
    writeCustomFilter(w, t[0], t[1]);
  } else {
    w.startTag('customFilters', [['and', Number(t[2]) === 0 ? 1 : 0]]);
    writeCustomFilter(w, t[0], t[1]);
    writeCustomFilter(w, t[3], t[4]);
  }
  w.endTag('customFilters');
}

export function writeAutoFilter(w: XmlWriter, st: RulesState): void {
  const ref = st.autofilterRef;
  if (!ref) return;
  if (!st.filterOn) {
    w.emptyTag('autoFilter', [['ref', ref]]);
    return;
  }
  w.startTag('autoFilter', [['ref', ref]]);
  const [col1, col2] = st.filterRange;
  for (let col = col1; col <= col2; col++) {
    const tokens = st.filterCols.get(col);
    if (!tokens || tokens.length === 0) continue;
    // filters are relative to the first column of the autofilter
    w.startTag('filterColumn', [['colId', col - col1]]);
    if (st.filterType.get(col) === 1) writeFilters(w, tokens);
    else writeCustomFilters(w, tokens);
    w.endTag('filterColumn');
  }
  w.endTag('autoFilter');
}

/** The _xlnm._FilterDatabase defined name's range of this sheet (Workbook::_prepare_defined_names), or ''. */
export function filterDatabaseRange(st: RulesState): string {
  return st.autofilter;
}
