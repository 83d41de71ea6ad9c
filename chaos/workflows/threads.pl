#!/usr/bin/perl
# Perl ithreads: 4 threads at once, each with its own connection, 40 inserts and reads each,
# while the main thread holds a connection of its own. Usage: threads.pl DB_FILE
use strict;
use warnings;
use threads;
use FindBin;
use DBI;
require "$FindBin::Bin/common.pl";
chaos_assert_shims('DBI.pm');

my ($db) = @ARGV;
my %attr = (RaiseError => 1, PrintError => 0, AutoCommit => 1, sqlite_busy_timeout => 60000);
my $main = DBI->connect("dbi:SQLite:dbname=$db", '', '', \%attr) or die "connect: $DBI::errstr\n";
my @t = map {
    my $k = $_;
    threads->create(sub {
        my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', \%attr) or die "connect: $DBI::errstr\n";
        my $ins = $dbh->prepare('INSERT INTO t (thread, n) VALUES (?, ?)');
        my $sum = 0;
        for my $n (1 .. 40) {
            $ins->execute($k, $n);
            # a read after each insert: what this thread wrote is there
            my ($s) = $dbh->selectrow_array('SELECT sum(n) FROM t WHERE thread = ?', undef, $k);
            $sum = $s;
        }
        $dbh->disconnect;
        return "thread $k: sum $sum";
    });
} 1 .. 4;
print $_->join, "\n" for @t;
my ($count, $total, $threads) = $main->selectrow_array('SELECT count(*), sum(n), count(DISTINCT thread) FROM t');
print "main: rows $count sum $total threads $threads\n";
$main->disconnect;
die "rows lost or doubled: $count rows, sum $total\n" unless $count == 160 && $total == 3280;
