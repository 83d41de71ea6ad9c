package CPANBridge;

use strict;
use warnings;
use Sys::Hostname ();
use Time::HiRes ();
use CPANBridge::Config ();
use CPANBridge::Error ();
use CPANBridge::Policy ();
use CPANBridge::Requests ();
use CPANBridge::Transport::Socket ();
use CPANBridge::Transport::Process ();

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
    # the owner test without building its tag: this process, this thread's interpreter
    return $C if $C && $C->{pid} == $$ && $C->{anchor} == \$ANCHOR;
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
        anchor       => 0 + \$ANCHOR,    # a number: a clone's copy keeps its parent's address
        session      => _new_session(),
        t            => undef,    # the socket connection (CPANBridge::Transport), daemon mode
        fallen_back  => 0,
        ever_connected => 0,
        CPANBridge::Requests::fresh(),
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
    my ($module, $function, $params) = @_;
    my %opt = @_ > 3 ? @_[3 .. $#_] : ();
    my $c = _client();
    my ($id, $reply);
    my $t = $c->{t};
    if ($t && !@{ $c->{queue} } && !@{ $c->{inflight} } && $DAEMON_MODE && !$c->{fallen_back}
        && $t->{path} eq $DAEMON_SOCKET) {
        # Connected, nothing outstanding (a round trip, the usual call): write it, read its reply.
        # Whatever else happens (a broken connection, another reply first) is the general path's.
        my $body;
        ($id, $body) = CPANBridge::Requests::start_sync($c, $module, $function, $params, $opt{legacy}, $MAX_JSON_SIZE);
        if ($t->send_frame($body)) {
            my $deadline;
            CPANBridge::Transport::Socket::take_frame($c, $t->read_frame(CPANBridge::Transport::Socket::read_deadline()), \$deadline);
        }
        else { CPANBridge::Transport::Socket::drop($c) }
        $reply = exists $c->{replies}{$id} ? delete $c->{replies}{$id} : _wait_for($c, $id);
    }
    else {
        $id = CPANBridge::Requests::enqueue($c, $module, $function, $params, $opt{legacy}, 0, undef, $MAX_JSON_SIZE);
        $reply = _wait_for($c, $id);
    }
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
    my $id = CPANBridge::Requests::enqueue($c, $module, $function, $params, $opt{legacy}, 1, $cb, $MAX_JSON_SIZE);
    $c->{req}{$id}{droppable} = 1 if $opt{droppable};
    # Keep the write buffer bounded: push big queues out without waiting.
    if (CPANBridge::Policy::push_queue_now(scalar @{ $c->{queue} }, $c->{queue_bytes})) {
        _socket_ready($c) && CPANBridge::Transport::Socket::write_queue($c);
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
    return unless @{ $c->{queue} } && _socket_ready($c);
    CPANBridge::Transport::Socket::write_queue($c);
}

# Handle the replies that have already arrived (callbacks run), without waiting.
sub read_arrived {
    my $c = _client();
    return unless _socket_ready($c) && @{ $c->{inflight} };
    eval { CPANBridge::Transport::Socket::drain($c); 1 };
}

# Daemon mode with a connection open.
sub _socket_ready { my ($c) = @_; return $DAEMON_MODE && !$c->{fallen_back} && $c->{t} }

# Close the connection (the next call reconnects).
sub disconnect {
    my $c = _client();
    eval { flush() } if @{ $c->{queue} } || @{ $c->{inflight} };
    if ($c->{t}) { $c->{t}->close; $c->{t} = undef }
    return 1;
}

END { _finish_client($C) if $C }

# ---------------------------------------------------------------------------
# Waiting for replies: through the socket (daemon mode) or one process per request
# (process mode, or after a fallback), the two transports behind one interface.

sub _transport {
    my ($c) = @_;
    return (!$DAEMON_MODE || $c->{fallen_back}) ? 'CPANBridge::Transport::Process' : 'CPANBridge::Transport::Socket';
}

# Wait until the reply to $id has arrived (or, for $id undef, every reply).
# Returns the reply (for $id) or 1.
sub _wait_for {
    my ($c, $id) = @_;
    my $deadline;    # reconnect deadline of the current outage
    while (1) {
        _transport($c)->exchange($c, $id, \$deadline);
        last if CPANBridge::Requests::done($c, $id);
    }
    return defined $id ? delete $c->{replies}{$id} : 1;
}

# The predecessor's object API: CPANBridge->new->call_python(...)
require CPANBridge::Legacy;

1;
