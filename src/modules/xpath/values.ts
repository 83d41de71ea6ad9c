// XML::XPath's four result types on the xpath library's classes, and its conversions between
// them (NodeSet.pm, Literal.pm, Number.pm, Boolean.pm): a Number holds its Perl text (or undef),
// a node-set's to_literal and to_number join every node's string value, a Number is true as
// Perl's scalar is.
import * as xpathLib from 'xpath';
import { type DomNode, stringValue } from './document';
import { orderOf } from './order';
import { numberText, perlString, perlTrue, perlValue } from './perl-number';

/** The library's internals are untyped (its .d.ts covers only select/evaluate). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const X: any = xpathLib;

export interface XNumberV { text: string | null; num: number }
export interface XStringV { str: string }
export interface XBooleanV { b: boolean }
export interface XNodeSetV { toArray(): DomNode[]; size: number }
export type Value = XNumberV | XStringV | XBooleanV | XNodeSetV;

export const isNodeSet = (v: unknown): v is XNodeSetV => v instanceof X.XNodeSet;
export const isNumber = (v: unknown): v is XNumberV => v instanceof X.XNumber;
export const isString = (v: unknown): v is XStringV => v instanceof X.XString;
export const isBoolean = (v: unknown): v is XBooleanV => v instanceof X.XBoolean;

/** Number->new(perl scalar): a string is tested as it is, a number printed as Perl prints it first. */
export function num(v: string | number | null, integerOp = false): XNumberV {
  const n = Object.create(X.XNumber.prototype) as XNumberV;
  n.text = v === null ? null : numberText(typeof v === 'number' ? perlString(v, integerOp) : v);
  n.num = perlValue(n.text);
  return n;
}

export function lit(s: string): XStringV {
  return new X.XString(s) as XStringV;
}

/** Literal->new(undef): '' to every operation, undef to the script. */
export function undefLit(): XStringV {
  const l = lit('') as XStringV & { undef: boolean };
  l.undef = true;
  return l;
}

export function bool(b: boolean): XBooleanV {
  return new X.XBoolean(b) as XBooleanV;
}

export function nodeSet(nodes: DomNode[]): XNodeSetV {
  const ns = new X.XNodeSet();
  ns.addArray(nodes);
  return ns as XNodeSetV;
}

let patched = false;

/** Makes the library's types behave as XML::XPath's (once per process). */
export function patchValues(): void {
  if (patched) return;
  patched = true;
  const XN = X.XNumber.prototype;
  XN.init = function init(this: XNumberV, n: unknown) {
    this.text = typeof n === 'string' ? numberText(n) : numberText(perlString(Number(n)));
    this.num = perlValue(this.text);
  };
  XN.booleanValue = function booleanValue(this: XNumberV) { return perlTrue(this.text); };
  XN.toString = function toString(this: XNumberV) { return this.text ?? ''; };
  XN.stringValue = XN.toString;
  XN.numberValue = function numberValue(this: XNumberV) { return this.num; };

  const NS = X.XNodeSet.prototype;
  // a Set beside the array: the library's add() compares against every node already in the set
  NS.add = function add(this: { nodes: DomNode[]; seen?: Set<DomNode>; size: number; tree: unknown }, n: DomNode) {
    if (!this.seen) this.seen = new Set(this.nodes);
    if (this.seen.has(n)) return;
    this.seen.add(n);
    this.tree = null;
    this.nodes.push(n);
    this.size += 1;
  };
  NS.toArray = function toArray(this: { nodes: DomNode[] }) {
    const keyed = this.nodes.map((n) => [orderOf(n), n] as const);
    keyed.sort((a, b) => a[0] - b[0]);
    return keyed.map((k) => k[1]);
  };
  NS.first = function first(this: XNodeSetV) { return this.toArray()[0] ?? null; };
}

/** string_value of a result (NodeSet: its first node). */
export function stringOf(v: Value): string {
  if (isNodeSet(v)) {
    const f = v.toArray()[0];
    return f ? stringValue(f) : '';
  }
  if (isNumber(v)) return v.text ?? '';
  if (isBoolean(v)) return v.b ? 'true' : 'false';
  return (v as XStringV).str;
}

/** to_literal's value (NodeSet: every node's string value joined; Number: 'NaN' for undef). */
export function literalOf(v: Value): string {
  if (isNodeSet(v)) return v.toArray().map(stringValue).join('');
  if (isNumber(v)) return v.text ?? 'NaN';
  if (isBoolean(v)) return v.b ? 'true' : 'false';
  return (v as XStringV).str;
}

/** to_number. */
export function numberOf(v: Value): XNumberV {
  if (isNumber(v)) return v;
  if (isBoolean(v)) return num(v.b ? '1' : '0');
  return num(literalOf(v));
}

/** to_boolean's truth. */
export function truthOf(v: Value): boolean {
  if (isNodeSet(v)) return v.size > 0;
  if (isNumber(v)) return perlTrue(v.text);
  if (isBoolean(v)) return v.b;
  return (v as XStringV).str.length > 0;
}
