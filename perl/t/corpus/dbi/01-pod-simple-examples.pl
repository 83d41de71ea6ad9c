#!/usr/bin/perl
# Origin: DBI.pm POD (DBI 1.643), "Simple Examples": the complete program that
# inserts rows read from phone.csv (RaiseError, AutoCommit off, commit), the
# complete program that selects and fetches (manual checks with
# $DBI::errstr, NUM_OF_FIELDS, NAME, "die $sth->errstr if $sth->err") and the
# "convert fetched NULLs into empty strings" loop.
# Adapted: DSN is DBD::SQLite on the file given as $ARGV[0] (or $CORPUS_DB);
# the table is created first and phone.csv is written from __DATA__ next to
# the database; the two programs run one after the other in one script.
use strict;
use warnings;
use DBI;

my $dbfile = shift @ARGV || $ENV{CORPUS_DB} || 'phonebook.db';
(my $dir = $dbfile) =~ s{[^/]*\z}{};
my $csv = ($dir || './') . 'phone.csv';
my ($user, $password) = ('', '');

# --- set-up: schema and the input file
{
    my $dbh = DBI->connect("dbi:SQLite:dbname=$dbfile", $user, $password, { RaiseError => 1 });
    $dbh->do('CREATE TABLE mytelbook (name VARCHAR(40), phone VARCHAR(20))');
    $dbh->disconnect;
    open my $out, '>', $csv or die "Unable to write $csv: $!";
    print $out $_ while <DATA>;
    close $out;
}

# --- "insert some data from a file"
{
    my $dbh = DBI->connect("dbi:SQLite:dbname=$dbfile", $user, $password, {
        RaiseError => 1, AutoCommit => 0
    });

    my $sth = $dbh->prepare( q{
        INSERT INTO mytelbook (name, phone) VALUES (?, ?)
    });

    open FH, "<$csv" or die "Unable to open phone.csv: $!";
    while (<FH>) {
        chomp;
        my ($name, $phone) = split /,/;
        $sth->execute($name, $phone);
    }
    close FH;

    $dbh->commit;
    $dbh->disconnect;
}

# --- "select and fetch some data"
my $data_source = "dbi:SQLite:dbname=$dbfile";
my $dbh = DBI->connect($data_source, $user, $password)
    or die "Can't connect to $data_source: $DBI::errstr";

my $sth = $dbh->prepare( q{
        SELECT name, phone
        FROM mytelbook
}) or die "Can't prepare statement: $DBI::errstr";

my $rc = $sth->execute
    or die "Can't execute statement: $DBI::errstr";

print "Query will return $sth->{NUM_OF_FIELDS} fields.\n\n";
print "Field names: @{ $sth->{NAME} }\n";

my ($name, $phone);
while (($name, $phone) = $sth->fetchrow_array) {
    print "$name: $phone\n";
}
# check for problems which may have terminated the fetch early
die $sth->errstr if $sth->err;

# --- "convert fetched NULLs (undefined values) into empty strings"
$sth->execute;
while (my $row = $sth->fetchrow_arrayref) {
    # this is a fast and simple way to deal with nulls:
    foreach (@$row) { $_ = '' unless defined }
    print "@$row\n";
}

$dbh->disconnect;

__DATA__
Alice Archer,555-0100
Bob Baker,555-0101
Carol Chan,
Dave Dunn,555-0103
Eve Evans,555-0199
Frank Fox
