// Adds charts and images to a workbook rendered by exceljs's streaming writer (which supports
// neither): xl/charts/chartN.xml, xl/drawings/drawingN.xml + rels, xl/media/imageN.*, the
// worksheet's <drawing r:id/> element and rels, and the [Content_Types].xml entries. jszip (an
// exceljs dependency) rewrites the zip: untouched entries keep their compressed bytes, and the
// worksheet part (the large one) goes through a streaming transform, never whole in memory.
import * as fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import JSZip from 'jszip';
import { drawingXml, REL, relsXml, type Anchor, type DrawingObject } from './drawing';

export type PendingObject =
  | { kind: 'image'; sha: string; anchor: Anchor; cx: number; cy: number; descr: string }
  | { kind: 'chart'; xml: string; anchor: Anchor; name?: string };

export interface SheetDrawings {
  /** 1-based position of the sheet: its part is xl/worksheets/sheet<n>.xml */
  n: number;
  objects: PendingObject[];
}

export interface MediaSource {
  ext: 'png' | 'jpeg' | 'gif';
  load(): Buffer;
}

const CT = {
  chart: 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml',
  drawing: 'application/vnd.openxmlformats-officedocument.drawing+xml',
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
};

// Elements that come after <drawing> in CT_Worksheet: the drawing goes before the first of them.
const AFTER_DRAWING = ['<legacyDrawing ', '<legacyDrawing>', '<legacyDrawingHF', '<drawingHF', '<picture ', '<oleObjects',
  '<controls', '<webPublishItems', '<tableParts', '<extLst', '</worksheet>'];
const NO_DIRS = { createFolders: false } as const;
const TAIL = Math.max(...AFTER_DRAWING.map((s) => s.length));

/** Inserts `element` into a worksheet part streamed through it, at its place in the schema. */
export class DrawingInserter extends Transform {
  private pending = '';
  private done = false;
  constructor(private readonly element: string) {
    super();
  }

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.done) {
      cb(null, chunk);
      return;
    }
    // the part is UTF-8; the markers are ASCII, so latin1 keeps byte offsets exact
    this.pending += Buffer.isBuffer(chunk) ? chunk.toString('latin1') : Buffer.from(chunk).toString('latin1');
    let at = -1;
    for (const m of AFTER_DRAWING) {
      const i = this.pending.indexOf(m);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    }
    if (at >= 0) {
      const out = Buffer.concat([Buffer.from(this.pending.slice(0, at), 'latin1'), Buffer.from(this.element), Buffer.from(this.pending.slice(at), 'latin1')]);
      this.pending = '';
      this.done = true;
      cb(null, out);
      return;
    }
    const keep = Math.min(this.pending.length, TAIL);
    const out = this.pending.slice(0, this.pending.length - keep);
    this.pending = this.pending.slice(this.pending.length - keep);
    cb(null, out ? Buffer.from(out, 'latin1') : undefined);
  }

  override _flush(cb: TransformCallback): void {
    if (!this.done) {
      cb(new Error('worksheet part has no </worksheet>'));
      return;
    }
    cb(null, this.pending ? Buffer.from(this.pending, 'latin1') : undefined);
  }
}

function nextRid(rels: string): number {
  let max = 0;
  for (const m of rels.matchAll(/Id="rId(\d+)"/g)) max = Math.max(max, Number(m[1]));
  return max + 1;
}

/** Writes `src` + the drawings to `dst` (a new file). */
export async function addDrawings(src: string, dst: string, sheets: SheetDrawings[], media: Map<string, MediaSource>): Promise<void> {
  const zip = await JSZip.loadAsync(fs.readFileSync(src));
  const overrides: { part: string; type: string }[] = [];
  const defaults = new Set<string>();
  const mediaPart = new Map<string, string>(); // sha -> xl/media/imageN.ext
  let chartNo = 0;
  let drawingNo = 0;
  for (const sh of sheets) {
    if (!sh.objects.length) continue;
    const dn = ++drawingNo;
    const drawingRels: { id: string; type: string; target: string }[] = [];
    const objects: DrawingObject[] = [];
    // images first, then charts, as Excel::Writer::XLSX lays them out
    const ordered = [...sh.objects.filter((o) => o.kind === 'image'), ...sh.objects.filter((o) => o.kind === 'chart')];
    for (const o of ordered) {
      const rId = `rId${drawingRels.length + 1}`;
      if (o.kind === 'image') {
        let part = mediaPart.get(o.sha);
        if (!part) {
          const m = media.get(o.sha);
          if (!m) throw new Error(`image ${o.sha} has no data`);
          part = `xl/media/image${mediaPart.size + 1}.${m.ext}`;
          mediaPart.set(o.sha, part);
          zip.file(part, m.load(), { binary: true, createFolders: false });
          defaults.add(m.ext);
        }
        drawingRels.push({ id: rId, type: REL.image, target: `../${part.slice(3)}` });
        objects.push({ kind: 'image', anchor: o.anchor, rId, descr: o.descr, cx: o.cx, cy: o.cy, editAs: 'oneCell' });
      } else {
        const cn = ++chartNo;
        const part = `xl/charts/chart${cn}.xml`;
        zip.file(part, o.xml, NO_DIRS);
        overrides.push({ part: `/${part}`, type: CT.chart });
        drawingRels.push({ id: rId, type: REL.chart, target: `../charts/chart${cn}.xml` });
        objects.push({ kind: 'chart', anchor: o.anchor, rId, name: o.name });
      }
    }
    zip.file(`xl/drawings/drawing${dn}.xml`, drawingXml(objects), NO_DIRS);
    zip.file(`xl/drawings/_rels/drawing${dn}.xml.rels`, relsXml(drawingRels), NO_DIRS);
    overrides.push({ part: `/xl/drawings/drawing${dn}.xml`, type: CT.drawing });

    // the worksheet's rels (exceljs writes one for hyperlinks) and its <drawing> element
    const relsName = `xl/worksheets/_rels/sheet${sh.n}.xml.rels`;
    const relsFile = zip.file(relsName);
    const rel = `<Relationship Id="%ID%" Type="${REL.drawing}" Target="../drawings/drawing${dn}.xml"/>`;
    let rid: string;
    if (relsFile) {
      const old = await relsFile.async('string');
      rid = `rId${nextRid(old)}`;
      zip.file(relsName, old.replace('</Relationships>', `${rel.replace('%ID%', rid)}</Relationships>`), NO_DIRS);
    } else {
      rid = 'rId1';
      zip.file(relsName, relsXml([{ id: rid, type: REL.drawing, target: `../drawings/drawing${dn}.xml` }]), NO_DIRS);
    }
    const sheetName = `xl/worksheets/sheet${sh.n}.xml`;
    const sheetFile = zip.file(sheetName);
    if (!sheetFile) throw new Error(`${sheetName} missing from the rendered workbook`);
    const stream = sheetFile.nodeStream('nodebuffer').pipe(new DrawingInserter(`<drawing r:id="${rid}"/>`));
    zip.file(sheetName, stream as unknown as NodeJS.ReadableStream, { binary: true, createFolders: false });
  }

  const ctFile = zip.file('[Content_Types].xml');
  if (!ctFile) throw new Error('[Content_Types].xml missing from the rendered workbook');
  let ct = await ctFile.async('string');
  let add = '';
  for (const ext of defaults) {
    if (!new RegExp(`<Default Extension="${ext}"`, 'i').test(ct)) add += `<Default Extension="${ext}" ContentType="${CT[ext as 'png']}"/>`;
  }
  // Defaults first (the schema orders nothing, but Excel's own files do)
  if (add) ct = ct.replace(/(<Types[^>]*>)/, `$1${add}`);
  ct = ct.replace('</Types>', `${overrides.map((o) => `<Override PartName="${o.part}" ContentType="${o.type}"/>`).join('')}</Types>`);
  zip.file('[Content_Types].xml', ct, NO_DIRS);

  const out = fs.createWriteStream(dst, { flags: 'wx' }); // exclusive: never through a planted link
  await pipeline(zip.generateNodeStream({ type: 'nodebuffer', streamFiles: true, compression: 'DEFLATE', compressionOptions: { level: 6 } }), out);
}
