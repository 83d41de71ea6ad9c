// The workbook-level style calls the shim records: Format::get_xf_index/get_dxf_index asked by the
// script (the index is taken at that point, as in the real module), set_custom_color, a script's
// own {_custom_colors} list, and the real module's _set_default_xf_indices test hook.
import type { Format } from '../format';
import { getDxfIndex, getXfIndex } from '../format';
import type { StyleState } from '../styles';
import { palette as defaultPalette } from '../palette';
import { setCustomColor, setDefaultXfIndices } from '../styles';
import type { FormatRef } from './types';
import { argList, fmtRef } from './types';

/** What these calls need from the workbook (core's Workbook implements it). */
export interface StyleBook {
  readonly styles: StyleState;
  /** The Format a { "$fmt": n } reference names. */
  format(ref: FormatRef): Format;
}

interface StyleMethod {
  args: ReturnType<typeof argList>;
  apply(wb: StyleBook, args: unknown[]): void;
}

const byte = { type: 'integer', minimum: 0, maximum: 255 };
const noArgs = { type: 'array', maxItems: 0 };

export const styleMethods: Record<string, StyleMethod> = {
  get_xf_index: {
    args: argList([fmtRef]),
    apply(wb, args) {
      getXfIndex(wb.format(args[0] as FormatRef), wb.styles.indices);
    },
  },
  get_dxf_index: {
    args: argList([fmtRef]),
    apply(wb, args) {
      getDxfIndex(wb.format(args[0] as FormatRef), wb.styles.indices);
    },
  },
  // [index 8..64, red, green, blue] after the shim's checks (a refused call is not sent)
  set_custom_color: {
    args: argList([{ type: 'integer', minimum: 8, maximum: 64 }, byte, byte, byte]),
    apply(wb, args) {
      const [i, r, g, b] = args as number[];
      setCustomColor(wb.styles, i, r, g, b);
    },
  },
  // Workbook::set_color_palette called again: the default palette (the mru list stays)
  set_color_palette: {
    args: noArgs,
    apply(wb) {
      wb.styles.palette.splice(0, wb.styles.palette.length, ...defaultPalette());
    },
  },
  // the script replaced $workbook->{_custom_colors} (sent at close when it differs)
  _custom_colors: {
    args: argList([{ type: 'array', maxItems: 100_000, items: { type: 'string', maxLength: 100 } }]),
    apply(wb, args) {
      wb.styles.customColors = [...(args[0] as string[])];
    },
  },
  _set_default_xf_indices: {
    args: noArgs,
    apply(wb) {
      setDefaultXfIndices(wb.styles);
    },
  },
};
