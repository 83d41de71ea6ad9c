#!/usr/bin/perl
# DBD-private methods on the bridge: sqlite_busy_timeout changes how long a write waits for
# another connection's lock, and keeps doing so after the daemon is killed and replaced; the
# methods that would call back into the script's Perl code fail saying so (IM001).
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use DBI;
use Time::HiRes ();
use POSIX ();

my $work = BridgeTest::work();
my $db = "$work/private.db";
BridgeTest::start_daemon();

my $holder = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });
$holder->do('CREATE TABLE t (v INTEGER)');
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 0, PrintError => 0, sqlite_busy_timeout => 60000 });
is $dbh->sqlite_busy_timeout, 60000, 'the connect attribute is the timeout';
is $dbh->sqlite_busy_timeout(0), 0, 'set to 0: returns the new value';
is $dbh->sqlite_busy_timeout, 0, 'and reads it back';

# another connection holds the write lock: with no busy timeout the write fails at once
sub locked_write {
    $holder->begin_work;
    $holder->do('INSERT INTO t VALUES (1)');
    my $t0 = Time::HiRes::time();
    my $ok = $dbh->do('INSERT INTO t VALUES (2)');
    my $took = Time::HiRes::time() - $t0;
    my $err = $dbh->errstr // '';
    $holder->rollback;
    return ($ok, $err, $took);
}
my ($ok, $err, $took) = locked_write();
ok !$ok, 'the write failed while another connection held the lock';
like $err, qr/database is locked/, 'as SQLITE_BUSY: database is locked';
# the connect attribute would have waited 60 s: a failure well before that is the new timeout
cmp_ok $took, '<', 20, 'it did not wait for the 60 s of the connect attribute';

# the daemon dies: the replacement keeps the connection's timeout (journaled with its state)
my $old = BridgeTest::kill_daemon();
ok $dbh->do('SELECT 1'), 'the connection is back after the daemon was killed';
isnt BridgeTest::daemon_pid(), $old, 'served by a new daemon';
($ok, $err, $took) = locked_write();
ok !$ok && $err =~ /database is locked/, 'after the restart the write still fails at once';
cmp_ok $took, '<', 20, 'the restarted connection kept sqlite_busy_timeout(0)';

ok $dbh->sqlite_busy_timeout(60000), 'set back to 60 s';
# a child process holds the lock for a second, then releases it: the write waits and succeeds
pipe(my $r_end, my $w_end) or die "pipe: $!";
my $pid = fork // die "fork: $!";
if (!$pid) {
    close $r_end;
    $holder->{InactiveDestroy} = 1;
    my $c = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });
    $c->begin_work;
    $c->do('INSERT INTO t VALUES (3)');
    syswrite $w_end, "held\n";
    Time::HiRes::sleep(1);
    $c->rollback;
    $c->disconnect;
    POSIX::_exit(0);
}
close $w_end;
is scalar(<$r_end>), "held\n", 'the child holds the write lock';
ok $dbh->do('INSERT INTO t VALUES (4)'), 'with a timeout a write waits for the lock and succeeds once it is released';
waitpid $pid, 0;
is $?, 0, 'the child released it and ended';

# Perl callbacks cannot run in the daemon
my $r = eval { $dbh->sqlite_create_function('twice', 1, sub { 2 * shift }) };
ok !$r, 'sqlite_create_function fails';
like $dbh->errstr, qr/not supported by the bridge: .*Perl callback/, 'saying why';
is $dbh->state, 'IM001', "with DBI's state for what a driver lacks";

is $dbh->sqlite_last_insert_rowid, ($dbh->selectrow_array('SELECT max(rowid) FROM t'))[0], 'sqlite_last_insert_rowid';
is $dbh->sqlite_db_filename, $db, 'sqlite_db_filename';
$dbh->disconnect;
$holder->disconnect;
done_testing;
