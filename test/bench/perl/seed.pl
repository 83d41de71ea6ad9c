#!/usr/bin/perl
# The seed workflow, written against the original CPAN APIs (unchanged DBI + Excel::Writer::XLSX
# code): connect, create workbook, prepare, execute, fetch and write 100 rows, close.
# Runs natively or on the bridge depending on PERL5LIB. Prints "BENCH {json}".
#   seed.pl DB OUT.xlsx [ITERATIONS]
use strict;
use warnings;
use Time::HiRes ();
our $T0;
BEGIN { $T0 = Time::HiRes::time() }
use DBI;
use Excel::Writer::XLSX;
my $T1 = Time::HiRes::time();

my ($db, $out, $iters) = @ARGV;
$iters ||= 1;
my (@work, @close, $rows);
for my $it (1 .. $iters) {
    my $t = Time::HiRes::time();
    my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0, AutoCommit => 1 });
    my $wb = Excel::Writer::XLSX->new($out) or die "cannot create $out\n";
    my $ws = $wb->add_worksheet('Report');
    my $bold = $wb->add_format(bold => 1);
    my $sth = $dbh->prepare('SELECT id, region, product, qty, price, sold FROM sales ORDER BY id LIMIT 100');
    $sth->execute;
    $ws->write_row(0, 0, $sth->{NAME}, $bold);
    my $r = 1;
    while (my $row = $sth->fetchrow_arrayref) {
        $ws->write($r, $_, $row->[$_]) for 0 .. $#$row;
        $r++;
    }
    $sth->finish;
    my $tc = Time::HiRes::time();
    $wb->close or die "close failed\n";
    push @close, (Time::HiRes::time() - $tc) * 1000;
    $dbh->disconnect;
    push @work, (Time::HiRes::time() - $t) * 1000;
    $rows = $r - 1;
}
my $backend = $INC{'CPANBridge/Codec.pm'} ? CPANBridge::Codec::backend() : 'native';
printf "BENCH {\"load_ms\":%.3f,\"work_ms\":[%s],\"close_ms\":[%s],\"rows\":%d,\"codec\":\"%s\",\"pid\":%d}\n",
    ($T1 - $T0) * 1000, join(',', map { sprintf '%.3f', $_ } @work), join(',', map { sprintf '%.3f', $_ } @close), $rows, $backend, $$;
