// dataValidations (Worksheet::_write_data_validations).
import type { XmlWriter } from '../xml';
import { rangeRef } from '../../refs';
import { perlTrue, type RulesState, type Validation } from './state';

function writeValidation(w: XmlWriter, p: Validation): void {
  const sqref = p.cells
    .map(([r1, c1, r2, c2]) => rangeRef(Math.min(r1, r2), Math.min(c1, c2), Math.max(r1, r2), Math.max(c1, c2)))
    .join(' ');
  const a: [string, string | number][] = [];
  if (p.validate !== 'none') {
    a.push(['type', p.validate]);
    if (p.criteria !== 'between') a.push(['operator', p.criteria]);
  }
  const et = Number(p.error_type);
  if (et === 1) a.push(['errorStyle', 'warning']);
  if (et === 2) a.push(['errorStyle', 'information']);
  if (perlTrue(p.ignore_blank)) a.push(['allowBlank', 1]);
  if (!perlTrue(p.dropdown)) a.push(['showDropDown', 1]);
  if (perlTrue(p.show_input)) a.push(['showInputMessage', 1]);
  if (perlTrue(p.show_error)) a.push(['showErrorMessage', 1]);
  if (perlTrue(p.error_title)) a.push(['errorTitle', p.error_title as string]);
  if (perlTrue(p.error_message)) a.push(['error', p.error_message as string]);
  if (perlTrue(p.input_title)) a.push(['promptTitle', p.input_title as string]);
  if (perlTrue(p.input_message)) a.push(['prompt', p.input_message as string]);
  a.push(['sqref', sqref]);
  if (p.validate === 'none') {
    w.emptyTag('dataValidation', a);
    return;
  }
  w.startTag('dataValidation', a);
  const v = p.value;
  const f1 = Array.isArray(v) ? `"${v.join(',')}"` : (v ?? '');
  w.dataElement('formula1', f1.replace(/^=/, ''));
  if (p.maximum !== null && p.maximum !== undefined) w.dataElement('formula2', p.maximum.replace(/^=/, ''));
  w.endTag('dataValidation');
}

export function writeDataValidations(w: XmlWriter, st: RulesState): void {
  if (st.validations.length === 0) return;
  w.startTag('dataValidations', [['count', st.validations.length]]);
  for (const v of st.validations) writeValidation(w, v);
  w.endTag('dataValidations');
}
