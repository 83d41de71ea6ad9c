// XML::XPath::Number is a Perl scalar: the text it was made from when that text looks like a
// plain decimal, else undef (printed '' by value, 'NaN' by to_literal). Arithmetic runs on Perl
// numbers and Perl prints results with "%.15g" (integers of integer operations in full), so a
// result Perl would print with an exponent fails the decimal test and becomes undef.

/** XML::XPath::Number->new's test (Number.pm): a plain decimal, optionally signed. */
const DECIMAL = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/;

/** Number->new(text): the kept text (leading space stripped; Perl's s/^\s*(.*)\s*$/$1/ keeps trailing), or null (undef). */
export function numberText(s: string): string | null {
  if (!DECIMAL.test(s)) return null;
  const m = /^\s*(.*)\s*$/.exec(s);
  return m ? m[1] : s;
}

/** Perl's "%.15g". */
export function g15(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mant, expS] = x.toExponential(14).split('e');
  const exp = Number(expS);
  if (exp < -4 || exp >= 15) {
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const f = x.toFixed(14 - exp);
  return f.includes('.') ? f.replace(/0+$/, '').replace(/\.$/, '') : f;
}

/** How Perl prints a number: an integer result of integer operands in full, anything else "%.15g". */
export function perlString(x: number, integerOp = false): string {
  if (integerOp && Number.isSafeInteger(x)) return Object.is(x, -0) ? '0' : String(x);
  return g15(x);
}

const IV_MIN = -(2n ** 63n);
const UV_MAX = 2n ** 64n - 1n;

/**
 * Perl's + - * on two integer texts: exact while the result fits its 64-bit integers (IV/UV),
 * else null (Perl goes over to a double).
 */
export function integerArith(op: '+' | '-' | '*', a: string, b: string): string | null {
  const x = BigInt(a.trim());
  const y = BigInt(b.trim());
  if (x < IV_MIN || x > UV_MAX || y < IV_MIN || y > UV_MAX) return null;
  const r = op === '+' ? x + y : op === '-' ? x - y : x * y;
  return r < IV_MIN || r > UV_MAX ? null : r.toString();
}

/** Perl's numeric value of a Number's text (undef is 0). */
export function perlValue(text: string | null): number {
  if (text === null) return 0;
  const v = parseFloat(text.trim());
  return Number.isNaN(v) ? 0 : v;
}

/** The text looks like an integer (Perl keeps it an IV). */
export function isIntegerText(text: string | null): boolean {
  return text !== null && /^\s*[+-]?\d+\s*$/.test(text);
}

/** Perl's truth of a Number's scalar: false for undef, '' and '0'. */
export function perlTrue(text: string | null): boolean {
  return text !== null && text !== '' && text !== '0';
}

/** Perl's % on two numbers: integer operands, the result takes the right operand's sign. */
export function perlMod(a: number, b: number): number {
  const l = Math.trunc(a);
  const r = Math.trunc(b);
  if (r === 0) throw new Error('Illegal modulus zero');
  const m = l % r;
  return m !== 0 && (m < 0) !== (r < 0) ? m + r : m;
}

/** Perl's numeric value of a string ("12abc" is 12, "Infinity" Inf, "abc" 0). */
export function perlNumify(s: string): number {
  const m = /^\s*([+-]?)(inf(inity)?|nan)/i.exec(s);
  if (m) return /nan/i.test(m[2]) ? NaN : m[1] === '-' ? -Infinity : Infinity;
  const n = /^\s*[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)/.exec(s);
  return n ? parseFloat(n[0]) : 0;
}

