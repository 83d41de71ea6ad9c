// What the drawing side needs from core's Worksheet and Workbook (core's classes implement these).
import type { Chart } from '../chart';
import type { ImageProps } from './image';
import type { SheetDrawings } from './state';

/** A relationship as the real module keeps it: [type suffix, target, target mode]. */
export type Link = [string, string, string?];

export interface DrawingSheet {
  name: string;
  /** true for a chartsheet (its chart is drawn with an absolute anchor) */
  isChartsheet: boolean;
  /** Worksheet::_size_col / _size_row (pixels; anchor 4 counts hidden columns/rows) */
  sizeCol(col: number, anchor?: number): number;
  sizeRow(row: number, anchor?: number): number;
  colSizeChanged: boolean;
  rowSizeChanged: boolean;
  defaultColPixels: number;
  defaultRowPixels: number;
  maxUrlLength: number;
  /** worksheet rels: the drawing link is pushed here ('/drawing') */
  externalDrawingLinks: Link[];
  /** the drawing part's rels (charts, images, hyperlinks), written by core's packager as drawingN.xml.rels */
  drawingLinks: Link[];
  /** Worksheet::_get_drawing_rel_index's state */
  drawingRels: Map<string, number>;
  drawingRelsId: number;
  /** the sheet's charts/images/shapes and its drawing (this module's state) */
  drawings: SheetDrawings;
  /** background image (set_background: core) and header/footer images (notes), prepared through these */
  backgroundImage?: { image: string; filename: string };
  headerImages: { image: string; filename: string; position: string }[];
  footerImages: { image: string; filename: string; position: string }[];
  prepareBackground(refId: number, type: string): void;
  prepareHeaderImage(refId: number, props: ImageProps, position: string): void;
  /** a warning the real module carps (written to the client's STDERR at close) */
  warn(msg: string): void;
}

export interface DrawingBook {
  worksheets: DrawingSheet[];
  /** every chart made by add_chart, in creation order; prepareDrawings keeps the inserted ones */
  charts: Chart[];
  /** the bytes of a journaled image (by its sha256 key) */
  imageData(image: string): Buffer;
}
