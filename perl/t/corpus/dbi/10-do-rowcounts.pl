#!/usr/bin/perl
# Origin: DBI.pm POD, "do" ("returns the number of rows affected ... or -1 if
# not known ... If no rows were affected, then do returns "0E0", which Perl
# will treat as 0 but will regard as true"), "execute" (same "0E0" rule) and
# "rows"; the common batch-job idioms built on them: 'my $rows = $dbh->do(...)
# or die', 'if ($rows == 0)', 'printf "%d rows"', '$rows += 0' before
# printing, and 'if ($rv eq "0E0")' -- no single source: the idioms as
# tutorials and cleanup jobs commonly write them.
# Adapted: DBD::SQLite on $ARGV[0] / $CORPUS_DB; a session-cleanup job.
use strict;
use warnings;
use DBI;

my $db = shift || $ENV{CORPUS_DB} || 'sessions.db';
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", "", "", { RaiseError => 1, PrintError => 0 })
    or die $DBI::errstr;

my $rv = $dbh->do('CREATE TABLE sessions (id INTEGER PRIMARY KEY, user TEXT, age_days INTEGER, active INTEGER)');
print "CREATE TABLE: $rv\n";

my $sth = $dbh->prepare('INSERT INTO sessions (user, age_days, active) VALUES (?, ?, ?)');
my $inserted = 0;
for my $s (['ann', 1, 1], ['bob', 45, 0], ['cid', 90, 0], ['dee', 3, 1], ['eve', 400, 0]) {
    $inserted += $sth->execute(@$s);
}
print "inserted $inserted sessions\n";

my $rows = $dbh->do('DELETE FROM sessions WHERE age_days > ?', undef, 1000)
    or die "delete failed: " . $dbh->errstr;
print "delete old: rows = $rows\n";
print "nothing to delete\n" if $rows == 0;
print "rv is the string 0E0\n" if $rows eq '0E0';
printf "%d sessions purged\n", $rows;
$rows += 0;
print "purged (numeric): $rows\n";

$rows = $dbh->do('DELETE FROM sessions WHERE age_days > ? AND active = 0', undef, 30);
print "delete stale: rows = $rows\n";

$rows = $dbh->do(q{UPDATE sessions SET active = 0 WHERE user = 'nobody'});
print "update nobody: ", ($rows ? "true ($rows)" : "false"), "\n";

$sth = $dbh->prepare('UPDATE sessions SET age_days = age_days + 1 WHERE active = ?');
for my $flag (1, 0) {
    my $n = $sth->execute($flag);
    print "execute(active=$flag): $n, rows() = ", $sth->rows, "\n";
}

$sth = $dbh->prepare('SELECT user, age_days FROM sessions ORDER BY user');
my $ex = $sth->execute;
print "SELECT execute returned $ex, rows() before fetching = ", $sth->rows, "\n";
my $fetched = 0;
$fetched++ while $sth->fetchrow_arrayref;
print "fetched $fetched, rows() after fetching = ", $sth->rows, "\n";

$rv = $dbh->do('INSERT INTO sessions (user, age_days, active) SELECT user || ?, age_days, active FROM sessions', undef, '2');
print "INSERT ... SELECT: $rv\n";
$rv = $dbh->do('DELETE FROM sessions');
print "DELETE all: $rv\n";
$rv = $dbh->do('DROP TABLE sessions');
print "DROP TABLE: $rv\n";

$dbh->disconnect;
