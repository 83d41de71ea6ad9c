package CPANBridge::Transport;

# How a request travels to the daemon: one Unix socket connection carrying
# length-prefixed frames (4-byte big-endian length + UTF-8 JSON).
# No policy here (no retry, no reconnect): every failure is reported to the
# caller as a failure kind:
#   'eof'      the daemon closed the connection
#   'timeout'  no complete frame before the deadline
#   'io'       read/write error ($! in {errno})
#   'connect'  connect failed ($! in {errno}: ENOENT, ECONNREFUSED, ...)
#   'frame'    a frame the client cannot accept (oversize, bad JSON)

use strict;
use warnings;
use Socket qw(AF_UNIX SOCK_STREAM MSG_NOSIGNAL SOL_SOCKET SO_RCVTIMEO pack_sockaddr_un);
use Errno qw(EINTR EAGAIN EWOULDBLOCK);
use Time::HiRes ();
use CPANBridge::Codec ();

our $VERSION = '0.1.0';

# connect($path) -> transport, or (undef, $errno)
sub connect {
    my ($class, $path, %opt) = @_;
    my $sock;
    socket($sock, AF_UNIX, SOCK_STREAM, 0) or return (undef, $! + 0);
    if (!CORE::connect($sock, pack_sockaddr_un($path))) {
        my $e = $! + 0;
        close $sock;
        return (undef, $e);
    }
    binmode $sock;
    my $self = bless {
        sock      => $sock,
        fileno    => fileno($sock),
        buf       => '',
        max_frame => $opt{max_frame_bytes} || 10 * 1024 * 1024,
        path      => $path,
    }, $class;
    return ($self, 0);
}

sub close {
    my $self = shift;
    if ($self->{sock}) { CORE::close($self->{sock}); delete $self->{sock} }
}

sub DESTROY { $_[0]->close }

# Send already-encoded frame bodies in one write. Returns 1 or (0, failure hash).
sub send_bodies {
    my ($self, @bodies) = @_;
    my $buf = join '', map { pack('N', length $_) . $_ } @bodies;
    return $self->send_raw($buf);
}

# One frame body (a synchronous call's), in one write; send_raw for what one send leaves.
sub send_frame {
    my $frame = pack('N', length $_[1]) . $_[1];
    my $n = $_[0]{sock} ? send($_[0]{sock}, $frame, MSG_NOSIGNAL) : undef;
    return 1 if defined $n && $n == length $frame;
    return $_[0]->send_raw(defined $n ? substr($frame, $n) : $frame);
}

sub send_raw {
    my ($self) = @_;
    my $sock = $self->{sock} or return (0, { kind => 'io', errno => 0, message => 'not connected' });
    my $off = 0;
    my $len = length $_[1];
    while ($off < $len) {
        my $n = send($sock, substr($_[1], $off, 1 << 20), MSG_NOSIGNAL);
        if (!defined $n) {
            next if $! == EINTR;
            return (0, { kind => 'io', errno => $! + 0, message => "write: $!" });
        }
        $off += $n;
    }
    return 1;
}

# read_frame($deadline) -> (body_bytes) or (undef, failure hash).
# $deadline: absolute Time::HiRes time, or undef/0 for no limit.
#
# Waiting: a blocking read whose wait the kernel bounds (SO_RCVTIMEO, set once per connection to
# half the time left of its first read with a deadline of 0.1 s or more) when that bound ends
# before the deadline (or there is no deadline), else select, then read. A round trip is then
# one read, not a select and a read: a syscall per call.
sub read_frame {
    my ($self, $deadline) = @_;
    my $sock = $self->{sock} or return (undef, { kind => 'io', errno => 0, message => 'not connected' });
    my $need;
    while (1) {
        my $have = length $self->{buf};
        if ($have >= 4) {
            $need = unpack('N', $self->{buf}) unless defined $need;
            if ($need > $self->{max_frame}) {
                return (undef, { kind => 'frame', message => "reply frame of $need bytes exceeds the maximum $self->{max_frame}" });
            }
            if ($have >= 4 + $need) {
                my $body = substr($self->{buf}, 4, $need);
                substr($self->{buf}, 0, 4 + $need, '');
                return ($body);
            }
        }
        my $timeout;
        if ($deadline) {
            $timeout = $deadline - Time::HiRes::time();
            return (undef, { kind => 'timeout', message => 'read timeout' }) if $timeout <= 0;
        }
        my $rcv = $self->{rcvtimeo};
        $rcv = $self->_bound_reads($timeout) if !defined $rcv && defined $timeout && $timeout >= 0.1;
        if (defined $timeout && !($rcv && $rcv <= $timeout)) {
            my $rin = '';
            vec($rin, $self->{fileno}, 1) = 1;
            my $n = select(my $rout = $rin, undef, undef, $timeout);
            if ($n < 0) {
                next if $! == EINTR;
                return (undef, { kind => 'io', errno => $! + 0, message => "select: $!" });
            }
            next if $n == 0;
        }
        my $want = defined $need ? 4 + $need - $have : 65536;
        $want = 65536 if $want < 65536;
        $want = 8 << 20 if $want > 8 << 20;
        my $r = sysread($sock, $self->{buf}, $want, $have);
        if (!defined $r) {
            # EAGAIN: the kernel's bound passed (the deadline is checked above)
            next if $! == EINTR || $! == EAGAIN || $! == EWOULDBLOCK;
            return (undef, { kind => 'io', errno => $! + 0, message => "read: $!" });
        }
        return (undef, { kind => 'eof', message => 'connection closed by daemon' }) if $r == 0;
    }
}

# The kernel's bound on a blocking read of this connection (SO_RCVTIMEO): half of $timeout.
# -> the bound in seconds; 0 when it cannot be set (then every read with a deadline selects).
sub _bound_reads {
    my ($self, $timeout) = @_;
    my $b = $timeout / 2;
    my $sec = int $b;
    my $ok = setsockopt($self->{sock}, SOL_SOCKET, SO_RCVTIMEO, pack('l!l!', $sec, int(($b - $sec) * 1e6)));
    return $self->{rcvtimeo} = $ok ? $b : 0;
}

# hello(\%hello, $deadline) -> (result hash) or (undef, failure hash / error hash)
# A refused hello returns (undef, { kind => 'refused', error => {...} }).
sub hello {
    my ($self, $hello, $deadline) = @_;
    my ($ok, $f) = $self->send_bodies(CPANBridge::Codec::encode_frame_body($hello));
    return (undef, $f) unless $ok;
    my ($body, $f2) = $self->read_frame($deadline);
    return (undef, $f2) unless defined $body;
    my $reply = eval { CPANBridge::Codec::decode_frame_body($body) };
    return (undef, { kind => 'frame', message => "bad hello reply: $@" }) unless ref $reply eq 'HASH';
    if (!$reply->{success}) {
        return (undef, { kind => 'refused', error => $reply->{error} || { code => 'bad_frame', message => 'hello refused' } });
    }
    return ($reply->{result} || {});
}

1;
