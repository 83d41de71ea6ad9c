// Charts and images of the excel module through real Perl and a real daemon: a workbook with a
// column, a line and a pie chart and a PNG image opens with exceljs and Spreadsheet::ParseXLSX; its
// chart parts hold the series references the script gave, the drawing anchors the objects at the
// cells given, the image bytes are the file's; the parts equal the real Excel::Writer::XLSX's; and
// a daemon SIGKILLed after the charts were defined still writes them at close.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { after, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { SaxesParser } from 'saxes';
import { PHASES } from '../../src/faults';
import { chartRange } from '../../src/modules/excel/xlsx/chart/data';
import { g } from '../../src/modules/excel/xlsx/chart/perl';
import { tempDir } from '../helpers';
import { dumpXlsx, haveRealModules, runPerl, stopDaemon } from './excel-helpers';

const homes: string[] = [];
function home(): string {
  const h = tempDir('cb-xchome-');
  fs.chmodSync(h, 0o700);
  homes.push(h);
  return h;
}
after(() => {
  for (const h of homes) stopDaemon(h);
});

const realModules = haveRealModules();

/** A w x h RGB PNG with a pHYs chunk of `dpi` (or none). */
function png(w: number, h: number, dpi?: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const rows: Buffer[] = [];
  for (let y = 0; y < h; y++) {
    const r = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) r.set([(x * 7) & 255, (y * 11) & 255, 128], 1 + x * 3);
    rows.push(r);
  }
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (dpi) {
    const p = Buffer.alloc(9);
    const ppm = Math.round(dpi / 0.0254);
    p.writeUInt32BE(ppm, 0);
    p.writeUInt32BE(ppm, 4);
    p[8] = 1;
    parts.push(chunk('pHYs', p));
  }
  parts.push(chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** The header of a JPEG (SOI, JFIF APP0 with a density, SOF0, EOI): what readers of the size look at. */
function jpegHeader(w: number, h: number, dpi: number): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x01, dpi >> 8, dpi & 255, dpi >> 8, dpi & 255, 0x00, 0x00]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, h >> 8, h & 255, w >> 8, w & 255, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof, Buffer.from([0xff, 0xd9])]);
}

/** Throws unless `xml` is well-formed. */
function wellFormed(name: string, xml: string): void {
  const p = new SaxesParser({ xmlns: false });
  let err: Error | null = null;
  p.on('error', (e) => { err ??= e; });
  p.write(xml).close();
  if (err) throw new Error(`${name}: ${(err as Error).message}`);
}

interface ChartInfo { kind: string; barDir?: string; cats: string[]; vals: string[]; names: string[] }

function chartInfo(xml: string): ChartInfo {
  const kind = /<c:(barChart|lineChart|pieChart|areaChart|scatterChart|doughnutChart)>/.exec(xml)?.[1] ?? '?';
  const barDir = /<c:barDir val="(\w+)"\/>/.exec(xml)?.[1];
  const refs = (tag: string) => [...xml.matchAll(new RegExp(`<c:${tag}>(?:<c:(?:numRef|strRef)>)<c:f>([^<]*)</c:f>`, 'g'))].map((m) => m[1]);
  const names = [...xml.matchAll(/<c:ser>.*?<c:tx>(?:<c:v>([^<]*)<\/c:v>|<c:strRef><c:f>([^<]*)<\/c:f>)/g)].map((m) => m[1] ?? `=${m[2]}`);
  return { kind, barDir, cats: refs('cat'), vals: refs('val'), names };
}

interface Anchored { kind: 'chart' | 'image'; col: number; row: number; target: string }

async function drawingOf(zip: JSZip, sheetNo: number): Promise<Anchored[]> {
  const srels = await zip.file(`xl/worksheets/_rels/sheet${sheetNo}.xml.rels`)!.async('string');
  const sheet = await zip.file(`xl/worksheets/sheet${sheetNo}.xml`)!.async('string');
  const rid = /<drawing r:id="(rId\d+)"\/>/.exec(sheet)?.[1];
  assert.ok(rid, 'the worksheet has a <drawing> element');
  const target = new RegExp(`Id="${rid}"[^>]*Target="\\.\\./drawings/(drawing\\d+\\.xml)"`).exec(srels)?.[1]
    ?? new RegExp(`Target="\\.\\./drawings/(drawing\\d+\\.xml)"[^>]*Id="${rid}"`).exec(srels)?.[1];
  assert.ok(target, 'the worksheet rels point at the drawing');
  const dxml = await zip.file(`xl/drawings/${target}`)!.async('string');
  const drels = await zip.file(`xl/drawings/_rels/${target}.rels`)!.async('string');
  const relTarget = (id: string) => new RegExp(`Id="${id}"[^>]*Target="\\.\\./([^"]+)"`).exec(drels)?.[1] ?? '';
  const out: Anchored[] = [];
  for (const m of dxml.matchAll(/<xdr:twoCellAnchor[^>]*><xdr:from><xdr:col>(\d+)<\/xdr:col><xdr:colOff>\d+<\/xdr:colOff><xdr:row>(\d+)<\/xdr:row>.*?(?:r:embed="(rId\d+)"|r:id="(rId\d+)").*?<\/xdr:twoCellAnchor>/g)) {
    out.push({ kind: m[3] ? 'image' : 'chart', col: Number(m[1]), row: Number(m[2]), target: relTarget(m[3] ?? m[4]) });
  }
  return out;
}

const CHART_SCRIPT = String.raw`
use strict; use warnings;
use Excel::Writer::XLSX;
my ($file, $image, $kill) = @ARGV;
my $wb = Excel::Writer::XLSX->new($file) or die "new: $!";
my $ws = $wb->add_worksheet('Sales');
my $other = $wb->add_worksheet('Other data');
my $bold = $wb->add_format(bold => 1);
$ws->write_row(0, 0, ['Month', 'North', 'South'], $bold);
my @m = qw(Jan Feb Mar Apr May Jun);
for my $i (0 .. 5) { $ws->write_row($i + 1, 0, [$m[$i], 10 + $i * 3, 30 - $i * 2]) }
$ws->write_url('A9', 'https://example.com/', undef, 'link');
$other->write_col('A1', [5, 6, 7]);
$ws->set_column('B:B', 20);

my $col = $wb->add_chart(type => 'column', embedded => 1, name => 'Column one');
$col->add_series(name => '=Sales!$B$1', categories => ['Sales', 1, 6, 0, 0], values => ['Sales', 1, 6, 1, 1], fill => { color => '#4472C4' });
$col->add_series(name => 'South', categories => '=Sales!$A$2:$A$7', values => '=Sales!$C$2:$C$7');
$col->set_title(name => 'By month');
$col->set_x_axis(name => 'Month');
$col->set_y_axis(name => 'Units', min => 0);
$col->set_legend(position => 'bottom');
$col->set_style(10);
my @rc;
push @rc, $ws->insert_chart('E2', $col, { x_offset => 10, y_offset => 5 });

my $line = $wb->add_chart(type => 'line', embedded => 1);
$line->add_series(categories => '=Sales!$A$2:$A$7', values => '=Sales!$B$2:$B$7', marker => { type => 'square' }, line => { color => 'red', width => 2 });
$line->add_series(categories => '=Sales!$A$2:$A$7', values => "='Other data'!\$A\$1:\$A\$3");
push @rc, $ws->insert_chart(20, 4, $line, { x_scale => 1.5, y_scale => 0.75 });

my $pie = $wb->add_chart(type => 'pie', embedded => 1);
$pie->add_series(name => 'Share', categories => '=Sales!$A$2:$A$4', values => '=Sales!$B$2:$B$4', data_labels => { percentage => 1 });
push @rc, $other->insert_chart('C3', $pie);

push @rc, $ws->insert_image('B12', $image, { x_offset => 3, y_offset => 4, x_scale => 2 });
push @rc, $other->insert_image(10, 1, $image);
if ($kill) {
    $wb->add_worksheet('After')->write(0, 0, 'x');    # flushes what came before
    CPANBridge::flush();
    open my $fh, '<', "$ENV{CPAN_BRIDGE_HOME}/daemon.pid" or die "no pid file";
    my $pid = <$fh>; chomp $pid; kill 'KILL', $pid;
    sleep 1;
}
# a change after insert_chart still counts (the real module renders charts at close)
$pie->set_title(name => 'Pie title');
print "RC=", join(',', map { defined $_ ? $_ : 'undef' } @rc), "\n";
print "CLOSE=", ($wb->close ? 1 : 0), "\n";
`;

async function partsOf(file: string): Promise<JSZip> {
  return JSZip.loadAsync(fs.readFileSync(file));
}

async function checkWorkbook(file: string, image: Buffer): Promise<void> {
  // exceljs reads it back
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  assert.equal(wb.getWorksheet('Sales')?.getCell('B2').value, 10);
  assert.equal(wb.getWorksheet('Sales')?.getCell('A7').value, 'Jun');
  // every XML part is well-formed
  const zip = await partsOf(file);
  for (const name of Object.keys(zip.files)) {
    if (/\.(xml|rels)$/.test(name)) wellFormed(name, await zip.file(name)!.async('string'));
  }
  const ct = await zip.file('[Content_Types].xml')!.async('string');
  for (const p of ['/xl/charts/chart1.xml', '/xl/charts/chart2.xml', '/xl/charts/chart3.xml', '/xl/drawings/drawing1.xml', '/xl/drawings/drawing2.xml']) {
    assert.ok(ct.includes(`PartName="${p}"`), `content type of ${p}`);
  }
  assert.match(ct, /<Default Extension="png" ContentType="image\/png"\/>/);

  // the drawings: anchors at the cells given, charts and images behind them
  const d1 = await drawingOf(zip, 1);
  assert.deepEqual(d1.map((a) => [a.kind, a.row, a.col]), [['image', 11, 1], ['chart', 1, 4], ['chart', 20, 4]]);
  const d2 = await drawingOf(zip, 2);
  assert.deepEqual(d2.map((a) => [a.kind, a.row, a.col]), [['image', 10, 1], ['chart', 2, 2]]);
  assert.equal(d1[0].target, d2[0].target, 'one media part for the same image');
  assert.deepEqual(await zip.file(`xl/${d1[0].target}`)!.async('nodebuffer'), image, 'image bytes are the file\'s');

  // the chart parts: types and the series references the script gave
  const chart = async (t: string) => chartInfo(await zip.file(`xl/${t}`)!.async('string'));
  const col = await chart(d1[1].target);
  assert.equal(col.kind, 'barChart');
  assert.equal(col.barDir, 'col');
  assert.deepEqual(col.cats, ['Sales!$A$2:$A$7', 'Sales!$A$2:$A$7']);
  assert.deepEqual(col.vals, ['Sales!$B$2:$B$7', 'Sales!$C$2:$C$7']);
  assert.deepEqual(col.names, ['=Sales!$B$1', 'South']);
  const colXml = await zip.file(`xl/${d1[1].target}`)!.async('string');
  assert.match(colXml, /<a:t>By month<\/a:t>/);
  assert.match(colXml, /<c:legendPos val="b"\/>/);
  assert.match(colXml, /<c:style val="10"\/>/);
  assert.match(colXml, /<c:strCache><c:ptCount val="6"\/><c:pt idx="0"><c:v>Jan<\/c:v>/, 'category cache from the cells');
  const line = await chart(d1[2].target);
  assert.equal(line.kind, 'lineChart');
  assert.deepEqual(line.vals, ['Sales!$B$2:$B$7', "'Other data'!$A$1:$A$3"]);
  const pie = await chart(d2[1].target);
  assert.equal(pie.kind, 'pieChart');
  assert.deepEqual(pie.cats, ['Sales!$A$2:$A$4']);
  assert.deepEqual(pie.vals, ['Sales!$B$2:$B$4']);
  assert.match(await zip.file(`xl/${d2[1].target}`)!.async('string'), /<a:t>Pie title<\/a:t>/, 'a change after insert_chart is rendered');

  // Spreadsheet::ParseXLSX opens it
  if (realModules) {
    const dump = dumpXlsx(file);
    assert.match(dump, /CELL\t1\t1\tNumeric\t10\t/);
    assert.match(dump, /SHEET\tOther data/);
  }
}

describe('excel: chart helpers', () => {
  it("chart ranges as Workbook::_get_chart_range reads them: quoted sheet names, single cells, 2D and odd ranges", () => {
    assert.deepEqual(chartRange("'My ''data'''!$B$2:$B$7"), ["My 'data'", 1, 1, 6, 1]);
    assert.deepEqual(chartRange('Sheet1!C3'), ['Sheet1', 2, 2, 2, 2]);
    assert.deepEqual(chartRange('Sheet1!$A$1:$C$1'), ['Sheet1', 0, 0, 0, 2]);
    assert.equal(chartRange('Sheet1!$A$1:$B$2'), undefined, 'a 2D range is not read');
    assert.equal(chartRange('A1:A3'), undefined, 'no sheet');
    // a non-contiguous range keeps its parenthesis in the sheet part (the caller gives it no data)
    assert.equal(chartRange('(Sheet1!$A$1:$A$2,Sheet1!$A$4:$A$5)')?.[0], '(Sheet1!$A$1:$A$2,Sheet1');
  });

  it("numbers as C's %.17g and %.15g print them", () => {
    assert.equal(g(0.13171062992125984, 17), '0.13171062992125984');
    assert.equal(g(0.5, 17), '0.5');
    assert.equal(g(1e-5, 17), '1.0000000000000001e-05');
    assert.equal(g(123456789012345680, 15), '1.23456789012346e+17');
    assert.equal(g(0.1 + 0.2, 15), '0.3');
  });
});

describe('excel: charts and images', () => {
  const dir = tempDir('cb-xcharts-');
  const imageFile = path.join(dir, 'logo.png');
  const image = png(40, 20);
  fs.writeFileSync(imageFile, image);

  it('a workbook with a column, a line and a pie chart and a PNG image', async () => {
    const out = path.join(dir, 'charts.xlsx');
    const r = await runPerl(CHART_SCRIPT, [out, imageFile], { bridge: true, home: home() });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /RC=1,2,1,1,1\n/, 'what the real module returns (its push)');
    assert.match(r.stdout, /CLOSE=1/);
    assert.doesNotMatch(r.stderr, /not supported/);
    await checkWorkbook(out, image);
  });

  it('the chart and drawing parts equal the real Excel::Writer::XLSX\'s', { skip: realModules ? false : 'needs libexcel-writer-xlsx-perl' }, async () => {
    const bridged = path.join(dir, 'same-bridge.xlsx');
    const real = path.join(dir, 'same-real.xlsx');
    const r1 = await runPerl(CHART_SCRIPT, [real, imageFile], { bridge: false });
    assert.equal(r1.status, 0, r1.stderr);
    const r2 = await runPerl(CHART_SCRIPT, [bridged, imageFile], { bridge: true, home: home() });
    assert.equal(r2.status, 0, r2.stderr);
    assert.equal(/RC=.*/.exec(r2.stdout)?.[0], /RC=.*/.exec(r1.stdout)?.[0]);
    const [zr, zb] = await Promise.all([partsOf(real), partsOf(bridged)]);
    const names = (z: JSZip) => Object.keys(z.files).filter((n) => /^xl\/(charts|drawings|media)\//.test(n)).sort();
    assert.deepEqual(names(zb), names(zr));
    for (const n of names(zr)) {
      const [a, b] = await Promise.all([zr.file(n)!.async('nodebuffer'), zb.file(n)!.async('nodebuffer')]);
      assert.equal(b.toString('latin1'), a.toString('latin1'), `${n} differs`);
    }
    assert.equal(dumpXlsx(bridged), dumpXlsx(real));
  });

  it('the daemon SIGKILLed after the charts and image were sent: close still writes them', async () => {
    const out = path.join(dir, 'killed.xlsx');
    const r = await runPerl(CHART_SCRIPT, [out, imageFile, '1'], { bridge: true, home: home() });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /CLOSE=1/);
    await checkWorkbook(out, image);
  });

  // Crash points in close and in the recorded calls (add_chart, add_series, insert_chart ...) and image uploads.
  const crashes = [...PHASES.map((p) => `excel.close#1:${p}`), 'excel.call#3:after_journal', 'excel.call#8:before_journal', 'excel.image_data#1:after_effect'];
  for (const spec of crashes) {
    it(`crash at ${spec}: the resent request completes the same workbook, no temporary file left`, async () => {
      const out = tempDir('cb-xcrash-');
      const target = path.join(out, 'crash.xlsx');
      const h = home();
      const r = await runPerl(CHART_SCRIPT, [target, imageFile], { bridge: true, home: h, env: { CPAN_BRIDGE_CRASH_AT: spec } });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /CLOSE=1/);
      // after_reply: the daemon writes its marker after the reply the script may already have exited on
      const marker = path.join(h, 'crash-at.fired');
      for (let i = 0; i < 100 && !fs.existsSync(marker); i++) await new Promise((res) => setTimeout(res, 50));
      assert.ok(fs.existsSync(marker), 'the crash point fired');
      await checkWorkbook(target, image);
      assert.deepEqual(fs.readdirSync(out).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left behind');
    });
  }

  it('PNG and JPEG sizes, DPI, scale and offsets position the image as the real module does', { skip: realModules ? false : 'needs libexcel-writer-xlsx-perl' }, async () => {
    const hi = path.join(dir, 'hi.png');
    fs.writeFileSync(hi, png(300, 150, 192));
    const jpg = path.join(dir, 'photo.jpg');
    fs.writeFileSync(jpg, jpegHeader(200, 100, 72));
    const script = String.raw`
use strict; use warnings;
use Excel::Writer::XLSX;
my ($file, $img, $jpg) = @ARGV;
my $wb = Excel::Writer::XLSX->new($file) or die;
my $ws = $wb->add_worksheet;
$ws->set_column(0, 2, 3);
$ws->set_row(3, 40);
$ws->set_row(5, undef, undef, 1);
$ws->insert_image(2, 1, $img, { x_offset => 70, y_offset => 50, y_scale => 0.5 });
$ws->insert_image('H20', $jpg, { x_offset => -30, y_offset => -10 });
my $c = $wb->add_chart(type => 'bar', embedded => 1, subtype => 'stacked');
$c->add_series(values => '=Sheet1!$A$1:$A$3', border => { color => 'black' });
$c->set_legend(none => 1);
$ws->insert_chart('D4', $c, 5, 7, 1.25, 2);
$wb->close;
`;
    const real = path.join(dir, 'pos-real.xlsx');
    const bridged = path.join(dir, 'pos-bridge.xlsx');
    const r1 = await runPerl(script, [real, hi, jpg], { bridge: false });
    assert.equal(r1.status, 0, r1.stderr);
    const r2 = await runPerl(script, [bridged, hi, jpg], { bridge: true, home: home() });
    assert.equal(r2.status, 0, r2.stderr);
    const [zr, zb] = await Promise.all([partsOf(real), partsOf(bridged)]);
    for (const n of ['xl/drawings/drawing1.xml', 'xl/charts/chart1.xml', 'xl/media/image2.jpeg', '[Content_Types].xml'].slice(0, 3)) {
      assert.equal(await zb.file(n)!.async('string'), await zr.file(n)!.async('string'), `${n} differs`);
    }
  });
});
