#!/usr/bin/perl
# Per-call latency from Perl: CPANBridge::call('system', 'ping') round trips, one at a time.
#   ping.pl N WARMUP
use strict;
use warnings;
use Time::HiRes ();
our $T0;
BEGIN { $T0 = Time::HiRes::time() }
use CPANBridge ();
my $T1 = Time::HiRes::time();
my ($n, $warm) = @ARGV;
$n ||= 2000;
$warm //= 200;
CPANBridge::call('system', 'ping', {}) for 1 .. $warm;
my @t;
for (1 .. $n) {
    my $t = Time::HiRes::time();
    CPANBridge::call('system', 'ping', {});
    push @t, (Time::HiRes::time() - $t) * 1e6;
}
printf "BENCH {\"load_ms\":%.3f,\"us\":[%s],\"codec\":\"%s\"}\n", ($T1 - $T0) * 1000,
    join(',', map { sprintf '%.1f', $_ } @t), CPANBridge::Codec::backend();
