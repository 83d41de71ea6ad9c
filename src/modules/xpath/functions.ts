// XML::XPath's function library (Function.pm) for the xpath library's function resolver: same
// argument checks and die texts, Perl's string and number rules (substring on the arguments'
// Perl values, contains through Perl's /(.*?)\Qv\E(.*)/, translate as tr///, round as
// floor(x + 0.5), string(node-set) of the first node, number(node-set) of all joined).
import { ATTRIBUTE, type DomNode, ELEMENT, localOf, namespaceFor, prefixOf, stringValue, typeOf } from './document';
import { XPathDie } from './operators';
import { perlNumify, perlValue } from './perl-number';
import {
  bool, isBoolean, isNodeSet, isNumber, lit, nodeSet, undefLit, num, numberOf, stringOf, truthOf, type Value, type XNodeSetV,
} from './values';

interface Ctx { contextNode: DomNode; contextSize: number; contextPosition: number }
interface Expr { evaluate(c: Ctx): Value }
type Fn = (c: Ctx, ...args: Expr[]) => Value;

const FUNCTION_PM = '/usr/share/perl5/XML/XPath/Function.pm';
const die = (msg: string): never => { throw new XPathDie(msg); };
const undefMethod = (method: string, line: number): never => die(`Can't call method "${method}" on an undefined value at ${FUNCTION_PM} line ${line}.\n`);

/** ->value of a result: a Perl scalar (a string, or undef as null). */
function valueOf(v: Value): string | null {
  if (isNumber(v)) return v.text;
  if (isBoolean(v)) return v.b ? '1' : '0';
  if (isNodeSet(v)) return die(`Can't locate object method "value" via package "XML::XPath::NodeSet" at ${FUNCTION_PM} line 372.\n`);
  return (v as { str: string }).str;
}

const chars = (s: string) => [...s];

function substring(str: string, offV: string | null, lenV?: string | null): string {
  if (offV === 'NaN') return '';
  const s = chars(str);
  const sub = (off: number, len?: number) => {
    let o = off;
    if (o < 0) o = Math.max(0, s.length + o);
    if (len === undefined) return s.slice(o).join('');
    const end = len < 0 ? s.length + len : o + len;
    return s.slice(o, Math.max(o, end)).join('');
  };
  let offset: number | string = offV ?? '';
  if (lenV !== undefined) {
    let len: number | string = lenV ?? '';
    if (len === 'NaN' || (/Infinity/.test(String(offset)) && len === 'Infinity')) return '';
    if (offset === 'Infinity') return '';
    let o = Math.floor(perlNumify(String(offset)) - 1 + 0.5);
    if (o < 0) {
      len = len !== 'Infinity' ? perlNumify(String(len)) + o : s.length;
      o = 0;
    } else if (len === 'Infinity') return '';
    if (len === 'Infinity') len = s.length;
    const l = Math.floor(perlNumify(String(len)) + 0.5);
    offset = o;
    return sub(o, l);
  }
  const o = Math.max(0, Math.floor(perlNumify(String(offset)) - 1 + 0.5));
  return sub(o);
}

/** Perl's /(.*?)\Q$v\E(.*)/ without /s: `.` stops at a newline. */
function containsSplit(s: string, v: string): [string, string] | null {
  const esc = v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`([^\\n]*?)${esc}([^\\n]*)`).exec(s);
  return m ? [m[1], m[2]] : null;
}

function translate(s: string, from: string, to: string): string {
  const f = chars(from);
  const t = chars(to);
  const map = new Map<string, string | null>();
  const del = f.length !== t.length;
  f.forEach((c, i) => { if (!map.has(c)) map.set(c, i < t.length ? t[i] : del ? null : t[t.length - 1] ?? c); });
  return chars(s).map((c) => (map.has(c) ? map.get(c) ?? '' : c)).join('');
}

/** Perl's POSIX classes inside brackets ([[:digit:]]), which JavaScript has not. */
const POSIX: Record<string, string> = {
  digit: '0-9', alpha: 'a-zA-Z', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: '\\s', word: '\\w',
  xdigit: '0-9A-Fa-f', punct: '!-\\/:-@\\[-`{-~', blank: ' \\t', cntrl: '\\x00-\\x1f\\x7f', print: '\\x20-\\x7e', graph: '\\x21-\\x7e',
};
function posixClasses(re: string): string {
  return re.replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => (POSIX[name] && !neg ? POSIX[name] : m));
}

/** Perl's /x: whitespace and #-comments outside brackets are not part of the pattern. */
function extended(re: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const ch = re[i];
    if (ch === '\\') { out += ch + (re[i + 1] ?? ''); i++; continue; }
    if (inClass) { if (ch === ']') inClass = false; out += ch; continue; }
    if (ch === '[') { inClass = true; out += ch; continue; }
    if (/\s/.test(ch)) continue;
    if (ch === '#') { while (i < re.length && re[i] !== '\n') i++; continue; }
    out += ch;
  }
  return out;
}

/** The node a function reads: its argument's first node, or the context node. */
function nodeArg(c: Ctx, args: Expr[], fname: string): DomNode | null {
  if (args.length > 1) die(`${fname}() function takes one or no parameters\n`);
  if (!args.length) return c.contextNode;
  const v = args[0].evaluate(c);
  if (!isNodeSet(v)) return die(`Can't locate object method "get_node" via package "XML::XPath::${isNumber(v) ? 'Number' : isBoolean(v) ? 'Boolean' : 'Literal'}" at ${FUNCTION_PM} line 187.\n`);
  return v.toArray()[0] ?? null;
}

function nameOf(n: DomNode): string {
  const t = typeOf(n);
  return t === ELEMENT || t === ATTRIBUTE ? (n.nodeType === 9 ? '' : n.nodeName) : '';
}

/** Node::getNamespace's URI as namespace-uri() reads it (an attribute without prefix: its element's). */
function namespaceUri(n: DomNode): string | null {
  if (n.nodeType === ELEMENT) return namespaceFor(n, prefixOf(n.nodeName));
  if (n.nodeType === ATTRIBUTE) {
    const owner = n.ownerElement ?? null;
    const p = prefixOf(n.nodeName);
    return owner ? namespaceFor(owner, p || prefixOf(owner.nodeName)) : null;
  }
  return null;
}

const eval1 = (c: Ctx, a: Expr[]) => a.map((e) => e.evaluate(c));
const ctxString = (c: Ctx) => stringValue(c.contextNode);

export const FUNCTIONS: Record<string, Fn> = {
  last(c, ...a) { if (a.length) die("last: function doesn't take parameters\n"); return num(c.contextSize); },
  position(c, ...a) { if (a.length) die(`position: function doesn't take parameters [ ${eval1(c, a).map(stringOf).join('')} ]\n`); return num(c.contextPosition); },
  count(c, ...a) {
    const [v] = eval1(c, a);
    if (v === undefined) undefMethod('isa', 150);
    if (!isNodeSet(v)) die('count: Parameter must be a NodeSet\n');
    return num((v as XNodeSetV).size);
  },
  id(c, ...a) { if (a.length !== 1) die('id: Function takes 1 parameter\n'); eval1(c, a); return nodeSet([]); },
  'local-name'(c, ...a) {
    const n = nodeArg(c, a, 'name');
    if (!n) return undefMethod('getLocalName', 191);
    const t = typeOf(n);
    return t === ATTRIBUTE || (t === ELEMENT && n.nodeType !== 9) ? lit(localOf(n.nodeName)) : undefLit();
  },
  'namespace-uri'(c, ...a) {
    const n = nodeArg(c, a, 'namespace_uri');
    if (!n) return undefMethod('getNamespace', 207);
    const uri = namespaceUri(n);
    if (uri === null) return undefMethod('toString', 207);
    return lit(/"(.*?)"/.exec(`"${uri}"`)?.[1] ?? '');
  },
  name(c, ...a) {
    const n = nodeArg(c, a, 'name');
    if (!n) return undefMethod('getName', 225);
    const t = typeOf(n);
    return t === ATTRIBUTE || (t === ELEMENT && n.nodeType !== 9) ? lit(nameOf(n)) : undefLit();
  },
  string(c, ...a) {
    if (a.length > 1) die('string: Too many parameters\n');
    if (!a.length) return lit(ctxString(c));
    const v = a[0].evaluate(c);
    return isNumber(v) && v.text === null ? undefLit() : lit(stringOf(v));
  },
  concat(c, ...a) {
    if (a.length < 2) die('concat: Too few parameters\n');
    return lit(eval1(c, a).map(stringOf).join(''));
  },
  'starts-with'(c, ...a) {
    if (a.length !== 2) die('starts-with: incorrect number of params\n');
    const [s1, s2] = eval1(c, a).map(stringOf);
    return bool(s1.startsWith(s2));
  },
  contains(c, ...a) {
    if (a.length !== 2) die('starts-with: incorrect number of params\n');
    const [s, v] = eval1(c, a).map(stringOf);
    return bool(containsSplit(s, v) !== null);
  },
  'substring-before'(c, ...a) {
    if (a.length !== 2) die('starts-with: incorrect number of params\n');
    const [s, v] = eval1(c, a).map(stringOf);
    return lit(containsSplit(s, v)?.[0] ?? '');
  },
  'substring-after'(c, ...a) {
    if (a.length !== 2) die('starts-with: incorrect number of params\n');
    const [s, v] = eval1(c, a).map(stringOf);
    return lit(containsSplit(s, v)?.[1] ?? '');
  },
  substring(c, ...a) {
    if (a.length < 2 || a.length > 3) die('substring: Wrong number of parameters\n');
    const v = eval1(c, a);
    return lit(substring(stringOf(v[0]), valueOf(v[1]), v.length === 3 ? valueOf(v[2]) : undefined));
  },
  'string-length'(c, ...a) {
    if (a.length > 1) die('string-length: Wrong number of params\n');
    return num(chars(a.length ? stringOf(a[0].evaluate(c)) : ctxString(c)).length);
  },
  'normalize-space'(c, ...a) {
    if (a.length > 1) die('normalize-space: Wrong number of params\n');
    const s = a.length ? stringOf(a[0].evaluate(c)) : ctxString(c);
    return lit(s.replace(/^\s*/, '').replace(/\s*$/, '').replace(/\s+/g, ' '));
  },
  translate(c, ...a) {
    if (a.length !== 3) die('translate: Wrong number of params\n');
    const [s, f, t] = eval1(c, a).map(stringOf);
    return lit(translate(s, f, t));
  },
  matches(c, ...a) {
    if (a.length < 2 || a.length > 3) die('matches: wrong number of params\n');
    const v = eval1(c, a).map(stringOf);
    let re = v[1];
    let flags = '';
    if (v.length === 3) {
      for (const f of v[2]) {
        if ('smix'.includes(f)) flags += f === 'x' ? '' : f;
        else if (f !== 'q') die(`matches: unknown flag ${f}\n`);
      }
      if (v[2].includes('q')) re = re.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    if (v.length === 3 && v[2].includes('x') && !v[2].includes('q')) re = extended(re);
    return bool(new RegExp(posixClasses(re), flags).test(v[0]));
  },
  boolean(c, ...a) {
    if (a.length !== 1) die('boolean: Incorrect number of parameters\n');
    return bool(truthOf(a[0].evaluate(c)));
  },
  not(c, ...a) {
    if (!a.length) undefMethod('isa', 543);
    return bool(!truthOf(a[0].evaluate(c)));
  },
  true(c, ...a) { if (a.length) die('true: function takes no parameters\n'); return bool(true); },
  false(c, ...a) { if (a.length) die('true: function takes no parameters\n'); return bool(false); },
  lang(c, ...a) {
    if (a.length !== 1) die('lang: function takes 1 parameter\n');
    const want = stringOf(a[0].evaluate(c)).toLowerCase();
    let lang = '';
    for (let n: DomNode | null = c.contextNode; n; n = n.nodeType === ATTRIBUTE ? n.ownerElement ?? null : n.parentNode) {
      const l = n.nodeType === ELEMENT ? (n.attributes?.getNamedItem?.('xml:lang') ?? null) : null;
      if (l) { lang = l.value ?? ''; break; }
    }
    return bool(lang.toLowerCase().slice(0, want.length) === want);
  },
  number(c, ...a) {
    if (a.length > 1) die('number: Too many parameters\n');
    return a.length ? numberOf(a[0].evaluate(c)) : num(ctxString(c));
  },
  sum(c, ...a) {
    const [v] = eval1(c, a);
    if (v === undefined) undefMethod('isa', 624);
    if (!isNodeSet(v)) die('sum: Parameter must be a NodeSet\n');
    let sum = 0;
    let integer = true;
    for (const n of (v as XNodeSetV).toArray()) {
      const t = num(stringValue(n)).text;
      if (t !== null && !/^\s*[+-]?\d+\s*$/.test(t)) integer = false;
      sum += perlValue(t);
    }
    return num(sum, integer);
  },
  floor(c, ...a) { return num(Math.floor(numberOf(FUNCTIONS.number(c, ...a)).num)); },
  ceiling(c, ...a) { return num(Math.ceil(numberOf(FUNCTIONS.number(c, ...a)).num)); },
  round(c, ...a) { return num(Math.floor(numberOf(FUNCTIONS.number(c, ...a)).num + 0.5)); },
};

/** The function resolver XML::XPath has: its library, any name outside it dies as Perl's method lookup. */
export const functionResolver = {
  thisArg: null,
  getFunction(localName: string, namespace: string): Fn | undefined {
    // Function.pm calls the method named as the function with "-" made "_": namespace_uri() works too
    const f = namespace ? undefined : FUNCTIONS[localName] ?? FUNCTIONS[localName.replace(/_/g, '-')];
    if (f) return f;
    return (() => die(`Can't locate object method "${localName.replace(/-/g, '_')}" via package "XML::XPath::Function" at ${FUNCTION_PM} line 85.\n`)) as Fn;
  },
};

