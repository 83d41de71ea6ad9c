#!/usr/bin/perl
# Bulk export through unchanged DBI + Excel::Writer::XLSX code: every row of a table, one cell
# write per value. BENCH_OPTIMIZE=1 calls set_optimization() (the real module's constant-memory
# mode; a no-op on the bridge). Prints "BENCH {json}".
#   bulk.pl DB OUT.xlsx
use strict;
use warnings;
use Time::HiRes ();
our $T0;
BEGIN { $T0 = Time::HiRes::time() }
use DBI;
use Excel::Writer::XLSX;
my $T1 = Time::HiRes::time();

my ($db, $out) = @ARGV;
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });
my $wb = Excel::Writer::XLSX->new($out) or die "cannot create $out\n";
$wb->set_optimization() if $ENV{BENCH_OPTIMIZE};
my $ws = $wb->add_worksheet('Export');
my $sth = $dbh->prepare('SELECT id, name, city, amount, qty, created FROM export ORDER BY id');
$sth->execute;
$ws->write_row(0, 0, $sth->{NAME});
my $r = 1;
# this process's own CPU (user + system) in the loop and the close: the Perl side's part of the bound
sub cpu { my ($u, $s) = times; $u + $s }
my $cf = cpu();
my $tf = Time::HiRes::time();
while (my $row = $sth->fetchrow_arrayref) {
    for my $c (0 .. $#$row) { $ws->write($r, $c, $row->[$c]) }
    $r++;
}
my $tw = Time::HiRes::time();
my $cw = cpu();
$wb->close or die "close failed\n";
my $tc = Time::HiRes::time();
my $cc = cpu();
$dbh->disconnect;
my $T2 = Time::HiRes::time();
my $backend = $INC{'CPANBridge/Codec.pm'} ? CPANBridge::Codec::backend() : 'native';
printf "BENCH {\"load_ms\":%.3f,\"work_ms\":%.3f,\"loop_ms\":%.3f,\"close_ms\":%.3f,\"loop_cpu_ms\":%.0f,\"close_cpu_ms\":%.0f,\"rows\":%d,\"codec\":\"%s\"}\n",
    ($T1 - $T0) * 1000, ($T2 - $T1) * 1000, ($tw - $tf) * 1000, ($tc - $tw) * 1000, ($cw - $cf) * 1000, ($cc - $cw) * 1000, $r - 1, $backend;
