// XML::XPath's operators (Expr.pm op_*) in place of the xpath library's: comparisons as it
// makes them (a node's string value against a Number with Perl's ==), arithmetic in Perl
// numbers, division by zero as a Literal, Perl's % for mod, unions only of node-sets.
import { type DomNode, stringValue } from './document';
import { integerArith, isIntegerText, perlMod, perlNumify } from './perl-number';
import {
  bool, isBoolean, isNodeSet, isNumber, isString, lit, literalOf, nodeSet, num, numberOf, truthOf, type Value, X, type XNodeSetV,
} from './values';

interface Ctx { contextNode: DomNode }
interface Expr { evaluate(c: Ctx): Value }
interface BinOp { lhs: Expr; rhs: Expr }
interface UnOp { rhs: Expr }

/** die() text of XML::XPath, passed on as it is. */
export class XPathDie extends Error {}

function equals(l: Value, r: Value): boolean {
  if (isNodeSet(l) && isNodeSet(r)) {
    const rs = new Set(r.toArray().map(stringValue));
    return l.toArray().some((n) => rs.has(stringValue(n)));
  }
  if (isNodeSet(l) || isNodeSet(r)) {
    const ns = (isNodeSet(l) ? l : r) as XNodeSetV;
    const other = isNodeSet(l) ? r : l;
    if (isNumber(other)) return ns.toArray().some((n) => perlNumify(stringValue(n)) === other.num);
    if (isString(other)) return ns.toArray().some((n) => stringValue(n) === other.str);
    if (isBoolean(other)) return truthOf(ns) === other.b;
    return false;
  }
  if (isBoolean(l) || isBoolean(r)) return truthOf(l) === truthOf(r);
  if (isNumber(l) || isNumber(r)) return numberOf(l).num === numberOf(r).num;
  return literalOf(l) === literalOf(r);
}

/** op_ge / op_gt (the others swap their sides). */
function greater(l: Value, r: Value, orEqual: boolean): boolean {
  const cmp = (a: number, b: number) => (orEqual ? a >= b : a > b);
  const nodeNum = (n: DomNode) => num(stringValue(n)).num;
  if (isNodeSet(l) && isNodeSet(r)) {
    const rs = r.toArray().map(nodeNum);
    return l.toArray().some((n) => rs.some((b) => cmp(nodeNum(n), b)));
  }
  if (isNodeSet(l)) return l.toArray().some((n) => cmp(nodeNum(n), numberOf(r).num));
  if (isNodeSet(r)) return r.toArray().some((n) => cmp(numberOf(l).num, nodeNum(n)));
  if (isBoolean(l) || isBoolean(r)) return cmp(truthOf(l) ? 1 : 0, truthOf(r) ? 1 : 0);
  return cmp(numberOf(l).num, numberOf(r).num);
}

function arith(sym: '+' | '-' | '*', op: (a: number, b: number) => number) {
  return function evaluate(this: BinOp, c: Ctx): Value {
    const a = numberOf(this.lhs.evaluate(c));
    const b = numberOf(this.rhs.evaluate(c));
    if (isIntegerText(a.text) && isIntegerText(b.text)) {
      const exact = integerArith(sym, a.text!, b.text!);
      if (exact !== null) return num(exact);
    }
    return num(op(a.num, b.num));
  };
}

let patched = false;

export function patchOperators(): void {
  if (patched) return;
  patched = true;
  const set = (cls: string, f: (this: BinOp, c: Ctx) => Value) => { X[cls].prototype.evaluate = f; };
  set('OrOperation', function (c) { return truthOf(this.lhs.evaluate(c)) ? bool(true) : bool(truthOf(this.rhs.evaluate(c))); });
  set('AndOperation', function (c) { return !truthOf(this.lhs.evaluate(c)) ? bool(false) : bool(truthOf(this.rhs.evaluate(c))); });
  set('EqualsOperation', function (c) { return bool(equals(this.lhs.evaluate(c), this.rhs.evaluate(c))); });
  set('NotEqualOperation', function (c) { return bool(!equals(this.lhs.evaluate(c), this.rhs.evaluate(c))); });
  set('GreaterThanOperation', function (c) { return bool(greater(this.lhs.evaluate(c), this.rhs.evaluate(c), false)); });
  set('GreaterThanOrEqualOperation', function (c) { return bool(greater(this.lhs.evaluate(c), this.rhs.evaluate(c), true)); });
  set('LessThanOperation', function (c) { return bool(greater(this.rhs.evaluate(c), this.lhs.evaluate(c), false)); });
  set('LessThanOrEqualOperation', function (c) { return bool(greater(this.rhs.evaluate(c), this.lhs.evaluate(c), true)); });
  set('PlusOperation', arith('+', (a, b) => a + b));
  set('MinusOperation', arith('-', (a, b) => a - b));
  set('MultiplyOperation', arith('*', (a, b) => a * b));
  set('ModOperation', function (c) {
    const a = numberOf(this.lhs.evaluate(c)).num;
    const b = numberOf(this.rhs.evaluate(c)).num;
    try {
      return num(perlMod(a, b), true);
    } catch (e) {
      throw new XPathDie(`${(e as Error).message} at /usr/share/perl5/XML/XPath/Expr.pm line 527.\n`);
    }
  });
  set('DivOperation', function (c) {
    const a = numberOf(this.lhs.evaluate(c)).num;
    const b = numberOf(this.rhs.evaluate(c)).num;
    if (b === 0) return lit(a === 0 ? 'NaN' : a > 0 ? 'Infinity' : '-Infinity');
    return num(a / b);
  });
  X.UnaryMinusOperation.prototype.evaluate = function (this: UnOp, c: Ctx): Value {
    const b = numberOf(this.rhs.evaluate(c));
    const exact = isIntegerText(b.text) ? integerArith('-', '0', b.text!) : null;
    return exact !== null ? num(exact) : num(0 - b.num);
  };
  set('BarOperation', function (c) {
    const l = this.lhs.evaluate(c);
    const r = this.rhs.evaluate(c);
    if (!isNodeSet(l) || !isNodeSet(r)) throw new XPathDie('Both sides of a union must be Node Sets\n');
    return nodeSet([...l.toArray(), ...r.toArray()]);
  });
}
