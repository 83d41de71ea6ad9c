#!/usr/bin/perl
# Origin: DBI.pm POD (DBI 1.643), "Outline Usage": connect with
# { RaiseError => 1, AutoCommit => 0 }; the typical SELECT sequence
# (prepare once, execute/fetch several times with a placeholder); the
# selectrow_hashref and selectall_arrayref({ Slice => {} }, $min, $max)
# wrappers; the non-SELECT sequence (prepare an INSERT, execute it per CSV
# line); do() returning rows affected, with and without bind values; commit;
# disconnect.
# Adapted: DBD::SQLite on $ARGV[0] / $CORPUS_DB; the POD's "table" is
# stock(foo, bar, baz); CSV lines come from __DATA__ instead of a file.
use DBI;
use strict;

my $dsn = 'dbi:SQLite:dbname=' . (shift(@ARGV) || $ENV{CORPUS_DB} || 'outline.db');
my ($user, $password) = ('', '');

my $dbh = DBI->connect($dsn, $user, $password,
                       { RaiseError => 1, AutoCommit => 0 });

$dbh->do('CREATE TABLE stock (foo VARCHAR(20), bar INTEGER, baz REAL)');

# non-SELECT: prepare, execute, execute, execute
my $sth = $dbh->prepare("INSERT INTO stock(foo,bar,baz) VALUES (?,?,?)");

while (<DATA>) {
    chomp;
    my ($foo, $bar, $baz) = split /,/;
    $sth->execute( $foo, $bar, $baz );
}

# SELECT: prepare, then execute, fetch, fetch, ... several times
$sth = $dbh->prepare("SELECT foo, bar FROM stock WHERE baz=? ORDER BY foo");

for my $baz (1.5, 2.25, 9) {
    print "baz = $baz\n";
    $sth->execute( $baz );
    my @row;
    while ( @row = $sth->fetchrow_array ) {
        print "  @row\n";
    }
}

my $baz = 2.25;
my $row_hashref = $dbh->selectrow_hashref("SELECT foo, bar FROM stock WHERE baz=?", undef, $baz);
print "first with baz=$baz: $row_hashref->{foo} / $row_hashref->{bar}\n";

my ($baz_min, $baz_max) = (1, 2.5);
my $arrayref_of_row_hashrefs = $dbh->selectall_arrayref(
    "SELECT foo, bar FROM stock WHERE baz BETWEEN ? AND ? ORDER BY bar",
    { Slice => {} }, $baz_min, $baz_max);
for my $r (@$arrayref_of_row_hashrefs) {
    print join(', ', map { "$_=$r->{$_}" } sort keys %$r), "\n";
}

my $rows_affected = $dbh->do("UPDATE stock SET bar = bar + 1");
print "updated $rows_affected rows\n";

my $foo = 'widget';
$rows_affected = $dbh->do("DELETE FROM stock WHERE foo = ?", undef, $foo);
print "deleted $rows_affected rows\n";

$dbh->commit;  # or call $dbh->rollback; to undo changes

my $count = $dbh->selectrow_array('SELECT COUNT(*) FROM stock');
print "$count rows left\n";

$dbh->disconnect;

__DATA__
widget,10,1.5
gadget,20,2.25
gizmo,30,1.5
widget,40,9
doohickey,50,2.25
