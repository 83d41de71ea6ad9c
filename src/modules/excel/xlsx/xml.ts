// The XML writer every part uses: the same bytes as Excel::Writer::XLSX's XMLwriter (attribute and
// text escaping, empty tags, no indentation), so parts compare equal to the real module's. Output is
// collected in chunks; a streaming part (a worksheet) takes them out as it goes.

/** An attribute list, in the order it is written: [name, value] pairs. */
export type Attrs = readonly (readonly [string, string | number])[];

const ATTR_RE = /[&"<>\n]/;
const DATA_RE = /[&<>]/;

/** Attribute escaping: & " < > and newline (as &#xA;). */
export function escapeAttr(v: string): string {
  if (!ATTR_RE.test(v)) return v;
  return v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '&#xA;');
}

/** Text escaping: & < > only (quotes and newlines stay as they are). */
export function escapeData(v: string): string {
  if (!DATA_RE.test(v)) return v;
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A number as Perl prints it (%.15g): what the real module writes for every numeric value it did not
 * receive as a string. Integers print in full up to 2**53.
 */
export function perlNum(n: number): string {
  if (Number.isSafeInteger(n)) return String(n);
  // fast path: JavaScript's shortest form is %.15g's when it has at most 15 significant digits and
  // %.15g would not use an exponent
  const a = Math.abs(n);
  if (a >= 1e-4 && a < 1e15) {
    const s = String(n);
    if (s.indexOf('e') < 0 && significantDigits(s) <= 15) return s;
  }
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Inf' : '-Inf';
  if (Number.isSafeInteger(n)) return String(n);
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mant, expStr] = n.toExponential(14).split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 15) {
    const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : String(Math.abs(exp));
    return `${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  const fixed = n.toFixed(Math.max(0, 14 - exp));
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

function significantDigits(s: string): number {
  let d = 0;
  let leading = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) continue; // sign, point
    if (leading && c === 48) continue;
    leading = false;
    d++;
  }
  return d;
}

function v(x: string | number): string {
  return typeof x === 'number' ? perlNum(x) : x;
}

function attrs(a: Attrs | undefined, encode: boolean): string {
  if (!a || a.length === 0) return '';
  let s = '';
  for (const [k, x] of a) s += ` ${k}="${encode ? escapeAttr(v(x)) : v(x)}"`;
  return s;
}

export class XmlWriter {
  private parts: string[] = [];
  private size = 0;

  /** Characters written and not yet taken. */
  get pending(): number {
    return this.size;
  }

  raw(s: string): void {
    this.parts.push(s);
    this.size += s.length;
  }

  declaration(): void {
    this.raw('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n');
  }

  startTag(tag: string, a?: Attrs): void {
    this.raw(`<${tag}${attrs(a, true)}>`);
  }

  startTagUnencoded(tag: string, a?: Attrs): void {
    this.raw(`<${tag}${attrs(a, false)}>`);
  }

  endTag(tag: string): void {
    this.raw(`</${tag}>`);
  }

  emptyTag(tag: string, a?: Attrs): void {
    this.raw(`<${tag}${attrs(a, true)}/>`);
  }

  emptyTagUnencoded(tag: string, a?: Attrs): void {
    this.raw(`<${tag}${attrs(a, false)}/>`);
  }

  dataElement(tag: string, data: string | number, a?: Attrs): void {
    this.raw(`<${tag}${attrs(a, true)}>${escapeData(v(data))}</${tag}>`);
  }

  dataElementUnencoded(tag: string, data: string | number, a?: Attrs): void {
    this.raw(`<${tag}${attrs(a, false)}>${v(data)}</${tag}>`);
  }

  // --- cell and shared-string shortcuts (XMLwriter's optimised elements: attributes unencoded) ---

  stringCell(index: number, a?: Attrs): void {
    this.raw(`<c${attrs(a, false)} t="s"><v>${index}</v></c>`);
  }

  numberCell(num: string, a?: Attrs): void {
    this.raw(`<c${attrs(a, false)}><v>${num}</v></c>`);
  }

  formulaCell(formula: string, result: string | number, a?: Attrs): void {
    this.raw(`<c${attrs(a, false)}><f>${escapeData(formula)}</f><v>${v(result)}</v></c>`);
  }

  inlineString(s: string, preserve: boolean, a?: Attrs): void {
    this.raw(`<c${attrs(a, false)} t="inlineStr"><is><t${preserve ? ' xml:space="preserve"' : ''}>${escapeData(s)}</t></is></c>`);
  }

  richInlineString(s: string, a?: Attrs): void {
    this.raw(`<c${attrs(a, false)} t="inlineStr"><is>${s}</is></c>`);
  }

  siElement(s: string, a?: Attrs): void {
    this.raw(`<si><t${attrs(a, false)}>${escapeData(s)}</t></si>`);
  }

  richSiElement(s: string): void {
    this.raw(`<si>${s}</si>`);
  }

  /** Everything written so far, and a fresh buffer. */
  take(): string {
    const s = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.size = 0;
    return s;
  }
}
