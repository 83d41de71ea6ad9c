// close() with the new writer: replay the journal onto the model, write the package to a temporary
// file beside the target, fsync and rename (output.ts), listed as pending while it is written.
import type BetterSqlite3 from 'better-sqlite3';
import { BridgeError } from '../../../errors';
import { OutputFile, writeFailed } from '../output';
import { CroakError } from './croak';
import { donePending, notePending } from '../pending-outputs';
import { replay, type WorkbookOptions } from './replay';
import { writePackage } from './packager';
import type { LiveCells } from '../live-cells';

export interface WriteInput {
  wbn: number;
  target: string;
  sheets: { idx: number; name: string }[];
  options: Record<string, unknown>;
  pendingList: string;
  /** the shared strings and dimensions taken as the cells arrived, when the daemon has them */
  cells?: LiveCells | null;
}

/** Writes the workbook; returns the warnings the real module would carp at close. */
export async function writeXlsx(db: BetterSqlite3.Database, input: WriteInput): Promise<string[]> {
  const out = new OutputFile(input.target, input.wbn);
  notePending(input.pendingList, [out.tmp, out.tmp2]);
  try {
    const created = new Date();
    const wb = replay(db, input.wbn, input.sheets, input.options as WorkbookOptions, created);
    const stream = out.openStream();
    await out.guard(writePackage(db, input.wbn, wb, stream, input.cells ?? null));
    await out.guard(new Promise<void>((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve()))));
    out.commit(out.tmp);
    return wb.warnings;
  } catch (e) {
    out.discard();
    if (e instanceof CroakError) throw new BridgeError('excel_error', e.message, { extra: { kind: e.kind } });
    throw writeFailed(input.target, e);
  } finally {
    donePending(input.pendingList);
  }
}
