// What the drawing side needs from core's Worksheet and Workbook (core's classes implement these;
// the sheet's own drawing state lives in its slot 'drawings').
import type { Chart } from '../chart';
import type { ImageProps } from './image';
import type { SizeHost } from './position';
import type { ImageRef } from './state';

/** A relationship as the real module keeps it: [type suffix, target, target mode]. */
export type Link = [string, string, string?];

export interface DrawingSheet extends SizeHost {
  name: string;
  /** true for a chartsheet (its chart is drawn with an absolute anchor) */
  isChartsheet: boolean;
  /** page orientation (a chartsheet's drawing follows it: 0 landscape, 1 portrait) */
  orientation: number;
  maxUrlLength: number;
  /** worksheet rels: the drawing link is pushed here ('/drawing') */
  readonly externalDrawingLinks: Link[];
  /** worksheet rels: set_background's image link */
  readonly externalBackgroundLinks: Link[];
  /** the drawing part's rels (charts, images, hyperlinks): drawingN.xml.rels */
  readonly drawingLinks: Link[];
  /** set to the sheet's Drawing by the prepare step (the worksheet writes <drawing r:id> when set) */
  drawing: unknown;
  /** feature state slots (core's Worksheet.slot / peek) */
  slot<T>(key: string, make: () => T): T;
  peek<T>(key: string): T | undefined;
  /** set_background's image (core), if any */
  backgroundImageRef?: ImageRef;
  /** header/footer images (&G) in the real module's order: header ones then footer ones (notes) */
  headerFooterImages?(): (ImageRef & { position: string })[];
  /** Worksheet::_prepare_header_image (notes): the VML side of a header/footer image */
  prepareHeaderImage?(refId: number, props: ImageProps, position: string): void;
}

export interface DrawingBook {
  readonly worksheets: DrawingSheet[];
  /** every chart made by add_chart, in creation order; prepareDrawings keeps the inserted ones */
  charts: Chart[];
  /** the bytes of a journaled image (its key: the sha256 the shim sent) */
  imageData(image: string): Buffer;
  /** a warning the real module carps at close (to the client's STDERR) */
  warn(msg: string): void;
}
