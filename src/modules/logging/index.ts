// The logging module: the files of Log::Log4perl's File appenders and Log::Dispatch::FileRotate.
// Everything else (configuration, levels, layouts, filters, caller data, the screen) is done in
// the script's process by the shim, which sends the finished bytes here in numbered batches,
// pipelined. A batch is written and its number and the files' ends journaled before the reply;
// a resent batch is recognised by its number (or, after a crash, by the bytes already in the file).
import { BridgeError } from '../../errors';
import type { CallContext, FunctionDef, HandleKindDef, LiveHandle, ModuleDef } from '../../kit/types';
import { resolveOutputPath } from '../../paths';
import type { FileSpec } from './file';
import { Writer, type WriterState } from './writer';

const id = { type: 'string', minLength: 1, maxLength: 100 };
const bytes = { type: 'object', required: ['$b64'], additionalProperties: false, properties: { $b64: { type: 'string' } } };

const fileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path', 'mode'],
  properties: {
    path: { type: 'string', minLength: 1, maxLength: 4096 },
    mode: { enum: ['append', 'clobber'] },
    mkpath: { type: 'boolean' },
    umask: { type: 'integer', minimum: 0, maximum: 0o777 },
    mkpath_umask: { type: 'integer', minimum: 0, maximum: 0o777 },
    create_at_logtime: { type: 'boolean' },
    rotate: {
      anyOf: [{ type: 'null' }, {
        type: 'object', additionalProperties: false, required: ['size', 'max'],
        properties: { size: { type: 'integer', minimum: 1 }, max: { type: 'integer', minimum: 1, maximum: 10000 } },
      }],
    },
  },
};

type FileParam = Partial<FileSpec> & { path: string; mode: FileSpec['mode'] };

async function writer(ctx: CallContext, h: string): Promise<LiveHandle<Writer>> {
  return ctx.handle<Writer>(h, 'logging', 'writer');
}

/** The predecessor's logging_helper levels, on the daemon's own log. */
const HELPER_LEVELS = { debug: 'debug', info: 'info', warning: 'warn', warn: 'warn', error: 'error', critical: 'fatal', fatal: 'fatal' } as const;

const functions: Record<string, FunctionDef> = {
  open: {
    params: { type: 'object', additionalProperties: false, required: ['files'], properties: { files: { type: 'array', maxItems: 1000, items: fileSchema } } },
    effect: 'create',
    run(p: { files: FileParam[] }, ctx) {
      const specs: FileSpec[] = p.files.map((f) => ({
        path: resolveOutputPath(f.path, ctx.settings, ctx.session),
        mode: f.mode,
        mkpath: f.mkpath ?? false,
        umask: f.umask ?? 0o022,
        mkpath_umask: f.mkpath_umask ?? 0,
        create_at_logtime: f.create_at_logtime ?? false,
        rotate: f.rotate ?? null,
      }));
      const w = new Writer(specs);
      try {
        w.openAll();
      } catch (e) {
        w.close();
        throw e;
      }
      const h = ctx.create('logging', 'writer', { files: specs }, w, { state: w.state() as unknown as Record<string, unknown> });
      return { writer: h.id, paths: specs.map((s) => s.path) };
    },
  },

  append: {
    params: {
      type: 'object', additionalProperties: false, required: ['writer', 'seq', 'chunks'],
      properties: {
        writer: id,
        seq: { type: 'integer', minimum: 1 },
        chunks: { type: 'array', items: { type: 'array', minItems: 2, maxItems: 2, items: [{ type: 'integer', minimum: 0 }, bytes] } },
        // the File appender's file_switch, after this batch's lines
        switch: { type: 'array', maxItems: 1000, items: { type: 'array', minItems: 2, maxItems: 2, items: [{ type: 'integer', minimum: 0 }, { type: 'string', minLength: 1, maxLength: 4096 }] } },
      },
    },
    effect: 'mutate-local',
    async run(p: { writer: string; seq: number; chunks: [number, Buffer][]; switch?: [number, string][] }, ctx) {
      const h = await writer(ctx, p.writer);
      const n = h.obj.files.length;
      for (const [i] of [...p.chunks, ...(p.switch ?? [])]) if (i >= n) throw new BridgeError('bad_params', `append: no file ${i} in this writer (it has ${n})`);
      const switches = (p.switch ?? []).map(([i, f]): [number, string] => [i, resolveOutputPath(f, ctx.settings, ctx.session)]);
      const written = h.obj.append(p.seq, p.chunks, switches);
      if (written) ctx.setState(h, h.obj.state() as unknown as Record<string, unknown>);
      return { seq: h.obj.seq, written };
    },
  },

  close: {
    params: { type: 'object', additionalProperties: false, required: ['writer'], properties: { writer: id } },
    effect: 'close',
    async run(p: { writer: string }, ctx) {
      const h = await writer(ctx, p.writer).catch(() => null);
      if (h) await ctx.close(h);
      return { closed: true };
    },
  },

  // the predecessor's logging_helper (call_python): its messages went to its daemon's own log
  helper_log: {
    params: {
      type: 'object', additionalProperties: false, required: ['level', 'message'],
      properties: { level: { enum: Object.keys(HELPER_LEVELS) }, message: { type: 'string', maxLength: 1_000_000 }, logger: { type: 'string', maxLength: 200 } },
    },
    effect: 'read',
    run(p: { level: keyof typeof HELPER_LEVELS; message: string; logger?: string }, ctx) {
      ctx.log[HELPER_LEVELS[p.level]]({ logger: p.logger ?? 'main', script: ctx.session.script }, p.message);
      return { logged: true, level: p.level.toUpperCase(), message: p.message };
    },
  },
};

const kinds: Record<string, HandleKindDef> = {
  writer: {
    async rehydrate(h) {
      return Writer.rehydrate(h.spec.files as FileSpec[], h.state as unknown as WriterState | null);
    },
    dispose(obj) {
      (obj as Writer).close();
    },
  },
};

export const loggingModule: ModuleDef = { name: 'logging', functions, kinds };
