#!/usr/bin/perl
# Process mode (CPAN_BRIDGE_DAEMON=0) beside a live daemon: every call is its own process, which
# goes through the daemon; the handles belong to this script, so pauses longer than the daemon's
# orphan grace lose nothing. Usage: procmode.pl DB_FILE OUT_XLSX
use strict;
use warnings;
use FindBin;
use DBI;
use Excel::Writer::XLSX;
require "$FindBin::Bin/common.pl";
chaos_assert_shims('DBI.pm', 'Excel/Writer/XLSX.pm');

my ($db, $out) = @ARGV;
my $pause = $ENV{CHAOS_PAUSE} // 1.5;
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0, AutoCommit => 0 })
    or die "connect: $DBI::errstr\n";
my $ins = $dbh->prepare('INSERT INTO t (n, v) VALUES (?, ?)');
$ins->execute($_, "v$_") for 1 .. 3;
select undef, undef, undef, $pause;    # longer than the orphan grace
$ins->execute(4, 'v4');
chaos_step('commit', sub { $dbh->commit });
my $wb = Excel::Writer::XLSX->new($out) or die "cannot create $out\n";
my $ws = $wb->add_worksheet('Data');
select undef, undef, undef, $pause;
my $sth = $dbh->prepare('SELECT n, v FROM t ORDER BY n');
$sth->execute;
my $r = 0;
while (my @row = $sth->fetchrow_array) {
    $ws->write_row($r++, 0, \@row);
    select undef, undef, undef, $pause if $r == 2;
}
$wb->close or die "close failed\n";
$dbh->disconnect;
print "rows: $r\n";
