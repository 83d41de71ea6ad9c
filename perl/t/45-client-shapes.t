#!/usr/bin/perl
# The client shapes batch jobs create: Perl ithreads (each its own connection, concurrently and
# one after another), a forked child, process mode beside a running daemon with pauses longer
# than the orphan grace. Each script's output is compared with the same script on the real
# DBI + DBD::SQLite where those are installed. (Daemons killed while they start: 46-kill-at-start.t.)
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use Config;
use Time::HiRes qw(time sleep);

my $work = BridgeTest::work();    # databases and scripts: never in the state directory
my $have_real = BridgeTest::have_real_dbd_sqlite();

# Runs $code on the bridge (and on the real DBI when installed); returns the bridge's output.
sub run_both {
    my ($name, $code, $env, %opt) = @_;
    my ($out, $err, $rc) = BridgeTest::run_perl($code, $env, timeout => $opt{timeout} || 90, args => $opt{args});
    is($rc, 0, "$name: exits 0 on the bridge") or diag("stderr: $err\nstdout: $out");
    if ($have_real) {
        my ($rout, $rerr, $rrc) = BridgeTest::run_perl_real($code, timeout => 90, args => $opt{real_args} || $opt{args});
        is($out, $rout, "$name: the same output as the real DBI") or diag("real stderr: $rerr");
    }
    return ($out, $err);
}

SKIP: {
    skip 'this perl has no ithreads', 4 unless $Config{useithreads};

    # 4 threads at once, each its own connection, 40 inserts and a sum; the main thread holds a
    # connection of its own meanwhile (this hung, and lost rows, when threads shared the client).
    # With the marker table each insert is a transaction of its own in the daemon: the four
    # connections wait for each other's locks as DBD::SQLite's busy timeout does.
    BridgeTest::run_cli('stop');
    my ($out) = run_both('concurrent threads', <<'END_SCRIPT', { CPAN_BRIDGE_MARKER_TABLE => 1 }, args => ["$work/threads.db"], real_args => ["$work/threads-real.db"]);
use strict; use warnings; use threads; use DBI;
my $db = shift;
unlink $db;
my $main = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0, sqlite_busy_timeout => 30000 });
$main->do('CREATE TABLE t (thread INTEGER, n INTEGER)');
my @t = map {
    my $k = $_;
    threads->create(sub {
        my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0, sqlite_busy_timeout => 30000 });
        my $sum;
        for my $n (1 .. 40) {
            $dbh->do('INSERT INTO t VALUES (?, ?)', undef, $k, $n);
            ($sum) = $dbh->selectrow_array('SELECT sum(n) FROM t WHERE thread = ?', undef, $k);
        }
        my ($one) = $dbh->selectrow_array('SELECT 1');
        $dbh->disconnect;
        return "thread $k: sum $sum one $one";
    });
} 1 .. 4;
print $_->join, "\n" for @t;
print 'main: ', join(',', $main->selectrow_array('SELECT count(*), sum(n), count(DISTINCT thread) FROM t')), "\n";
$main->disconnect;
END_SCRIPT
    is($out, join('', map { "thread $_: sum 820 one 1\n" } 1 .. 4) . "main: 160,3280,4\n", 'concurrent threads: every row and every sum');
    BridgeTest::run_cli('stop');

    # threads one after another, each inserting with do; the main thread's next call gets its own reply
    ($out) = run_both('sequential threads', <<'END_SCRIPT', {}, args => ["$work/seq.db"], real_args => ["$work/seq-real.db"]);
use strict; use warnings; use threads; use DBI;
my $db = shift;
unlink $db;
my $main = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });
$main->do('CREATE TABLE t (v TEXT)');
my $sth = $main->prepare('SELECT count(*) FROM t');
for my $k (1 .. 3) {
    my $r = threads->create(sub {
        my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });
        return $dbh->do('INSERT INTO t VALUES (?)', undef, "row$k");
    })->join;
    print "thread $k do: $r\n";
}
$sth->execute;
print 'count: ', $sth->fetchrow_array, "\n";
$sth->finish;
print 'rows: ', join(',', @{ $main->selectcol_arrayref('SELECT v FROM t ORDER BY v') }), "\n";
$main->disconnect;
END_SCRIPT
    is($out, "thread 1 do: 1\nthread 2 do: 1\nthread 3 do: 1\ncount: 3\nrows: row1,row2,row3\n", 'sequential threads: three rows, the main thread its own replies');

    # a handle made in one thread cannot be used in another: DBI's own error, whatever RaiseError says
    ($out) = run_both('handle of another thread', <<'END_SCRIPT', {}, args => ["$work/own.db"]);
use strict; use warnings; use threads; use DBI;
my $db = shift;
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 0, PrintError => 0 });
my $msg = threads->create(sub {
    my $r = eval { $dbh->selectrow_array('SELECT 1'); 1 };
    (my $e = $@) =~ s/thread [0-9a-f]+ not current thread [0-9a-f]+/thread X not current thread Y/;
    $e =~ s/ at \S+ line \d+\.\n//;
    return ($r ? 'worked' : "died: $e");
})->join;
print "$msg\n";
print 'main still works: ', $dbh->selectrow_array('SELECT 2'), "\n";
END_SCRIPT
    like($out, qr/^died: DBD::SQLite::db selectrow_array failed: handle 2 is owned by thread X not current thread Y \(handles can't be shared between threads/m,
        'a handle of another thread: DBI\'s error');
    like($out, qr/^main still works: 2$/m, 'the owning thread keeps its handle');
}

# a forked child connects on its own; the parent's handle keeps working
{
    my ($out) = run_both('fork', <<'END_SCRIPT', {}, args => ["$work/fork.db"], real_args => ["$work/fork-real.db"]);
use strict; use warnings; use DBI;
my $db = shift;
unlink $db;
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });
$dbh->do('CREATE TABLE t (who TEXT)');
$dbh->do("INSERT INTO t VALUES ('parent')");
my $pid = fork // die;
if (!$pid) {
    $dbh->{InactiveDestroy} = 1;
    my $c = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });
    $c->do("INSERT INTO t VALUES ('child')") for 1 .. 3;
    $c->disconnect;
    exit 0;
}
waitpid $pid, 0;
print "child exit: $?\n";
$dbh->do("INSERT INTO t VALUES ('parent')");
print join(',', map { "@$_" } @{ $dbh->selectall_arrayref('SELECT who, count(*) FROM t GROUP BY who ORDER BY who') }), "\n";
$dbh->disconnect;
END_SCRIPT
    is($out, "child exit: 0\nchild 3,parent 2\n", 'fork: the child\'s rows and the parent\'s');
}

# process mode beside a live daemon: the handles belong to the script, not to each call process,
# so pauses longer than the orphan grace lose nothing
{
    BridgeTest::write_file("$work/config.json", '{"orphan_grace_seconds": 1}');
    local $ENV{CPAN_BRIDGE_CONFIG} = "$work/config.json";
    my $dpid = BridgeTest::start_daemon();
    my ($out) = run_both('process mode beside a daemon', <<'END_SCRIPT', { CPAN_BRIDGE_DAEMON => 0 }, args => ["$work/pm.db"], real_args => ["$work/pm-real.db"], timeout => 120);
use strict; use warnings; use DBI;
my $db = shift;
unlink $db;
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0, AutoCommit => 0 });
$dbh->do('CREATE TABLE t (n INTEGER)');
my $ins = $dbh->prepare('INSERT INTO t VALUES (?)');
$ins->execute($_) for 1 .. 3;
sleep 3;    # longer than the daemon's orphan grace
$ins->execute(4);
$dbh->commit;
my $sth = $dbh->prepare('SELECT n FROM t ORDER BY n');
$sth->execute;
print 'first: ', ($sth->fetchrow_array)[0], "\n";
sleep 3;
my @rest; while (my ($n) = $sth->fetchrow_array) { push @rest, $n }
print "rest: @rest\n";
$dbh->disconnect;
END_SCRIPT
    is($out, "first: 1\nrest: 2 3 4\n", 'process mode beside a daemon: handles kept across pauses');
    ok(BridgeTest::alive($dpid), 'the daemon served them');
    # once the script has gone, its handles go too (the orphan sweep)
    my $deadline = time + 15;
    my $left;
    while (time < $deadline) {
        my ($j) = BridgeTest::run_cli('status', '--json');
        ($left) = $j =~ /"handles":\s*(\d+)/;
        last if defined $left && $left == 0;
        sleep 0.3;
    }
    is($left, 0, 'the ended script\'s handles were released');
    BridgeTest::run_cli('stop');
    unlink "$work/config.json";
}

done_testing;
