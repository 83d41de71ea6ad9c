// The replayed calls of the notes side: what write_comment, show_comments, set_comments_author,
// insert_button and add_table (and set_header/set_footer's images) store in the worksheet.
import type { NotesBook, NotesSheet } from './host';
import { buttonParams, type ButtonOptions } from './params';
import type { CommentOptions, HeaderImageInsert, NotesState } from './state';
import { buildTable, type TableOptions } from './table';

export function writeComment(sheet: NotesSheet, row: number, col: number, text: string, options: CommentOptions): void {
  const st = sheet.notes;
  sheet.checkDimensions(row, col);
  st.hasVml = true;
  st.hasComments = true;
  let cols = st.comments.get(row);
  if (!cols) st.comments.set(row, (cols = new Map()));
  cols.set(col, { text, options });
}

export function showComments(sheet: NotesSheet, visible: number | string): void {
  sheet.notes.commentsVisible = visible;
}

export function setCommentsAuthor(sheet: NotesSheet, author: string): void {
  sheet.notes.commentsAuthor = author;
}

export function insertButton(sheet: NotesSheet, row: number, col: number, options: ButtonOptions): void {
  sheet.notes.buttonsArray.push(buttonParams(sheet, row, col, options));
  sheet.notes.hasVml = true;
}

export function addTable(sheet: NotesSheet, book: NotesBook, row1: number, col1: number, row2: number, col2: number,
  options: TableOptions): void {
  sheet.notes.tables.push(buildTable(book, row1, col1, row2, col2, options));
}

/**
 * set_header / set_footer's images (core's replay of those calls passes them once the real module's
 * checks passed): a call resets the list; any image marks the sheet as having header VML for good.
 */
export function setHeaderFooterImages(st: NotesState, which: 'header' | 'footer', images: HeaderImageInsert[]): void {
  if (which === 'header') st.headerImages = images;
  else st.footerImages = images;
  if (images.length > 0) st.hasHeaderVml = true;
}
