// How journaled cell values become exceljs values, as Excel::Writer::XLSX writes them.
import type * as ExcelJS from 'exceljs';

/** A formula's cached value as Excel::Writer::XLSX writes it (number, boolean, error or string). */
export function formulaResult(v: string | null | undefined): ExcelJS.CellFormulaValue['result'] {
  if (v === null || v === undefined || v === '' || v === '0') return 0;
  if (/^([+-]?)(?=\d|\.\d)\d*(\.\d*)?([Ee]([+-]?\d+))?$/.test(v)) return Number(v);
  if (v === 'TRUE') return true;
  if (v === 'FALSE') return false;
  if (['#DIV/0!', '#N/A', '#NAME?', '#NULL!', '#NUM!', '#REF!', '#VALUE!'].includes(v)) return { error: v as ExcelJS.ErrorValue };
  return v;
}

export function urlValue(url: string, extra: string[]): ExcelJS.CellHyperlinkValue {
  const [str, tip] = extra;
  let target = url;
  let text = str !== undefined && str !== '' ? str : url;
  if (url.startsWith('internal:')) {
    target = url.slice(9);
    if (str === undefined || str === '') text = target;
  } else if (url.startsWith('external:')) {
    target = url.slice(9);
    if (str === undefined || str === '') text = target;
  } else if (url.startsWith('mailto:') && (str === undefined || str === '')) {
    text = url.slice(7);
  }
  const v: ExcelJS.CellHyperlinkValue = { text, hyperlink: target };
  if (tip !== undefined && tip !== '') v.tooltip = tip;
  return v;
}
