// What a user's SQLite connection may not reach: the bridge's state directory (journal, key,
// token). A DSN, an ATTACH or a VACUUM INTO that resolves there (symlinks followed) is refused.
// better-sqlite3 exposes no authorizer, so ATTACH / VACUUM INTO are found by tokenizing the SQL:
// their file name must be a plain string literal, so that the name checked is the name used.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DbError } from '../driver';

function denied(message: string): DbError {
  return new DbError(message, { err: 23 /* SQLITE_AUTH */, state: 'S1000', code: 'path_denied' });
}

function realish(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    // absent: its directory's real path, and the name it would have there
    const dir = path.dirname(p);
    return dir === p ? p : path.join(realish(dir), path.basename(p));
  }
}

function inside(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

/** Refuses a database file that is (or would be) in one of the protected directories. */
export function checkDatabaseFile(file: string, protectedDirs: readonly string[], how: string): void {
  if (file === '' || file === ':memory:') return;
  // with URI file names off (better-sqlite3's default) "file:x" is a plain name; check both readings
  const names = file.startsWith('file:') ? [file, file.replace(/^file:(\/\/[^/]*)?/, '').replace(/[?#].*$/, '')] : [file];
  for (const name of names) {
    const real = realish(path.resolve(name)); // SQLite resolves relative names against the daemon's cwd
    for (const dir of protectedDirs) {
      if (inside(real, realish(dir))) {
        throw denied(`${how} ${file}: a database in the bridge's state directory (${dir}) is not allowed: use a database file elsewhere`);
      }
    }
  }
}

type Token = { kind: 'word' | 'string' | 'other'; text: string };

/** SQL tokens, comments dropped; quoted identifiers are words, string literals unquoted. */
function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (/\s/.test(ch)) { i++; continue; }
    if (sql.startsWith('--', i)) { const e = sql.indexOf('\n', i); i = e < 0 ? sql.length : e + 1; continue; }
    if (sql.startsWith('/*', i)) { const e = sql.indexOf('*/', i + 2); i = e < 0 ? sql.length : e + 2; continue; }
    const close = ({ "'": "'", '"': '"', '`': '`', '[': ']' } as Record<string, string>)[ch];
    if (close) {
      let j = i + 1;
      let text = '';
      for (;;) {
        const e = sql.indexOf(close, j);
        if (e < 0) { text += sql.slice(j); j = sql.length; break; }
        text += sql.slice(j, e);
        j = e + 1;
        if (close !== ']' && sql[j] === close) { text += close; j++; continue; } // '' inside a literal
        break;
      }
      out.push({ kind: ch === "'" ? 'string' : 'word', text });
      i = j;
      continue;
    }
    const w = /^[A-Za-z_][\w$]*/.exec(sql.slice(i, i + 256));
    if (w) { out.push({ kind: 'word', text: w[0] }); i += w[0].length; continue; }
    out.push({ kind: 'other', text: ch });
    i++;
  }
  return out;
}

const is = (t: Token | undefined, word: string) => t?.kind === 'word' && t.text.toUpperCase() === word;

/** The file-name expression of an ATTACH or VACUUM INTO statement, if `stmt` is one. */
function fileOperand(stmt: Token[]): { what: string; expr: Token[] } | null {
  let k = 0;
  if (is(stmt[k], 'EXPLAIN')) return null; // explained, not run
  if (is(stmt[k], 'ATTACH')) {
    k++;
    if (is(stmt[k], 'DATABASE')) k++;
    let depth = 0;
    const expr: Token[] = [];
    for (; k < stmt.length; k++) {
      if (stmt[k].text === '(') depth++;
      if (stmt[k].text === ')') depth--;
      if (depth === 0 && is(stmt[k], 'AS')) break;
      expr.push(stmt[k]);
    }
    return { what: 'ATTACH', expr };
  }
  if (is(stmt[k], 'VACUUM')) {
    const into = stmt.findIndex((t) => is(t, 'INTO'));
    return into < 0 ? null : { what: 'VACUUM INTO', expr: stmt.slice(into + 1) };
  }
  return null;
}

/** Refuses SQL whose ATTACH / VACUUM INTO names a protected file, or a file by anything but a literal. */
export function checkStatements(sql: string, protectedDirs: readonly string[]): void {
  const tokens = tokenize(sql);
  let start = 0;
  for (let i = 0; i <= tokens.length; i++) {
    if (i < tokens.length && tokens[i].text !== ';') continue;
    const op = fileOperand(tokens.slice(start, i));
    start = i + 1;
    if (!op) continue;
    if (op.expr.length !== 1 || op.expr[0].kind !== 'string') {
      throw denied(`${op.what}: the file name must be a single string literal (the bridge checks it is outside its state directory)`);
    }
    checkDatabaseFile(op.expr[0].text, protectedDirs, op.what);
  }
}
