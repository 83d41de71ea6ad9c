package CPANBridge::Transport::Socket;

# Daemon mode: the client's requests over one Unix socket connection
# (CPANBridge::Transport frames it), pipelined; connecting with backoff,
# autostart and hello, and resending what is unanswered after a reconnect,
# as CPANBridge::Policy says. The interface both transports give the client:
#   exchange($c, $id, \$deadline)  deliver the outstanding requests and read
#       replies until $id's (every one, for $id undef) has arrived, or until this
#       transport gives up (here: the daemon cannot be had and fallback is on, so
#       $c->{fallen_back} is set); the caller loops until done.

use strict;
use warnings;
use Cwd ();
use Time::HiRes ();
use CPANBridge::Codec ();
use CPANBridge::Error ();
use CPANBridge::Policy ();
use CPANBridge::Requests ();
use CPANBridge::Transport ();

sub _debug { CPANBridge::_debug(@_) }

sub exchange {
    my ($class, $c, $id, $deadline_ref) = @_;
    if (!$c->{t} || $c->{t}{path} ne $CPANBridge::DAEMON_SOCKET) {
        drop($c) if $c->{t};
        my ($ok, $why) = _connect($c, $deadline_ref);
        if (!$ok) {
            if ($CPANBridge::FALLBACK_ENABLED) {
                _debug(1, "daemon unavailable ($why): switching to process mode");
                $c->{fallen_back} = 1;
                return;
            }
            # Nothing can be done for the outstanding requests.
            CPANBridge::Requests::abandon($c);
            die CPANBridge::Error->new(code => 'daemon_unavailable', message => $why, retryable => 1,
                                       in_doubt => 1);
        }
    }
    write_queue($c, 1) or return;
    return if CPANBridge::Requests::done($c, $id);
    my $rt = read_deadline();
    while ($c->{t} && !CPANBridge::Requests::done($c, $id)) {
        last unless take_frame($c, $c->{t}->read_frame($rt), $deadline_ref);
    }
    return;
}

# The read timeout's deadline for the replies a call waits for (0: none).
sub read_deadline { $CPANBridge::TIMEOUT && $CPANBridge::TIMEOUT > 0 ? Time::HiRes::time() + $CPANBridge::TIMEOUT : 0 }

# take_frame($c, $body, $failure, \$deadline) -> 1 (read on) or 0 (the connection is gone:
# reconnect and resend). What read_frame returned: a reply is handed to the bookkeeping; a
# failure, a connection-level error or a daemon going away drops the connection (and dies for
# what a reconnect cannot cure).
sub take_frame {
    my ($c, $body, $f, $deadline_ref) = @_;
    if (!defined $body) {
        _debug(1, "read failed: $f->{message}");
        drop($c);
        if ($f->{kind} eq 'frame') {
            die CPANBridge::Error->new(code => 'bad_frame', message => $f->{message});
        }
        return 0;
    }
    my $reply = eval { CPANBridge::Codec::decode_frame_body($body) };
    if (ref $reply ne 'HASH') {
        drop($c);
        die CPANBridge::Error->new(code => 'bad_frame', message => "undecodable reply: $@");
    }
    if (!defined $reply->{id}) {
        # A connection-level error frame (frame_too_large, bad_frame, shutting_down...).
        my $e = $reply->{error} || {};
        drop($c);
        return 1 if $CPANBridge::Policy::RESEND{ $e->{code} || '' };
        die CPANBridge::Error->from_reply($e);
    }
    if (!$reply->{success} && CPANBridge::Policy::resend_reply($reply)) {
        # Not run: the daemon is going away. Resend after reconnecting.
        drop($c);
        return 0;
    }
    $$deadline_ref = undef;    # progress: a new outage gets a new deadline
    CPANBridge::Requests::on_reply($c, $reply);
    return 1;
}

# Write the queued requests in one write. Failure leaves them in flight: the
# reconnect resends them. $reading: the caller reads replies next (no look for
# replies already there: a syscall per call that a round trip never needs).
sub write_queue {
    my ($c, $reading) = @_;
    return 1 unless @{ $c->{queue} };
    my @ids = CPANBridge::Requests::take_queue($c);
    return 0 unless $c->{t};
    my ($ok, $f) = $c->{t}->send_bodies(CPANBridge::Requests::bodies($c, @ids));
    if (!$ok) { _debug(1, "write failed: $f->{message}"); drop($c); return 0 }
    drain($c) unless $reading;
    return 1;
}

# Read replies that are already there, without waiting.
sub drain {
    my ($c) = @_;
    while (my $t = $c->{t}) {
        if (length($t->{buf}) < 4) {
            my $rin = '';
            vec($rin, $t->{fileno}, 1) = 1;
            last unless select(my $rout = $rin, undef, undef, 0) > 0;
        }
        my ($body, $f) = $t->read_frame(Time::HiRes::time() + 0.001);
        if (!defined $body) { drop($c) unless $f->{kind} eq 'timeout'; last }
        my $reply = eval { CPANBridge::Codec::decode_frame_body($body) };
        CPANBridge::Requests::on_reply($c, $reply) if ref $reply eq 'HASH' && defined $reply->{id};
    }
}

sub drop {
    my ($c) = @_;
    if ($c->{t}) { $c->{t}->close; $c->{t} = undef }
}

# ---------------------------------------------------------------------------
# Connecting: backoff, autostart, hello, resend.

sub _read_token {
    my $f = $CPANBridge::SETTINGS->{token_file};
    open my $fh, '<:raw', $f or return '';
    local $/;
    my $t = <$fh>;
    close $fh;
    $t = '' unless defined $t;
    $t =~ s/\s+\z//;
    return $t;
}

# The client's working directory: the daemon resolves relative paths (SQLite files, workbooks) from it.
sub _cwd {
    my $d = Cwd::getcwd();
    return defined $d ? $d : undef;
}

# Try once: connect + hello. -> (1) / (0, 'absent'|'refused'|..., message)
sub _try_connect {
    my ($c) = @_;
    my $path = $CPANBridge::DAEMON_SOCKET;
    my ($t, $errno) = CPANBridge::Transport->connect($path, max_frame_bytes => $CPANBridge::MAX_JSON_SIZE);
    if (!$t) {
        local $! = $errno;
        return (0, 'absent', "connect $path: $!");
    }
    my $hello = {
        type => 'hello', protocol => $CPANBridge::PROTOCOL, client_version => $CPANBridge::VERSION, pid => $$ + 0,
        host => $c->{host}, script => $0, token => _read_token(), session => $c->{session},
        cwd => _cwd(),
        (defined $c->{jseq} ? (jseq => $c->{jseq} + 0) : ()),
    };
    my $hto = CPANBridge::Policy::hello_timeout($CPANBridge::TIMEOUT);
    my ($res, $f) = $t->hello($hello, Time::HiRes::time() + $hto);
    if (!$res) {
        $t->close;
        if ($f->{kind} eq 'refused') {
            my $e = $f->{error};
            die CPANBridge::Error->new(code => $e->{code}, message => $e->{message}, retryable => 0)
                if $CPANBridge::Policy::FATAL_HELLO{ $e->{code} || '' };
            return (0, 'refused', "daemon refused hello: " . ($e->{code} || '?') . ': ' . ($e->{message} || ''));
        }
        return (0, 'absent', "hello: $f->{message}");
    }
    $c->{t} = $t;
    $c->{daemon_pid} = $res->{pid};
    $c->{daemon_version} = $res->{daemon_version};
    $c->{ever_connected} = 1;
    _debug(1, "connected to daemon pid ", $res->{pid} // '?', " session $c->{session}");
    return (1);
}

# After a successful hello: resend everything unanswered, same ids, same order.
sub _resend {
    my ($c) = @_;
    my @ids = @{ $c->{inflight} };
    return (1) unless @ids;
    _debug(1, "resending ", scalar(@ids), " request(s): @ids");
    my ($sent, $f) = $c->{t}->send_bodies(CPANBridge::Requests::bodies($c, @ids));
    return (1) if $sent;
    drop($c);
    return (0, $f->{message});
}

sub _connect {
    my ($c, $deadline_ref) = @_;
    my $s = $CPANBridge::SETTINGS;
    $$deadline_ref ||= Time::HiRes::time() + ($CPANBridge::RECONNECT_TIMEOUT || 0);
    my $first = !$c->{ever_connected};
    my $sleep = CPANBridge::Policy::backoff_first();
    my $why = 'no daemon';
    while (1) {
        my ($ok, $kind, $msg) = _try_connect($c);
        if ($ok) {
            my ($r, $m) = _resend($c);
            return (1) if $r;
            $why = $m;
        }
        else {
            $why = $msg;
            return (0, $why) if $kind eq 'refused';
            if ($CPANBridge::AUTOSTART && !$c->{autostart_failed}) {
                require CPANBridge::Daemon;
                _debug(1, "no daemon ($msg): autostarting");
                my ($started, $err, $held, $for_good) = CPANBridge::Daemon::start(
                    $s, sub { $c->{t} || (_try_connect($c))[0] }, $$deadline_ref);
                if ($started && $c->{t}) {
                    my ($r, $m) = _resend($c);
                    return (1) if $r;
                    $why = $m;
                }
                elsif (!$started && $held) {
                    # the daemon is there but does not answer (stopped, or busy): wait for it
                    # until the reconnect deadline; another one cannot start beside it
                    $why = "the daemon holding $s->{home} does not answer";
                    _debug(1, "$why: waiting for it");
                }
                elsif (!$started) {
                    # A daemon killed while it starts (or its launcher) is started again until the
                    # deadline; only a start that can never work (no CLI, no state directory) ends
                    # the attempts at once.
                    $why = "daemon start failed: $err";
                    return (0, $why) if $err =~ $CPANBridge::Policy::START_TIMED_OUT;
                    if ($for_good) {
                        $c->{autostart_failed} = 1;
                        return (0, $why);
                    }
                    _debug(1, "$why: starting it again");
                }
            }
            elsif ($first) {
                return (0, "$why (autostart disabled)");
            }
        }
        my $now = Time::HiRes::time();
        return (0, "$why (reconnect deadline passed)") if $now >= $$deadline_ref;
        my $d = $sleep;
        $d = $$deadline_ref - $now if $d > $$deadline_ref - $now;
        Time::HiRes::sleep($d);
        $sleep = CPANBridge::Policy::backoff_next($sleep);
    }
}

1;
