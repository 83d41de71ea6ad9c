// Drawings: Drawing.pm (xl/drawings/drawingN.xml: charts, images, shapes), the worksheet's
// insert_chart/insert_image/insert_shape state, Workbook::_prepare_drawings and Worksheet::_prepare_chart/
// _prepare_image/_prepare_shape, image properties and media parts. What it needs from core's
// Worksheet/Workbook is DrawingSheet / DrawingBook (host.ts).
export { newSheetDrawings, sheetDrawings, type SheetDrawings, type ChartInsert, type ImageInsert, type ImageRef } from './state';
export { type DrawingSheet, type DrawingBook, type Link } from './host';
export { prepareDrawings, type MediaPart } from './prepare';
export { positionObjectPixels, positionObjectEmus, type Dimensions } from './position';
export { writeDrawingPart, type Drawing, type DrawingObject } from './drawing';
export { imageProperties, type ImageProps } from './image';
export { chartsheetParts, chartsheetRels, chartParts, drawingParts, drawingRels, mediaParts, addDrawingContentTypes, type XmlPart, type RelsPart } from './parts';
export { type PreparedDrawings } from './prepare';
