// One XPath query as XML::XPath answers it: the expression checked by XML::XPath's own grammar
// (its error texts), evaluated by the xpath library with XML::XPath's operators, functions and
// name tests, and the result in the four types the shim rebuilds.
import { BridgeError } from '../../errors';
import { type DomNode, typeOf } from './document';
import { functionResolver } from './functions';
import { patchNameTests } from './name-tests';
import { patchOperators, XPathDie } from './operators';
import { checkExpression } from './grammar';
import { isBoolean, isNodeSet, isNumber, nodeSet, patchValues, type Value, X } from './values';

patchValues();
patchOperators();
patchNameTests();

/** A node on the wire: its stable path, XML::XPath node type and name. */
export interface WireNode { p: string; t: number; n?: string }

export type WireResult =
  | { type: 'nodeset'; nodes: WireNode[] }
  | { type: 'literal'; value: string }
  | { type: 'number'; value: string | null }
  | { type: 'boolean'; value: boolean };

interface Parsed { evaluate(c: unknown): Value }
const cache = new Map<string, Parsed>();

function compile(expr: string): Parsed {
  const hit = cache.get(expr);
  if (hit) return hit;
  let parsed: Parsed;
  if (checkExpression(expr)) { // dies as XML::XPath's parser does
    parsed = { evaluate: () => nodeSet([]) };
    cache.set(expr, parsed);
    return parsed;
  }
  try {
    parsed = X.parse(expr).expression as Parsed;
  } catch (e) {
    throw new BridgeError('xpath_error', `Parse of expression ${expr} failed - ${e instanceof Error ? e.message : String(e)}`);
  }
  if (cache.size > 500) cache.clear();
  cache.set(expr, parsed);
  return parsed;
}

export function evaluate(expr: string, context: DomNode, registered: Map<string, string>): Value {
  const parsed = compile(expr);
  const c = new X.XPathContext();
  c.functionResolver = functionResolver;
  c.contextNode = context;
  c.expressionContextNode = context;
  c.contextPosition = 1;
  c.contextSize = 1;
  c.registered = registered;
  try {
    return parsed.evaluate(c);
  } catch (e) {
    if (e instanceof BridgeError) throw e;
    if (e instanceof XPathDie) throw new BridgeError('xpath_error', e.message);
    throw new BridgeError('xpath_error', e instanceof Error ? e.message : String(e));
  }
}

export function toWire(v: Value, pathOf: (n: DomNode) => string): WireResult {
  if (isNodeSet(v)) return { type: 'nodeset', nodes: v.toArray().map((n) => wireNode(n, pathOf)) };
  if (isNumber(v)) return { type: 'number', value: v.text };
  if (isBoolean(v)) return { type: 'boolean', value: v.b };
  return { type: 'literal', value: (v as { str: string }).str };
}

export function wireNode(n: DomNode, pathOf: (n: DomNode) => string): WireNode {
  const t = typeOf(n);
  const w: WireNode = { p: pathOf(n), t };
  if ((t === 1 && n.nodeType !== 9) || t === 2) w.n = n.nodeName;
  return w;
}
