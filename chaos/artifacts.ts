// What a workflow leaves behind, in comparable form: database tables (every row), workbooks read
// back cell by cell with an independent reader (exceljs), the files of the output directory,
// the script's stdout and exit code.
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';

export const PG_CONFIG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
/** The commit-outcome marker table: bookkeeping of the bridge, not an artifact of the script. */
const IGNORED_TABLES = new Set(['cpan_bridge_outcome']);

export interface Artifacts {
  exit: number | null;
  stdout: string;
  files: string[];
  /** table -> one line per row, in key order */
  db: Record<string, string[]>;
  /** output file -> one line per sheet, column, merge and cell */
  xlsx: Record<string, string[]>;
  /** output file -> digest of its content parts (xlsxDigest) */
  xlsxDigest: Record<string, string>;
}

function cellLine(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : Buffer.isBuffer(x) ? `hex:${x.toString('hex')}` : x));
}

export function dumpSqlite(file: string): Record<string, string[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const out: Record<string, string[]> = {};
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    for (const t of tables) {
      if (IGNORED_TABLES.has(t)) continue;
      const ncols = (db.prepare(`SELECT * FROM "${t}" LIMIT 0`).columns()).length;
      const order = Array.from({ length: ncols }, (_, i) => i + 1).join(', ');
      out[t] = (db.prepare(`SELECT * FROM "${t}" ORDER BY ${order}`).raw().all() as unknown[][]).map(cellLine);
    }
    return out;
  } finally {
    db.close();
  }
}

export async function withPg<T>(f: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ ...PG_CONFIG, connectionTimeoutMillis: 10_000 });
  // a server restarting under us (a pg-restart fault, or anything else) fails the awaited query;
  // without a listener the 'error' event would end the whole suite
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Tables whose name starts with `prefix`, named without it (runs use private prefixes). */
export async function dumpPg(prefix: string): Promise<Record<string, string[]>> {
  return withPg(async (c) => {
    const out: Record<string, string[]> = {};
    const t = await c.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE $1 ORDER BY table_name", [`${prefix}%`]);
    for (const { table_name: name } of t.rows as { table_name: string }[]) {
      const cols = await c.query(`SELECT * FROM "${name}" LIMIT 0`);
      const order = cols.fields.map((_f, i) => i + 1).join(', ');
      const r = await c.query({ text: `SELECT * FROM "${name}" ORDER BY ${order}`, rowMode: 'array' });
      out[name.slice(prefix.length)] = (r.rows as unknown[][]).map(cellLine);
    }
    return out;
  });
}

function styleOf(cell: ExcelJS.Cell): string {
  const s = cell.style ?? {};
  const parts: string[] = [];
  const f = s.font;
  if (f) {
    if (f.bold) parts.push('b');
    if (f.italic) parts.push('i');
    if (f.size && f.size !== 11) parts.push(`sz${f.size}`);
    if (f.color?.argb && f.color.argb !== 'FF000000') parts.push(`fc${f.color.argb}`);
  }
  if (s.numFmt && s.numFmt !== 'General') parts.push(`nf${s.numFmt}`);
  const fill = s.fill as ExcelJS.FillPattern | undefined;
  if (fill?.type === 'pattern' && fill.pattern && fill.pattern !== 'none') parts.push(`fill${fill.pattern}:${fill.fgColor?.argb ?? (fill.fgColor as { indexed?: number } | undefined)?.indexed ?? ''}`);
  if (s.border && Object.values(s.border).some((b) => b && (b as ExcelJS.Border).style)) parts.push('border');
  if (s.alignment?.horizontal) parts.push(`ah${s.alignment.horizontal}`);
  return parts.join(',');
}

function valueOf(cell: ExcelJS.Cell): string {
  const v = cell.value as unknown;
  if (v && typeof v === 'object' && 'formula' in (v as object)) {
    const fv = v as { formula: string; result?: unknown };
    return `=${fv.formula}${fv.result !== undefined ? ` -> ${JSON.stringify(fv.result)}` : ''}`;
  }
  if (v instanceof Date) return `date:${v.toISOString()}`;
  if (v && typeof v === 'object' && 'richText' in (v as object)) return `rich:${(v as { richText: { text: string }[] }).richText.map((r) => r.text).join('')}`;
  return JSON.stringify(v);
}

/** A workbook as lines: sheets, column widths, merges, frozen panes and every non-empty cell with its format. */
export async function dumpXlsx(file: string): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const lines: string[] = [];
  wb.eachSheet((ws) => {
    lines.push(`SHEET ${ws.name}`);
    const views = ws.views?.[0] as { state?: string; xSplit?: number; ySplit?: number } | undefined;
    if (views?.state === 'frozen') lines.push(`FREEZE ${views.xSplit ?? 0},${views.ySplit ?? 0}`);
    ws.columns?.forEach((c, i) => { if (c && c.width) lines.push(`COLW ${i} ${Number(c.width).toFixed(3)}`); });
    const merges = (ws.model as { merges?: string[] }).merges ?? [];
    for (const m of [...merges].sort()) lines.push(`MERGE ${m}`);
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (cell.isMerged && cell.master !== cell) return;
        lines.push(`CELL ${cell.address}\t${cell.type}\t${valueOf(cell)}\t${styleOf(cell)}`);
      });
    });
  });
  return lines;
}

/**
 * A digest of a workbook's parts except docProps/ (which carry the creation time). Equal digests
 * mean byte-identical sheets, styles and strings, so the golden run's cell dump stands for this
 * workbook too: reading 100,000 rows back with exceljs is then skipped.
 */
export async function xlsxDigest(file: string): Promise<string> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const h = crypto.createHash('sha256');
  for (const name of Object.keys(zip.files).sort()) {
    const entry = zip.files[name];
    if (entry.dir || name.startsWith('docProps/')) continue;
    h.update(`${name}\0`);
    h.update(await entry.async('nodebuffer'));
    h.update('\0');
  }
  return h.digest('hex');
}

/** `known`: the golden run's artifacts, whose workbook dumps are reused for byte-identical workbooks. */
export async function collect(opts: { exit: number | null; stdout: string; outDir: string; sqlite?: string[]; pgPrefix?: string; xlsx?: string[]; known?: Artifacts }): Promise<Artifacts> {
  const files = listOut(opts.outDir);
  const db: Record<string, string[]> = {};
  for (const f of opts.sqlite ?? []) {
    for (const [t, rows] of Object.entries(dumpSqlite(f))) db[`${path.basename(f)}:${t}`] = rows;
  }
  if (opts.pgPrefix) for (const [t, rows] of Object.entries(await dumpPg(opts.pgPrefix))) db[`pg:${t}`] = rows;
  const xlsx: Record<string, string[]> = {};
  const xlsxDigests: Record<string, string> = {};
  for (const f of opts.xlsx ?? []) {
    const p = path.join(opts.outDir, f);
    if (!fs.existsSync(p)) continue;
    const digest = await xlsxDigest(p).catch(() => ''); // not a readable zip: the full dump says how
    const known = opts.known?.xlsx[f];
    xlsx[f] = digest && known && opts.known?.xlsxDigest[f] === digest ? known : await dumpXlsx(p);
    if (digest) xlsxDigests[f] = digest;
  }
  return { exit: opts.exit, stdout: opts.stdout, files, db, xlsx, xlsxDigest: xlsxDigests };
}

function listOut(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** The first difference between two line lists, described for a human, or null. */
export function firstDiff(what: string, a: string[], b: string[]): string | null {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      return `${what}: line ${i + 1} differs (${a.length} vs ${b.length} lines): golden ${JSON.stringify(a[i] ?? '<none>').slice(0, 160)} / got ${JSON.stringify(b[i] ?? '<none>').slice(0, 160)}`;
    }
  }
  return null;
}

/** Differences between a golden database dump and another one. */
export function diffDb(golden: Record<string, string[]>, got: Record<string, string[]>): string[] {
  const d: string[] = [];
  for (const t of new Set([...Object.keys(golden), ...Object.keys(got)])) {
    const x = firstDiff(`table ${t}`, golden[t] ?? [], got[t] ?? []);
    if (x) d.push(x);
  }
  return d;
}

/** Every difference between the golden artifacts and a run's. */
export function diffArtifacts(golden: Artifacts, got: Artifacts): string[] {
  const d: string[] = [];
  if (golden.exit !== got.exit) d.push(`exit code: golden ${golden.exit}, got ${got.exit}`);
  const so = firstDiff('stdout', golden.stdout.split('\n'), got.stdout.split('\n'));
  if (so) d.push(so);
  const fl = firstDiff('output files', golden.files, got.files);
  if (fl) d.push(fl);
  d.push(...diffDb(golden.db, got.db));
  for (const f of new Set([...Object.keys(golden.xlsx), ...Object.keys(got.xlsx)])) {
    const x = firstDiff(`workbook ${f}`, golden.xlsx[f] ?? ['<absent>'], got.xlsx[f] ?? ['<absent>']);
    if (x) d.push(x);
  }
  return d;
}
