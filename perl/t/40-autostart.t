#!/usr/bin/perl
# 20 Perl clients started at once with no daemon running: exactly one daemon
# is started (autostart under flock) and all 20 succeed.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use Time::HiRes qw(time);

my $home = BridgeTest::home();
my $work = BridgeTest::work();
ok !-e "$home/daemon.pid" && !-e "$home/bridge.sock", 'no daemon before';

my $script = BridgeTest::write_file("$home/client.pl", <<"EOF2");
use strict;
use warnings;
use DBI;
\$| = 1;
my \$n = shift;
my \$dbh = DBI->connect("dbi:SQLite:dbname=$work/c\$n.db", '', '', { RaiseError => 1 });
\$dbh->do('CREATE TABLE t (n INTEGER)');
\$dbh->do('INSERT INTO t VALUES (?)', undef, \$n);
my (\$got) = \$dbh->selectrow_array('SELECT n FROM t');
\$dbh->disconnect;
print "ok \$got\\n";
EOF2

my %env = (
    CPAN_BRIDGE_CLI      => "$^X $FindBin::Bin/lib/count_cli.pl",
    BRIDGE_TEST_REAL_CLI => BridgeTest::cli(),
    CPAN_BRIDGE_FALLBACK => 0,    # a client that could not get the daemon must fail, not fall back
);
my @kids;
for my $n (1 .. 20) {
    my $pid = fork // die;
    if (!$pid) {
        %ENV = (%ENV, %env);
        open STDOUT, '>', "$home/out.$n";
        open STDERR, '>', "$home/err.$n";
        exec $^X, $script, $n or POSIX::_exit(127);
    }
    push @kids, $pid;
}
my $end = time + 50;
my %rc;
while (keys %rc < @kids && time < $end) {
    for my $p (@kids) {
        next if exists $rc{$p};
        my $w = waitpid($p, POSIX::WNOHANG());
        $rc{$p} = $? >> 8 if $w == $p;
    }
    select undef, undef, undef, 0.02;
}
kill 'KILL', grep { !exists $rc{$_} } @kids;

my $ok = 0;
for my $n (1 .. 20) {
    open my $fh, '<', "$home/out.$n";
    my $l = <$fh> // '';
    if ($l eq "ok $n\n") { $ok++ }
    else {
        diag "client $n: '$l' " . do { open my $e, '<', "$home/err.$n"; local $/; <$e> // '' };
    }
}
is $ok, 20, 'all 20 clients succeeded';
is scalar(grep { $_ == 0 } values %rc), 20, 'all exited 0';

open my $lf, '<', "$home/daemon-starts.log";
my @starts = $lf ? <$lf> : ();
is scalar(@starts), 1, 'exactly one daemon start' or diag @starts;
my $pid = BridgeTest::daemon_pid();
ok BridgeTest::alive($pid), "daemon $pid alive";

done_testing;
