#!/usr/bin/perl
# A daemon that stops answering but keeps its state directory (SIGSTOP, a hung
# process) for longer than the client's read timeout: the client cannot start
# another daemon beside it and must not give up or fall back at once; it waits
# (within its reconnect deadline), and when the daemon resumes the request is
# resent under the same id and the script finishes normally.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use Time::HiRes qw(time sleep);

my $home = BridgeTest::home();
my $work = BridgeTest::work();
my $db = "$work/stopped.db";
my $script = BridgeTest::write_file("$home/job.pl", <<"EOF");
use strict;
use warnings;
use DBI;
\$| = 1;
my \$dbh = DBI->connect('dbi:SQLite:dbname=$db', '', '', { RaiseError => 1 });
\$dbh->do('CREATE TABLE t (a INTEGER)');
print "created\\n";
my \$line = <STDIN>;    # the test stops the daemon now
\$dbh->do('INSERT INTO t VALUES (1)');
print "rows=", \$dbh->selectrow_array('SELECT count(*) FROM t'), "\\n";
\$dbh->disconnect;
EOF

my $daemon = BridgeTest::start_daemon();
ok $daemon, "daemon $daemon running";
# the job's STDIN is a pipe from here: a line tells it to go on
my %env = (CPAN_BRIDGE_TIMEOUT => 1, CPAN_BRIDGE_RECONNECT_TIMEOUT => 20, CPAN_BRIDGE_FALLBACK => 1);
local @ENV{ keys %env } = values %env;
local $ENV{PERL5LIB} = BridgeTest::perl5lib();
pipe(my $in_r, my $in_w) or die "pipe: $!";
pipe(my $out_r, my $out_w) or die "pipe: $!";
my $pid = fork // die "fork: $!";
if (!$pid) {
    open STDIN, '<&', $in_r or die;
    open STDOUT, '>&', $out_w or die;
    exec $^X, $script or die "exec: $!";
}
close $in_r;
close $out_w;
is scalar(<$out_r>), "created\n", 'the job connected and created its table';
kill 'STOP', $daemon;
my $stopped = time;
syswrite $in_w, "go\n";
sleep 6;    # six times the client's read timeout, longer than an autostart attempt
kill 'CONT', $daemon;
my $rest = do { local $/; <$out_r> };
waitpid $pid, 0;
is $? >> 8, 0, 'the job exited 0';
is $rest, "rows=1\n", 'the insert ran exactly once, after the daemon resumed';
cmp_ok time - $stopped, '>=', 6, 'it waited for the stopped daemon';
is BridgeTest::daemon_pid(), $daemon, 'no other daemon was started';

done_testing;
