// A shape of insert_shape (Shape.pm's fields), as the shim sends it: a snapshot of the Perl object
// at insert time (its id already chosen there, as the real module returns it to the caller).

export interface ShapeFormat {
  rotation?: number; size?: number; bold?: number; italic?: number; underline?: number;
  font_strikeout?: number; color?: string | number; font?: string;
}

export interface Shape {
  name?: string;
  type: string;
  connect: number;
  drawing: number;
  editAs: string;
  id: number;
  text: string | number;
  stencil: number;
  element: number;
  start?: number; startIndex?: number; end?: number; endIndex?: number;
  adjustments: number[];
  startSide: string; endSide: string;
  flipH: number; flipV: number;
  rotation: number;
  txBox: number;
  line: string | number; lineType: string; lineWeight: number;
  fill: string | number;
  format: ShapeFormat;
  valign: string; align: string;
  xOffset: number; yOffset: number;
  scaleX: number; scaleY: number;
  width: number; height: number;
  columnStart: number; rowStart: number;
  x1: number; y1: number; columnEnd: number; rowEnd: number; x2: number; y2: number; xAbs: number; yAbs: number;
  widthEmu: number; heightEmu: number;
  anchor: number;
  /** the worksheet palette at insert time: [r, g, b] by colour index - 8 */
  palette: number[][];
}

/** Shape::_get_palette_color: an indexed colour as RRGGBB. */
export function paletteColor(s: Shape, index: string | number): string {
  if (typeof index === 'string' && /^#?[0-9A-Fa-f]{6}$/.test(index)) return index.replace(/^#/, '').toUpperCase();
  // Perl's negative indices count from the end (colour 0 is the palette's 8th last)
  const i = Number(index) - 8;
  const rgb = s.palette[i < 0 ? s.palette.length + i : i];
  if (!rgb) throw new Error(`shape colour ${String(index)} is not in the palette`);
  return rgb.slice(0, 3).map((c) => c.toString(16).toUpperCase().padStart(2, '0')).join('');
}
