#!/usr/bin/perl
# Issue 20: scripts written in the predecessor's style (perl/t/predecessor/*.pl: call_python
# 'database' / 'excel' / 'test' / 'system', ExcelHelper) run with PERL5LIB=perl/lib only against
# a real daemon. Each script prints "ok: ..." or "FAIL: ..." per check, then "done".
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }

my $work = BridgeTest::work();
my $dir = "$FindBin::Bin/predecessor";
# perl/lib only: no compat directory, no test hooks
my %env = (PERL5LIB => $BridgeTest::LIB, PERL5OPT => undef);

sub run_corpus {
    my ($script, $want, @args) = @_;
    my ($out, $err, $rc) = BridgeTest::run_script("$dir/$script", \%env, args => \@args);
    my @ok = $out =~ /^ok: (.*)$/mg;
    my @fail = $out =~ /^FAIL: (.*)$/mg;
    is($rc, 0, "$script exits 0") or diag $err;
    like($out, qr/^done$/m, "$script ran to the end") or diag "$out\n$err";
    is_deeply(\@fail, [], "$script: no failed check");
    is(scalar @ok, $want, "$script: $want checks passed");
    return $out;
}

BridgeTest::start_daemon();
run_corpus('db_calls.pl', 28, "$work/emp.db");
run_corpus('crypto_calls.pl', 7);
mkdir "$work/xl" or die;
run_corpus('excel_helper.pl', 15, "$work/xl");
ok(!-e "$work/xl/debug", 'no stray file named debug');

# connect_cached keeps its id across a daemon restart and in process mode (the ids are the client's)
my $cc = <<"EOS";
use strict; use warnings; use CPANBridge;
my \$b = CPANBridge->new;
my \@c = map { \$b->call_python('database', 'connect_cached', { dsn => 'dbi:SQLite:dbname=$work/cc.db' }) } 1 .. 2;
print "first=\$c[0]{cached} second=\$c[1]{cached} same=", (\$c[0]{connection_id} eq \$c[1]{connection_id} ? 1 : 0), "\n";
if (\$ENV{KILL_BETWEEN}) {
    kill 'KILL', CPANBridge::daemon_pid();
    my \$c3 = \$b->call_python('database', 'connect_cached', { dsn => 'dbi:SQLite:dbname=$work/cc.db' });
    print "after-restart=\$c3->{cached} same=", (\$c3->{connection_id} eq \$c[0]{connection_id} ? 1 : 0), "\n";
}
EOS
my ($o1, $e1) = BridgeTest::run_perl($cc, { %env, CPAN_BRIDGE_DAEMON => 0 });
is($o1, "first=0 second=1 same=1\n", 'connect_cached in process mode') or diag $e1;
my ($o2, $e2) = BridgeTest::run_perl($cc, { %env, KILL_BETWEEN => 1 });
is($o2, "first=0 second=1 same=1\nafter-restart=1 same=1\n", 'connect_cached across a daemon restart') or diag $e2;
BridgeTest::start_daemon() unless BridgeTest::alive(BridgeTest::daemon_pid());

my $out = run_corpus('management.pl', 18);
my ($pid) = $out =~ /^pid=(\d+)$/m;
ok($pid, 'the daemon pid was known');
my $gone = 0;
for (1 .. 200) { if (!BridgeTest::alive($pid)) { $gone = 1; last } select undef, undef, undef, 0.05 }
ok($gone, 'system.shutdown stopped the daemon');

done_testing;
