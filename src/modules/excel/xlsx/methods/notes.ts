// The notes' recorded calls: write_comment, show_comments, set_comments_author, insert_button and
// add_table. The shim has done each method's checks (A1 notation, argument counts, ranges, add_table's
// option and name checks) and written add_table's header, total and data cells; replay stores what
// the real module stores, computing at that moment what needs the sheet (button positions) or the
// workbook (dxf indices).
import type { Schema } from '../../../../kit/types';
import {
  addTable, insertButton, setCommentsAuthor, showComments, writeComment,
  type ButtonOptions, type CommentOptions, type NotesBook, type NotesSheet, type TableOptions,
} from '../notes';
import { argList, fmtRef } from './types';

/** A method of the notes: applies to a worksheet implementing NotesSheet. */
export interface NotesMethod {
  args: Schema;
  apply(target: NotesSheet, args: unknown[], wb: NotesBook): void;
}

const row: Schema = { type: 'integer', minimum: 0, maximum: 1048575 };
const col: Schema = { type: 'integer', minimum: 0, maximum: 16383 };
const text: Schema = { type: 'string', maxLength: 1 << 20 };
const scalar: Schema = { type: ['string', 'number', 'null'], maxLength: 32767 };
// sizes and offsets in pixels, scales: bounded so that placing the box (a walk over the columns and
// rows it spans) stays short whatever a call says; Excel's sheets are far smaller than these
// (a fraction comes as '%.17g' text: all its digits)
const bounded = (max: number, digits: number): Schema => ({
  oneOf: [
    { type: ['number', 'null'], minimum: -max, maximum: max },
    { type: 'string', pattern: `^-?\\d{1,${digits}}(\\.\\d*)?([eE]-\\d{1,3})?$`, maxLength: 32 },
  ],
});
const px = bounded(1e6, 6);
const scale = bounded(1e3, 3);
const box = { width: px, height: px, x_offset: px, y_offset: px, x_scale: scale, y_scale: scale };
const optFmt: Schema = { oneOf: [fmtRef, { type: 'null' }] };

const commentOptions: Schema = {
  type: 'object', additionalProperties: false,
  properties: {
    author: scalar, color: scalar, start_cell: scalar, start_row: { oneOf: [row, { type: 'null' }] }, start_col: { oneOf: [col, { type: 'null' }] },
    visible: scalar, ...box, font: scalar, font_size: scalar, font_family: scalar,
  },
};

const buttonOptions: Schema = {
  type: 'object', additionalProperties: false,
  properties: {
    caption: scalar, macro: scalar, description: scalar, ...box,
  },
};

const tableColumn: Schema = {
  oneOf: [
    { type: 'null' },
    {
      type: 'object', additionalProperties: false,
      properties: {
        header: scalar, header_format: optFmt, formula: scalar, total_function: scalar,
        total_string: scalar, total_value: scalar, format: optFmt,
      },
    },
  ],
};

const tableOptions: Schema = {
  type: 'object', additionalProperties: false,
  properties: {
    autofilter: scalar, banded_columns: scalar, banded_rows: scalar, first_column: scalar, header_row: scalar,
    last_column: scalar, total_row: scalar, name: scalar, style: scalar,
    columns: { oneOf: [{ type: 'null' }, { type: 'array', maxItems: 16384, items: tableColumn }] },
  },
};

export const notesMethods: Record<string, NotesMethod> = {
  write_comment: {
    args: argList([row, col, text, commentOptions]),
    apply(ws, args) {
      const [r, c, s, o] = args as [number, number, string, CommentOptions];
      writeComment(ws, r, c, s, o);
    },
  },
  show_comments: {
    args: argList([{ type: ['string', 'number'], maxLength: 32767 }]),
    apply(ws, args) {
      showComments(ws, args[0] as number | string);
    },
  },
  set_comments_author: {
    args: argList([{ type: 'string', maxLength: 32767 }]),
    apply(ws, args) {
      setCommentsAuthor(ws, args[0] as string);
    },
  },
  insert_button: {
    args: argList([row, col, buttonOptions]),
    apply(ws, args) {
      const [r, c, o] = args as [number, number, ButtonOptions];
      insertButton(ws, r, c, o);
    },
  },
  add_table: {
    args: argList([row, col, row, col, tableOptions]),
    apply(ws, args, wb) {
      const [r1, c1, r2, c2, o] = args as [number, number, number, number, TableOptions];
      addTable(ws, wb, r1, c1, r2, c2, o);
    },
  },
};
