// The package parts of the notes side, named and numbered as Packager::_write_vml_files /
// _write_comment_files / _write_table_files number them (core's packager adds them to the zip).
import { XmlWriter } from '../xml';
import type { NotesSheet } from './host';
import { commentsXml } from './comments';
import type { NotesLink } from './state';
import { writeTableXml } from './table';
import { vmlXml, type VmlContent } from './vml';

export interface NotesPart {
  /** member name, e.g. xl/drawings/vmlDrawing1.vml */
  name: string;
  write(w: XmlWriter): void;
  /** the same text in pieces of about 64 KiB (a sheet's thousands of comments need not be one string) */
  chunks(): Iterable<string>;
  /** a header-image VML part's rels (xl/drawings/_rels/vmlDrawingN.vml.rels): document relationships */
  rels?: { name: string; links: readonly NotesLink[] };
}

const CHUNK = 1 << 16;

/** A part from a writer that pauses: write() runs it through, chunks() takes the text as it grows. */
function part(name: string, gen: (w: XmlWriter) => Generator<void>): NotesPart {
  return {
    name,
    write: (w) => {
      for (const _ of gen(w));
    },
    *chunks() {
      const w = new XmlWriter();
      for (const _ of gen(w)) if (w.pending >= CHUNK) yield w.take();
      yield w.take();
    },
  };
}

const vml = (name: string, dataId: string | number, shapeId: number, c: VmlContent) =>
  part(name, (w) => vmlXml(w, dataId, shapeId, c));

/** The VML parts, in the real module's numbering: per sheet, comments/buttons first, then header images. */
export function vmlParts(sheets: readonly NotesSheet[]): NotesPart[] {
  const parts: NotesPart[] = [];
  let index = 1;
  for (const sheet of sheets) {
    const st = sheet.notes;
    if (st.hasVml) {
      parts.push(vml(`xl/drawings/vmlDrawing${index++}.vml`, st.vmlDataId, st.vmlShapeId,
        { comments: st.commentsArray, buttons: st.buttonsArray }));
    }
    if (st.hasHeaderVml) {
      const i = index++;
      parts.push({
        ...vml(`xl/drawings/vmlDrawing${i}.vml`, st.vmlHeaderId, st.vmlHeaderId * 1024, { headerImages: st.headerImagesArray }),
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
    parts.push(part(`xl/comments${index++}.xml`, (w) => commentsXml(w, st.commentsArray)));
  }
  return parts;
}

export function tableParts(sheets: readonly NotesSheet[]): NotesPart[] {
  const parts: NotesPart[] = [];
  let index = 1;
  for (const sheet of sheets) {
    for (const t of sheet.notes.tables) {
      parts.push(part(`xl/tables/table${index++}.xml`, function* (w) {
        writeTableXml(w, t);
      }));
    }
  }
  return parts;
}
