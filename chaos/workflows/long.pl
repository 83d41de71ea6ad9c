#!/usr/bin/perl
# A long job: one cursor and one workbook stay open for many steps, a second statement is run
# between fetches, and progress rows are recorded with AutoCommit on (exactly-once with the
# marker table). Usage: long.pl DB_FILE OUT_XLSX
use strict;
use warnings;
use FindBin;
use DBI;
use Excel::Writer::XLSX;
require "$FindBin::Bin/common.pl";
chaos_assert_shims('DBI.pm', 'Excel/Writer/XLSX.pm');

my ($db, $out) = @ARGV;
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0, AutoCommit => 1 })
    or die "connect: $DBI::errstr\n";
my $wb = Excel::Writer::XLSX->new($out) or die "cannot create $out\n";
my $log = $wb->add_worksheet('Log');
my $tot = $wb->add_worksheet('Totals');
my $bold = $wb->add_format(bold => 1);
$log->write_row(0, 0, ['Id', 'Kind', 'Value', 'Note'], $bold);
$tot->write_row(0, 0, ['Upto', 'Kind', 'Count', 'Sum'], $bold);

my $cur = $dbh->prepare('SELECT id, kind, value, note FROM events ORDER BY id');
my $look = $dbh->prepare('SELECT COUNT(*), SUM(value) FROM events WHERE kind = ? AND id <= ?');
my $prog = $dbh->prepare('INSERT INTO progress (upto, kind, cnt) VALUES (?, ?, ?)');
$cur->execute;
my ($n, $t) = (0, 0);
my $hi;
while (my $row = $cur->fetchrow_hashref) {
    $n++;
    $log->write_number($n, 0, $row->{id});
    $log->write_string($n, 1, $row->{kind});
    $log->write_number($n, 2, $row->{value});
    $log->write($n, 3, $row->{note});
    if ($n % 100 == 0) {
        $hi ||= $wb->add_format(bg_color => 'yellow', num_format => '0.000');   # a format created mid-job
        $look->execute($row->{kind}, $row->{id});
        my ($c, $s) = $look->fetchrow_array;
        $look->finish;
        $t++;
        $tot->write_number($t, 0, $row->{id});
        $tot->write_string($t, 1, $row->{kind});
        $tot->write_number($t, 2, $c);
        $tot->write_number($t, 3, $s, $hi);
        chaos_step("progress $row->{id}", sub { $prog->execute($row->{id}, $row->{kind}, $c) });
    }
}
$cur->finish;
$wb->close or die "workbook close failed\n";
my ($pc) = $dbh->selectrow_array('SELECT COUNT(*) FROM progress');
$dbh->disconnect;
print "events=$n totals=$t progress=$pc\n";
exit 0;
