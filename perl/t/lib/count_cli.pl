#!/usr/bin/perl
# Wrapper around the real CLI that records every `daemon` invocation in
# $CPAN_BRIDGE_HOME/daemon-starts.log (used by t/40-autostart.t).
use strict;
use warnings;
use Fcntl qw(:flock);
my $real = $ENV{BRIDGE_TEST_REAL_CLI} or die "BRIDGE_TEST_REAL_CLI not set\n";
if (@ARGV && $ARGV[0] eq 'daemon') {
    open my $fh, '>>', "$ENV{CPAN_BRIDGE_HOME}/daemon-starts.log" or die $!;
    flock $fh, LOCK_EX;
    print $fh "$$ @ARGV\n";
    close $fh;
}
my @cmd = (split(' ', $real), @ARGV);
exec { $cmd[0] } @cmd or die "exec $cmd[0]: $!\n";
