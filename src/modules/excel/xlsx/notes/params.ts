// Worksheet::_comment_params and _button_params: a comment's or button's options, defaults and
// position (vertices in pixels) as the real module computes them.
import { formatColorIndex } from '../chart/chart';
import { CroakError } from '../croak';
import type { NotesBook, NotesSheet } from './host';
import type { BoxOptions, Button, Comment, CommentOptions } from './state';

const ROW_MAX = 1048576;
const COL_MAX = 16384;
const STR_MAX = 32767;

const hex2 = (n: number) => (n & 0xff).toString(16).padStart(2, '0');

/** The VML fill colour of a comment: #RRGGBB as given, the default, or "#rgb [index]" from the palette. */
function commentColor(book: NotesBook, c: string | number | null | undefined): string {
  const id = formatColorIndex(c);
  if (typeof id === 'string') return id;
  if (id === 0) return '#ffffe1';
  const rgb = book.palette[id - 8] ?? [0, 0, 0];
  let s = hex2(rgb[0]) + hex2(rgb[1]) + hex2(rgb[2]);
  // VML's short form when each channel is a doubled digit (ffcc00 -> fc0), as the real module writes
  const m = /^([0-9a-f])\1([0-9a-f])\2([0-9a-f])\3$/.exec(s);
  if (m) s = m[1] + m[2] + m[3];
  return `#${s} [${id}]`;
}

/** Perl truthiness of an option value (undef, 0, '' and '0' are false). */
export function truthy(v: unknown): boolean {
  return !(v === undefined || v === null || v === 0 || v === '' || v === '0' || v === false);
}

const given = <T>(v: T | null | undefined): v is T => v !== undefined && v !== null;

/** Worksheet::_cell_to_rowcol of the first cell reference in `cell` (upper case). */
function cellToRowcol(cell: string): [number, number] {
  const m = /\$?([A-Z]{1,3})\$?(\d+)/.exec(cell)!;
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return [Number(m[2]) - 1, col - 1];
}

/** Worksheet::_substitute_cellref's first cell, for start_cell: a column range, a cell range, a cell; or its croak. */
export function startCell(ref: string): [number, number] {
  const cell = ref.toUpperCase();
  let m = /\$?([A-Z]{1,3}):\$?([A-Z]{1,3})/.exec(cell);
  if (m) return cellToRowcol(`${m[1]}1`);
  m = /\$?([A-Z]{1,3}\$?\d+):\$?([A-Z]{1,3}\$?\d+)/.exec(cell);
  if (m) return cellToRowcol(m[1]);
  m = /\$?([A-Z]{1,3}\$?\d+)/.exec(cell);
  if (m) return cellToRowcol(m[1]);
  throw new CroakError(`Unknown cell reference ${cell}`);
}

/** Worksheet::_comment_params (run at close, over the column widths and row heights of then). */
export function commentParams(sheet: NotesSheet, book: NotesBook, row: number, col: number, text: string,
  o: CommentOptions): Comment {
  let width = truthy(o.width) ? Number(o.width) : 128;
  let height = truthy(o.height) ? Number(o.height) : 74;
  const chars = Array.from(text);
  if (chars.length > STR_MAX) text = chars.slice(0, STR_MAX).join('');
  const color = commentColor(book, o.color === undefined ? 81 : o.color);

  // start_cell wins over start_row/start_col, converted (or croaked about) here at close as the real one does
  let [givenRow, givenCol] = [o.start_row, o.start_col];
  if (given(o.start_cell)) [givenRow, givenCol] = startCell(String(o.start_cell));

  let startRow: number;
  if (given(givenRow)) startRow = givenRow;
  else if (row === 0) startRow = 0;
  else if (row === ROW_MAX - 3) startRow = ROW_MAX - 7;
  else if (row === ROW_MAX - 2) startRow = ROW_MAX - 6;
  else if (row === ROW_MAX - 1) startRow = ROW_MAX - 5;
  else startRow = row - 1;

  let yOffset: number;
  if (given(o.y_offset)) yOffset = Number(o.y_offset);
  else if (row === 0) yOffset = 2;
  else if (row === ROW_MAX - 3 || row === ROW_MAX - 2) yOffset = 16;
  else if (row === ROW_MAX - 1) yOffset = 14;
  else yOffset = 10;

  let startCol: number;
  if (given(givenCol)) startCol = givenCol;
  else if (col === COL_MAX - 3) startCol = COL_MAX - 6;
  else if (col === COL_MAX - 2) startCol = COL_MAX - 5;
  else if (col === COL_MAX - 1) startCol = COL_MAX - 4;
  else startCol = col + 1;

  let xOffset: number;
  if (given(o.x_offset)) xOffset = Number(o.x_offset);
  else if (col >= COL_MAX - 3) xOffset = 49;
  else xOffset = 15;

  const xScale = o.x_scale === undefined ? 1 : o.x_scale;
  const yScale = o.y_scale === undefined ? 1 : o.y_scale;
  if (truthy(xScale)) width *= Number(xScale);
  if (truthy(yScale)) height *= Number(yScale);
  width = Math.trunc(0.5 + width);
  height = Math.trunc(0.5 + height);

  const vertices = sheet.positionObjectPixels(startCol, startRow, xOffset, yOffset, width, height);
  vertices.push(width, height);
  return {
    row, col, text,
    author: given(o.author) ? o.author : undefined,
    visible: given(o.visible) ? o.visible : undefined,
    color,
    font: o.font === undefined ? 'Tahoma' : o.font ?? '',
    fontSize: o.font_size === undefined ? 8 : o.font_size ?? '',
    fontFamily: o.font_family === undefined ? 2 : o.font_family ?? '',
    vertices,
  };
}

/** insert_button's options as the shim sends them. */
export interface ButtonOptions extends BoxOptions {
  caption?: string | null;
  macro?: string | null;
  description?: string | null;
}

/** Worksheet::_button_params (run when insert_button is replayed: the sizes of that moment). */
export function buttonParams(sheet: NotesSheet, row: number, col: number, o: ButtonOptions): Button {
  const n = 1 + sheet.notes.buttonsArray.length;
  const caption = given(o.caption) ? String(o.caption) : `Button ${n}`;
  const macro = truthy(o.macro) ? `[0]!${o.macro}` : `[0]!Button${n}_Click`;
  let width = truthy(o.width) ? Number(o.width) : sheet.defaultColPixels;
  let height = truthy(o.height) ? Number(o.height) : sheet.defaultRowPixels;
  const xOffset = truthy(o.x_offset) ? Number(o.x_offset) : 0;
  const yOffset = truthy(o.y_offset) ? Number(o.y_offset) : 0;
  if (truthy(o.x_scale)) width *= Number(o.x_scale);
  if (truthy(o.y_scale)) height *= Number(o.y_scale);
  width = Math.trunc(0.5 + width);
  height = Math.trunc(0.5 + height);
  const vertices = sheet.positionObjectPixels(col, row, xOffset, yOffset, width, height);
  vertices.push(width, height);
  return { row, col, caption, macro, description: given(o.description) ? String(o.description) : undefined, vertices };
}
