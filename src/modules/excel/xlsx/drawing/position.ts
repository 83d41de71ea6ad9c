// Object anchors: Worksheet::_position_object_pixels / _position_object_emus (the cell, offset and
// absolute position of an object's corners, from column widths and row heights).

export interface SizeHost {
  sizeCol(col: number, anchor?: number): number;
  sizeRow(row: number, anchor?: number): number;
  colSizeChanged: number | boolean;
  rowSizeChanged: number | boolean;
  defaultColPixels: number;
  defaultRowPixels: number;
}

/** [colStart, rowStart, x1, y1, colEnd, rowEnd, x2, y2, xAbs, yAbs] */
export type Dimensions = [number, number, number, number, number, number, number, number, number, number];

export function positionObjectPixels(s: SizeHost, colStart: number, rowStart: number, x1: number, y1: number,
  width: number, height: number, anchor?: number): Dimensions {
  let xAbs = 0;
  let yAbs = 0;
  // negative offsets move the object back over the previous columns/rows
  while (x1 < 0 && colStart > 0) {
    x1 += s.sizeCol(colStart - 1);
    colStart--;
  }
  while (y1 < 0 && rowStart > 0) {
    y1 += s.sizeRow(rowStart - 1);
    rowStart--;
  }
  if (x1 < 0) x1 = 0;
  if (y1 < 0) y1 = 0;
  if (s.colSizeChanged) {
    for (let c = 0; c < colStart; c++) xAbs += s.sizeCol(c);
  } else {
    xAbs += s.defaultColPixels * colStart;
  }
  xAbs += x1;
  if (s.rowSizeChanged) {
    for (let r = 0; r < rowStart; r++) yAbs += s.sizeRow(r);
  } else {
    yAbs += s.defaultRowPixels * rowStart;
  }
  yAbs += y1;
  while (x1 >= s.sizeCol(colStart, anchor)) {
    x1 -= s.sizeCol(colStart);
    colStart++;
  }
  while (y1 >= s.sizeRow(rowStart, anchor)) {
    y1 -= s.sizeRow(rowStart);
    rowStart++;
  }
  let colEnd = colStart;
  let rowEnd = rowStart;
  if (s.sizeCol(colStart, anchor) > 0) width += x1;
  if (s.sizeRow(rowStart, anchor) > 0) height += y1;
  while (width >= s.sizeCol(colEnd, anchor)) {
    width -= s.sizeCol(colEnd, anchor);
    colEnd++;
  }
  while (height >= s.sizeRow(rowEnd, anchor)) {
    height -= s.sizeRow(rowEnd, anchor);
    rowEnd++;
  }
  return [colStart, rowStart, x1, y1, colEnd, rowEnd, width, height, xAbs, yAbs];
}

const emu = (px: number) => Math.trunc(0.5 + 9525 * px);

export function positionObjectEmus(s: SizeHost, colStart: number, rowStart: number, x1: number, y1: number,
  width: number, height: number, anchor?: number): Dimensions {
  const d = positionObjectPixels(s, colStart, rowStart, x1, y1, width, height, anchor);
  return [d[0], d[1], emu(d[2]), emu(d[3]), d[4], d[5], emu(d[6]), emu(d[7]), emu(d[8]), emu(d[9])];
}
