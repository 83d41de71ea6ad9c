// Perl's value semantics the chart code relies on (the options arrive as JSON from the caller's
// Perl hashes): truthiness, definedness, "looks like a number", %.17g, and Utility's range helpers.

/**
 * A caller's option hash as Perl has it: any JSON value. The real module's internal hashes keep the
 * same shape (its `_`-prefixed keys too), so they are typed the same way.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Perl hashes: free-form by design
export type Dict = { [key: string]: any };

/** Perl truthiness: undef, '', '0' and 0 are false. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return false;
  if (v === '' || v === '0' || v === 0) return false;
  return true;
}

export function defined(v: unknown): boolean {
  return v !== undefined && v !== null;
}

const NUM_RE = /^([+-]?)(?=\d|\.\d)\d*(\.\d*)?([Ee]([+-]?\d+))?$/;

/** The real module's number test (a token that does not pass is written as a string or 0). */
export function looksNumeric(v: unknown): boolean {
  if (typeof v === 'number') return Number.isFinite(v);
  return typeof v === 'string' && NUM_RE.test(v);
}

/** Perl's numeric value of a scalar (leading number of a string, else 0). */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v !== 'string') return 0;
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(v);
  return m ? Number(m[1]) : 0;
}

/** Perl's string value of a scalar. */
export function str(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') {
    // %.15g, as Perl stringifies numbers
    if (Number.isSafeInteger(v)) return String(v);
    return g(v, 15);
  }
  return String(v);
}

/** C's %.<p>g */
export function g(n: number, p: number): string {
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  if (!Number.isFinite(n)) return n > 0 ? 'Inf' : n < 0 ? '-Inf' : 'NaN';
  let [m, e] = n.toExponential(p - 1).split('e');
  const x = Number(e);
  if (x < -4 || x >= p) {
    if (m.includes('.')) m = m.replace(/0+$/, '').replace(/\.$/, '');
    return `${m}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
  }
  const f = n.toFixed(Math.max(0, p - 1 - x));
  return f.includes('.') ? f.replace(/0+$/, '').replace(/\.$/, '') : f;
}

/** Perl's int(): truncation toward zero. */
export function int(v: unknown): number {
  return Math.trunc(num(v));
}

const WORD_RE = /[^\p{L}\p{M}\p{Nd}\p{Pc}]/u;

/** Utility::quote_sheetname */
export function quoteSheetname(name: string): string {
  if (WORD_RE.test(name) && !name.startsWith("'")) return `'${name.replace(/'/g, "''")}'`;
  return name;
}

/** Utility::xl_col_to_name */
export function colToName(col: number, abs = false): string {
  let s = '';
  let c = col + 1;
  while (c) {
    const rem = c % 26 || 26;
    s = String.fromCharCode(64 + rem) + s;
    c = Math.trunc((c - 1) / 26);
  }
  return (abs ? '$' : '') + s;
}

/** Utility::xl_rowcol_to_cell */
export function rowcolToCell(row: number, col: number, rowAbs = false, colAbs = false): string {
  return `${colToName(col, colAbs)}${rowAbs ? '$' : ''}${row + 1}`;
}

/** Utility::xl_range_formula: [sheet, row1, row2, col1, col2] -> '=Sheet1!$A$1:$A$5' */
export function rangeFormula(sheet: unknown, r1: unknown, r2: unknown, c1: unknown, c2: unknown): string {
  const a = rowcolToCell(num(r1), num(c1), true, true);
  const b = rowcolToCell(num(r2), num(c2), true, true);
  return `=${quoteSheetname(str(sheet))}!${a === b ? a : `${a}:${b}`}`;
}
