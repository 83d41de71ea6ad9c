// ignoredErrors (Worksheet::_write_ignored_errors): the ignore_errors() keys in the real module's order.
import type { XmlWriter } from '../xml';
import type { RulesState } from './state';

const KEYS: readonly (readonly [string, string])[] = [
  ['number_stored_as_text', 'numberStoredAsText'],
  ['eval_error', 'evalError'],
  ['formula_differs', 'formula'],
  ['formula_range', 'formulaRange'],
  ['formula_unlocked', 'unlockedFormula'],
  ['empty_cell_reference', 'emptyCellReference'],
  ['list_data_validation', 'listDataValidation'],
  ['calculated_column', 'calculatedColumn'],
  ['two_digit_text_year', 'twoDigitTextYear'],
];

/** The ignore_errors() option names (the shim checks the same list). */
export const IGNORE_ERROR_KEYS: readonly string[] = KEYS.map(([k]) => k);

export function writeIgnoredErrors(w: XmlWriter, st: RulesState): void {
  const ig = st.ignoreErrors;
  if (!ig) return;
  w.startTag('ignoredErrors');
  for (const [key, type] of KEYS) {
    if (Object.prototype.hasOwnProperty.call(ig, key)) w.emptyTag('ignoredError', [['sqref', ig[key] ?? ''], [type, 1]]);
  }
  w.endTag('ignoredErrors');
}
