#!/usr/bin/perl
# The transport's floor: the same framing as the client (4-byte length + body) over a Unix
# socket to a Node echo server (echo-server.js). MODE raw: fixed bytes, no JSON on either side;
# MODE json: the request is encoded and the reply decoded with the client's own codec
# (CPANBridge::Codec: JSON::XS when present, else JSON::PP), and the server parses and
# stringifies, as the daemon must.
#   echo.pl SOCKET MODE N WARMUP
use strict;
use warnings;
use Socket qw(AF_UNIX SOCK_STREAM pack_sockaddr_un);
use Time::HiRes ();
use CPANBridge::Codec ();
my ($path, $mode, $n, $warm) = @ARGV;
socket(my $s, AF_UNIX, SOCK_STREAM, 0) or die "socket: $!";
connect($s, pack_sockaddr_un($path)) or die "connect $path: $!";
binmode $s;
my $fixed = 'R' x 66;    # raw mode: not JSON (the server echoes it), the size of a ping request
my $i = 0;
sub one {
    my $body = $mode eq 'json'
        ? CPANBridge::Codec::encode_frame_body({ id => ++$i . '', module => 'system', function => 'ping', params => {}, ack => $i - 1 })
        : $fixed;
    my $f = pack('N', length $body) . $body;
    defined syswrite($s, $f) or die "write: $!";
    my $buf = '';
    while (length($buf) < 4 || length($buf) < 4 + unpack('N', $buf)) {
        my $r = sysread($s, $buf, 65536, length $buf);
        die "read: $!" unless $r;
    }
    my $reply = substr($buf, 4);
    if ($mode eq 'json') {
        my $d = CPANBridge::Codec::decode_frame_body($reply);
        die "bad echo" unless ref $d eq 'HASH' && $d->{success};
    }
}
one() for 1 .. $warm;
my @t;
for (1 .. $n) {
    my $t = Time::HiRes::time();
    one();
    push @t, (Time::HiRes::time() - $t) * 1e6;
}
printf "BENCH {\"us\":[%s],\"codec\":\"%s\",\"mode\":\"%s\"}\n",
    join(',', map { sprintf '%.1f', $_ } @t), CPANBridge::Codec::backend(), $mode;
