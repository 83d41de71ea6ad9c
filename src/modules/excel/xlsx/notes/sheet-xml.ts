// The worksheet XML elements of the notes side, written by core's worksheet writer at the real
// module's places (after <drawing>: legacyDrawing, legacyDrawingHF; after <picture>: tableParts).
import type { XmlWriter } from '../xml';
import type { NotesSheet } from './host';

/** Worksheet::_write_legacy_drawing: the comments/buttons VML part. */
export function writeLegacyDrawing(w: XmlWriter, sheet: NotesSheet): void {
  if (!sheet.notes.hasVml) return;
  w.emptyTag('legacyDrawing', [['r:id', `rId${sheet.nextRelId()}`]]);
}

/** Worksheet::_write_legacy_drawing_hf: the header/footer images VML part. */
export function writeLegacyDrawingHF(w: XmlWriter, sheet: NotesSheet): void {
  if (!sheet.notes.hasHeaderVml) return;
  w.emptyTag('legacyDrawingHF', [['r:id', `rId${sheet.nextRelId()}`]]);
}

/** Worksheet::_write_table_parts */
export function writeTableParts(w: XmlWriter, sheet: NotesSheet): void {
  const n = sheet.notes.tables.length;
  if (n === 0) return;
  w.startTag('tableParts', [['count', n]]);
  for (let i = 0; i < n; i++) w.emptyTag('tablePart', [['r:id', `rId${sheet.nextRelId()}`]]);
  w.endTag('tableParts');
}
