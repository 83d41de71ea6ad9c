// The close-time steps of the real module for comments, buttons, tables and header images:
// Workbook::_prepare_vml_objects / _prepare_tables and Worksheet::_prepare_vml_objects /
// _prepare_header_vml_objects / _prepare_tables / _prepare_header_image.
import { CroakError } from '../croak';
import type { ImageProps } from '../drawing/image';
import type { NotesBook, NotesSheet } from './host';
import { commentParams } from './params';
import type { Comment, NotesState } from './state';

export interface VmlCounts {
  /** Workbook::{_num_vml_files}: 1 when any sheet has a VML part (the vml default content type). */
  numVmlFiles: number;
  /** Workbook::{_num_comment_files} */
  numCommentFiles: number;
  /** Workbook::{_has_comments} (app.xml / content types) */
  hasComments: boolean;
}

/** Workbook::_prepare_vml_objects over the worksheets (chartsheets have no notes: leave them out). */
export function prepareVmlObjects(sheets: readonly NotesSheet[], book: NotesBook): VmlCounts {
  let commentId = 0;
  let vmlDrawingId = 0;
  let vmlDataId = 1;
  let vmlHeaderId = 0;
  let vmlShapeId = 1024;
  let vmlFiles = 0;
  let commentFiles = 0;
  let hasComments = false;
  for (const sheet of sheets) {
    const st = sheet.notes;
    if (!st.hasVml && !st.hasHeaderVml) continue;
    vmlFiles = 1;
    if (st.hasVml) {
      if (st.hasComments) {
        commentFiles++;
        commentId++;
        hasComments = true;
      }
      vmlDrawingId++;
      const count = prepareSheetVml(sheet, book, vmlDataId, vmlShapeId, vmlDrawingId, commentId);
      // each VML file starts its shape ids at the next block of 1024
      vmlDataId += Math.trunc((1024 + count) / 1024);
      vmlShapeId += 1024 * Math.trunc((1024 + count) / 1024);
    }
    if (st.hasHeaderVml) {
      vmlHeaderId++;
      vmlDrawingId++;
      st.vmlHeaderId = vmlHeaderId;
      st.externalVmlLinks.push(['/vmlDrawing', `../drawings/vmlDrawing${vmlDrawingId}.vml`]);
    }
  }
  return { numVmlFiles: vmlFiles, numCommentFiles: commentFiles, hasComments };
}

/** Worksheet::_prepare_vml_objects: the comments in row/column order, their links and VML ids. */
function prepareSheetVml(sheet: NotesSheet, book: NotesBook, dataId: number, shapeId: number,
  drawingId: number, commentId: number): number {
  const st = sheet.notes;
  const comments: Comment[] = [];
  for (const row of [...st.comments.keys()].sort((a, b) => a - b)) {
    const cols = st.comments.get(row)!;
    for (const col of [...cols.keys()].sort((a, b) => a - b)) {
      const { text, options } = cols.get(col)!;
      const c = commentParams(sheet, book, row, col, text, options);
      if (isTrue(st.commentsVisible) && c.visible === undefined) c.visible = 1;
      if (c.author === undefined) c.author = st.commentsAuthor;
      comments.push(c);
    }
  }
  st.externalVmlLinks.push(['/vmlDrawing', `../drawings/vmlDrawing${drawingId}.vml`]);
  if (st.hasComments) {
    st.commentsArray = comments;
    st.externalCommentLinks.push(['/comments', `../comments${commentId}.xml`]);
  }
  // more than 1024 comments take several idmap blocks: data="1,2"
  let data = String(dataId);
  for (let i = 1; i <= Math.trunc(comments.length / 1024); i++) data += `,${dataId + i}`;
  st.vmlDataId = data;
  st.vmlShapeId = shapeId;
  return comments.length;
}

function isTrue(v: number | string): boolean {
  return !(v === 0 || v === '' || v === '0');
}

/** Workbook::_prepare_tables: table ids across the workbook; a duplicate name (any case) is fatal. */
export function prepareTables(sheets: readonly NotesSheet[]): void {
  let tableId = 0;
  const seen = new Set<string>();
  for (const sheet of sheets) {
    for (const t of sheet.notes.tables) {
      t.id = ++tableId;
      if (t.name === undefined) t.name = `Table${t.id}`;
      const key = t.name.toLowerCase();
      // the real module dies here (a plain die), in close: the script gets that error
      if (seen.has(key)) throw new CroakError(`error: invalid duplicate table name '${t.name}' found`, 'die');
      seen.add(key);
      sheet.notes.externalTableLinks.push(['/table', `../tables/table${t.id}.xml`]);
    }
  }
}

/** Worksheet::_prepare_header_image: the image's vmlDrawing rel (one per distinct image) and VML entry. */
export function prepareHeaderImage(st: NotesState, imageId: number, p: ImageProps, position: string): void {
  if (!st.vmlDrawingRels.has(p.md5)) {
    st.vmlDrawingLinks.push(['/image', `../media/image${imageId}.${p.type}`]);
    st.vmlDrawingRels.set(p.md5, ++st.vmlDrawingRelsId);
  }
  st.headerImagesArray.push({
    width: p.width, height: p.height, name: p.name.replace(/\.[^.]+$/, ''), position,
    xDpi: p.xDpi, yDpi: p.yDpi, refId: st.vmlDrawingRels.get(p.md5)!,
  });
}
