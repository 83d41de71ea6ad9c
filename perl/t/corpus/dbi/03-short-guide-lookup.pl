#!/usr/bin/perl
# Origin: Mark-Jason Dominus, "A Short Guide to DBI" (perl.com, 1999): the
# people lookup program -- connect "or die ... DBI->errstr", prepare a SELECT
# with a placeholder "or die ... $dbh->errstr", then per name typed:
# execute "or die ... $sth->errstr", fetchrow_array loop, "No names
# matched" when $sth->rows == 0, $sth->finish; and the guide's INSERT with
# $dbh->quote and with do() and placeholders.
# Adapted: DBD::SQLite on $ARGV[0] / $CORPUS_DB instead of DBD::mysql; the
# table is created and filled first; the names come from __DATA__ instead of
# the terminal (so the prompt is printed once per name read).
use DBI;
use strict;
use warnings;

my $db = shift || $ENV{CORPUS_DB} || 'people.db';
my $dbh = DBI->connect("DBI:SQLite:dbname=$db", '', '')
              or die "Couldn't connect to database: " . DBI->errstr;

$dbh->do('CREATE TABLE people (lastname VARCHAR(30), firstname VARCHAR(30), id INTEGER)')
    or die "Couldn't create table: " . $dbh->errstr;

# the guide's two ways of inserting a row
my ($first, $last, $id) = ("Peter", "O'Toole", 119);
my $fq = $dbh->quote($first);
my $lq = $dbh->quote($last);
$dbh->do("INSERT INTO people (lastname, firstname, id) VALUES ($lq, $fq, $id)")
    or die "Couldn't insert: " . $dbh->errstr;

my $ins = $dbh->prepare('INSERT INTO people (lastname, firstname, id) VALUES (?, ?, ?)')
    or die "Couldn't prepare statement: " . $dbh->errstr;
for my $p (['Smith', 'John', 101], ['Smith', 'Mary', 102], ['Jones', 'Bob', 103], ['Ng', 'Ann', 104]) {
    $ins->execute(@$p) or die "Couldn't execute statement: " . $ins->errstr;
}

my $sth = $dbh->prepare('SELECT * FROM people WHERE lastname = ?')
              or die "Couldn't prepare statement: " . $dbh->errstr;

my $lastname;
print "Enter name> ";
while ($lastname = <DATA>) {               # Read input from the user
    my @data;
    chomp $lastname;
    print "$lastname\n";
    $sth->execute($lastname)             # Execute the query
        or die "Couldn't execute statement: " . $sth->errstr;

    # Read the matching records and print them out
    while (@data = $sth->fetchrow_array()) {
        my $firstname = $data[1];
        my $id = $data[2];
        print "\t$id: $firstname $lastname\n";
    }

    if ($sth->rows == 0) {
        print "No names matched `$lastname'.\n\n";
    }

    $sth->finish;
    print "\n";
    print "Enter name> ";
}
print "\n";

$sth->finish;
$dbh->disconnect;

__DATA__
Smith
O'Toole
Nobody
Jones
