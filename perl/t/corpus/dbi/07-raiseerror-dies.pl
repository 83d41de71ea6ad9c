#!/usr/bin/perl
# Origin: the load job of DBI.pm POD "Simple Examples" ("This example uses
# RaiseError to avoid needing to check each call") and "Programming the Perl
# DBI" chapter 4, ch04/error/ex2 (RaiseError => 1: any failing DBI call
# die()s, the script stops with DBI's message and exit status 255).
# Adapted: DBD::SQLite on $ARGV[0] / $CORPUS_DB; the job commits per batch of
# two and prints its progress; the fourth record repeats a key, so the
# uncaught die ends the script with the second batch uncommitted; an END
# block reports, as such jobs do.
use strict;
use warnings;
use DBI;

my $db = shift || $ENV{CORPUS_DB} || 'load.db';
$| = 1;

my $dbh = DBI->connect("dbi:SQLite:dbname=$db", "", "", {
    RaiseError => 1, PrintError => 0, AutoCommit => 0,
});

$dbh->do('CREATE TABLE products (sku TEXT PRIMARY KEY, title TEXT, price NUMERIC)');
$dbh->commit;

my $sth = $dbh->prepare('INSERT INTO products (sku, title, price) VALUES (?, ?, ?)');
my $n = 0;
while (my $line = <DATA>) {
    chomp $line;
    my ($sku, $title, $price) = split /\|/, $line;
    $sth->execute($sku, $title, $price);
    $n++;
    print "loaded $sku\n";
    if ($n % 2 == 0) {
        $dbh->commit;
        print "committed $n\n";
    }
}
$dbh->commit;
print "done: $n products\n";
$dbh->disconnect;

END { print "END: exit status $?\n" }

__DATA__
A-100|Anvil|49.90
B-200|Bucket|3.5
C-300|Crowbar|12
A-100|Anvil (again)|49.90
D-400|Drill|89
