// The excel module: Excel::Writer::XLSX on the bridge. The workbook's state is the journal
// (store.ts): cells in the cell store, every other method a recorded call (excel.call, checked
// against the method tables of xlsx/methods), all written in the request's own transaction, so a
// workbook comes back after a crash by reloading a few metadata rows, and memory does not grow with
// the cells. close replays the calls onto the real module's classes and writes the real module's
// XML (xlsx/write.ts), then deletes the rows. The script-facing semantics (argument forms, checks,
// return codes, carps) live in the Perl shim, at call time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BridgeError } from '../../errors';
import { refuseOverLimit, refuseOverMemory } from '../../limits';
import { resolveOutputPath } from '../../paths';
import type { CallContext, FunctionDef, HandleKindDef, LiveHandle, ModuleDef } from '../../kit/types';
import * as crypto from 'node:crypto';
import { decodeCells } from './cells';
import { LiveCells } from './live-cells';
import { checkFileName, checkTarget } from './output';
import { pendingOutputsFile, sweepPending } from './pending-outputs';
import { EXCEL_MIGRATIONS, store } from './store';
import { writeXlsx } from './xlsx/write';
import { formatPropsSchema } from './xlsx/format';
import { tableFor, type CallTarget } from './xlsx/replay';
import Ajv, { type ValidateFunction } from 'ajv';

// the method tables' schemas are checked against the meta-schema in test/unit/excel-core-writer.test.ts, not in each daemon
const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, validateSchema: false });
const argCheckers = new WeakMap<object, ValidateFunction>();

/** The args schema of a method, compiled once. */
function argChecker(m: { args: Record<string, unknown> }): ValidateFunction {
  let v = argCheckers.get(m);
  if (!v) {
    v = ajv.compile(m.args);
    argCheckers.set(m, v);
  }
  return v;
}

/** A workbook's number: random, so that a resent new_workbook after a crash never meets another's rows. */
function newWbn(): number {
  return crypto.randomInt(1, 2 ** 47);
}

/** What the daemon keeps in memory per open workbook: a few numbers and the sheet names. */
export class LiveWorkbook {
  constructor(
    readonly wbn: number,
    readonly path: string,
    readonly sheets: { idx: number; name: string }[],
    /** the last write sequence number given (cells and calls) */
    public seq = 0,
    /** what close needs of the cells, taken as they arrive; null: ask the store (live-cells.ts) */
    public cells: LiveCells | null = null,
  ) {}
}

const id = { type: 'string', minLength: 1, maxLength: 100 };
const sheetIdx = { type: 'integer', minimum: 0, maximum: 10000 };

async function workbook(ctx: CallContext, wb: string): Promise<LiveHandle<LiveWorkbook>> {
  return ctx.handle<LiveWorkbook>(wb, 'excel', 'workbook');
}

function checkSheet(h: LiveHandle<LiveWorkbook>, sheet: number): void {
  if (!h.obj.sheets.some((s) => s.idx === sheet)) throw new BridgeError('bad_params', `excel: workbook has no worksheet ${sheet}`);
}


const functions: Record<string, FunctionDef> = {
  new_workbook: {
    params: {
      type: 'object', required: ['filename'], additionalProperties: false,
      properties: {
        filename: { type: 'string', minLength: 1, maxLength: 4096 }, cwd: { type: ['string', 'null'] }, options: { type: 'object' },
      },
    },
    effect: 'create',
    run(p: { filename: string; cwd?: string | null; options?: Record<string, unknown> }, ctx) {
      refuseOverMemory(ctx.settings, 'a new workbook');
      refuseOverLimit(store.openWorkbooks(ctx.db), ctx.settings.maxOpenWorkbooks, 'a new workbook', 'max_open_workbooks');
      // The client's cwd decides relative paths and the default allowed directory; a client that
      // did not say it in its hello says it here.
      const session = ctx.session.cwd ? ctx.session : { ...ctx.session, cwd: p.cwd ?? null };
      checkFileName(p.filename);
      const target = resolveOutputPath(p.filename, ctx.settings, session);
      checkTarget(p.filename, target);
      try {
        fs.accessSync(path.dirname(target), fs.constants.W_OK);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        throw new BridgeError('excel_open_failed', `${p.filename}: ${err.code === 'ENOENT' ? 'No such file or directory' : 'Permission denied'}`,
          { extra: { errno: err.code ?? 'EACCES' } });
      }
      const wbn = newWbn();
      const options = p.options ?? {};
      const spec = { wbn, path: target, options };
      const h = ctx.create('excel', 'workbook', spec, new LiveWorkbook(wbn, target, [], 0, new LiveCells()));
      ctx.sql((db) => store.insertWorkbook(db, wbn, h.id, target, options));
      return { wb: h.id, path: target };
    },
  },

  add_worksheet: {
    params: {
      type: 'object', required: ['wb'], additionalProperties: false,
      properties: { wb: id, idx: sheetIdx, name: { type: 'string', minLength: 1, maxLength: 31 } },
    },
    effect: 'create',
    async run(q: { wb: string; idx?: number; name?: string }, ctx) {
      const h = await workbook(ctx, q.wb);
      const sheets = h.obj.sheets;
      // without an index (the predecessor's call): the next one, named as Excel::Writer::XLSX does
      const idx = q.idx ?? sheets.length;
      const p = { wb: q.wb, idx, name: q.name || `Sheet${idx + 1}` };
      const same = sheets.find((s) => s.idx === p.idx);
      if (same && same.name === p.name) return { sheet: p.idx }; // the same request again
      if (p.idx !== sheets.length) throw new BridgeError('bad_params', `excel.add_worksheet: expected index ${sheets.length}, got ${p.idx}`);
      if (sheets.some((s) => s.name.toLowerCase() === p.name.toLowerCase())) {
        throw new BridgeError('excel_error', `Worksheet name '${p.name}', with case ignored, is already used.`);
      }
      if (/[[\]:*?/\\]/.test(p.name)) throw new BridgeError('excel_error', `Invalid character '[]:*?/\\' in worksheet name: ${p.name}.`);
      sheets.push({ idx: p.idx, name: p.name });
      const wbn = h.obj.wbn;
      // also in the call log, at its place among the calls (chartsheets are made by add_chart calls)
      const seq = ++h.obj.seq;
      const call = { target: {}, method: '_add_worksheet', args: [p.idx, p.name] };
      ctx.sql((db) => { store.insertSheet(db, wbn, p.idx, p.name); store.putCall(db, wbn, seq, call); store.setSeq(db, wbn, seq); });
      return { sheet: p.idx };
    },
  },

  add_format: {
    params: {
      type: 'object', required: ['wb', 'idx', 'props'], additionalProperties: false,
      // the real Format's fields (style's schema): a bad property is refused here, not at close
      properties: { wb: id, idx: { type: 'integer', minimum: 0, maximum: 1_000_000 }, props: formatPropsSchema },
    },
    effect: 'create',
    async run(p: { wb: string; idx: number; props: Record<string, unknown> }, ctx) {
      const h = await workbook(ctx, p.wb);
      const wbn = h.obj.wbn;
      // also in the call log: a format changed after a call that took its dxf index (conditional
      // formats, tables) had its state of then at that call, as in the real module
      const seq = ++h.obj.seq;
      const call = { target: {}, method: '_format', args: [p.idx, p.props] };
      ctx.sql((db) => { store.putFormat(db, wbn, p.idx, p.props); store.putCall(db, wbn, seq, call); store.setSeq(db, wbn, seq); });
      return { fmt: p.idx };
    },
  },

  write_batch: {
    params: {
      type: 'object', required: ['wb', 'cells'], additionalProperties: false,
      properties: { wb: id, cells: { type: 'string' } },
    },
    effect: 'mutate-local',
    async run(p: { wb: string; cells: string }, ctx) {
      const h = await workbook(ctx, p.wb);
      const ops = decodeCells(p.cells, h.obj.sheets.length);
      const wbn = h.obj.wbn;
      for (const o of ops) o.seq = ++h.obj.seq;
      const seq = h.obj.seq;
      const wb = h.obj;
      if (ops.length) {
        ctx.sql((db) => {
          store.putCells(db, wbn, ops);
          store.setSeq(db, wbn, seq);
          // with the rows it counts: taken when they are written
          if (wb.cells && !wb.cells.take(ops)) wb.cells = null;
        });
      }
      return { n: ops.length };
    },
  },









  image_data: {
    params: {
      type: 'object', required: ['wb', 'sha256', 'part', 'data'], additionalProperties: false,
      properties: {
        wb: id, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' }, part: { type: 'integer', minimum: 0, maximum: 63 },
        data: { type: 'string', maxLength: 1_500_000, pattern: '^[A-Za-z0-9+/=\\s]*$' },
      },
    },
    effect: 'mutate-local',
    async run(p: { wb: string; sha256: string; part: number; data: string }, ctx) {
      const h = await workbook(ctx, p.wb);
      const wbn = h.obj.wbn;
      ctx.sql((db) => store.putBlobPart(db, wbn, p.sha256, p.part, p.data.replace(/\s+/g, '')));
      return 0;
    },
  },


  // A method call of the workbook, a worksheet or a chart, recorded in order with the cells
  // (xlsx/replay.ts replays it at close): checked here against its method table.
  call: {
    params: {
      type: 'object', required: ['wb', 'target', 'method', 'args'], additionalProperties: false,
      properties: {
        wb: id,
        target: { type: 'object', additionalProperties: false, properties: { sheet: sheetIdx, chart: { type: 'integer', minimum: 0, maximum: 100_000 } } },
        method: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,63}$' },
        args: { type: 'array', maxItems: 100_000 },
      },
    },
    effect: 'mutate-local',
    async run(p: { wb: string; target: CallTarget; method: string; args: unknown[] }, ctx) {
      const h = await workbook(ctx, p.wb);
      if (p.target.sheet !== undefined) checkSheet(h, p.target.sheet);
      const m = Object.prototype.hasOwnProperty.call(tableFor(p.target), p.method) ? tableFor(p.target)[p.method] : undefined;
      if (!m) throw new BridgeError('bad_params', `excel.call: unknown method ${p.method}`);
      const check = argChecker(m);
      if (!check(p.args)) throw new BridgeError('bad_params', `excel.call: ${p.method}: bad arguments: ${ajv.errorsText(check.errors)}`);
      if (p.method.startsWith('_add_')) throw new BridgeError('bad_params', `excel.call: ${p.method} is made by the daemon only`);
      const wbn = h.obj.wbn;
      // a chartsheet is a sheet: it takes the next sheet index, as in the real module
      const def = p.args[0] as { embedded?: unknown; name?: unknown } | undefined;
      const chartsheet = p.method === 'add_chart' && p.target.sheet === undefined && p.target.chart === undefined
        && !(def?.embedded && def.embedded !== '0');
      const sheet = chartsheet ? { idx: h.obj.sheets.length, name: String(def?.name ?? `Chart${h.obj.sheets.length + 1}`) } : undefined;
      if (sheet) h.obj.sheets.push(sheet);
      const seq = ++h.obj.seq;
      const call = { target: p.target, method: p.method, args: p.args };
      ctx.sql((db) => {
        if (sheet) store.insertSheet(db, wbn, sheet.idx, sheet.name);
        store.putCall(db, wbn, seq, call);
        store.setSeq(db, wbn, seq);
      });
      return 0;
    },
  },

  info: {
    params: { type: 'object', required: ['wb'], additionalProperties: false, properties: { wb: id } },
    effect: 'read',
    async run(p: { wb: string }, ctx) {
      const h = await workbook(ctx, p.wb);
      await ctx.settled(); // reads the rows earlier requests wrote
      return { path: h.obj.path, sheets: h.obj.sheets.map((s) => s.name), cells: store.cellCount(ctx.db, h.obj.wbn) };
    },
  },

  close: {
    params: { type: 'object', required: ['wb'], additionalProperties: false, properties: { wb: id } },
    effect: 'close',
    async run(p: { wb: string }, ctx) {
      const h = await workbook(ctx, p.wb);
      const wb = h.obj;
      await ctx.settled(); // reads the rows earlier requests wrote
      // checked again: the directory may have been replaced (by a symlink) since new_workbook
      resolveOutputPath(wb.path, ctx.settings, ctx.session);
      // Excel::Writer::XLSX adds a Sheet1 to a workbook closed without worksheets.
      const sheets = wb.sheets.length ? wb.sheets : [{ idx: 0, name: 'Sheet1' }];
      const row = store.workbook(ctx.db, wb.wbn);
      const options = row ? JSON.parse(row.options) as Record<string, unknown> : {};
      const warnings = await writeXlsx(ctx.db, { wbn: wb.wbn, target: wb.path, sheets, options, pendingList: pendingOutputsFile(ctx.settings.home),
        cells: wb.cells });
      // The file is in place: the workbook's rows go with this request's commit.
      ctx.sql((db) => store.deleteWorkbook(db, wb.wbn));
      await ctx.close(h);
      return { closed: true, path: wb.path, ...(warnings.length ? { warnings } : {}) };
    },
  },
};

/** Rebuilds a workbook after a restart: its cells stay in the journal, only the sheet list is read. */
const workbookKind: HandleKindDef = {
  rehydrate(h, rctx) {
    const wbn = Number(h.spec.wbn);
    return Promise.resolve(new LiveWorkbook(wbn, String(h.spec.path), store.sheets(rctx.db, wbn), store.seq(rctx.db, wbn)));
  },
};

export const excelModule: ModuleDef = {
  name: 'excel',
  functions,
  kinds: { workbook: workbookKind },
  migrations: EXCEL_MIGRATIONS,
  // temporary files of renders a killed daemon cut short, whose close may never be resent
  onOpen: (settings) => void sweepPending(pendingOutputsFile(settings.home)),
  // a workbook closed, or released because its client died: its rows go with its handle
  onHandleDeleted(db, h) {
    if (h.kind !== 'workbook') return;
    const wbn = store.workbookOf(db, h.id);
    if (wbn !== undefined) store.deleteWorkbook(db, wbn);
  },
};
