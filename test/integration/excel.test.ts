// The excel module through real Perl and a real daemon: fidelity against the real
// Excel::Writer::XLSX (read back by Spreadsheet::ParseXLSX), crash recovery (SIGKILL at seeded
// points and at every CRASH_AT phase of close), journal cleanup, and memory.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { PHASES } from '../../src/faults';
import { eventually, tempDir } from '../helpers';
import { rng } from '../helpers';
import { daemonPid, dumpXlsx, haveRealModules, peakRss, REPORT_SCRIPT, runPerl, stopDaemon } from './excel-helpers';

const homes: string[] = [];
function home(): string {
  const h = tempDir('cb-xhome-');
  fs.chmodSync(h, 0o700);
  homes.push(h);
  return h;
}
after(() => {
  for (const h of homes) stopDaemon(h);
});

const skip = haveRealModules() ? false : 'needs libexcel-writer-xlsx-perl and libspreadsheet-parsexlsx-perl';

describe('excel: fidelity with the real Excel::Writer::XLSX', { skip }, () => {
  it('the same report script gives the same workbook, read by Spreadsheet::ParseXLSX', async () => {
    const out = tempDir('cb-xout-');
    const real = path.join(out, 'real.xlsx');
    const bridged = path.join(out, 'bridge.xlsx');
    const r1 = await runPerl(REPORT_SCRIPT, [real], { bridge: false });
    assert.equal(r1.status, 0, r1.stderr);
    const r2 = await runPerl(REPORT_SCRIPT, [bridged], { bridge: true, home: home() });
    assert.equal(r2.status, 0, r2.stderr);
    assert.match(r2.stdout, /INC=.*\/perl\/compat\/Excel\/Writer\/XLSX\.pm/, 'the shim, not the real module, was loaded');
    assert.doesNotMatch(r1.stdout, /perl\/compat/);
    // Return codes of write() and close().
    const rc = (s: string) => /RC=(.*)/.exec(s)?.[1];
    assert.equal(rc(r2.stdout), rc(r1.stdout));
    assert.match(r2.stdout, /CLOSE=1/);
    assert.equal(dumpXlsx(bridged), dumpXlsx(real));
  });
});

/** 20,000 cells over 3 worksheets with formats, written in three different orders. */
const CRASH_SCRIPT = String.raw`
use strict; use warnings;
use Excel::Writer::XLSX;
my ($file, @kills) = @ARGV;
my %kill = map { $_ => 1 } @kills;
my $wb = Excel::Writer::XLSX->new($file) or die "new: $!";
my @f = ($wb->add_format(bold => 1), $wb->add_format(italic => 1, num_format => '0.00'), $wb->add_format(num_format => 'yyyy-mm-dd', border => 1));
my @ws = map { $wb->add_worksheet("S$_") } 1 .. 3;
$_->set_column(0, 5, 12 + $_->get_name =~ tr/0-9//) for @ws;
$ws[0]->merge_range('A1:C1', 'Merged', $f[0]);
$ws[1]->freeze_panes(1, 0);
my $n = 0;
sub kill_daemon {
    open my $fh, '<', "$ENV{CPAN_BRIDGE_HOME}/daemon.pid" or return;
    my $pid = <$fh>; chomp $pid; kill 'KILL', $pid if $pid;
}
my @cells;
for my $s (0 .. 2) { for my $r (1 .. 1111) { for my $c (0 .. 5) { push @cells, [$s, $r, $c] } } }
my @order = (grep({ $_->[0] == 0 } @cells), reverse(grep { $_->[0] == 1 } @cells), sort { $a->[2] <=> $b->[2] || $a->[1] <=> $b->[1] } grep { $_->[0] == 2 } @cells);
for my $cell (@order) {
    my ($s, $r, $c) = @$cell;
    my $v = ($r * 7 + $c) % 3 == 0 ? "t$s-$r-$c" : $r * 10 + $c + $s / 4;
    $ws[$s]->write($r, $c, $v, $f[($r + $c) % 3]);
    kill_daemon() if $kill{++$n};
}
print "CELLS=$n\n";
print "CLOSE=", ($wb->close ? 1 : 0), "\n";
`;

async function crashRun(target: string, h: string, kills: number[], env: Record<string, string> = {}): Promise<{ sizes: Set<number> }> {
  const sizes = new Set<number>();
  const timer = setInterval(() => {
    try { sizes.add(fs.statSync(target).size); } catch { /* not there yet */ }
  }, 2);
  try {
    const r = await runPerl(CRASH_SCRIPT, [target, ...kills.map(String)], { bridge: true, home: h, env });
    assert.equal(r.status, 0, `script failed: ${r.stderr}`);
    assert.match(r.stdout, /CELLS=19998/);
    assert.match(r.stdout, /CLOSE=1/, r.stderr);
  } finally {
    clearInterval(timer);
  }
  return { sizes };
}

describe('excel: crash recovery', () => {
  let golden = '';
  const goldenFile = () => {
    if (!golden) throw new Error('golden not built');
    return golden;
  };

  it('no-crash run (golden)', { skip }, async () => {
    const out = tempDir('cb-xout-');
    const target = path.join(out, 'golden.xlsx');
    await crashRun(target, home(), []);
    golden = dumpXlsx(target);
    assert.match(golden, /SHEET\tS3/);
  });

  it('SIGKILL of the daemon at 5 seeded points while writing: same file, never a partial one', { skip }, async () => {
    const rnd = rng(20240601);
    const kills = Array.from({ length: 5 }, () => 1 + Math.floor(rnd() * 19990)).sort((a, b) => a - b);
    const out = tempDir('cb-xout-');
    const target = path.join(out, 'killed.xlsx');
    const h = home();
    const { sizes } = await crashRun(target, h, kills);
    const final = fs.statSync(target).size;
    assert.deepEqual([...sizes].filter((s) => s !== final), [], 'a partial file appeared at the target path');
    assert.equal(dumpXlsx(target), goldenFile());
  });

  for (const phase of PHASES) {
    it(`crash at excel.close#1:${phase}: the resent close produces the whole file`, { skip }, async () => {
      const out = tempDir('cb-xout-');
      const target = path.join(out, `crash-${phase}.xlsx`);
      const h = home();
      const { sizes } = await crashRun(target, h, [], { CPAN_BRIDGE_CRASH_AT: `excel.close#1:${phase}` });
      // after_reply: the script may have its reply and finish before the daemon marks the point
      assert.ok(await eventually(() => fs.existsSync(path.join(h, 'crash-at.fired'))), 'the crash point fired');
      const final = fs.statSync(target).size;
      assert.deepEqual([...sizes].filter((s) => s !== final), []);
      assert.equal(dumpXlsx(target), goldenFile());
      assert.deepEqual(fs.readdirSync(out).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left behind');
    });
  }
});

function excelRows(h: string): number {
  const db = new Database(path.join(h, 'journal.sqlite'), { readonly: true, fileMustExist: true });
  try {
    let n = 0;
    for (const t of ['excel_workbooks', 'excel_sheets', 'excel_formats', 'excel_row_cells', 'excel_lost_strings', 'excel_rows', 'excel_items']) {
      n += db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
    }
    n += db.prepare("SELECT count(*) FROM handles WHERE module = 'excel'").pluck().get() as number;
    return n;
  } finally {
    db.close();
  }
}

const BIG_SCRIPT = String.raw`
use strict; use warnings;
use Excel::Writer::XLSX;
my ($file, $rows, $cols, $second) = @ARGV;
my $wb = Excel::Writer::XLSX->new($file) or die "new: $!";
my $wb2 = $second ? Excel::Writer::XLSX->new($second) : undef;
my $ws = $wb->add_worksheet('Data');
my $ws2 = $wb2 ? $wb2->add_worksheet('Other') : undef;
my $b = $wb->add_format(bold => 1);
# column by column: not the order the file is written in
for my $c (0 .. $cols - 1) {
    for my $r (0 .. $rows - 1) {
        $ws->write($r, $c, $c % 2 ? "s$r-$c" : $r * $c + 0.5, $r == 0 ? $b : undef);
        $ws2->write($r, $c, $r + $c) if $ws2 && $r % 5 == 0;
    }
}
print "WRITTEN\n";
print "CLOSE=", ($wb->close ? 1 : 0), "\n";
print "CLOSE2=", ($wb2->close ? 1 : 0), "\n" if $wb2;
`;

describe('excel: journal and memory', () => {
  it('after 200,000 cells and close, the journal keeps no record of the workbook', async () => {
    const h = home();
    const out = tempDir('cb-xout-');
    const r = await runPerl(BIG_SCRIPT, [path.join(out, 'b.xlsx'), '20000', '10'], { bridge: true, home: h });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /CLOSE=1/);
    assert.equal(excelRows(h), 0);
  });

  it('1,000,000 cells in column order (and a second workbook open): daemon peak RSS < 300 MiB', { timeout: 600_000 }, async () => {
    const h = home();
    const out = tempDir('cb-xout-');
    const r = await runPerl(BIG_SCRIPT, [path.join(out, 'big.xlsx'), '100000', '10', path.join(out, 'second.xlsx')], { bridge: true, home: h });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /CLOSE=1/);
    assert.match(r.stdout, /CLOSE2=1/);
    const pid = daemonPid(h);
    assert.ok(pid, 'daemon running');
    const peak = peakRss(pid!);
    assert.ok(peak !== null, 'peak RSS readable');
    assert.ok(peak! < 300 * 1024 * 1024, `daemon peak RSS ${Math.round(peak! / 1048576)} MiB`);
    assert.equal(excelRows(h), 0);
    if (haveRealModules()) {
      const dump = dumpXlsx(path.join(out, 'big.xlsx'));
      assert.equal(dump.split('\n').filter((l) => l.startsWith('CELL')).length, 1_000_000);
    }
  });
});
