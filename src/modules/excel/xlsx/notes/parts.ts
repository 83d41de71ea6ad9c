// The package parts of the notes side, named and numbered as Packager::_write_vml_files /
// _write_comment_files / _write_table_files number them (core's packager adds them to the zip).
import type { XmlWriter } from '../xml';
import type { NotesSheet } from './host';
import { writeCommentsXml } from './comments';
import type { NotesLink } from './state';
import { writeTableXml } from './table';
import { writeVmlXml } from './vml';

export interface NotesPart {
  /** member name, e.g. xl/drawings/vmlDrawing1.vml */
  name: string;
  write(w: XmlWriter): void;
  /** a header-image VML part's rels (xl/drawings/_rels/vmlDrawingN.vml.rels): document relationships */
  rels?: { name: string; links: readonly NotesLink[] };
}

/** The VML parts, in the real module's numbering: per sheet, comments/buttons first, then header images. */
export function vmlParts(sheets: readonly NotesSheet[]): NotesPart[] {
  const parts: NotesPart[] = [];
  let index = 1;
  for (const sheet of sheets) {
    const st = sheet.notes;
    if (st.hasVml) {
      parts.push({
        name: `xl/drawings/vmlDrawing${index++}.vml`,
        write: (w) => writeVmlXml(w, st.vmlDataId, st.vmlShapeId, { comments: st.commentsArray, buttons: st.buttonsArray }),
      });
    }
    if (st.hasHeaderVml) {
      const i = index++;
      parts.push({
        name: `xl/drawings/vmlDrawing${i}.vml`,
        write: (w) => writeVmlXml(w, st.vmlHeaderId, st.vmlHeaderId * 1024, { headerImages: st.headerImagesArray }),
        rels: { name: `xl/drawings/_rels/vmlDrawing${i}.vml.rels`, links: st.vmlDrawingLinks },
      });
    }
  }
  return parts;
}

export function commentParts(sheets: readonly NotesSheet[]): NotesPart[] {
  const parts: NotesPart[] = [];
  let index = 1;
  for (const sheet of sheets) {
    const st = sheet.notes;
    if (!st.hasComments) continue;
    parts.push({ name: `xl/comments${index++}.xml`, write: (w) => writeCommentsXml(w, st.commentsArray) });
  }
  return parts;
}

export function tableParts(sheets: readonly NotesSheet[]): NotesPart[] {
  const parts: NotesPart[] = [];
  let index = 1;
  for (const sheet of sheets) {
    for (const t of sheet.notes.tables) parts.push({ name: `xl/tables/table${index++}.xml`, write: (w) => writeTableXml(w, t) });
  }
  return parts;
}
