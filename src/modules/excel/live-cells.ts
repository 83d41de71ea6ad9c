// What close() needs to know of the cells before it writes the worksheets, taken as the cells
// arrive (write_batch) instead of asked of the cell store at close: the shared strings numbered
// in first-write order (as the real module numbers a string when it is written, kept also when
// the cell is written over), the count of string writes, and each sheet's dimensions.
//
// Only a workbook this daemon has seen from its first cell has it: a workbook rehydrated from the
// journal after a restart (or in process mode, a process per request) has none, and close() asks
// the store, which gives the same answers (store.sstStrings, stringCount, cellDims). A batch the
// daemon could not take in whole (an error) also drops it, for the same reason.
import type { CellOp } from './store';

export interface SheetDims { rmin: number; rmax: number; cmin: number; cmax: number }

export class LiveCells {
  /** distinct strings -> SST index, in first-write order */
  readonly sst = new Map<string, number>();
  /** string writes (the SST's count) */
  strTotal = 0;
  readonly dims = new Map<number, SheetDims>();

  /** Takes a decoded batch in write order; false when a cell cannot be accounted for here. */
  take(ops: readonly CellOp[]): boolean {
    const sst = this.sst;
    let d: SheetDims | undefined;
    let dSheet = -1;
    for (const o of ops) {
      if (o.t === 's') {
        // the store keeps a string as text; anything else is left to its queries
        if (typeof o.v !== 'string') return false;
        if (!sst.has(o.v)) sst.set(o.v, sst.size);
        this.strTotal++;
      }
      if (o.sheet !== dSheet) {
        dSheet = o.sheet;
        d = this.dims.get(o.sheet);
        if (!d) {
          d = { rmin: o.row, rmax: o.row, cmin: o.col, cmax: o.col };
          this.dims.set(o.sheet, d);
        }
      }
      const s = d as SheetDims;
      if (o.row < s.rmin) s.rmin = o.row;
      if (o.row > s.rmax) s.rmax = o.row;
      if (o.col < s.cmin) s.cmin = o.col;
      if (o.col > s.cmax) s.cmax = o.col;
    }
    return true;
  }
}
