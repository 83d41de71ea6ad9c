#!/usr/bin/perl
# Forked children: each connects on its own and inserts, while the parent keeps its connection
# and an open workbook across the forks. Usage: fork.pl DB_FILE OUT_XLSX
use strict;
use warnings;
use FindBin;
use DBI;
use Excel::Writer::XLSX;
require "$FindBin::Bin/common.pl";
chaos_assert_shims('DBI.pm', 'Excel/Writer/XLSX.pm');

my ($db, $out) = @ARGV;
my %attr = (RaiseError => 1, PrintError => 0, AutoCommit => 1, sqlite_busy_timeout => 60000);
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', \%attr) or die "connect: $DBI::errstr\n";
my $wb = Excel::Writer::XLSX->new($out) or die "cannot create $out\n";
my $ws = $wb->add_worksheet('Rows');
$ws->write_row(0, 0, ['Who', 'N']);
$dbh->do('INSERT INTO t (who, n) VALUES (?, ?)', undef, 'parent', $_) for 1 .. 5;
my @kids;
for my $c (1 .. 2) {
    my $pid = fork // die "fork: $!\n";
    if (!$pid) {
        $dbh->{InactiveDestroy} = 1;    # the parent's handle stays the parent's
        my $mine = DBI->connect("dbi:SQLite:dbname=$db", '', '', \%attr) or die "connect: $DBI::errstr\n";
        my $ins = $mine->prepare('INSERT INTO t (who, n) VALUES (?, ?)');
        $ins->execute("child$c", $_) for 1 .. 20;
        $mine->disconnect;
        exit 0;
    }
    push @kids, $pid;
}
for my $pid (@kids) {
    waitpid $pid, 0;
    die "child $pid exited $?\n" if $?;
}
$dbh->do('INSERT INTO t (who, n) VALUES (?, ?)', undef, 'parent', $_) for 6 .. 10;
my $sth = $dbh->prepare('SELECT who, n FROM t ORDER BY who, n');
$sth->execute;
my $r = 1;
while (my @row = $sth->fetchrow_array) { $ws->write_row($r++, 0, \@row) }
$wb->close or die "close failed\n";
my ($count) = $dbh->selectrow_array('SELECT count(*) FROM t');
print "rows: $count\n";
$dbh->disconnect;
die "rows lost or doubled: $count\n" unless $count == 50;
