#!/usr/bin/perl
# Origin: "Programming the Perl DBI", chapter 4, "Automatic error checking":
# PrintError (on by default) makes DBI warn() "DBD::...::db prepare failed:
# ..." and the script goes on; a $SIG{__WARN__} handler changes what those
# warnings look like (here: a log prefix and a count, as batch jobs do);
# ShowErrorStatement (Tim Bunce, "Advanced DBI" talk 2004, "Picking up the
# Pieces") appends the statement and ParamValues. Plus the warnings DBI
# itself gives to careless scripts: "commit ineffective with AutoCommit
# enabled" (DBI POD, "commit"), disconnect with an active statement handle,
# and a handle with an open transaction destroyed without disconnect
# ("Issuing rollback() due to DESTROY without explicit disconnect()"), also
# from helpers that only read with AutoCommit off.
# Adapted: DBD::SQLite on $ARGV[0] / $CORPUS_DB; a small orders table.
use strict;
use warnings;
use DBI;

my $db = shift || $ENV{CORPUS_DB} || 'orders.db';

my $warnings = 0;
local $SIG{__WARN__} = sub {
    $warnings++;
    my $msg = shift;
    print STDERR "[nightly] WARN: $msg";
};

my $dbh = DBI->connect("dbi:SQLite:dbname=$db", "", "");   # PrintError on, RaiseError off
$dbh->do('CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, total NUMERIC)');

my $sth = $dbh->prepare('INSERT INTO orders (id, customer, total) VALUES (?, ?, ?)');
$sth->execute(1, 'ACME', 19.99);
$sth->execute(2, 'Initech', 5);
$sth->execute(2, 'Globex', 7.5)                     # duplicate key: warned, not fatal
    or print "row 2 (Globex) skipped: ", $sth->errstr, "\n";
$sth->execute(3, undef, 1)                           # NOT NULL
    or print "row 3 skipped\n";

my $bad = $dbh->prepare('SELECT * FROM order_lines');
print "prepare returned ", (defined $bad ? 'a handle' : 'undef'), "\n";

my $n = $dbh->do('UPDATE orders SET total = total * 1.1 WHERE customerid = ?', undef, 'ACME');
print "do returned ", (defined $n ? $n : 'undef'), "\n";

$dbh->commit;    # AutoCommit is on: DBI warns

$dbh->{ShowErrorStatement} = 1;
my $sth2 = $dbh->prepare('INSERT INTO orders (id, customer, total) VALUES (?, ?, ?)');
$sth2->execute(1, "O'Reilly", 3)
    or print "with ShowErrorStatement: $DBI::errstr\n";

$dbh->{PrintError} = 0;
$dbh->do('DELETE FROM no_such_table') or print "quiet failure: $DBI::errstr\n";
$dbh->{PrintError} = 1;

# a statement still active at disconnect
my $open = $dbh->prepare('SELECT id, customer FROM orders ORDER BY id');
$open->execute;
my @first = $open->fetchrow_array;
print "first order: @first\n";
$dbh->disconnect;

# a second connection with an open transaction, dropped without disconnect
{
    my $dbh2 = DBI->connect("dbi:SQLite:dbname=$db", "", "", { AutoCommit => 0 });
    $dbh2->do('INSERT INTO orders (id, customer, total) VALUES (9, ?, 0)', undef, 'Lost Ltd');
}
my $dbh3 = DBI->connect("dbi:SQLite:dbname=$db", "", "", { RaiseError => 1 });
my ($lost) = $dbh3->selectrow_array('SELECT COUNT(*) FROM orders WHERE id = 9');
print "order 9 rows after the dropped transaction: $lost\n";
$dbh3->disconnect;

# helpers that connect with AutoCommit off (as the DBI docs advise stating it),
# only read, and let the handle go out of scope without disconnect
sub order_count {
    my $dbh = DBI->connect("dbi:SQLite:dbname=$db", "", "", { AutoCommit => 0, RaiseError => 1 });
    my ($n) = $dbh->selectrow_array('SELECT COUNT(*) FROM orders');
    return $n;
}
sub customers {
    my $dbh = DBI->connect("dbi:SQLite:dbname=$db", "", "", { AutoCommit => 0, RaiseError => 1 });
    my $sth = $dbh->prepare('SELECT customer FROM orders ORDER BY customer');
    $sth->execute;
    my @c;
    while (my ($c) = $sth->fetchrow_array) { push @c, $c }
    return @c;
}
print "orders: ", order_count(), "; customers: ", join(', ', customers()), "\n";

print "$warnings warnings\n";
