// Helpers of the excel tests: run a Perl script through the real Excel::Writer::XLSX or through
// the bridge (perl/lib + perl/compat first in @INC), and dump an xlsx file with an independent
// reader (Spreadsheet::ParseXLSX) into comparable lines.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { daemonEnv, daemonPid, PERL_COMPAT, PERL_LIB, tempDir } from '../helpers';

export { daemonPid };

export function haveRealModules(): boolean {
  const r = spawnSync('perl', ['-MExcel::Writer::XLSX', '-MSpreadsheet::ParseXLSX', '-e1'], { encoding: 'utf8' });
  return r.status === 0;
}

const DUMP = String.raw`
use strict; use warnings;
use Spreadsheet::ParseXLSX;
my $wb = Spreadsheet::ParseXLSX->new->parse($ARGV[0]) or die "parse failed: $ARGV[0]\n";
binmode STDOUT, ':utf8';
for my $ws ($wb->worksheets) {
    print "SHEET\t", $ws->get_name, "\n";
    my $m = $ws->get_merged_areas || [];
    print "MERGE\t", join(',', @$_), "\n" for sort { "@$a" cmp "@$b" } @$m;
    my $w = $ws->get_col_widths || [];
    for my $i (0 .. $#$w) { printf "COLW\t%d\t%.4f\n", $i, $w->[$i] if defined $w->[$i] }
    my ($rmin, $rmax) = $ws->row_range;
    my ($cmin, $cmax) = $ws->col_range;
    for my $r ($rmin .. $rmax) {
        for my $c ($cmin .. $cmax) {
            my $cell = $ws->get_cell($r, $c) or next;
            my $f = $cell->get_format;
            my $font = $f ? $f->{Font} : undef;
            my $nf = $f ? ($wb->{FormatStr}{ $f->{FmtIdx} } // '') : '';
            my $v = $cell->unformatted; $v = '' unless defined $v;
            $v = sprintf('%.10g', $v) if $cell->type eq 'Numeric' && $v =~ /^[-+0-9.eE]+$/;
            $v =~ s/\n/\\n/g;
            $v = 'len=' . length($v) . ':' . substr($v, 0, 20) if length($v) > 60;
            printf "CELL\t%d\t%d\t%s\t%s\t%s\tb=%d\ti=%d\tnf=%s\n", $r, $c, $cell->type, $v,
                ($cell->{Formula} // ''), ($font && $font->{Bold} ? 1 : 0), ($font && $font->{Italic} ? 1 : 0), $nf;
        }
    }
}
`;

let dumpFile: string | null = null;

/** Spreadsheet::ParseXLSX's view of a workbook, one line per sheet, merge, column width and cell. */
export function dumpXlsx(file: string): string {
  if (!dumpFile) {
    dumpFile = path.join(tempDir('cb-xdump-'), 'dump.pl');
    fs.writeFileSync(dumpFile, DUMP);
  }
  const r = spawnSync('perl', [dumpFile, file], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`dump of ${file} failed: ${r.stderr}`);
  return r.stdout;
}

export interface PerlRun { status: number | null; stdout: string; stderr: string }

/** Runs `script` with the real module (bridge = false) or on the bridge with state in `home`. */
export function runPerl(script: string, args: string[], opts: { bridge: boolean; home?: string; env?: Record<string, string>; cwd?: string }): Promise<PerlRun> {
  const dir = tempDir('cb-xscript-');
  const file = path.join(dir, 'script.pl');
  fs.writeFileSync(file, script);
  const inc = opts.bridge ? ['-I', PERL_LIB, '-I', PERL_COMPAT] : [];
  const env = opts.bridge && opts.home ? daemonEnv(opts.home, opts.env ?? {}) : { ...process.env, ...(opts.env ?? {}) };
  return new Promise((resolve) => {
    const child = spawn('perl', [...inc, file, ...args], { env, cwd: opts.cwd ?? dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Peak resident memory of a process (Linux VmHWM), in bytes. */
export function peakRss(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export function stopDaemon(home: string): void {
  const pid = daemonPid(home);
  if (pid) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
}

/** The report script of the fidelity test: the features scripts use, written the usual way. */
export const REPORT_SCRIPT = String.raw`
use strict; use warnings;
use Excel::Writer::XLSX;
print "INC=$INC{'Excel/Writer/XLSX.pm'}\n";
my $wb = Excel::Writer::XLSX->new($ARGV[0]) or die "new: $!";
my $ws = $wb->add_worksheet('Report');
my $title = $wb->add_format(bold => 1, size => 14, align => 'center', valign => 'vcenter', border => 1);
my $hdr = $wb->add_format(bold => 1, bg_color => '#DDDDDD', border => 1, text_wrap => 1);
my $money = $wb->add_format(num_format => '#,##0.00');
my $pct = $wb->add_format(num_format => '0.0%', italic => 1);
my $date = $wb->add_format(num_format => 'yyyy-mm-dd');
my $it = $wb->add_format();
$it->set_italic();
$it->set_color('red');
$ws->set_column('A:A', 24);
$ws->set_column(1, 3, 14, $money);
$ws->set_column('E:E', 11);
$ws->merge_range('A1:E1', 'Quarterly report', $title);
$ws->freeze_panes(2, 1);
$ws->write_row(1, 0, ['Region', 'Revenue', 'Cost', 'Margin', 'Date'], $hdr);
my @rc;
my $r = 2;
for my $region (qw(North South East West), "Zone \x{e9}t\x{e9}") {
    push @rc, $ws->write($r, 0, $region);
    push @rc, $ws->write($r, 1, 1000 * $r + 0.25);
    push @rc, $ws->write_number($r, 2, 400 * $r);
    push @rc, $ws->write_formula($r, 3, "=(B@{[$r+1]}-C@{[$r+1]})/B@{[$r+1]}", $pct, 0.5);
    push @rc, $ws->write_date_time($r, 4, sprintf('2024-%02d-15T00:00:00', $r), $date);
    $r++;
}
push @rc, $ws->write($r, 0, 'Total', $it);
push @rc, $ws->write($r, 1, "=SUM(B3:B$r)");
push @rc, $ws->write('C8', '=SUM(C3:C7)', $money, 12345);
push @rc, $ws->write('A10', '00123');
push @rc, $ws->write('A11', '-1.5e3');
push @rc, $ws->write('A12', 'https://example.com/x');
push @rc, $ws->write('A13', 'mailto:someone@example.com');
push @rc, $ws->write('A14', '');
push @rc, $ws->write('A15', undef, $hdr);
push @rc, $ws->write('A16', ' leading and trailing ');
push @rc, $ws->write('A17', "multi\nline\ttab");
push @rc, $ws->write_string('A18', '42');
push @rc, $ws->write_boolean('B18', 1);
push @rc, $ws->write_date_time('C18', 'not a date', $date);
push @rc, $ws->write(1048576, 0, 'too far');
push @rc, $ws->write('A19', 'x' x 33000);
$ws->keep_leading_zeros();
push @rc, $ws->write('A20', '007');
my $s2 = $wb->add_worksheet();
$s2->write_col('B2', [1, 2, 3, 'four', [5, 6]]);
$s2->set_column('B:B', 30);
$s2->merge_range(10, 0, 12, 2, 77, $money);
my $s3 = $wb->add_worksheet('Empty');
print "RC=", join(',', @rc), "\n";
print "CLOSE=", ($wb->close ? 1 : 0), "\n";
`;
