#!/usr/bin/perl
# Origin: DBD::SQLite POD, "Functions And Bind Parameters": the query
# 'SELECT bar FROM foo GROUP BY bar HAVING count(*) > ?' executed with 5
# "doesn't work as you might expect" because bind values are text by
# default, and the four workarounds: bind_param(1, 5, SQL_INTEGER),
# "(? + 0)", "cast(? as integer)" and sqlite_see_if_its_a_number; the
# "1.230 inserted as text with SQL_VARCHAR" example; and "Blobs"
# (bind_param(1, $blob, SQL_BLOB)) with typeof() showing what was stored.
# Adapted: DBD::SQLite on $ARGV[0] / $CORPUS_DB; foo(bar) filled so that one
# bar value occurs more than 5 times.
use strict;
use warnings;
use DBI qw(:sql_types);  # Don't forget this

my $db = shift || $ENV{CORPUS_DB} || 'types.db';
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, AutoCommit => 1 });

$dbh->do('CREATE TABLE foo (bar)');
my $ins = $dbh->prepare('INSERT INTO foo (bar) VALUES (?)');
$ins->execute($_) for ('a') x 7, ('b') x 5, ('c') x 2;

sub show { my ($label, $sth) = @_; print "$label: ", join(',', map { $_->[0] } @{ $sth->fetchall_arrayref }), "\n" }

my $sth = $dbh->prepare(q{
    SELECT bar FROM foo GROUP BY bar HAVING count(*) > ?;
});
$sth->execute(5);
show('plain execute(5)', $sth);

$sth->bind_param(1, 5, SQL_INTEGER);
$sth->execute();
show('bind_param SQL_INTEGER', $sth);

$sth = $dbh->prepare(q{
    SELECT bar FROM foo GROUP BY bar HAVING count(*) > (? + 0);
});
$sth->execute(5);
show('(? + 0)', $sth);

$sth = $dbh->prepare(q{
    SELECT bar FROM foo GROUP BY bar HAVING count(*) > cast(? as integer);
});
$sth->execute(5);
show('cast(? as integer)', $sth);

my $dbh2 = DBI->connect("dbi:SQLite:dbname=$db", undef, undef, {
    AutoCommit => 1,
    RaiseError => 1,
    sqlite_see_if_its_a_number => 1,
});
$sth = $dbh2->prepare(q{
    SELECT bar FROM foo GROUP BY bar HAVING count(*) > ?;
});
$sth->execute(5);
show('sqlite_see_if_its_a_number', $sth);

# what gets stored in an untyped column
$dbh2->do('CREATE TABLE val (v)');
my $sv = $dbh2->prepare('INSERT INTO val (v) VALUES (?)');
$sv->execute(42);
$sv->execute('1.230');
$sv->bind_param(1, '1.230', SQL_VARCHAR);
$sv->execute;
$sv = $dbh->prepare('INSERT INTO val (v) VALUES (?)');
$sv->execute(42);
$sv->execute(4.5);
$sv->bind_param(1, "\x00\x01\xffPNG", SQL_BLOB);
$sv->execute;
for my $r (@{ $dbh->selectall_arrayref('SELECT rowid, typeof(v), length(v), hex(v) FROM val ORDER BY rowid') }) {
    print "row $r->[0]: $r->[1] length=$r->[2] hex=$r->[3]\n";
}
my ($blob) = $dbh->selectrow_array(q{SELECT v FROM val WHERE typeof(v) = 'blob'});
print "blob back: ", length($blob), " bytes, ", unpack('H*', $blob), "\n";

$dbh2->disconnect;
$dbh->disconnect;
