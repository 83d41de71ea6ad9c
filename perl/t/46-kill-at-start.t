#!/usr/bin/perl
# Daemons killed while they start: every node process of the state directory (the daemon the
# client starts, process-mode calls) is SIGKILLed some time after it
# appears, including within its first second, three times. The client starts a daemon again
# within its reconnect deadline, resends process-mode calls under the same id, and the job ends
# with every row of a 300-row read delivered once, in order.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use Time::HiRes qw(time sleep);

my $work = BridgeTest::work();    # databases and scripts: never in the state directory

my $script = BridgeTest::write_file("$work/read300.pl", <<'END_SCRIPT');
use strict; use warnings; use DBI;
$| = 1;
my $db = shift;
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });
$dbh->do('CREATE TABLE IF NOT EXISTS t (n INTEGER PRIMARY KEY, v TEXT)');
$dbh->do(q{WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 300)
           INSERT OR IGNORE INTO t SELECT n, 'v' || n FROM c});
my $sth = $dbh->prepare('SELECT n, v FROM t ORDER BY n');
$sth->execute;
while (my @r = $sth->fetchrow_array) {
    print "@r\n";
    sleep $ENV{JOB_PAUSE} if $r[0] == 100 && $ENV{JOB_PAUSE};    # a kill may come mid-read
}
$dbh->disconnect;
print "done\n";
END_SCRIPT

my $want = join('', map { "$_ v$_\n" } 1 .. 300) . "done\n";

sub kill_run {
    my ($name, $env, @delays) = @_;
    my $log = "$work/$name.kills";
    unlink $log;
    my $killer = BridgeTest::start_killer(delays => \@delays, log => $log, timeout => 150);
    my ($out, $err, $rc) = BridgeTest::run_script($script, { CPAN_BRIDGE_RECONNECT_TIMEOUT => 30, %$env },
        args => ["$work/$name.db"], timeout => 170);
    kill 'KILL', $killer;
    waitpid $killer, 0;
    my @kills = do { open my $fh, '<', $log or (); <$fh> };
    is($rc, 0, "$name: the job ends well") or diag("stderr: $err");
    is($out, $want, "$name: every row once, in order");
    unlike($err, qr/process_failed|exited 0 without a reply/, "$name: no call passed off as failed");
    cmp_ok(scalar @kills, '>=', 1, "$name: the fault struck (" . join('; ', map { s/\s+\z//r } @kills) . ')');
    return ($out, $err);
}

# daemon mode, autostart: the daemon killed 250 ms after it appears, three times (the job pauses
# mid-read: an autostart is one node start now, and the whole job can end within 250 ms of it)
kill_run('autostart', { JOB_PAUSE => 1 }, 0.25, 0.25, 0.25);

# the same at moments spread over the first second
srand(($ENV{CHAOS_SEED} // 46) + 0);
BridgeTest::run_cli('stop');
kill_run('autostart-random', { JOB_PAUSE => 1 }, map { sprintf '%.3f', rand 1 } 1 .. 3);

# process mode with no daemon: the call processes themselves killed as they start
BridgeTest::run_cli('stop');
kill_run('process-mode', { CPAN_BRIDGE_DAEMON => 0 }, 0.25, 0.1, 0.4);

# the fallback: no autostart, the daemon killed while it serves; process-mode calls killed too
BridgeTest::run_cli('stop');
BridgeTest::start_daemon();
kill_run('fallback', { CPAN_BRIDGE_AUTOSTART => 0, CPAN_BRIDGE_RECONNECT_TIMEOUT => 5, JOB_PAUSE => 2 }, 1, 0.25, 0.25);

done_testing;
