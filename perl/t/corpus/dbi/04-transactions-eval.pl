#!/usr/bin/perl
# Origin: DBI.pm POD, "Transactions" (the eval { ... } form of DBI <= 1.63:
# AutoCommit off, RaiseError on, commit as the last statement inside eval,
# 'warn "Transaction aborted because $@"' and 'eval { $dbh->rollback }'),
# Tim Bunce's DBI talks ("Transactions - Example code"), the accounts table
# of Gabor Szabo's DBI slides (szabgab/slides, perl-programming/examples/dbi/
# sample.sql, integrity_loss.pl: debit/credit via SELECT then UPDATE), and
# DBD::SQLite POD, "Transactions" (begin_work with AutoCommit on) and
# "$sth->finish and Transaction Rollback".
# Adapted: DBD::SQLite on $ARGV[0] / $CORPUS_DB; a CHECK constraint makes the
# overdrawing transfer fail inside the transaction.
use strict;
use warnings;
use DBI;

my $dbfile = shift || $ENV{CORPUS_DB} || 'bank.db';
my $dsn = "dbi:SQLite:dbname=$dbfile";
my $dbh = DBI->connect($dsn, '', '', { PrintError => 0 })
    or die "Cannot connect: $DBI::errstr";

$dbh->do(q{
    CREATE TABLE accounts (
        id       INTEGER PRIMARY KEY,
        owner    INTEGER UNIQUE NOT NULL,
        amount   INTEGER CHECK (amount >= 0)
    )
});
$dbh->do('INSERT INTO accounts (owner, amount) VALUES (?, ?)', undef, @$_)
    for [1, 1000], [2, 2000], [3, 0];

show('before');

$dbh->{AutoCommit} = 0;  # enable transactions, if possible
$dbh->{RaiseError} = 1;

for my $t ([1, 2, 100], [3, 1, 50], [2, 3, 700]) {
    my ($from, $to, $amount) = @$t;
    eval {
        debit($from, $amount);
        credit($to, $amount);
        $dbh->commit;   # commit the changes if we get this far
    };
    if ($@) {
        warn "Transaction aborted because $@";
        # now rollback to undo the incomplete changes
        # but do it in an eval{} as it may also fail
        eval { $dbh->rollback };
        print "transfer $from -> $to ($amount): rolled back\n";
    } else {
        print "transfer $from -> $to ($amount): committed\n";
    }
    show("after $from -> $to");
}

# AutoCommit on again, then begin_work / commit as in the DBD::SQLite POD
$dbh->{AutoCommit} = 1;
print "AutoCommit: $dbh->{AutoCommit}\n";
$dbh->begin_work;
print "in begin_work: AutoCommit=", ($dbh->{AutoCommit} ? 1 : 0), " BegunWork=", ($dbh->{BegunWork} ? 1 : 0), "\n";
$dbh->do('UPDATE accounts SET amount = amount + 1');
$dbh->commit;
print "after commit: AutoCommit=", ($dbh->{AutoCommit} ? 1 : 0), "\n";
show('interest paid');

# "$sth->finish and Transaction Rollback"
my $sth = $dbh->prepare('SELECT owner, amount FROM accounts ORDER BY owner');
$dbh->begin_work;
eval {
    $sth->execute;
    my $row = $sth->fetch;
    $dbh->do('UPDATE accounts SET amount = 0 WHERE owner = ?', undef, $row->[0]);
    die "For some reason\n";
};
if ($@) {
    print "error: $@";
    $sth->finish;  # You need this for SQLite
    $dbh->rollback;
} else {
    $dbh->commit;
}
show('after the failed batch');

$dbh->disconnect;

sub debit {
    credit($_[0], -1 * $_[1]);
}

sub credit {
    my ($owner, $amount) = @_;
    my $sth = $dbh->prepare("SELECT amount FROM accounts WHERE owner = ?");
    $sth->execute($owner);
    my ($current) = $sth->fetchrow_array();
    $sth->finish;
    $dbh->do("UPDATE accounts SET amount = ? WHERE owner = ?",
        undef, $current + $amount, $owner);
}

sub show {
    my ($label) = @_;
    my $rows = $dbh->selectall_arrayref('SELECT owner, amount FROM accounts ORDER BY owner');
    print "----- $label: ", join(', ', map { "$_->[0]=$_->[1]" } @$rows), "\n";
}
