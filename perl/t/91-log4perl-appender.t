#!/usr/bin/perl
# Log::Log4perl::Appender's wrapper methods on the bridge: composite() is a getter, and an appender
# cannot be made composite (Buffer/Limit-style relaying is not supported): asking dies, never ignored.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use Log::Log4perl;

like $INC{'Log/Log4perl.pm'}, qr{/perl/compat/}, 'Log::Log4perl is the shim';
my $app = Log::Log4perl::Appender->new('Log::Log4perl::Appender::Screen', name => 'scr');
ok !$app->composite, 'composite() of a plain appender is false';
ok !eval { $app->composite(1); 1 }, 'composite(1) dies';
like $@, qr/composite appenders are not supported/, '... saying so';
ok !$app->composite, 'and the appender is unchanged';
is $app->name, 'scr', 'name()';
done_testing;
