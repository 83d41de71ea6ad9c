#!/usr/bin/perl
# The client's round-trip path (issue 21): requests encoded without the codec's walk when that
# changes nothing, and replies read with one blocking read whose wait the kernel bounds
# (SO_RCVTIMEO) while the read timeout's deadline still holds. No daemon: a socket in a
# temporary directory plays it.
use strict;
use warnings;
use Test::More;
use File::Temp ();
use POSIX ();
use Socket qw(AF_UNIX SOCK_STREAM SOMAXCONN pack_sockaddr_un);
use Time::HiRes qw(time sleep);
use FindBin;
use lib "$FindBin::Bin/../lib";
use CPANBridge::Codec ();
use CPANBridge::Transport ();

# --- encode_request: what encode_frame_body would send, whatever the values --------------
{
    my $all = join '', map { chr } 0 .. 255;
    my @cases = (
        [ 'empty params',         {} ],
        [ 'ASCII',                { sql => 'SELECT 1', n => 42, s => '42', u => undef, list => [1, 'a', [2]] } ],
        [ 'invalid UTF-8 bytes',  { bin => $all } ],
        [ 'UTF-8 byte string',    { city => "Z\xc3\xbcrich" } ],
        [ 'character string',     { city => "Z\x{fc}rich \x{263a}" } ],
        [ 'bytes() marker',       { blob => CPANBridge::Codec::bytes('abc'), deep => [ { b => CPANBridge::Codec::bytes("\xc3\xa9") } ] } ],
        [ 'non-ASCII hash key',   { "k\xc3\xa9y" => 1 } ],
        [ 'booleans',             { t => \1, f => \0 } ],
    );
    for my $c (@cases) {
        my ($name, $params) = @$c;
        my $fast = CPANBridge::Codec::encode_request('7', 'database', 'prepare', $params, 6, 0);
        my $slow = CPANBridge::Codec::encode_frame_body({ id => '7', module => 'database', function => 'prepare', params => $params, ack => 6 });
        is_deeply(CPANBridge::Codec::decode_frame_body($fast), CPANBridge::Codec::decode_frame_body($slow), "encode_request: $name");
        ok($fast !~ /[\x80-\xff]/ || utf8::decode(my $copy = $fast), "encode_request: $name is UTF-8");
    }
    like CPANBridge::Codec::encode_request('1', 'm', 'f', { b => CPANBridge::Codec::bytes('abc') }, 0, 0), qr/"b":\{"\$b64":"YWJj"\}/,
        'a bytes() marker travels as $b64 (not as null)';
    like CPANBridge::Codec::encode_request('1', 'm', 'f', {}, 0, 0), qr/"ack":0/, 'ack is a number';
    like CPANBridge::Codec::encode_request('1', 'm', 'f', {}, 0, 1), qr/"legacy":true/, 'legacy flag';
    unlike CPANBridge::Codec::encode_request('1', 'm', 'f', {}, 0, 0), qr/legacy/, 'no legacy flag unless asked';
    is CPANBridge::Codec::decode_frame_body('{"id":"3","success":true,"result":{"pong":true}}')->{result}{pong}, 1, 'a plain reply decodes';
    is CPANBridge::Codec::decode_frame_body('{"id":"3","success":true,"result":{"b":{"$b64":"YWJj"}}}')->{result}{b}, 'abc', 'a $b64 value still becomes bytes';
}

# --- read_frame: one blocking read, the deadline kept ---------------------------------------
my $dir = File::Temp::tempdir(CLEANUP => 1);
my $path = "$dir/s.sock";
socket(my $listen, AF_UNIX, SOCK_STREAM, 0) or die "socket: $!";
bind($listen, pack_sockaddr_un($path)) or die "bind: $!";
listen($listen, SOMAXCONN) or die "listen: $!";
my ($t, $errno) = CPANBridge::Transport->connect($path);
ok $t, 'connected' or BAIL_OUT("connect: $errno");
accept(my $peer, $listen) or die "accept: $!";
binmode $peer;
my $frame = sub { my $b = shift; pack('N', length $b) . $b };

{
    my $t0 = time;
    my ($body, $f) = $t->read_frame($t0 + 1);
    my $took = time - $t0;
    ok !defined $body, 'nothing sent: no frame';
    is $f->{kind}, 'timeout', 'a read timeout';
    cmp_ok $took, '>=', 0.99, 'not before the deadline';
    cmp_ok $took, '<', 2.5, 'not long after it';
    ok abs($t->{rcvtimeo} - 0.5) < 0.01, "the kernel bounds this connection's reads to half the first timeout ($t->{rcvtimeo} s)";

    # a deadline nearer than the kernel's bound: select keeps it
    $t0 = time;
    ($body, $f) = $t->read_frame($t0 + 0.15);
    $took = time - $t0;
    is $f->{kind}, 'timeout', 'a shorter read timeout';
    cmp_ok $took, '<', 0.45, 'kept to its own deadline, not the kernel bound of 0.5 s';

    # a deadline far beyond the bound: blocking reads that the bound wakes, until the reply comes
    my $pid = fork;
    die "fork: $!" unless defined $pid;
    if (!$pid) {
        sleep 1.2;
        my $f1 = $frame->('{"id":"1","success":true,"result":{"x":1}}');
        syswrite($peer, substr($f1, 0, 10));
        sleep 0.2;
        syswrite($peer, substr($f1, 10) . $frame->('{"id":"2"}'));
        POSIX::_exit(0);
    }
    $t0 = time;
    ($body, $f) = $t->read_frame($t0 + 10);
    $took = time - $t0;
    waitpid $pid, 0;
    is $body, '{"id":"1","success":true,"result":{"x":1}}', 'a reply that comes after several kernel bounds, in two pieces';
    cmp_ok $took, '>=', 1.3, 'read when it came';
    ($body) = $t->read_frame(time + 10);
    is $body, '{"id":"2"}', 'the next frame, already buffered';

    # no deadline at all: a plain blocking read
    syswrite($peer, $frame->('{"id":"3"}'));
    ($body) = $t->read_frame(0);
    is $body, '{"id":"3"}', 'a read without a deadline';

    close $peer;
    ($body, $f) = $t->read_frame(time + 5);
    is $f->{kind}, 'eof', 'the peer closed: eof';
}

done_testing;
