// The worksheet state of comments, buttons, tables and header/footer images: the fields of
// Excel::Writer::XLSX::Worksheet they live in (camelCase, no leading underscore), filled by the
// replayed calls and by the _prepare_* steps at close.

/** The size and offset options of comments and buttons (pixels, scale factors). */
export interface BoxOptions {
  width?: PxValue;
  height?: PxValue;
  x_offset?: PxValue;
  y_offset?: PxValue;
  x_scale?: PxValue;
  y_scale?: PxValue;
}

/** A number the shim sends with all its digits: an integer, or '%.17g' as a string. */
export type PxValue = number | string | null;

/** write_comment's options as the shim sends them. */
export interface CommentOptions extends BoxOptions {
  author?: string | null;
  start_cell?: string | null;
  color?: string | number | null;
  start_row?: number | null;
  start_col?: number | null;
  visible?: number | string | null;
  font?: string | null;
  font_size?: number | string | null;
  font_family?: number | string | null;
}

/** One prepared comment, as _comment_params returns it (the real module's array, named). */
export interface Comment {
  row: number;
  col: number;
  text: string;
  author: string | undefined;
  visible: number | string | undefined;
  color: string;
  font: string;
  fontSize: number | string;
  fontFamily: number | string;
  /** col_start, row_start, x1, y1, col_end, row_end, x2, y2, x_abs, y_abs, width, height (pixels). */
  vertices: number[];
}

export interface Button {
  row: number;
  col: number;
  caption: string;
  macro: string;
  description: string | undefined;
  vertices: number[];
}

export interface TableColumn {
  id: number;
  name: string;
  totalString: string;
  totalFunction: string;
  formula: string;
  /** The dxf index of the column's format, when it has one. */
  format: number | undefined;
}

export interface Table {
  id: number;
  name: string | undefined;
  range: string;
  aRange: string;
  autofilter: string | undefined;
  style: string;
  showFirstCol: number;
  showLastCol: number;
  showRowStripes: number;
  showColStripes: number;
  headerRowCount: number;
  totalsRowShown: number;
  columns: TableColumn[];
}

/** A header/footer image as set_header/set_footer received it (drawing's ImageRef and its place). */
export interface HeaderImageInsert {
  /** the sha256 key of the journaled bytes */
  image: string;
  filename: string;
  /** LH CH RH (header) or LF CF RF (footer). */
  position: string;
}

/** A prepared header/footer image: width, height, name, position, x_dpi, y_dpi, ref_id. */
export interface HeaderImage {
  width: number;
  height: number;
  name: string;
  position: string;
  xDpi: number;
  yDpi: number;
  refId: number;
}

/** [type, target] of a relationship, as the real module's link arrays hold them. */
export type NotesLink = [string, string];

export interface NotesState {
  /** row -> col -> the write_comment call's text and options (the last write to a cell wins). */
  comments: Map<number, Map<number, { text: string; options: CommentOptions }>>;
  commentsVisible: number | string;
  commentsAuthor: string;
  hasVml: boolean;
  hasComments: boolean;
  hasHeaderVml: boolean;
  buttonsArray: Button[];
  tables: Table[];
  headerImages: HeaderImageInsert[];
  footerImages: HeaderImageInsert[];
  // set by the _prepare_* steps
  commentsArray: Comment[];
  headerImagesArray: HeaderImage[];
  vmlDataId: string;
  vmlShapeId: number;
  vmlHeaderId: number;
  vmlDrawingLinks: NotesLink[];
  vmlDrawingRels: Map<string, number>;
  vmlDrawingRelsId: number;
  externalVmlLinks: NotesLink[];
  externalCommentLinks: NotesLink[];
  externalTableLinks: NotesLink[];
}

export function newNotesState(): NotesState {
  return {
    comments: new Map(),
    commentsVisible: 0,
    commentsAuthor: '',
    hasVml: false,
    hasComments: false,
    hasHeaderVml: false,
    buttonsArray: [],
    tables: [],
    headerImages: [],
    footerImages: [],
    commentsArray: [],
    headerImagesArray: [],
    vmlDataId: '',
    vmlShapeId: 0,
    vmlHeaderId: 0,
    vmlDrawingLinks: [],
    vmlDrawingRels: new Map(),
    vmlDrawingRelsId: 0,
    externalVmlLinks: [],
    externalCommentLinks: [],
    externalTableLinks: [],
  };
}
