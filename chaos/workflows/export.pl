#!/usr/bin/perl
# A large export: every row of a table into one worksheet. Usage: export.pl DB_FILE OUT_XLSX
use strict;
use warnings;
use FindBin;
use DBI;
use Excel::Writer::XLSX;
require "$FindBin::Bin/common.pl";
chaos_assert_shims('DBI.pm', 'Excel/Writer/XLSX.pm');

my ($db, $out) = @ARGV;
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 })
    or die "connect: $DBI::errstr\n";
my $wb = Excel::Writer::XLSX->new($out) or die "cannot create $out\n";
my $ws = $wb->add_worksheet('Export');
my $hdr = $wb->add_format(bold => 1);
my $money = $wb->add_format(num_format => '0.00');
$ws->write_row(0, 0, ['id', 'code', 'label', 'qty', 'price'], $hdr);
my $sth = $dbh->prepare('SELECT id, code, label, qty, price FROM big ORDER BY id');
$sth->execute;
my ($r, $sum) = (0, 0);
while (my $row = $sth->fetchrow_arrayref) {
    $r++;
    $ws->write_row($r, 0, [@{$row}[0 .. 3]]);
    $ws->write_number($r, 4, $row->[4], $money);
    $sum += $row->[3];
}
$wb->close or die "workbook close failed\n";
$dbh->disconnect;
print "rows=$r qty=$sum\n";
exit 0;
