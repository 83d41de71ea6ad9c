// Comments, form buttons, tables and header/footer images: Package/Comments.pm (commentsN.xml),
// Package/VML.pm (vmlDrawingN.vml), Package/Table.pm (tableN.xml), the worksheet state their calls
// build and the real module's _prepare_* steps for them. What it needs from core's Worksheet and
// Workbook is NotesSheet / NotesBook (host.ts); the replayed methods are in ../methods/notes.ts.
//
// Core's wiring, in the real module's order:
//   Worksheet constructor: notes = newNotesState()
//   set_header/set_footer replay: setHeaderFooterImages(sheet.notes, 'header'|'footer', images)
//   Workbook::_prepare_vml_objects (after _prepare_sst_string_data): prepareVmlObjects(worksheets, wb)
//   Workbook::_prepare_drawings' header/footer image loop: prepareHeaderImage(sheet.notes, refId, props, position)
//   Workbook::_prepare_tables (after _add_chart_data): prepareTables(worksheets)
//   worksheet XML after <drawing>: writeLegacyDrawing, writeLegacyDrawingHF; after <picture>: writeTableParts
//   worksheet rels: notes.externalVmlLinks, externalTableLinks (after drawing links), externalCommentLinks (last)
//   Packager: vmlParts (with their rels), commentParts, tableParts (each part's chunks() for the zip); content types: the vml default when
//   numVmlFiles, a table override per table part, a comments override per comment part
export { newNotesState, type NotesState, type NotesLink, type Comment, type Button, type Table, type TableColumn,
  type HeaderImage, type HeaderImageInsert, type CommentOptions } from './state';
export type { NotesSheet, NotesBook } from './host';
export { writeComment, showComments, setCommentsAuthor, insertButton, addTable, setHeaderFooterImages } from './apply';
export { prepareVmlObjects, prepareTables, prepareHeaderImage, type VmlCounts } from './prepare';
export { writeLegacyDrawing, writeLegacyDrawingHF, writeTableParts } from './sheet-xml';
export { vmlParts, commentParts, tableParts, type NotesPart } from './parts';
export { writeCommentsXml, commentsXml } from './comments';
export { writeVmlXml, vmlXml } from './vml';
export { writeTableXml, type TableOptions, type TableColumnOptions } from './table';
export { type ButtonOptions } from './params';
