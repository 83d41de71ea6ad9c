#!/usr/bin/perl
# Settings precedence (explicit > environment > config file > default), paths.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use CPANBridge::Config;

my $home = BridgeTest::home();
local %ENV = %ENV;
delete $ENV{$_} for grep { /^CPAN_BRIDGE_/ } keys %ENV;
$ENV{HOME} = "$home/user";

my $s = CPANBridge::Config::load();
is $s->{home}, "$home/user/.cpan-bridge", 'default home';
is $s->{socket}, "$home/user/.cpan-bridge/bridge.sock", 'default socket under home';
is $s->{reconnect_timeout}, 30, 'default reconnect timeout';
is $s->{daemon}, 1, 'daemon mode by default';
is $s->{fallback}, 1, 'fallback by default';
is $s->{autostart}, 1, 'autostart by default';
like $s->{cli}, qr{^node \S+/dist/cli\.js$}, 'default CLI: node <repo>/dist/cli.js';
is $s->{cli}, 'node ' . BridgeTest::repo() . '/dist/cli.js', 'repo found from @INC';
ok CPANBridge::Config::ensure_home($s), 'ensure_home';
is((stat $s->{home})[2] & 07777, 0700, 'home created 0700');

BridgeTest::write_file("$home/cfg.json", '{"socket":"/tmp/from-file.sock","reconnect_timeout":5,"fallback":false,"node":"/opt/node"}');
$ENV{CPAN_BRIDGE_CONFIG} = "$home/cfg.json";
$s = CPANBridge::Config::load();
is $s->{socket}, '/tmp/from-file.sock', 'config file socket';
is $s->{reconnect_timeout}, 5, 'config file reconnect_timeout';
is $s->{fallback}, 0, 'config file boolean false';
like $s->{cli}, qr{^/opt/node }, 'CPAN_BRIDGE_NODE from config used in the default CLI';

$ENV{CPAN_BRIDGE_SOCKET} = '/tmp/from-env.sock';
$ENV{CPAN_BRIDGE_RECONNECT_TIMEOUT} = 2;
$ENV{CPAN_BRIDGE_FALLBACK} = 1;
$ENV{CPAN_BRIDGE_DAEMON} = 0;
$ENV{CPAN_BRIDGE_AUTOSTART} = 0;
$ENV{CPAN_BRIDGE_CLI} = '/usr/bin/env "my cli" call';
$s = CPANBridge::Config::load();
is $s->{socket}, '/tmp/from-env.sock', 'environment beats config file';
is $s->{reconnect_timeout}, 2, 'env reconnect timeout';
is $s->{fallback}, 1, 'env fallback';
is $s->{daemon}, 0, 'CPAN_BRIDGE_DAEMON=0';
is $s->{autostart}, 0, 'CPAN_BRIDGE_AUTOSTART=0';
is_deeply [CPANBridge::Config::split_command($s->{cli})], ['/usr/bin/env', 'my cli', 'call'], 'CLI command split with quotes';

$s = CPANBridge::Config::load(socket => '/tmp/explicit.sock');
is $s->{socket}, '/tmp/explicit.sock', 'explicit beats environment';

$ENV{CPAN_BRIDGE_HOME} = "$home/h2";
delete $ENV{CPAN_BRIDGE_SOCKET};
$s = CPANBridge::Config::load();
is $s->{token_file}, "$home/h2/token", 'token under home';
is $s->{autostart_lock}, "$home/h2/autostart.lock", 'lock under home';

done_testing;
