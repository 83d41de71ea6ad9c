#!/usr/bin/perl
# The settings rules shared with the daemon (src/config.ts; test/unit/config.test.ts checks that
# side against the same table): one boolean rule, and the config file only when
# CPAN_BRIDGE_CONFIG names it.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use CPANBridge::Config;
use CPANBridge::Codec;

my $home = BridgeTest::home();
local %ENV = %ENV;
delete $ENV{$_} for grep { /^CPAN_BRIDGE_/ } keys %ENV;
$ENV{HOME} = "$home/user";

open my $fh, '<:raw', BridgeTest::repo() . '/test/fixtures/booleans.json' or die "booleans.json: $!";
my $table = CPANBridge::Codec::decode_json_bytes(do { local $/; <$fh> });
close $fh;

my $show = sub { defined $_[0] ? "'$_[0]'" : 'null' };
for my $want (qw(true false)) {
    for my $v (@{ $table->{$want} }) {
        is CPANBridge::Config::_bool($v), $want eq 'true' ? 1 : 0, "boolean " . $show->($v) . " is $want";
        next unless defined $v && !ref $v;
        local $ENV{CPAN_BRIDGE_FALLBACK} = "$v";
        next if "$v" eq '';    # an empty variable is unset: the default
        is CPANBridge::Config::load()->{fallback}, $want eq 'true' ? 1 : 0, "CPAN_BRIDGE_FALLBACK=" . $show->($v);
    }
}

# $CPAN_BRIDGE_HOME/config.json is not read unless CPAN_BRIDGE_CONFIG names it
my $h = "$home/h";
mkdir $h, 0700;
BridgeTest::write_file("$h/config.json", '{"reconnect_timeout": 7, "autostart": "off"}');
$ENV{CPAN_BRIDGE_HOME} = $h;
my $s = CPANBridge::Config::load();
is $s->{reconnect_timeout}, 30, 'home config.json not read by default';
is $s->{config_file}, undef, 'no config file';
$ENV{CPAN_BRIDGE_CONFIG} = "$h/config.json";
$s = CPANBridge::Config::load();
is $s->{reconnect_timeout}, 7, 'the file CPAN_BRIDGE_CONFIG names is read';
is $s->{autostart}, 0, 'config-file boolean "off"';

done_testing;
