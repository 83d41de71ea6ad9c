// One XPath query as XML::XPath answers it: the expression checked by XML::XPath's own grammar
// (its error texts), evaluated by the xpath library with XML::XPath's operators, functions and
// name tests, and the result in the four types the shim rebuilds.
import { BridgeError } from '../../errors';
import { type DomNode, stringValue, typeOf } from './document';
import { functionResolver } from './functions';
import { patchNameTests } from './name-tests';
import { patchOperators, XPathDie } from './operators';
import { checkExpression } from './grammar';
import { patchAxes, PiTargetDie } from './axes';
import { isBoolean, isNodeSet, isNumber, literalOf, patchValues, type Value, X } from './values';

patchValues();
patchOperators();
patchNameTests();
patchAxes();

/** A node on the wire: its stable path, XML::XPath node type and name. */
/** A node on the wire: its stable path, XML::XPath node type, name, and the value of a leaf (small). */
export interface WireNode { p: string; t: number; n?: string; v?: string; i?: 1 }

/**
 * A node of a node-set, compact (node-sets of a large document hold hundreds of thousands):
 * [path, type, index of its name in `names` or -1, the value of a leaf or null, 1 if reached
 * through a parent or ancestor axis].
 */
export type WireTuple = [string, number, number, (string | null)?, 1?];

export type WireResult =
  | { type: 'nodeset'; names: string[]; nodes: WireTuple[] }
  | { type: 'literal'; value: string | null }
  | { type: 'number'; value: string | null }
  | { type: 'boolean'; value: boolean };

interface Parsed { evaluate(c: unknown): Value }

/** The number literals of the expression being parsed, as XML::XPath's tokenizer has them. */
let literalNumbers: string[] | null = null;

// the library's lexer gives the same number tokens in the same order: they take XML::XPath's text
const tokenize = X.XPathParser.prototype.tokenize;
X.XPathParser.prototype.tokenize = function (s: string): [number[], string[]] {
  const [types, values] = tokenize.call(this, s) as [number[], string[]];
  if (literalNumbers) {
    let k = 0;
    for (let i = 0; i < types.length; i++) if (types[i] === X.XPathParser.NUMBER && k < literalNumbers.length) values[i] = literalNumbers[k++];
  }
  return [types, values];
};
const cache = new Map<string, Parsed>();

function compile(expr: string): Parsed {
  const hit = cache.get(expr);
  if (hit) return hit;
  try {
    return compileNew(expr);
  } catch (e) {
    if (e instanceof RangeError) throw new BridgeError('xpath_error', `the expression nests too deeply for the daemon: ${e.message}`);
    throw e;
  }
}

function compileNew(expr: string): Parsed {
  let parsed: Parsed;
  // dies as XML::XPath's parser does
  const { text, numbers } = checkExpression(expr);
  try {
    literalNumbers = numbers;
    parsed = X.parse(text).expression as Parsed;
  } catch (e) {
    throw new BridgeError('xpath_error', `Parse of expression ${expr} failed - ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    literalNumbers = null;
  }
  if (cache.size > 500) cache.clear();
  cache.set(expr, parsed);
  return parsed;
}

/** The nodes of the last evaluation that XML::XPath reached through a parent or ancestor axis. */
export let lastImpl: Set<DomNode> = new Set();

export function evaluate(expr: string, context: DomNode, registered: Map<string, string>): Value {
  const parsed = compile(expr);
  const c = new X.XPathContext();
  c.functionResolver = functionResolver;
  c.contextNode = context;
  c.expressionContextNode = context;
  c.contextPosition = 1;
  c.contextSize = 1;
  c.registered = registered;
  lastImpl = new Set();
  c.implNodes = lastImpl;
  try {
    return parsed.evaluate(c);
  } catch (e) {
    if (e instanceof BridgeError) throw e;
    if (e instanceof XPathDie || e instanceof PiTargetDie) throw new BridgeError('xpath_error', e.message);
    if (e instanceof RangeError) throw new BridgeError('xpath_error', `the expression or document nests too deeply for the daemon: ${e.message}`);
    throw new BridgeError('xpath_error', e instanceof Error ? e.message : String(e));
  }
}

export function toWire(v: Value, pathOf: (n: DomNode) => string, literal = false): WireResult {
  if (isNodeSet(v) && literal) return { type: 'literal', value: literalOf(v) };
  if (isNodeSet(v)) {
    const names: string[] = [];
    const index = new Map<string, number>();
    const nodes = v.toArray().map((n): WireTuple => {
      const w = wireNode(n, pathOf);
      let ni = -1;
      if (w.n !== undefined) {
        ni = index.get(w.n) ?? -1;
        if (ni < 0) { ni = names.length; names.push(w.n); index.set(w.n, ni); }
      }
      if (w.i) return [w.p, w.t, ni, null, 1];
      return w.v !== undefined ? [w.p, w.t, ni, w.v] : [w.p, w.t, ni];
    });
    return { type: 'nodeset', names, nodes };
  }
  if (isNumber(v)) return { type: 'number', value: v.text };
  if (isBoolean(v)) return { type: 'boolean', value: v.b };
  // string() of an undefined Number, name() of a nameless node: Literal->new(undef)
  const s = v as { str: string; undef?: boolean };
  return { type: 'literal', value: s.undef ? null : s.str };
}

export function wireNode(n: DomNode, pathOf: (n: DomNode) => string): WireNode {
  const t = typeOf(n);
  const w: WireNode = { p: pathOf(n), t };
  if ((t === 1 && n.nodeType !== 9) || t === 2) w.n = n.nodeName;
  // a leaf's value comes along (attributes, text): scripts read it next, one round trip saved
  if (t !== 1) w.v = stringValue(n);
  if (t === 1 && lastImpl.has(n)) w.i = 1;
  return w;
}
