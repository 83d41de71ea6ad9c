// DBI's `?` placeholders, rewritten for drivers that number them ($1 for PostgreSQL, :1 for
// Oracle). Quoted strings, quoted identifiers, comments and dollar-quoted bodies are left alone.

/** Applies `f` to the parts of `sql` that are code (not strings, identifiers or comments). */
export function mapCode(sql: string, f: (code: string) => string): string {
  let out = '';
  let code = '';
  let i = 0;
  const flush = () => {
    if (code) out += f(code);
    code = '';
  };
  while (i < sql.length) {
    const c = sql[i];
    let end = -1;
    if (c === "'" || c === '"') {
      end = i + 1;
      for (;;) {
        const q = sql.indexOf(c, end);
        if (q < 0) { end = sql.length; break; }
        if (sql[q + 1] === c) { end = q + 2; continue; } // a doubled quote inside
        end = q + 1;
        break;
      }
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      end = nl < 0 ? sql.length : nl;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      end = close < 0 ? sql.length : close + 2;
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        end = close < 0 ? sql.length : close + tag[0].length;
      }
    }
    if (end > i) {
      flush();
      out += sql.slice(i, end);
      i = end;
    } else {
      code += c;
      i++;
    }
  }
  flush();
  return out;
}

export function translatePlaceholders(sql: string, mark: (n: number) => string): { sql: string; count: number } {
  let n = 0;
  const out = mapCode(sql, (code) => code.replace(/\?/g, () => mark(++n)));
  return { sql: out, count: n };
}

/** Named `:name` placeholders (Oracle), in order of appearance; `::` casts are not placeholders. */
export function namedPlaceholders(sql: string): string[] {
  const names: string[] = [];
  mapCode(sql, (code) => {
    for (const m of code.matchAll(/(^|[^:\w]):([A-Za-z_]\w*)/g)) names.push(m[2]);
    return code;
  });
  return names;
}

/**
 * The distinct named placeholders (`:name`, or `:1` as Oracle numbers them), in order of first
 * appearance, with their colon as DBI names them (ParamValues keys, bind_param's first argument);
 * null when there are none. PL/SQL's `:=` and PostgreSQL's `::` casts are not placeholders.
 */
export function placeholderNames(sql: string): string[] | null {
  const names: string[] = [];
  mapCode(sql, (code) => {
    for (const m of code.matchAll(/(^|[^:\w]):([A-Za-z_]\w*|\d+)/g)) {
      const n = `:${m[2]}`;
      if (!names.includes(n)) names.push(n);
    }
    return code;
  });
  return names.length ? names : null;
}

/**
 * The SQLite parameter a `?` or `?NNN` stands for, given the largest so far: `?NNN` is parameter
 * NNN, a bare `?` the one after the largest (as SQLite numbers them).
 */
export function sqliteParamIndex(digits: string, largest: number): number {
  return digits ? Number(digits) : largest + 1;
}

/**
 * SQLite's `?` / `?NNN` parameters: their count is the largest index (sqlite3_bind_parameter_count,
 * DBD::SQLite's NUM_OF_PARAMS), so `?1, ?2, ?2` takes two binds and `?3` three; `numbered` are the
 * indexes written `?NNN` somewhere, which better-sqlite3 binds by name (the others, gaps included,
 * take positional values in index order).
 */
export function sqliteParams(sql: string): { count: number; numbered: Set<number> } {
  let largest = 0;
  const numbered = new Set<number>();
  mapCode(sql, (code) => {
    for (const m of code.matchAll(/\?(\d*)/g)) {
      const at = sqliteParamIndex(m[1], largest);
      if (m[1]) numbered.add(at);
      largest = Math.max(largest, at);
    }
    return code;
  });
  return { count: largest, numbered };
}
