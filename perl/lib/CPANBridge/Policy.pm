package CPANBridge::Policy;

# When the client retries, starts a daemon, falls back, and what it may resend:
# the decisions as data, apart from the transports that carry the requests (as
# DBD::Gofer keeps its Policy apart from its Transport). The switches a script
# or the environment sets (daemon mode, fallback, autostart, deadlines) are the
# CPANBridge package variables; this is what does not change per job.

use strict;
use warnings;

our %POLICY = (
    # backoff between attempts (reconnect, process-mode resend), seconds: doubling
    backoff_first => 0.02,
    backoff_max   => 0.5,
    # a hello that takes longer has failed (capped by the read timeout when shorter)
    hello_timeout => 10,
    # a queue of pipelined requests this long (or this big) is written without waiting
    push_requests => 2000,
    push_bytes    => 1 << 20,
);

# Reply codes that say the request did not run, the daemon is going away:
# reconnect and resend it under the same id.
our %RESEND = map { $_ => 1 } qw(shutting_down);

# Process-mode reply codes that say nothing about the request itself (it never reached a
# journal): ask again under the same id until the reconnect deadline.
our %PROCESS_RETRY = map { $_ => 1 } qw(busy disconnected shutting_down daemon_unavailable);

# Hello refusals that end the job: never continue (nor fall back) on a journal that lost what it
# acknowledged.
our %FATAL_HELLO = map { $_ => 1 } qw(journal_lost);

# An autostart failure that more attempts cannot cure before the deadline.
our $START_TIMED_OUT = qr/timed out waiting/;

sub backoff_first { $POLICY{backoff_first} }

# The next backoff after $s.
sub backoff_next { my ($s) = @_; $s *= 2; return $s > $POLICY{backoff_max} ? $POLICY{backoff_max} : $s }

sub hello_timeout {
    my ($read_timeout) = @_;
    return $read_timeout && $read_timeout < $POLICY{hello_timeout} ? $read_timeout : $POLICY{hello_timeout};
}

sub push_queue_now {
    my ($n, $bytes) = @_;
    return $n >= $POLICY{push_requests} || $bytes >= $POLICY{push_bytes};
}

sub resend_reply {
    my ($reply) = @_;
    return !$reply->{success} && ref $reply->{error} eq 'HASH' && $RESEND{ $reply->{error}{code} || '' };
}

sub process_retry {
    my ($reply) = @_;
    return 0 if $reply->{success} || ref $reply->{error} ne 'HASH';
    return $PROCESS_RETRY{ $reply->{error}{code} // '' } ? 1 : 0;
}

1;
