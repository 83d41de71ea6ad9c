// The charts and images of a workbook, read from its journal tables and laid out on their sheets
// (pixel positions from column widths and row heights) for the renderer.
import * as crypto from 'node:crypto';
import * as path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { formulaResult } from './cell-values';
import { CHART_HEIGHT, CHART_WIDTH, chartXml, positionObject, type ImageInfo, type RangeData, type RangeRef, type SheetMetrics } from './drawing';
import type { MediaSource, SheetDrawings } from './package';
import { store, type ItemRow } from './store';

type Json = Record<string, unknown>;

export interface ColInfo { width?: number | null; fmt?: number | null; hidden?: number; level?: number; collapsed?: number }
export interface RowInfo { height?: number | null; fmt?: number | null; hidden?: number; level?: number; collapsed?: number }

function parse(v: string): unknown {
  return JSON.parse(v) as unknown;
}

/** Column widths and row heights in pixels (Excel::Writer::XLSX's _size_col / _size_row). */
function sheetMetrics(db: BetterSqlite3.Database, wbn: number, sheet: number, list: ItemRow[]): SheetMetrics {
  const cols = new Map<number, ColInfo>();
  for (const it of list.filter((i) => i.kind === 'col')) {
    const c = parse(it.value) as ColInfo & { first: number; last: number };
    for (let k = c.first; k <= c.last && k <= 16383; k++) cols.set(k, c);
  }
  const set = new Map(list.filter((i) => i.kind === 'set').map((i) => [i.key, parse(i.value)]));
  const defaultRowPx = Math.floor((4 / 3) * (set.has('default_row_height') ? Number(set.get('default_row_height')) : 15));
  const PAGE_ROWS = 4096;
  const pages = new Map<number, Map<number, RowInfo>>();
  const rowInfo = (row: number): RowInfo | undefined => {
    const p = Math.floor(row / PAGE_ROWS);
    let m = pages.get(p);
    if (!m) {
      if (pages.size > 64) pages.clear();
      m = new Map(store.rowsBetween(db, wbn, sheet, p * PAGE_ROWS, p * PAGE_ROWS + PAGE_ROWS - 1).map((r) => [r.row, parse(r.props) as RowInfo]));
      pages.set(p, m);
    }
    return m.get(row);
  };
  return {
    colPx(col: number): number {
      const c = cols.get(col);
      if (!c) return 64;
      if (c.hidden) return 0;
      const w = c.width ?? 8.43;
      return w < 1 ? Math.floor(w * 12 + 0.5) : Math.floor(w * 7 + 0.5) + 5;
    },
    rowPx(row: number): number {
      const r = rowInfo(row);
      if (!r) return defaultRowPx;
      if (r.hidden) return 0;
      return r.height === null || r.height === undefined ? defaultRowPx : Math.floor((4 / 3) * r.height);
    },
  };
}

/** The cells of a chart's range, as Excel::Writer::XLSX caches them in the chart part. */
function rangeReader(db: BetterSqlite3.Database, wbn: number, sheets: { idx: number; name: string }[]) {
  const MAX_POINTS = 100_000;
  return (ref: RangeRef): RangeData | undefined => {
    const sh = sheets.find((s) => s.name.toLowerCase() === ref.sheet.toLowerCase());
    if (!sh) return undefined;
    const width = ref.c2 - ref.c1 + 1;
    const count = (ref.r2 - ref.r1 + 1) * width;
    const points: { idx: number; v: string | number }[] = [];
    let strings = false;
    for (const c of store.cellsIn(db, wbn, sh.idx, ref.r1, ref.r2, ref.c1, ref.c2, MAX_POINTS)) {
      let v: string | number | null = null;
      switch (c.t) {
        case 'n': case 'l': v = Number(c.v); break;
        case 's': v = String(c.v ?? ''); break;
        case 'f': {
          const r = formulaResult(c.x);
          v = typeof r === 'number' ? r : typeof r === 'string' ? r : null;
          break;
        }
        case 'a': {
          const r = formulaResult((JSON.parse(c.x ?? '[]') as string[])[1]);
          v = typeof r === 'number' ? r : typeof r === 'string' ? r : null;
          break;
        }
        case 'u': v = String(c.v ?? ''); break;
        default: break;
      }
      if (v === null) continue;
      if (typeof v === 'string') strings = true;
      points.push({ idx: (c.row - ref.r1) * width + (c.col - ref.c1), v });
    }
    return { count, points, strings };
  };
}

interface DrawingItem {
  kind: 'chart' | 'image';
  row: number; col: number;
  chart?: number; sha?: string; name?: string | null; description?: string | null;
  x_offset?: number | null; y_offset?: number | null; x_scale?: number | null; y_scale?: number | null;
}

/** The charts and images of a workbook, positioned and rendered to XML; undefined when it has none. */
export function collectDrawings(db: BetterSqlite3.Database, wbn: number, sheets: { idx: number; name: string }[], items: Map<number, ItemRow[]>):
  { sheets: SheetDrawings[]; media: Map<string, MediaSource> } | undefined {
  const wbItems = items.get(-1) ?? [];
  const charts = new Map(wbItems.filter((i) => i.kind === 'chart').map((i) => [Number(i.key), parse(i.value) as Json]));
  const images = new Map(wbItems.filter((i) => i.kind === 'image').map((i) => [i.key, parse(i.value) as ImageInfo & { parts: number }]));
  const read = rangeReader(db, wbn, sheets);
  const out: SheetDrawings[] = [];
  const media = new Map<string, MediaSource>();
  let chartNo = 0;
  sheets.forEach((sh, i) => {
    const list = items.get(sh.idx) ?? [];
    const ds = list.filter((it) => it.kind === 'drawing').map((it) => parse(it.value) as DrawingItem);
    if (!ds.length) return;
    const m = sheetMetrics(db, wbn, sh.idx, list);
    const sd: SheetDrawings = { n: i + 1, objects: [] };
    for (const d of ds) {
      const xo = Number(d.x_offset ?? 0) || 0;
      const yo = Number(d.y_offset ?? 0) || 0;
      const xs = Number(d.x_scale ?? 1) || 1;
      const ys = Number(d.y_scale ?? 1) || 1;
      if (d.kind === 'chart') {
        const def = charts.get(Number(d.chart));
        if (!def) continue;
        const size = (def.size ?? {}) as Json;
        const w = Math.floor(0.5 + Number(size.width ?? CHART_WIDTH) * (Number(size.x_scale ?? 0) || xs));
        const h = Math.floor(0.5 + Number(size.height ?? CHART_HEIGHT) * (Number(size.y_scale ?? 0) || ys));
        const anchor = positionObject(m, d.col, d.row, Number(size.x_offset ?? 0) || xo, Number(size.y_offset ?? 0) || yo, w, h);
        chartNo++;
        sd.objects.push({ kind: 'chart', xml: chartXml({ ...def, id: chartNo }, read), anchor, name: def.name !== undefined && def.name !== null ? String(def.name) : undefined });
      } else {
        const sha = String(d.sha);
        const info = images.get(sha);
        if (!info) continue;
        const w = info.width * xs * (96 / info.xDpi);
        const h = info.height * ys * (96 / info.yDpi);
        const anchor = positionObject(m, d.col, d.row, xo, yo, w, h);
        const descr = d.description ?? path.basename(String(d.name ?? 'image'));
        sd.objects.push({ kind: 'image', sha, anchor, descr, cx: Math.floor(0.5 + w * 9525), cy: Math.floor(0.5 + h * 9525) });
        if (!media.has(sha)) {
          media.set(sha, {
            ext: info.type,
            load: () => {
              const bytes = Buffer.concat(store.blobParts(db, wbn, sha).map(([, b]) => b));
              if (crypto.createHash('sha256').update(bytes).digest('hex') !== sha) throw new Error(`image ${sha}: journaled bytes do not match`);
              return bytes;
            },
          });
        }
      }
    }
    if (sd.objects.length) out.push(sd);
  });
  return out.length ? { sheets: out, media } : undefined;
}
