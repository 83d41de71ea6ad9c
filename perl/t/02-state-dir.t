#!/usr/bin/perl
# The client applies the daemon's rules where it creates files: a state directory of another
# user, group/world-writable, or a symlink is refused with a clear message; the autostart lock and
# log are never opened through a symlink.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use File::Temp ();
use CPANBridge::Config;
use CPANBridge::Daemon;

my $work = BridgeTest::work();
my $n = 0;
sub fresh_cfg {
    my $home = "$work/state" . ++$n;
    mkdir $home, 0700 or die "$home: $!";
    local $ENV{CPAN_BRIDGE_HOME} = $home;
    local $ENV{CPAN_BRIDGE_SOCKET} = "$home/bridge.sock";
    return CPANBridge::Config::load();
}
sub victim {
    my $f = "$work/victim" . ++$n;
    BridgeTest::write_file($f, 'untouched');
    return $f;
}

SKIP: {
    skip 'needs root to chown', 2 if $< != 0;
    my $cfg = fresh_cfg();
    chown 65534, 65534, $cfg->{home};
    my ($ok, $msg) = CPANBridge::Daemon::start($cfg, sub { 0 }, time + 5);
    ok !$ok, "another user's state directory is refused";
    like $msg, qr/owned by uid 65534.*CPAN_BRIDGE_HOME/, 'the message says why and how to fix it';
}

{
    my $cfg = fresh_cfg();
    chmod 0777, $cfg->{home};
    my ($ok, $msg) = CPANBridge::Config::ensure_home($cfg);
    ok !$ok, 'a world-writable state directory is refused';
    like $msg, qr/writable by its group or by everyone \(mode 777\)/, 'with its mode';
}

{
    my $real = fresh_cfg()->{home};
    my $link = "$work/linked-home";
    symlink $real, $link or die $!;
    my ($ok, $msg) = CPANBridge::Config::ensure_home({ home => $link });
    ok !$ok, 'a state directory that is a symlink is refused';
    like $msg, qr/symbolic link/, 'it says so';
}

{
    my $cfg = fresh_cfg();
    my $v = victim();
    symlink $v, $cfg->{autostart_lock} or die $!;
    my ($ok, $msg) = CPANBridge::Daemon::start($cfg, sub { 0 }, time + 5);
    ok !$ok, 'an autostart lock that is a symlink is refused';
    like $msg, qr/symbolic link/, 'with a clear message';
    is BridgeTest::read_file($v), 'untouched', "the link's target is untouched";
}

{
    my $cfg = fresh_cfg();
    my $v = victim();
    symlink $v, $cfg->{autostart_log} or die $!;
    $cfg->{cli} = "$^X -e print(q(output))";
    CPANBridge::Daemon::spawn_daemon($cfg, sub { 0 }, time + 5);
    is BridgeTest::read_file($v), 'untouched', 'the autostart log is never written through a symlink';
}

{
    my $cfg = fresh_cfg();
    my ($ok) = CPANBridge::Config::ensure_home($cfg);
    ok $ok, 'a private state directory of our own is fine';
    is((stat $cfg->{home})[2] & 0777, 0700, 'and stays 0700');
}
done_testing;
