// The xpath module: XML::XPath 1.48 on the xpath library over xmldom, bent to XML::XPath's rules
// (values.ts, operators.ts, functions.ts, name-tests.ts, grammar.ts). A parsed document is a
// handle (its source journaled: inline when small, by content hash in xpath_sources when large);
// setNodeText and createNode are journaled ops replayed in order on the rebuilt document, so a
// node path a script holds names the same node after a restart. Queries are reads.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BridgeError } from '../../errors';
import { replayOps, ReplayDivergedError } from '../../kit/replay';
import type { CallContext, FunctionDef, HandleKindDef, LiveHandle, ModuleDef } from '../../kit/types';
import { refuseOverMemory } from '../../limits';
import { dropSourceRef, getSource, INLINE_MAX, putSource, sha256, XPATH_MIGRATIONS } from './store';
import type { XDoc } from './xdoc';

// The XML parser and XPath engine load with the first document (~30-80 ms of every node start otherwise)
const xdoc = () => require('./xdoc') as typeof import('./xdoc');
const helper = () => require('./helper') as typeof import('./helper');

const id = { type: 'string', minLength: 1, maxLength: 100 };
/** Memory of a parsed document per character of its XML (xmldom nodes), for the ceiling check. */
const TREE_BYTES_PER_CHAR = 40;
const nsMap = { type: 'object', additionalProperties: { type: 'string' } };
const nodePath = { type: 'string', maxLength: 100_000, pattern: '^(/\\d+)*([@#].+)?$' };

type Op = { op: 'set_text'; path: string; text: string; ns: Record<string, string>; want: unknown }
  | { op: 'create'; path: string; ns: Record<string, string>; want: unknown };

async function doc(ctx: CallContext, h: string): Promise<LiveHandle<XDoc>> {
  return ctx.handle<XDoc>(h, 'xpath', 'document');
}

/** A file the daemon reads for the client (too large to send): only a client of the daemon's own user. */
function readForClient(ctx: CallContext, file: string): string {
  const me = process.getuid?.() ?? -1;
  if (ctx.session.peer && ctx.session.peer.uid !== me && ctx.session.peer.uid !== 0) {
    throw new BridgeError('path_denied', `the daemon reads files only for clients of its own user: send ${file}'s content`);
  }
  const abs = path.resolve(ctx.session.cwd ?? '/', file);
  try {
    const bytes = fs.readFileSync(abs);
    // the declared encoding, as XML::Parser reads it (UTF-8 by default)
    const decl = /^(?:\uFEFF)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(bytes.subarray(0, 200).toString('latin1'));
    let decoder: TextDecoder;
    try {
      decoder = new TextDecoder(decl ? decl[1] : 'utf-8');
    } catch {
      throw new BridgeError('xpath_error', `\nunknown encoding '${decl?.[1]}' in ${file}`);
    }
    return decoder.decode(bytes);
  } catch (e) {
    if (e instanceof BridgeError) throw e;
    throw new BridgeError('xpath_error', `Cannot open file '${file}'`, { extra: { errno: (e as NodeJS.ErrnoException).code } });
  }
}

function apply(d: XDoc, op: Op): unknown {
  return op.op === 'set_text' ? d.setNodeText(op.path, op.text, op.ns) : d.createNode(op.path, op.ns);
}

const functions: Record<string, FunctionDef> = {
  // the first query of an XML::XPath object: XML::XPath parses then (and dies then)
  parse: {
    params: {
      type: 'object', additionalProperties: false,
      properties: { xml: { type: 'string' }, file: { type: 'string', minLength: 1, maxLength: 4096 } },
      oneOf: [{ required: ['xml'] }, { required: ['file'] }],
    },
    effect: 'create',
    run(p: { xml?: string; file?: string }, ctx) {
      const xml = p.xml ?? readForClient(ctx, p.file!);
      refuseOverMemory(ctx.settings, 'a new document');
      // xmldom's tree takes about 40 bytes per byte of XML (measured: 50 MiB → 2 GiB)
      const need = xml.length * TREE_BYTES_PER_CHAR;
      const rss = process.memoryUsage().rss;
      if (rss + need > ctx.settings.memoryCeilingBytes) {
        throw new BridgeError('memory_limit', `a document of ${Math.round(xml.length / 1048576)} MiB needs about ${Math.round(need / 1048576)} MiB; the daemon uses ${Math.round(rss / 1048576)} MiB of its memory ceiling of ${Math.round(ctx.settings.memoryCeilingBytes / 1048576)} MiB (memory_ceiling_bytes)`);
      }
      const d = new (xdoc().XDoc)(xml);
      const hash = sha256(xml);
      const inline = xml.length <= INLINE_MAX;
      const h = ctx.create('xpath', 'document', inline ? { xml, hash } : { hash, size: xml.length }, d);
      if (!inline) ctx.sql((db) => putSource(db, h.id, hash, xml));
      return { doc: h.id };
    },
  },

  find: {
    params: {
      type: 'object', additionalProperties: false, required: ['doc', 'path'],
      properties: { doc: id, path: { type: 'string', maxLength: 100_000 }, context: nodePath, ns: nsMap, literal: { type: 'boolean' } },
    },
    effect: 'read',
    async run(p: { doc: string; path: string; context?: string; ns?: Record<string, string>; literal?: boolean }, ctx) {
      return (await doc(ctx, p.doc)).obj.query(p.path, p.context ?? null, p.ns ?? {}, p.literal === true);
    },
  },

  node: {
    params: {
      type: 'object', additionalProperties: false, required: ['doc', 'node', 'what'],
      properties: { doc: id, node: nodePath, what: { enum: ['info', 'children', 'attributes', 'namespaces', 'parent', 'xml'] } },
    },
    effect: 'read',
    async run(p: { doc: string; node: string; what: string }, ctx) {
      return { value: (await doc(ctx, p.doc)).obj.describe(p.node, p.what) };
    },
  },

  set_text: {
    params: {
      type: 'object', additionalProperties: false, required: ['doc', 'path', 'text'],
      properties: { doc: id, path: { type: 'string', minLength: 1, maxLength: 100_000 }, text: { type: 'string' }, ns: nsMap },
    },
    effect: 'mutate-local',
    async run(p: { doc: string; path: string; text: string; ns?: Record<string, string> }, ctx) {
      const h = await doc(ctx, p.doc);
      const op: Op = { op: 'set_text', path: p.path, text: p.text, ns: p.ns ?? {}, want: null };
      op.want = apply(h.obj, op);
      ctx.appendOp(h, op);
      return { result: op.want };
    },
  },

  create_node: {
    params: {
      type: 'object', additionalProperties: false, required: ['doc', 'path'],
      properties: { doc: id, path: { type: 'string', minLength: 1, maxLength: 100_000 }, ns: nsMap },
    },
    effect: 'mutate-local',
    async run(p: { doc: string; path: string; ns?: Record<string, string> }, ctx) {
      const h = await doc(ctx, p.doc);
      const op: Op = { op: 'create', path: p.path, ns: p.ns ?? {}, want: null };
      op.want = apply(h.obj, op);
      ctx.appendOp(h, op);
      return { node: op.want };
    },
  },

  // XPathHelper and call_python: nodes copied eagerly, as the predecessor returned them
  helper_find: {
    params: {
      type: 'object', additionalProperties: false, required: ['doc', 'path'],
      properties: { doc: id, path: { type: 'string', minLength: 1, maxLength: 100_000 }, context: nodePath },
    },
    effect: 'read',
    async run(p: { doc: string; path: string; context?: string }, ctx) {
      return { nodes: helper().helperFind((await doc(ctx, p.doc)).obj, p.path, p.context ?? null) };
    },
  },

  dispose: {
    params: { type: 'object', additionalProperties: false, required: ['doc'], properties: { doc: id } },
    effect: 'close',
    async run(p: { doc: string }, ctx) {
      const h = await doc(ctx, p.doc).catch(() => null);
      if (h) await ctx.close(h);
      return { disposed: true };
    },
  },
};

const kinds: Record<string, HandleKindDef> = {
  document: {
    async rehydrate(h, rctx) {
      const hash = String(h.spec.hash);
      const xml = typeof h.spec.xml === 'string' ? h.spec.xml : getSource(rctx.db, hash);
      if (xml === undefined) throw new ReplayDivergedError(`the source of document ${h.id} is missing from the journal`);
      const d = new (xdoc().XDoc)(xml);
      const ops = rctx.journalOps(h.id) as Op[];
      const diverged = await replayOps(ops, async (op) => ({ got: JSON.stringify(apply(d, op)), want: JSON.stringify(op.want) }));
      if (diverged) throw new ReplayDivergedError(`replaying change ${diverged.index + 1} of document ${h.id} gave ${diverged.got}, the client was told ${diverged.want}`);
      return d;
    },
  },
};

export const xpathModule: ModuleDef = {
  name: 'xpath',
  functions,
  kinds,
  migrations: XPATH_MIGRATIONS,
  onHandleDeleted(db, h) {
    if (h.kind === 'document') dropSourceRef(db, h.id);
  },
};
