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
mkdir "$work/xl" or die;
run_corpus('excel_helper.pl', 15, "$work/xl");
ok(!-e "$work/xl/debug", 'no stray file named debug');

my $out = run_corpus('management.pl', 18);
my ($pid) = $out =~ /^pid=(\d+)$/m;
ok($pid, 'the daemon pid was known');
my $gone = 0;
for (1 .. 200) { if (!BridgeTest::alive($pid)) { $gone = 1; last } select undef, undef, undef, 0.05 }
ok($gone, 'system.shutdown stopped the daemon');

done_testing;
