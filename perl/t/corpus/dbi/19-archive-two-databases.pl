#!/usr/bin/perl
# Origin: no single source -- the common archive job: one handle per
# database, a SELECT cursor read while the other handle inserts, commit every
# N rows with AutoCommit off ("$dbh->commit unless $dbh->{AutoCommit}", the
# DBI POD's "commit" advice), rows deleted on the source connection while its
# SELECT cursor is still open (which DBD::SQLite allows: DBD::SQLite POD,
# "$sth->finish and Transaction Rollback" discusses open cursors), and a
# final count check with selectrow_array.
# Adapted: two DBD::SQLite files, $ARGV[0] / $CORPUS_DB and the same name
# with "-archive.db"; events created here.
use strict;
use warnings;
use DBI;

my $db = shift || $ENV{CORPUS_DB} || 'events.db';
(my $archive = $db) =~ s/(\.db)?\z/-archive.db/;
my $batch = 3;

my $src = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, AutoCommit => 1 })
    or die $DBI::errstr;
my $dst = DBI->connect("dbi:SQLite:dbname=$archive", '', '', { RaiseError => 1, AutoCommit => 0 })
    or die $DBI::errstr;

$src->do('CREATE TABLE events (id INTEGER PRIMARY KEY, happened TEXT, kind TEXT, detail TEXT)');
$dst->do('CREATE TABLE events_archive (id INTEGER PRIMARY KEY, happened TEXT, kind TEXT, detail TEXT, archived_by TEXT)');
$dst->commit;

my $ins = $src->prepare('INSERT INTO events (happened, kind, detail) VALUES (?, ?, ?)');
my @kinds = qw(login logout error login purchase);
for my $d (1 .. 12) {
    $ins->execute(sprintf('2023-%02d-15', $d), $kinds[$d % @kinds], $d % 4 ? "event $d" : undef);
}

my $sel = $src->prepare('SELECT id, happened, kind, detail FROM events WHERE happened < ? ORDER BY id');
my $put = $dst->prepare('INSERT INTO events_archive (id, happened, kind, detail, archived_by) VALUES (?, ?, ?, ?, ?)');
my $del = $src->prepare('DELETE FROM events WHERE id = ?');

$sel->execute('2023-09-01');
my ($moved, $pending) = (0, 0);
while (my $row = $sel->fetchrow_arrayref) {
    $put->execute(@$row, 'nightly');
    $del->execute($row->[0]);
    $moved++;
    if (++$pending >= $batch) {
        $dst->commit unless $dst->{AutoCommit};
        print "committed a batch at id $row->[0]\n";
        $pending = 0;
    }
}
$dst->commit unless $dst->{AutoCommit};
print "moved $moved events\n";

my ($left) = $src->selectrow_array('SELECT COUNT(*) FROM events');
my ($arch) = $dst->selectrow_array('SELECT COUNT(*) FROM events_archive');
my ($nulls) = $dst->selectrow_array('SELECT COUNT(*) FROM events_archive WHERE detail IS NULL');
print "left in source: $left, in archive: $arch (without detail: $nulls)\n";
die "counts do not add up\n" unless $left + $arch == 12;

# a second run finds nothing to move
$sel->execute('2023-09-01');
my $none = $sel->fetchall_arrayref;
print "second run: ", scalar(@$none), " rows\n";

$dst->disconnect;
$src->disconnect;
