// Hostile input for the fuzzer (fast-check arbitraries): raw bytes over the framing, hellos,
// requests shaped after every module's parameter schemas (and then broken), and legacy bodies.
import fc from 'fast-check';
import { LEGACY } from '../../src/legacy/table';
import { allModules } from '../../src/modules';
import type { Schema } from '../../src/kit/types';
import { encodeFrame } from '../../src/protocol/frame';
import { PROTOCOL_VERSION } from '../../src/version';

// Left out of the generated calls: functions that open connections to the hosts they are given
// (generated host names would be looked up and dialled off loopback: tests stay on loopback),
// and the owner's clean stop (`system.shutdown`: the fuzzing client is the daemon's owner).
const REACHES_OUT = new Set(['sftp.connect', 'mail.send', 'system.shutdown']);

/** Every function of every module with its parameter schema, from the modules' own tables. */
export const FUNCTIONS = allModules({ status: () => ({}), compact: () => ({}) })
  .flatMap((m) => Object.entries(m.functions).map(([name, def]) => ({ module: m.name, fn: name, schema: def.params })))
  .filter((f) => !REACHES_OUT.has(`${f.module}.${f.fn}`));

const junk = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('', 'x'.repeat(5000), '\u0000\n\t', '../../etc/passwd', '/', '.', 'dbi:SQLite:dbname=:memory:', 'A'.repeat(22)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(), fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53 + 1, Number.MAX_VALUE, -0),
);

/** A value that follows `schema` often and breaks it often (wrong types, extra keys, out of range). */
function fromSchema(schema: Schema | undefined, depth: number): fc.Arbitrary<unknown> {
  if (!schema || depth > 3) return junk;
  const types = ([] as unknown[]).concat(schema.type ?? []);
  const props = schema.properties as Record<string, Schema> | undefined;
  const options: fc.Arbitrary<unknown>[] = [junk];
  if (types.includes('object') || props) {
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [k, v] of Object.entries(props ?? {})) model[k] = fromSchema(v, depth + 1);
    options.push(fc.record(model, { requiredKeys: [] }));
    options.push(fc.tuple(fc.record(model, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 8 }), junk, { maxKeys: 3 }))
      .map(([a, b]) => ({ ...b, ...a })));
  }
  if (types.includes('array')) options.push(fc.array(fromSchema(schema.items as Schema | undefined, depth + 1), { maxLength: 6 }));
  if (types.includes('string')) options.push(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.base64String({ minLength: 20, maxLength: 24 }));
  if (types.includes('integer') || types.includes('number')) options.push(fc.integer({ min: -5, max: 1_100_000 }), fc.double());
  if (types.includes('boolean')) options.push(fc.boolean());
  if (types.includes('null')) options.push(fc.constant(null));
  return fc.oneof(...options);
}

const fnArb = fc.constantFrom(...FUNCTIONS);

/** A request object for one of the daemon's functions (or a made-up one), its params hostile. */
export const requestObject: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 6, arbitrary: fnArb.chain((f) => fc.record({
    id: fc.oneof(fc.nat().map(String), fc.string({ maxLength: 12 }), fc.nat()),
    module: fc.constant(f.module),
    function: fc.constant(f.fn),
    params: fromSchema(f.schema, 0),
    ack: fc.option(fc.oneof(fc.nat(), junk), { nil: undefined }),
  }, { requiredKeys: ['id', 'module', 'function'] })) },
  { weight: 1, arbitrary: fc.record({ id: fc.nat().map(String), module: fc.string({ maxLength: 12 }), function: fc.string({ maxLength: 12 }), params: junk, legacy: fc.boolean() }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('id', 'module', 'function', 'params', 'type', 'ack', 'x'), junk, { maxKeys: 5 }) },
);

function deepJson(depth: number): string {
  return `{"id":"deep","module":"system","function":"ping","params":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
}

/** One frame on an authenticated connection: mostly requests, some broken frames. */
export const requestFrameBytes: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 12, arbitrary: requestObject.map((o) => encodeFrame(JSON.stringify(o))) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => withLength(Buffer.from(b))) }, // not JSON, maybe not UTF-8
  { weight: 1, arbitrary: fc.tuple(requestObject, fc.uint8Array({ minLength: 1, maxLength: 3 })).map(([o, b]) => {
    const text = Buffer.from(JSON.stringify(o));
    const at = Math.floor(text.length / 2);
    return withLength(Buffer.concat([text.subarray(0, at), Buffer.from(b).map((x) => x | 0x80), text.subarray(at)])); // likely invalid UTF-8
  }) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 20_000 }).map((n) => encodeFrame(deepJson(n))) },
  { weight: 1, arbitrary: fc.constantFrom(Buffer.alloc(4), encodeFrame('null'), encodeFrame('[]'), encodeFrame('"s"'), encodeFrame('{"id":{}}')) },
);

function withLength(body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/** Raw bytes to open a connection with (never `{`, which selects the legacy wire). */
export const garbageBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.tuple(fc.constantFrom(0xffffffff, 0x7fffffff, 10 * 1024 * 1024 + 1, 0, 1, 5), fc.uint8Array({ maxLength: 50 }))
    .map(([n, b]) => { const h = Buffer.alloc(4); h.writeUInt32BE(n, 0); return Buffer.concat([h, Buffer.from(b)]); }),
).map((b) => (b[0] === 0x7b ? Buffer.concat([Buffer.from([0]), b]) : b));

/** A first frame that is some kind of hello: wrong token, protocol, session, types. */
export function helloBytes(token: string): fc.Arbitrary<Buffer> {
  return fc.record({
    type: fc.oneof(fc.constant('hello'), junk),
    protocol: fc.oneof(fc.constant(PROTOCOL_VERSION), junk),
    token: fc.oneof(fc.constant(token), fc.constant(`${token}x`), junk),
    session: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/), junk, fc.constant('legacy:0:1:2')),
    pid: junk, host: junk, script: junk, cwd: junk, jseq: fc.oneof(fc.nat(), junk),
  }, { requiredKeys: [] }).map((o) => encodeFrame(JSON.stringify(o)));
}

// the predecessor's stop and the translations that dial the hosts they are given, left out as above
const legacyNames = Object.keys(LEGACY).filter((n) => n !== 'system.shutdown' && !n.startsWith('sftp.') && !n.startsWith('email_helper.'));
let legacyIds = 0;

/** A legacy raw-JSON body: predecessor names with hostile params, or bytes that start like JSON. */
export const legacyBody: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 4, arbitrary: fc.record({
    module: fc.constantFrom(...legacyNames).map((n) => n.split('.')[0]),
    function: fc.constantFrom(...legacyNames).map((n) => n.split('.')[1]),
    params: fc.oneof(fc.dictionary(fc.constantFrom('connection_id', 'statement_id', 'sql', 'dsn', 'filename', 'workbook_id', 'value', 'row', 'col'), junk), junk),
    request_id: fc.oneof(fc.string({ maxLength: 10 }), junk),
  }, { requiredKeys: ['module', 'function'] }).map((o) => {
    // Until request-id reuse is refused (issue 11, defect 2: id_reused), a reused legacy id is
    // answered with another function's stored reply, which the legacy shapes then choke on
    // (`internal`); ids stay unique here so that the fuzzer checks the rest.
    if (typeof o.request_id === 'string') o.request_id = `${o.request_id}#${++legacyIds}`;
    return Buffer.from(JSON.stringify(o));
  }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.concat([Buffer.from('{'), Buffer.from(b)])) },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 20_000 }).map((n) => Buffer.from(`{"module":"test","function":"ping","params":${'['.repeat(n)}${']'.repeat(n)}}`)) },
);
