// xl/commentsN.xml, as Package/Comments.pm writes it.
import { XmlWriter, perlNum } from '../xml';
import type { Comment } from './state';
import { cellRef } from '../../refs';
import { preserveSpace } from '../parts/shared-strings';

const SPREADSHEETML = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';

export function writeCommentsXml(w: XmlWriter, comments: readonly Comment[]): void {
  for (const _ of commentsXml(w, comments));
}

/** The comments part, pausing after each comment (so that a caller can take the text written so far). */
export function* commentsXml(w: XmlWriter, comments: readonly Comment[]): Generator<void> {
  w.declaration();
  w.startTag('comments', [['xmlns', SPREADSHEETML]]);
  // authors in first-use order; a comment's authorId is its author's position
  const ids = new Map<string, number>();
  w.startTag('authors');
  for (const c of comments) {
    if (c.author !== undefined && !ids.has(c.author)) {
      ids.set(c.author, ids.size);
      w.dataElement('author', c.author);
    }
  }
  w.endTag('authors');
  w.startTag('commentList');
  for (const c of comments) {
    const a: [string, string | number][] = [['ref', cellRef(c.row, c.col)]];
    const id = c.author === undefined ? undefined : ids.get(c.author);
    if (id !== undefined) a.push(['authorId', id]);
    w.startTag('comment', a);
    w.startTag('text');
    w.startTag('r');
    w.startTag('rPr');
    w.emptyTag('sz', [['val', fontVal(c.fontSize)]]);
    w.emptyTag('color', [['indexed', 81]]);
    w.emptyTag('rFont', [['val', c.font]]);
    w.emptyTag('family', [['val', fontVal(c.fontFamily)]]);
    w.endTag('rPr');
    w.dataElement('t', c.text, preserveSpace(c.text) ? [['xml:space', 'preserve']] : undefined);
    w.endTag('r');
    w.endTag('text');
    w.endTag('comment');
    yield;
  }
  w.endTag('commentList');
  w.endTag('comments');
}

function fontVal(v: number | string): string {
  return typeof v === 'number' ? perlNum(v) : v;
}
