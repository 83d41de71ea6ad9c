// The worksheet elements of core after <sheetData>: mergeCells, hyperlinks, printOptions,
// pageMargins, pageSetup, headerFooter, rowBreaks, colBreaks, and the r:id elements of the parts
// other owners prepare (drawing, legacyDrawing, legacyDrawingHF, picture).
import type { XmlWriter } from '../xml';
import type { Worksheet } from '../model/worksheet';
import { cellRef } from '../../refs';

type A = [string, string | number][];

export function writeMergeCells(w: XmlWriter, ws: Worksheet): void {
  if (!ws.merge.length) return;
  w.startTag('mergeCells', [['count', ws.merge.length]]);
  for (const [r1, c1, r2, c2] of ws.merge) w.emptyTag('mergeCell', [['ref', `${cellRef(r1, c1)}:${cellRef(r2, c2)}`]]);
  w.endTag('mergeCells');
}

/** Worksheet::_write_hyperlinks; `cellType` is the type of the cell under a link (the store's). */
export function writeHyperlinks(w: XmlWriter, ws: Worksheet, cellType: (row: number, col: number) => string | undefined): void {
  if (!ws.hyperlinks.size) return;
  const refs: (() => void)[] = [];
  for (const row of [...ws.hyperlinks.keys()].sort((a, b) => a - b)) {
    const cols = ws.hyperlinks.get(row)!;
    for (const col of [...cols.keys()].sort((a, b) => a - b)) {
      const link = cols.get(col)!;
      const t = cellType(row, col);
      const display = t !== undefined && t !== 's' ? link.url : undefined;
      const ref = cellRef(row, col);
      if (link.linkType === 1) {
        const id = ++ws.relCount;
        ws.externalHyperLinks.push(['/hyperlink', link.url, 'External']);
        refs.push(() => {
          const a: A = [['ref', ref], ['r:id', `rId${id}`]];
          if (link.str !== undefined && link.str !== null) a.push(['location', link.str]);
          if (display !== undefined) a.push(['display', display]);
          if (link.tip !== undefined && link.tip !== null) a.push(['tooltip', link.tip]);
          w.emptyTag('hyperlink', a);
        });
      } else {
        refs.push(() => {
          const a: A = [['ref', ref], ['location', link.url]];
          if (link.tip !== undefined && link.tip !== null) a.push(['tooltip', link.tip]);
          a.push(['display', link.str ?? '']);
          w.emptyTag('hyperlink', a);
        });
      }
    }
  }
  w.startTag('hyperlinks');
  for (const f of refs) f();
  w.endTag('hyperlinks');
}

export function writePrintOptions(w: XmlWriter, ws: Worksheet): void {
  if (!ws.printOptionsChanged) return;
  const a: A = [];
  if (ws.hcenter) a.push(['horizontalCentered', 1]);
  if (ws.vcenter) a.push(['verticalCentered', 1]);
  if (ws.printHeaders) a.push(['headings', 1]);
  if (ws.printGridlines) a.push(['gridLines', 1]);
  w.emptyTag('printOptions', a);
}

export function writePageMargins(w: XmlWriter, ws: Worksheet): void {
  w.emptyTag('pageMargins', [['left', ws.marginLeft], ['right', ws.marginRight], ['top', ws.marginTop], ['bottom', ws.marginBottom],
    ['header', ws.marginHeader], ['footer', ws.marginFooter]]);
}

export function writePageSetup(w: XmlWriter, ws: Worksheet): void {
  if (!ws.pageSetupChanged) return;
  const a: A = [];
  if (ws.paperSize) a.push(['paperSize', ws.paperSize]);
  if (ws.printScale !== 100) a.push(['scale', ws.printScale]);
  if (ws.fitPage && ws.fitWidth !== 1) a.push(['fitToWidth', ws.fitWidth]);
  if (ws.fitPage && ws.fitHeight !== 1) a.push(['fitToHeight', ws.fitHeight]);
  if (ws.pageOrder) a.push(['pageOrder', 'overThenDown']);
  if (ws.pageStart > 1) a.push(['firstPageNumber', ws.pageStart]);
  a.push(['orientation', ws.orientation === 0 ? 'landscape' : 'portrait']);
  if (ws.blackWhite) a.push(['blackAndWhite', 1]);
  if (ws.pageStart !== 0) a.push(['useFirstPageNumber', 1]);
  if (ws.horizontalDpi) a.push(['horizontalDpi', ws.horizontalDpi]);
  if (ws.verticalDpi) a.push(['verticalDpi', ws.verticalDpi]);
  w.emptyTag('pageSetup', a);
}

export function writeHeaderFooter(w: XmlWriter, ws: Worksheet): void {
  const a: A = [];
  if (!ws.headerFooterScales) a.push(['scaleWithDoc', 0]);
  if (!ws.headerFooterAligns) a.push(['alignWithMargins', 0]);
  if (ws.headerFooterChanged) {
    w.startTag('headerFooter', a);
    if (ws.header) w.dataElement('oddHeader', ws.header);
    if (ws.footer) w.dataElement('oddFooter', ws.footer);
    w.endTag('headerFooter');
  } else if (ws.excel2003Style) {
    w.emptyTag('headerFooter', a);
  }
}

/** Worksheet::_sort_pagebreaks: unique, ascending, at most 1023. */
function sortBreaks(b: readonly number[]): number[] {
  const s = [...new Set(b)].sort((x, y) => x - y);
  if (s[0] === 0) s.shift();
  return s.length > 1023 ? s.slice(0, 1023) : s;
}

export function writeBreaks(w: XmlWriter, ws: Worksheet): void {
  for (const [tag, list, max] of [['rowBreaks', ws.hbreaks, 16383], ['colBreaks', ws.vbreaks, 1048575]] as const) {
    const b = sortBreaks(list);
    if (!b.length) continue;
    w.startTag(tag, [['count', b.length], ['manualBreakCount', b.length]]);
    for (const id of b) w.emptyTag('brk', [['id', id], ['max', max], ['man', 1]]);
    w.endTag(tag);
  }
}

/** <drawing>, <legacyDrawing>, <legacyDrawingHF>, <picture>: each takes the next r:id. */
export function writeRelElements(w: XmlWriter, ws: Worksheet): void {
  if (ws.drawing) w.emptyTag('drawing', [['r:id', `rId${++ws.relCount}`]]);
  if (ws.hasVml) w.emptyTag('legacyDrawing', [['r:id', `rId${++ws.relCount}`]]);
  if (ws.hasHeaderVml) w.emptyTag('legacyDrawingHF', [['r:id', `rId${++ws.relCount}`]]);
  if (ws.backgroundImage) w.emptyTag('picture', [['r:id', `rId${++ws.relCount}`]]);
}
