// The rules of a worksheet (conditional formats, data validation, sparklines, autofilter,
// protection, ignored errors): state, and the writers core's worksheet writer calls, each at its
// place in Worksheet::_assemble_xml_file:
//   sheetData, writeSheetProtection, writeProtectedRanges, (phoneticPr), writeAutoFilter, mergeCells,
//   writeConditionalFormats, writeDataValidations, hyperlinks, ... colBreaks, writeIgnoredErrors,
//   drawing ... tableParts, writeExtList.
// Also read by core: RulesState.filterOn (sheetPr filterMode; replay also sets RulesSheet.filterOn),
// RulesSheet.excelVersion (set to 2010 by replay), filterDatabaseRange() for _prepare_defined_names.
// The calls are in ../methods/rules.ts (rulesMethods).
export { newRulesState, perlTrue, paletteColor } from './state';
export type { RulesState, RulesSheet, RulesBook, CondFormat, Validation, Sparkline, Protection, ProtectedRange } from './state';
export { writeSheetProtection, writeProtectedRanges } from './protect';
export { writeAutoFilter, filterDatabaseRange } from './filter';
export { writeConditionalFormats } from './conditional';
export { writeDataValidations } from './validation';
export { writeIgnoredErrors } from './ignore';
export { writeExtList } from './ext';
