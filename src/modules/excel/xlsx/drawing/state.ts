// A worksheet's insert_chart / insert_image / insert_shape calls, as the real module keeps them.
import type { Chart } from '../chart';
import type { Drawing } from './drawing';
import type { Shape } from '../shape';

export interface ChartInsert {
  row: number; col: number; chart: Chart;
  xOffset: number; yOffset: number; xScale: number; yScale: number; anchor: number;
  description?: string; decorative?: boolean;
}

/** An image: the sha256 key of its journaled bytes and the file name the caller gave. */
export interface ImageRef { image: string; filename: string }

export interface ImageInsert extends ImageRef {
  row: number; col: number;
  xOffset: number; yOffset: number; xScale: number; yScale: number;
  url?: string; tip?: string; anchor: number; description?: string; decorative?: boolean;
}

export interface SheetDrawings {
  charts: ChartInsert[];
  images: ImageInsert[];
  shapes: Shape[];
  /** made by the first _prepare_chart/_image/_shape */
  drawing?: Drawing;
  /** Worksheet::_get_drawing_rel_index's state */
  drawingRels: Map<string, number>;
  drawingRelsId: number;
  /** insert_shape's ids: id -> element */
  shapeHash: Map<number, number>;
  lastShapeId: number;
}

export function newSheetDrawings(): SheetDrawings {
  return { charts: [], images: [], shapes: [], drawingRels: new Map(), drawingRelsId: 0, shapeHash: new Map(), lastShapeId: 0 };
}

/** The drawing state of a sheet (in its slot 'drawings'). */
export function sheetDrawings(s: { slot<T>(key: string, make: () => T): T }): SheetDrawings {
  return s.slot('drawings', newSheetDrawings);
}
