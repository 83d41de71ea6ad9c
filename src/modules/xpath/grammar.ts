// XML::XPath's expression grammar (Parser.pm), used to accept and refuse expressions exactly as
// it does, with its die texts: its tokenizer ("1e3" is the number 1 then the name e3), its
// recursive descent, "junk after end of expression", "Not a PrimaryExpr at", "Invalid token".
// Only the checking is here; the xpath library builds and evaluates the expression.
import { BridgeError } from '../../errors';

const NAME_START = 'a-zA-Z_\\xC0-\\xD6\\xD8-\\xF6\\xF8-\\u{2FF}\\u{370}-\\u{37D}\\u{37F}-\\u{1FFF}\\u{200C}-\\u{200D}\\u{2070}-\\u{218F}\\u{2C00}-\\u{2FEF}\\u{3001}-\\u{D7FF}\\u{F900}-\\u{FDCF}\\u{FDF0}-\\u{FFFD}\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\xB7\\u{300}-\\u{36F}\\u{203F}-\\u{2040}`;
const NCNAME = `(?:[${NAME_START}][${NAME_CHAR}]*)`;
const QNAME = `${NCNAME}(?::${NCNAME})?`;
const NCWILD = `${NCNAME}:\\*`;
const QNWILD = '\\*';
const NODE_TYPE = '((text|comment|processing-instruction|node)\\(\\))';
const AXES = ['ancestor', 'ancestor-or-self', 'attribute', 'namespace', 'child', 'descendant', 'descendant-or-self', 'following', 'following-sibling', 'parent', 'preceding', 'preceding-sibling', 'self'];
const AXIS_NAME = `(${AXES.join('|')})::`;
const NUMBER_RE = '\\d+(\\.\\d*)?|\\.\\d+';
const LITERAL = '"[^"]*"|\'[^\']*\'';

const TOKEN = new RegExp(
  `\\s*(${LITERAL}|${NUMBER_RE}|\\.\\.|\\.|(${AXIS_NAME})?${NODE_TYPE}|processing-instruction|@(${NCWILD}|${QNAME}|${QNWILD})|\\$${QNAME}|(${AXIS_NAME})?(${NCWILD}|${QNAME}|${QNWILD})|!=|<=|-|>=|\\/\\/|and|or|mod|div|[,+=|<>/()[\\]]|(?<!(@|\\(|\\[))\\*|(?<!::)\\*|$)\\s*`,
  'uy',
);

const full = (re: string) => new RegExp(`^(?:${re})$`, 'u');
const RE = {
  literal: full(LITERAL),
  number: full(NUMBER_RE),
  variable: full(`\\$${QNAME}`),
  qname: full(QNAME),
  attr: full(`@(${NCWILD}|${QNAME}|${QNWILD})`),
  ncwild: full(NCWILD),
  qnwild: full(QNWILD),
  nodeType: full(NODE_TYPE),
  axisStep: full(`${AXIS_NAME}(${NCWILD}|${QNAME}|${QNWILD}|${NODE_TYPE})`),
  anyName: full(`${NCWILD}|${QNAME}|${QNWILD}`),
};

const PARSER_PM = '/usr/share/perl5/XML/XPath/Parser.pm';
const XPATH_PM = '/usr/share/perl5/XML/XPath.pm';
const fail = (msg: string): never => { throw new BridgeError('xpath_error', msg); };

/** Where a number token ends in "." ("5."): the xpath library's lexer wants a digit after it. */
let dotEnds: number[] = [];

function tokenize(path: string): string[] {
  const tokens: string[] = [];
  dotEnds = [];
  let pos = 0;
  let lastEmptyAt = -1;
  let matched = false;
  for (;;) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(path);
    if (!m) break;
    matched = true;
    if (m[0].length === 0) {
      if (lastEmptyAt === pos) break;
      lastEmptyAt = pos;
    }
    if (m[1].length) {
      tokens.push(m[1]);
      if (/^\d+\.$/.test(m[1])) dotEnds.push(m.index + m[0].indexOf(m[1]) + m[1].length);
    }
    pos = TOKEN.lastIndex;
    if (m[0].length === 0 && pos >= path.length) break;
  }
  // Perl's pos() stays undefined when not even the first token matched: no error there
  if (pos < path.length && matched) {
    const marker = '.'.repeat(Math.max(0, pos - 1));
    const shown = `${path.slice(0, pos + 8)}...`.replace(/\n/g, ' ').replace(/\t/g, ' ');
    fail(`Query:\n${shown}\n${marker}^^^\nInvalid query somewhere around here (I think)\n`);
  }
  return tokens;
}

class Checker {
  pos = 0;
  current = '';
  emptyStep = false;
  /** Closers the expression ends without, which XML::XPath does not ask for. */
  missing: string[] = [];
  constructor(readonly tokens: string[]) {}

  match(re: RegExp | string, fatal = false): boolean {
    this.current = '';
    if (this.pos >= this.tokens.length) {
      // Parser.pm's match() returns 0 at the end before its fatal check: a missing closer is no error
      if (fatal && typeof re === 'string') this.missing.push(re.replace(/\\/g, ''));
      return false;
    }
    const t = this.tokens[this.pos];
    const ok = typeof re === 'string' ? new RegExp(`^(?:${re})$`, 'u').test(t) : re.test(t);
    if (ok) {
      this.current = t;
      this.pos++;
      return true;
    }
    if (fatal) fail(`Invalid token: ${t}\n`);
    return false;
  }

  expr(): void { this.binary(0); }

  /** OrExpr .. MultiplicativeExpr: each level a left-associative loop over the next. */
  binary(level: number): void {
    const ops = ['or', 'and', '!?=', '(<|>|<=|>=)', '[\\+\\-]', '(\\*|div|mod)'];
    if (level === ops.length) return this.unary();
    this.binary(level + 1);
    while (this.match(ops[level])) this.binary(level + 1);
  }

  unary(): void {
    if (this.match('-')) return this.unary();
    this.pathExpr();
    while (this.match('\\|')) this.pathExpr();
  }

  pathExpr(): void {
    const t = this.tokens[this.pos];
    if ((t !== undefined && /^(\/\/?|\.\.?)$/.test(t)) || this.isStep()) return this.locationPath();
    this.primary();
    while (this.match('\\[')) {
      this.expr();
      this.match('\\]', true);
    }
    if (this.match('//?')) this.relative();
  }

  primary(): void {
    if (this.match(RE.literal) || this.match(RE.number)) return;
    if (this.match('\\(')) {
      this.expr();
      this.match('\\)', true);
      return;
    }
    if (this.match(RE.variable)) return;
    if (this.match(RE.qname)) {
      this.match('\\(', true);
      if (this.tokens[this.pos] !== ')') {
        this.expr();
        while (this.match(',')) this.expr();
      }
      this.match('\\)', true);
      return;
    }
    fail(`Not a PrimaryExpr at ${this.tokens[this.pos] || ''} at ${XPATH_PM} line 164.\n`);
  }

  locationPath(): void {
    if (this.match('/')) {
      if (this.isStep()) this.relative();
      return;
    }
    this.match('//');
    this.relative();
  }

  relative(): void {
    this.step();
    while (this.match('//?')) this.step();
  }

  step(): void {
    if (this.match('\\.') || this.match('\\.\\.')) return;
    const t = this.tokens[this.pos];
    if (t !== undefined) {
      if (t === 'processing-instruction') {
        this.pos++;
        this.piArgs();
      } else if (RE.attr.test(t) || RE.ncwild.test(t) || RE.qnwild.test(t) || RE.qname.test(t) || RE.nodeType.test(t)) {
        this.pos++;
      } else if (RE.axisStep.test(t)) {
        this.pos++;
        if (t.endsWith('::processing-instruction')) this.piArgs();
      } else {
        fail(`token ${t} doesn't match format of a 'Step'\n`);
      }
    } else {
      // a path ending in "/": XML::XPath makes an undefined step, which selects nothing
      this.emptyStep = true;
    }
    while (this.match('\\[')) {
      this.expr();
      this.match('\\]', true);
    }
  }

  piArgs(): void {
    this.match('\\(', true);
    this.match(RE.literal);
    this.match('\\)', true);
  }

  isStep(): boolean {
    const t = this.tokens[this.pos];
    if (t === undefined) return false;
    if (t === 'processing-instruction' || RE.attr.test(t)) return true;
    if (RE.anyName.test(t) && this.tokens[this.pos + 1] !== '(') return true;
    return RE.nodeType.test(t) || RE.axisStep.test(t) || /^\.\.?$/.test(t);
  }
}

/**
 * Dies (a BridgeError with XML::XPath's text) where XML::XPath's parser dies; else the expression
 * as the xpath library must read it to mean what XML::XPath made of it (a trailing "/" is an
 * undefined step XML::XPath skips, closers missing at the end are added, "5." is written "5.0"),
 * and its number literals as XML::XPath keeps them (their text).
 */
export function checkExpression(path: string): { text: string; numbers: string[] } {
  const tokens = tokenize(path);
  const ends = dotEnds;
  const c = new Checker(tokens);
  c.expr();
  if (c.pos < tokens.length) fail(`Parse of expression ${path} failed - junk after end of expression: ${tokens[c.pos]} at ${PARSER_PM} line 128.\n`);
  let text = path;
  for (const at of [...ends].reverse()) text = `${text.slice(0, at)}0${text.slice(at)}`;
  if (c.emptyStep) text = text.replace(/\/\/\s*$/, '/descendant-or-self::node()').replace(/\/\s*$/, '');
  return { text: text + c.missing.join(''), numbers: tokens.filter((t) => RE.number.test(t)) };
}
