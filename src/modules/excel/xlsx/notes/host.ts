// What the notes side needs from core's Worksheet and Workbook. Core's classes implement these; the
// notes functions never reach further into them.
import type { NotesState } from './state';

export interface NotesSheet {
  /** This worksheet's comments, buttons, tables and header images (newNotesState()). */
  readonly notes: NotesState;
  /** Worksheet::{_default_col_pixels} and {_default_row_pixels} (64 and 20 unless changed). */
  readonly defaultColPixels: number;
  readonly defaultRowPixels: number;
  /**
   * Worksheet::_position_object_pixels over this sheet's column widths and row heights as they are
   * now: col_start, row_start, x1, y1, col_end, row_end, x2, y2, x_abs, y_abs.
   */
  positionObjectPixels(colStart: number, rowStart: number, x1: number, y1: number, width: number, height: number): number[];
  /** Worksheet::_check_dimensions(row, col): a comment's cell widens the sheet's <dimension>. */
  checkDimensions(row: number, col: number): void;
  /** ++Worksheet::{_rel_count}: the next r:id number of the worksheet XML. */
  nextRelId(): number;
}

export interface NotesBook {
  /** Workbook::{_palette}: [r, g, b, 0] for colour indices 8.. (after set_custom_color). */
  readonly palette: readonly (readonly number[])[];
  /** Format::get_dxf_index of the format a call referenced as {"$fmt": index}, at call time. */
  dxfIndex(formatRef: number): number;
}
