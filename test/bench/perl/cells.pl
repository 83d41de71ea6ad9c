#!/usr/bin/perl
# Journal size: WORKBOOKS workbooks of CELLS cells each, through the unchanged Excel::Writer::XLSX
# API. MODE closed: each is closed after its cells. MODE open: one workbook; after its cells are
# acknowledged the script prints "READY" and waits for a line on stdin before closing it.
#   cells.pl OUTDIR MODE WORKBOOKS CELLS
use strict;
use warnings;
use Time::HiRes ();
use Excel::Writer::XLSX;
use CPANBridge ();
$| = 1;
my ($dir, $mode, $nwb, $cells) = @ARGV;
my $cols = 10;
my ($tw, $tc) = (0, 0);
for my $k (1 .. $nwb) {
    my $t = Time::HiRes::time();
    my $wb = Excel::Writer::XLSX->new("$dir/cells-$k.xlsx") or die;
    my $ws = $wb->add_worksheet('C');
    for my $i (0 .. $cells - 1) { $ws->write(int($i / $cols), $i % $cols, $i % 4 ? $i * 1.5 : "text $i") }
    $wb->_flush;
    CPANBridge::flush();
    my $t1 = Time::HiRes::time();
    $tw += $t1 - $t;
    if ($mode eq 'open') {
        print "READY\n";
        my $go = <STDIN>;
    }
    my $t2 = Time::HiRes::time();
    $wb->close or die;
    $tc += Time::HiRes::time() - $t2;
    unlink "$dir/cells-$k.xlsx";
}
printf "BENCH {\"write_ms\":%.3f,\"close_ms\":%.3f,\"writes\":%d}\n", $tw * 1000, $tc * 1000, $nwb * $cells;
