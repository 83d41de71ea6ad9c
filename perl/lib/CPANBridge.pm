package CPANBridge;

use strict;
use warnings;
use Carp ();
use Cwd ();
use Errno qw(ENOENT ECONNREFUSED);
use Sys::Hostname ();
use Time::HiRes ();
use CPANBridge::Config ();
use CPANBridge::Codec ();
use CPANBridge::Error ();
use CPANBridge::Transport ();

our $VERSION = '0.1.0';
our $PROTOCOL = 1;

=head1 NAME

CPANBridge - client core of the CPAN Bridge (Perl side)

=head1 SYNOPSIS

    use CPANBridge;

    # The shims' entry point: returns the result, dies with a CPANBridge::Error.
    my $r = CPANBridge::call('database', 'connect', { dsn => 'dbi:SQLite:dbname=x.db' });

    # Fire-and-forget (result not needed), sent pipelined before the next call.
    CPANBridge::send_async('excel', 'write', { ... });
    CPANBridge::send_async('excel', 'write', { ... }, sub { my ($ok, $res_or_err) = @_; ... });
    CPANBridge::flush();    # waits for every outstanding reply

    # The predecessor's object form: never dies on backend errors.
    my $b = CPANBridge->new;
    my $res = $b->call_python('database', 'connect', {...});   # {success=>0, error=>...} on failure

=head1 ERRORS

C<call> dies with a L<CPANBridge::Error> (fields C<code>, C<message>, C<retryable>,
C<in_doubt>, plus whatever the daemon sent: C<err>, C<errstr>, C<state> for
C<db_error>, and C<module>, C<function>, C<id> of the request).

Errors of C<send_async> requests: if the request was given a callback, the
callback gets C<(0, $error)> (or C<(1, $result)> on success) and nothing else
happens. Without a callback the error is kept and raised by the next
synchronous C<call> (after that call's own reply has arrived; the error object
then has C<async =E<gt> 1>) or by C<flush>. C<take_async_errors> returns and clears
the kept errors without dying.

=head1 CONNECTION POLICY

The first call connects to C<CPAN_BRIDGE_SOCKET>. When nobody answers it starts
the daemon (C<$CLI daemon --detach>) under an flock on
C<$CPAN_BRIDGE_HOME/autostart.lock>, unless C<CPAN_BRIDGE_AUTOSTART=0>.
When a connection breaks (EOF, refused, missing socket, read timeout) it retries
with backoff (20 ms doubling to 500 ms) until C<CPAN_BRIDGE_RECONNECT_TIMEOUT>
seconds (default 30) have passed, restarting the daemon when allowed, then
says hello again and resends every unanswered request with the same id, in
order. If the daemon cannot be had and fallback is on (default) the client
switches to process mode (C<$CLI call ...>, one process per request, same
session and ids) for the rest of the process. At the very first connection
of a process, with autostart off and no daemon answering, it falls back at
once instead of waiting for the deadline.

=cut

# ---------------------------------------------------------------------------
# Settings: package variables (the predecessor's, which scripts assign) are
# initialised once from Config; the client reads them at call time.

our $SETTINGS = CPANBridge::Config::load();

our $DAEMON_MODE       = $SETTINGS->{daemon};
our $FALLBACK_ENABLED  = $SETTINGS->{fallback};
our $AUTOSTART         = $SETTINGS->{autostart};
our $DAEMON_SOCKET     = $SETTINGS->{socket};
our $RECONNECT_TIMEOUT = $SETTINGS->{reconnect_timeout};
our $TIMEOUT           = $SETTINGS->{timeout};
our $DEBUG_LEVEL       = $SETTINGS->{debug};
our $MAX_JSON_SIZE     = $SETTINGS->{max_frame_bytes};
our $PREFETCH          = $SETTINGS->{prefetch};
our $ASYNC_WINDOW      = 32;    # pipelined requests kept for resending before waiting
# Kept for scripts that assign them; they have no effect here.
our $RETRY_COUNT            = 3;
our $DAEMON_TIMEOUT         = $ENV{CPAN_BRIDGE_DAEMON_TIMEOUT} || 30;
our $DAEMON_STARTUP_TIMEOUT = $ENV{CPAN_BRIDGE_STARTUP_TIMEOUT} || 10;
our $PYTHON_PATH;
our $PYTHON_BRIDGE_SCRIPT;
our $DAEMON_SCRIPT;

our $LAST_ERROR;

sub settings { $SETTINGS }

sub _debug {
    my ($lvl, @msg) = @_;
    return unless $DEBUG_LEVEL && $DEBUG_LEVEL >= $lvl;
    my $t = sprintf '%.3f', Time::HiRes::time();
    print STDERR "[CPANBridge $$ $t] ", @msg, "\n";
}

# ---------------------------------------------------------------------------
# Client state per process and per Perl thread: a forked child or a new ithread gets its own
# connection, session and request ids (as DBI gives each thread its own handles). A variable's
# address differs in every interpreter (ithreads clone all data), so it tells threads apart
# without loading threads.pm.

our $ANCHOR = 1;
sub owner_tag { $$ . '/' . (0 + \$ANCHOR) }

my $C;

sub _new_session {
    my $hex;
    if (open my $fh, '<:raw', '/dev/urandom') {
        my $n = read($fh, my $b, 16);
        close $fh;
        $hex = unpack('H*', $b) if $n && $n == 16;
    }
    $hex ||= join '', map { sprintf '%02x', int rand 256 } 1 .. 16;
    return $hex;
}

sub _client {
    return $C if $C && $C->{owner} eq owner_tag();
    if ($C) {
        # Inherited from the parent process or thread: never write on its connection, never
        # flush its queue (the parent does), never reuse its ids.
        $C->{t}{sock} && CORE::close($C->{t}{sock}) if $C->{t};
        $C->{t} = undef;
        $C->{inherited} = 1;
    }
    $C = bless {
        owner        => owner_tag(),
        pid          => $$,
        session      => _new_session(),
        next_id      => 0,
        t            => undef,
        fallen_back  => 0,
        ever_connected => 0,
        inflight     => [],    # ids sent, reply not yet received, in send order
        req          => {},    # id => { body, module, function, params, async, cb, legacy }
        queue        => [],    # ids of async requests not yet written
        queue_bytes  => 0,
        replies      => {},    # id => reply (sync requests)
        acked        => 0,
        received     => {},    # ids > acked that have been received
        async_errors => [],
        host         => Sys::Hostname::hostname(),
    }, 'CPANBridge::ClientState';
    return $C;
}

# A thread runs no END blocks: its client state is destroyed when the thread ends, and what it
# queued (a DESTROY's disconnect, buffered writes) is sent and answered then.
sub _finish_client {
    my ($c) = @_;
    return if $c->{inherited} || $c->{finished}++ || $c->{owner} ne owner_tag();
    local $?;
    local $@;
    if (@{ $c->{queue} } || @{ $c->{inflight} }) {
        eval { _wait_for($c, undef); 1 } or warn "CPANBridge: at exit: $@\n";
    }
    warn "CPANBridge: at exit: unreported error of an asynchronous request: $_\n"
        for @{ $c->{async_errors} };
    $c->{t}->close if $c->{t};
    $c->{t} = undef;
}

sub CPANBridge::ClientState::DESTROY { _finish_client($_[0]) }

sub session    { _client()->{session} }
sub mode       { my $c = _client(); (!$DAEMON_MODE || $c->{fallen_back}) ? 'process' : 'daemon' }
sub daemon_pid { my $c = _client(); $c->{daemon_pid} }

# ---------------------------------------------------------------------------
# Public API

# call($module, $function, \%params, %opt) -> result; dies with CPANBridge::Error.
# %opt: legacy => 1 (predecessor names, translated by the daemon)
sub call {
    my ($module, $function, $params, %opt) = @_;
    my $c = _client();
    my $id = _enqueue($c, $module, $function, $params, $opt{legacy}, 0, undef);
    my $reply = _wait_for($c, $id);
    my $async_err = shift @{ $c->{async_errors} };
    if ($reply->{success}) {
        die $async_err if $async_err;
        return $reply->{result};
    }
    die CPANBridge::Error->from_reply($reply->{error}, module => $module, function => $function, id => $id);
}

# send_async($module, $function, \%params, $callback?, %opt) -> request id
#   %opt: droppable => 1  (pure cleanup; skipped in process mode)
sub send_async {
    my ($module, $function, $params, $cb, %opt) = @_;
    my $c = _client();
    my $id = _enqueue($c, $module, $function, $params, $opt{legacy}, 1, $cb);
    $c->{req}{$id}{droppable} = 1 if $opt{droppable};
    # Keep the write buffer bounded: push big queues out without waiting.
    if (@{ $c->{queue} } >= 2000 || $c->{queue_bytes} >= (1 << 20)) {
        _write_queue($c) if $DAEMON_MODE && !$c->{fallen_back} && $c->{t};
    }
    # Bound what is kept for resending: past the window, wait for the daemon to catch up.
    _wait_for($c, undef) if @{ $c->{inflight} } >= $ASYNC_WINDOW;
    return $id;
}

# flush() -> 1; waits for all outstanding replies; dies with the first async error.
sub flush {
    my $c = _client();
    _wait_for($c, undef) if @{ $c->{queue} } || @{ $c->{inflight} };
    my $e = shift @{ $c->{async_errors} };
    die $e if $e;
    return 1;
}

sub take_async_errors {
    my $c = _client();
    my @e = @{ $c->{async_errors} };
    @{ $c->{async_errors} } = ();
    return @e;
}

# For read-ahead (a fetch sent before the script asks for it): write the queued requests now
# so the daemon starts on them while the script goes on. Daemon mode only; never waits.
sub send_now {
    my $c = _client();
    return unless @{ $c->{queue} } && $DAEMON_MODE && !$c->{fallen_back} && $c->{t};
    _write_queue($c);
}

# Handle the replies that have already arrived (callbacks run), without waiting.
sub read_arrived {
    my $c = _client();
    return unless $DAEMON_MODE && !$c->{fallen_back} && $c->{t} && @{ $c->{inflight} };
    eval { _drain($c); 1 };
}

# Close the connection (the next call reconnects).
sub disconnect {
    my $c = _client();
    eval { flush() } if @{ $c->{queue} } || @{ $c->{inflight} };
    if ($c->{t}) { $c->{t}->close; $c->{t} = undef }
    return 1;
}

END { _finish_client($C) if $C }

# ---------------------------------------------------------------------------
# Request bookkeeping

sub _enqueue {
    my ($c, $module, $function, $params, $legacy, $async, $cb) = @_;
    Carp::croak('CPANBridge::call: module and function are required')
        unless defined $module && length $module && defined $function && length $function;
    $params = {} unless defined $params;
    my $id = ++$c->{next_id};
    $id = "$id";
    my %req = (id => $id, module => $module, function => $function, params => $params, ack => $c->{acked});
    $req{legacy} = \1 if $legacy;
    my $body = eval { CPANBridge::Codec::encode_frame_body(\%req) };
    if (!defined $body) {
        --$c->{next_id};
        my $m = $@; $m =~ s/ at \S+ line \d+\.?\n?\z//;
        die CPANBridge::Error->new(code => 'bad_params', message => "cannot encode parameters: $m",
                                   module => $module, function => $function);
    }
    my $max = $MAX_JSON_SIZE || 10 * 1024 * 1024;
    if (length($body) > $max) {
        --$c->{next_id};
        die CPANBridge::Error->new(code => 'frame_too_large',
            message => sprintf('request of %d bytes exceeds the maximum frame size of %d bytes', length $body, $max),
            module => $module, function => $function);
    }
    $c->{req}{$id} = { body => $body, module => $module, function => $function, params => $params,
                       async => $async, cb => $cb, legacy => $legacy };
    push @{ $c->{queue} }, $id;
    $c->{queue_bytes} += length $body;
    return $id;
}

# A reply arrived (socket or process mode).
sub _on_reply {
    my ($c, $reply) = @_;
    # the journal's commit count: a daemon that restarts with fewer lost acknowledged records
    my $j = $reply->{j};
    $c->{jseq} = $j if defined $j && (!defined $c->{jseq} || $j > $c->{jseq});
    my $id = $reply->{id};
    my $r = defined $id ? delete $c->{req}{$id} : undef;
    return 0 unless $r;    # unknown or duplicate: ignore
    my $inf = $c->{inflight};
    if (@$inf && $inf->[0] eq $id) { shift @$inf }    # the usual case: replies in order
    else { @$inf = grep { $_ ne $id } @$inf }
    if ($id =~ /^\d+$/) {
        if ($id == $c->{acked} + 1) {
            $c->{acked}++;
            while (delete $c->{received}{ $c->{acked} + 1 }) { $c->{acked}++ }
        }
        elsif ($id > $c->{acked}) { $c->{received}{$id} = 1 }
    }
    if ($r->{async}) {
        if ($r->{cb}) {
            my $ok = $reply->{success} ? 1 : 0;
            $r->{cb}->($ok, $ok ? $reply->{result}
                : CPANBridge::Error->from_reply($reply->{error}, module => $r->{module}, function => $r->{function}, id => $id, async => 1));
        }
        elsif (!$reply->{success}) {
            push @{ $c->{async_errors} },
                CPANBridge::Error->from_reply($reply->{error}, module => $r->{module}, function => $r->{function}, id => $id, async => 1);
        }
    }
    else {
        $c->{replies}{$id} = $reply;
    }
    return 1;
}

sub _done {
    my ($c, $id) = @_;
    return exists $c->{replies}{$id} if defined $id;
    return !@{ $c->{inflight} } && !@{ $c->{queue} };
}

# Write the queued requests in one write (daemon mode). Failure leaves them in
# flight: the reconnect resends them.
sub _write_queue {
    my ($c) = @_;
    return 1 unless @{ $c->{queue} };
    my @ids = @{ $c->{queue} };
    @{ $c->{queue} } = ();
    $c->{queue_bytes} = 0;
    push @{ $c->{inflight} }, @ids;
    return 0 unless $c->{t};
    my ($ok, $f) = $c->{t}->send_bodies(map { $c->{req}{$_}{body} } @ids);
    if (!$ok) { _debug(1, "write failed: $f->{message}"); _drop($c); return 0 }
    _drain($c);
    return 1;
}

# Read replies that are already there, without waiting.
sub _drain {
    my ($c) = @_;
    while (my $t = $c->{t}) {
        if (length($t->{buf}) < 4) {
            my $rin = '';
            vec($rin, $t->{fileno}, 1) = 1;
            last unless select(my $rout = $rin, undef, undef, 0) > 0;
        }
        my ($body, $f) = $t->read_frame(Time::HiRes::time() + 0.001);
        if (!defined $body) { _drop($c) unless $f->{kind} eq 'timeout'; last }
        my $reply = eval { CPANBridge::Codec::decode_frame_body($body) };
        _on_reply($c, $reply) if ref $reply eq 'HASH' && defined $reply->{id};
    }
}

sub _drop {
    my ($c) = @_;
    if ($c->{t}) { $c->{t}->close; $c->{t} = undef }
}

# Wait until the reply to $id has arrived (or, for $id undef, every reply).
# Returns the reply (for $id) or 1.
sub _wait_for {
    my ($c, $id) = @_;
    my $deadline;    # reconnect deadline of the current outage
    while (1) {
        if (!$DAEMON_MODE || $c->{fallen_back}) {
            _process_mode($c);
            last if _done($c, $id);
            die CPANBridge::Error->new(code => 'internal', message => "no reply for request $id in process mode");
        }
        if (!$c->{t} || $c->{t}{path} ne $DAEMON_SOCKET) {
            _drop($c) if $c->{t};
            my ($ok, $why) = _connect($c, \$deadline);
            if (!$ok) {
                if ($FALLBACK_ENABLED) {
                    _debug(1, "daemon unavailable ($why): switching to process mode");
                    $c->{fallen_back} = 1;
                    next;
                }
                # Nothing can be done for the outstanding requests.
                my @ids = (@{ $c->{inflight} }, @{ $c->{queue} });
                @{ $c->{inflight} } = (); @{ $c->{queue} } = (); $c->{queue_bytes} = 0;
                delete @{ $c->{req} }{@ids};
                die CPANBridge::Error->new(code => 'daemon_unavailable', message => $why, retryable => 1,
                                           in_doubt => 1);
            }
        }
        _write_queue($c) or next;
        last if _done($c, $id);
        my $rt = $TIMEOUT && $TIMEOUT > 0 ? Time::HiRes::time() + $TIMEOUT : 0;
        while ($c->{t} && !_done($c, $id)) {
            my ($body, $f) = $c->{t}->read_frame($rt);
            if (!defined $body) {
                _debug(1, "read failed: $f->{message}");
                _drop($c);
                if ($f->{kind} eq 'frame') {
                    die CPANBridge::Error->new(code => 'bad_frame', message => $f->{message});
                }
                last;
            }
            my $reply = eval { CPANBridge::Codec::decode_frame_body($body) };
            if (ref $reply ne 'HASH') {
                _drop($c);
                die CPANBridge::Error->new(code => 'bad_frame', message => "undecodable reply: $@");
            }
            if (!defined $reply->{id}) {
                # A connection-level error frame (frame_too_large, bad_frame, shutting_down...).
                my $e = $reply->{error} || {};
                _drop($c);
                next if ($e->{code} || '') eq 'shutting_down';
                die CPANBridge::Error->from_reply($e);
            }
            if (!$reply->{success} && ref $reply->{error} eq 'HASH'
                && ($reply->{error}{code} || '') eq 'shutting_down') {
                # Not run: the daemon is going away. Resend after reconnecting.
                _drop($c);
                last;
            }
            $deadline = undef;    # progress: a new outage gets a new deadline
            _on_reply($c, $reply);
        }
        last if _done($c, $id);
    }
    return defined $id ? delete $c->{replies}{$id} : 1;
}

# ---------------------------------------------------------------------------
# Connecting (policy): backoff, autostart, hello, resend.

sub _read_token {
    my $f = $SETTINGS->{token_file};
    open my $fh, '<:raw', $f or return '';
    local $/;
    my $t = <$fh>;
    close $fh;
    $t = '' unless defined $t;
    $t =~ s/\s+\z//;
    return $t;
}

# Try once: connect + hello. -> (1) / (0, 'absent'|'refused'|..., message)
# The client's working directory: the daemon resolves relative paths (SQLite files, workbooks) from it.
sub _cwd {
    my $d = Cwd::getcwd();
    return defined $d ? $d : undef;
}

sub _try_connect {
    my ($c) = @_;
    my ($t, $errno) = CPANBridge::Transport->connect($DAEMON_SOCKET, max_frame_bytes => $MAX_JSON_SIZE);
    if (!$t) {
        local $! = $errno;
        return (0, 'absent', "connect $DAEMON_SOCKET: $!");
    }
    my $hello = {
        type => 'hello', protocol => $PROTOCOL, client_version => $VERSION, pid => $$ + 0,
        host => $c->{host}, script => $0, token => _read_token(), session => $c->{session},
        cwd => _cwd(),
        (defined $c->{jseq} ? (jseq => $c->{jseq} + 0) : ()),
    };
    my $hto = $TIMEOUT && $TIMEOUT < 10 ? $TIMEOUT : 10;
    my ($res, $f) = $t->hello($hello, Time::HiRes::time() + $hto);
    if (!$res) {
        $t->close;
        if ($f->{kind} eq 'refused') {
            my $e = $f->{error};
            # never continue (nor fall back) on a journal that lost what it acknowledged
            die CPANBridge::Error->new(code => $e->{code}, message => $e->{message}, retryable => 0)
                if ($e->{code} || '') eq 'journal_lost';
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
    my ($sent, $f) = $c->{t}->send_bodies(map { $c->{req}{$_}{body} } @ids);
    return (1) if $sent;
    _drop($c);
    return (0, $f->{message});
}

sub _connect {
    my ($c, $deadline_ref) = @_;
    $$deadline_ref ||= Time::HiRes::time() + ($RECONNECT_TIMEOUT || 0);
    my $first = !$c->{ever_connected};
    my $sleep = 0.02;
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
            if ($AUTOSTART && !$c->{autostart_failed}) {
                require CPANBridge::Daemon;
                _debug(1, "no daemon ($msg): autostarting");
                my ($started, $err, $held, $for_good) = CPANBridge::Daemon::start(
                    $SETTINGS, sub { $c->{t} || (_try_connect($c))[0] }, $$deadline_ref);
                if ($started && $c->{t}) {
                    my ($r, $m) = _resend($c);
                    return (1) if $r;
                    $why = $m;
                }
                elsif (!$started && $held) {
                    # the daemon is there but does not answer (stopped, or busy): wait for it
                    # until the reconnect deadline; another one cannot start beside it
                    $why = "the daemon holding $SETTINGS->{home} does not answer";
                    _debug(1, "$why: waiting for it");
                }
                elsif (!$started) {
                    # A daemon killed while it starts (or its launcher) is started again until the
                    # deadline; only a start that can never work (no CLI, no state directory) ends
                    # the attempts at once.
                    $why = "daemon start failed: $err";
                    return (0, $why) if $err =~ /timed out waiting/;
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
        my $s = $sleep;
        $s = $$deadline_ref - $now if $s > $$deadline_ref - $now;
        Time::HiRes::sleep($s);
        $sleep *= 2;
        $sleep = 0.5 if $sleep > 0.5;
    }
}

# ---------------------------------------------------------------------------
# Process mode: run every outstanding request, in order, one process each.

sub _process_mode {
    my ($c) = @_;
    _drop($c);
    require CPANBridge::Process;
    my @ids = (@{ $c->{inflight} }, @{ $c->{queue} });
    @{ $c->{queue} } = ();
    $c->{queue_bytes} = 0;
    @{ $c->{inflight} } = @ids;
    for my $id (@ids) {
        my $r = $c->{req}{$id} or next;
        if ($r->{droppable}) {
            # Cleanup whose only purpose is to free daemon memory early (statement
            # free/finish): not worth a process; the journal closes it with its parent.
            _on_reply($c, { id => $id, success => 1, result => {} });
            next;
        }
        my $pj = CPANBridge::Codec::encode_frame_body($r->{params});
        my $deadline = Time::HiRes::time() + ($RECONNECT_TIMEOUT || 0);
        my $sleep = 0.02;
        my $reply;
        while (1) {
            my ($rep, $err, $retry) = CPANBridge::Process::run($SETTINGS,
                module => $r->{module}, function => $r->{function}, params_json => $pj,
                session => $c->{session}, id => $id, legacy => $r->{legacy}, ack => $c->{acked},
                timeout => $TIMEOUT, client_pid => $$);
            $reply = $rep || { id => $id, success => 0,
                error => { code => 'process_failed', message => $err, retryable => 0, in_doubt => 1 } };
            # A call process killed before it answered, or a daemon going away under it, did not
            # give the request's outcome: ask again under the same id (the journal makes it safe).
            last unless $rep ? _process_retry($rep) : $retry;
            last if Time::HiRes::time() >= $deadline;
            _debug(1, "process-mode request $id: " . ($rep ? $rep->{error}{code} : $err) . ": sending it again");
            Time::HiRes::sleep($sleep);
            $sleep = 0.5 if ($sleep *= 2) > 0.5;
        }
        $reply->{id} = $id unless defined $reply->{id};
        _on_reply($c, $reply);
    }
}

# A process-mode reply that says nothing about the request itself: it never reached a journal.
my %PROCESS_RETRY = map { $_ => 1 } qw(busy disconnected shutting_down daemon_unavailable);
sub _process_retry {
    my ($reply) = @_;
    return 0 if $reply->{success} || ref $reply->{error} ne 'HASH';
    return $PROCESS_RETRY{ $reply->{error}{code} // '' } ? 1 : 0;
}

# ---------------------------------------------------------------------------
# The predecessor's object API (PREDECESSOR_API.md 1.1)

sub new {
    my ($class, %opt) = @_;
    $class = ref $class || $class;
    my $self = bless {
        debug         => $opt{debug} // $DEBUG_LEVEL,
        timeout       => $opt{timeout} // $TIMEOUT,
        max_json_size => $opt{max_json_size} // $MAX_JSON_SIZE,
        retry_count   => $opt{retry_count} // $RETRY_COUNT,
        last_error    => undef,
        stats         => {},
    }, $class;
    return $self;
}

sub call_python {
    my ($self, $module, $function, $params) = @_;
    Carp::croak('call_python: module and function are required')
        unless defined $module && length $module && defined $function && length $function;
    $params = {} unless defined $params;
    my $t0 = Time::HiRes::time();
    my $res = eval {
        local $TIMEOUT = ref $self && $self->{timeout} ? $self->{timeout} : $TIMEOUT;
        call($module, $function, $params, legacy => 1);
    };
    my $err = $@;
    my $dt = Time::HiRes::time() - $t0;
    my $key = "$module.$function";
    if (ref $self) {
        $self->{stats}{$key}{call_count}++;
        $self->{stats}{$key}{last_duration} = $dt;
        $self->{stats}{$key}{total_duration} += $dt;
    }
    if (!defined $res && $err) {
        my $msg = ref $err && eval { $err->isa('CPANBridge::Error') } ? $err->message : "$err";
        $msg =~ s/\s+\z//;
        $LAST_ERROR = $msg;
        $self->{last_error} = $msg if ref $self;
        my %r = (success => 0, error => $msg, module => $module, function => $function, duration => $dt);
        if (ref $err && eval { $err->isa('CPANBridge::Error') }) {
            $r{error_code} = $err->code;
            $r{$_} = $err->{$_} for grep { defined $err->{$_} } qw(err errstr state retryable in_doubt);
        }
        return \%r;
    }
    $self->{last_error} = undef if ref $self;
    return $res;
}

sub get_last_error        { my $s = shift; ref $s ? $s->{last_error} : $LAST_ERROR }
sub get_last_python_output { undef }
sub get_performance_stats { my $s = shift; ref $s ? { %{ $s->{stats} } } : {} }
sub clear_performance_stats { my $s = shift; $s->{stats} = {} if ref $s; 1 }

sub set_debug {
    my ($s, $v) = @_;
    $DEBUG_LEVEL = $v;
    $s->{debug} = $v if ref $s;
    return 1;
}
sub set_timeout       { my ($s, $v) = @_; ref $s ? ($s->{timeout} = $v) : ($TIMEOUT = $v); 1 }
sub set_max_json_size { my ($s, $v) = @_; ref $s ? ($s->{max_json_size} = $v) : ($MAX_JSON_SIZE = $v); 1 }
sub set_retry_count   { my ($s, $v) = @_; ref $s ? ($s->{retry_count} = $v) : ($RETRY_COUNT = $v); 1 }
sub set_daemon_mode   { my ($s, $v) = @_; $DAEMON_MODE = $v ? 1 : 0; 1 }
sub set_fallback      { my ($s, $v) = @_; $FALLBACK_ENABLED = $v ? 1 : 0; 1 }
sub set_daemon_socket { my ($s, $v) = @_; $DAEMON_SOCKET = $v; 1 }
# No Python here: accepted for compatibility, no effect.
sub set_python_bridge_script { my ($s, $v) = @_; $PYTHON_BRIDGE_SCRIPT = $v; 1 }
sub set_python_path          { my ($s, $v) = @_; $PYTHON_PATH = $v; 1 }

sub test_python_bridge {
    my $s = shift;
    my $r = eval { call('system', 'ping', {}) };
    return $r && $r->{pong} ? 1 : 0;
}

sub check_python_module {
    my ($s, $name) = @_;
    my $r = (ref $s ? $s : CPANBridge->new)->call_python('test', 'check_module', { module => $name });
    return ref $r eq 'HASH' && ($r->{available} || $r->{success}) ? 1 : 0;
}

sub ping { my $r = eval { call('system', 'ping', {}) }; $r }

1;
