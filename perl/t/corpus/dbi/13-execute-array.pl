#!/usr/bin/perl
# Origin: DBI.pm POD, "execute_array": the staff example (column-wise
# \@first_names, \@last_names with ArrayTupleStatus => \my @tuple_status,
# "Successfully inserted $tuples records", the failure loop with
# '$status = [0, "Skipped"] unless defined $status' and $status->[1]);
# list context ($tuples, $rows); a scalar bind value repeated for every
# tuple; ArrayTupleFetch with a code ref; "bind_param_array" before
# execute_array; the execute_array-with-AutoCommit-off advice ("explicit
# commit after each execute_array call").
# Adapted: DBD::SQLite on $ARGV[0] / $CORPUS_DB; staff has a UNIQUE
# constraint so that one batch has failing tuples.
use strict;
use warnings;
use DBI;

my $db = shift || $ENV{CORPUS_DB} || 'staff.db';
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", "", "", { RaiseError => 0, PrintError => 0, AutoCommit => 0 });

$dbh->do('CREATE TABLE staff (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, dept TEXT, UNIQUE (first_name, last_name))')
    or die $dbh->errstr;

my @first_names = qw(Ada Grace Alan);
my @last_names  = qw(Lovelace Hopper Turing);

my $sth = $dbh->prepare("INSERT INTO staff (first_name, last_name) VALUES (?, ?)");
my $tuples = $sth->execute_array(
    { ArrayTupleStatus => \my @tuple_status },
    \@first_names,
    \@last_names,
);
if ($tuples) {
    print "Successfully inserted $tuples records\n";
}
else {
    print "first batch failed\n";
}
print "status: @tuple_status\n";
$dbh->commit;

# a second batch with two duplicates
@first_names = qw(Edsger Grace Barbara Alan);
@last_names  = qw(Dijkstra Hopper Liskov Turing);
$tuples = $sth->execute_array(
    { ArrayTupleStatus => \@tuple_status },
    \@first_names,
    \@last_names,
);
if ($tuples) {
    print "Successfully inserted $tuples records\n";
}
else {
    print "execute_array returned ", (defined $tuples ? "'$tuples'" : 'undef'), "; errstr: ", $sth->errstr, "\n";
    for my $tuple (0..@last_names-1) {
        my $status = $tuple_status[$tuple];
        $status = [0, "Skipped"] unless defined $status;
        next unless ref $status;
        printf "Failed to insert (%s, %s): %s\n",
            $first_names[$tuple], $last_names[$tuple], $status->[1];
    }
}
$dbh->commit;

# list context, and a scalar bound for every tuple
my $upd = $dbh->prepare('UPDATE staff SET dept = ? WHERE last_name = ?');
my ($t, $rows) = $upd->execute_array({ ArrayTupleStatus => \my @st2 }, 'R&D', [qw(Lovelace Turing Nobody)]);
print "update: tuples=$t rows=$rows status=@st2\n";

# ArrayTupleFetch from a code ref
my @queue = (['Katherine', 'Johnson'], ['Margaret', 'Hamilton']);
$tuples = $sth->execute_array({ ArrayTupleFetch => sub { shift @queue } });
print "fetched tuples inserted: $tuples\n";

# bind_param_array then execute_array
$sth->bind_param_array(1, [qw(Donald John)]);
$sth->bind_param_array(2, [qw(Knuth Backus)]);
$tuples = $sth->execute_array({});
print "bind_param_array tuples: $tuples\n";

# nothing to do
$tuples = $sth->execute_array({}, [], []);
print "empty batch: $tuples\n";

$dbh->commit;

my $all = $dbh->selectall_arrayref('SELECT id, first_name, last_name, dept FROM staff ORDER BY id');
print join(' ', map { defined $_ ? $_ : 'NULL' } @$_), "\n" for @$all;

$dbh->disconnect;
