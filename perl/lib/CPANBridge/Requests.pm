package CPANBridge::Requests;

# The client's request bookkeeping, whatever carries the requests: ids, the queue
# of requests not yet written, the ones in flight (resent after a reconnect, in
# order), the acknowledgement watermark the daemon may forget replies below, the
# replies of synchronous calls and the errors of asynchronous ones.
# Functions over the client state hash (CPANBridge::_client); no I/O here.

use strict;
use warnings;
use Carp ();
use CPANBridge::Codec ();
use CPANBridge::Error ();

# A croak here names the caller of CPANBridge::call, not CPANBridge.pm.
our @CARP_NOT = ('CPANBridge');

# The bookkeeping fields of a new client state.
sub fresh {
    return (
        next_id      => 0,
        inflight     => [],    # ids sent, reply not yet received, in send order
        req          => {},    # id => { body, module, function, params, async, cb, legacy }
        queue        => [],    # ids of async requests not yet written
        queue_bytes  => 0,
        replies      => {},    # id => reply (sync requests)
        acked        => 0,
        received     => {},    # ids > acked that have been received
        async_errors => [],
    );
}

# enqueue($c, $module, $function, $params, $legacy, $async, $cb, $max_bytes) -> id
sub enqueue {
    my $c = $_[0];
    my $id = _new($c, @_[1 .. 7]);
    push @{ $c->{queue} }, $id;
    $c->{queue_bytes} += length $c->{req}{$id}{body};
    return $id;
}

# start_sync($c, $module, $function, $params, $legacy, $max_bytes) -> (id, body)
# A synchronous request with nothing queued before it, in flight at once: the caller writes
# its body (take_queue's bookkeeping without the queue).
sub start_sync {
    my $c = $_[0];
    my $id = _new($c, @_[1 .. 4], 0, undef, $_[5]);
    push @{ $c->{inflight} }, $id;
    return ($id, $c->{req}{$id}{body});
}

sub _new {
    my ($c, $module, $function, $params, $legacy, $async, $cb, $max) = @_;
    Carp::croak('CPANBridge::call: module and function are required')
        unless defined $module && length $module && defined $function && length $function;
    $params = {} unless defined $params;
    my $id = ++$c->{next_id} . '';
    my $body = eval { CPANBridge::Codec::encode_request($id, $module, $function, $params, $c->{acked}, $legacy) };
    if (!defined $body) {
        --$c->{next_id};
        my $m = $@; $m =~ s/ at \S+ line \d+\.?\n?\z//;
        die CPANBridge::Error->new(code => 'bad_params', message => "cannot encode parameters: $m",
                                   module => $module, function => $function);
    }
    $max ||= 10 * 1024 * 1024;
    if (length($body) > $max) {
        --$c->{next_id};
        die CPANBridge::Error->new(code => 'frame_too_large',
            message => sprintf('request of %d bytes exceeds the maximum frame size of %d bytes', length $body, $max),
            module => $module, function => $function);
    }
    $c->{req}{$id} = { body => $body, module => $module, function => $function, params => $params,
                       async => $async, cb => $cb, legacy => $legacy };
    return $id;
}

sub outstanding { my ($c) = @_; return @{ $c->{queue} } || @{ $c->{inflight} } ? 1 : 0 }

# The queued requests become in flight (they are being written). -> their ids
sub take_queue {
    my ($c) = @_;
    my @ids = @{ $c->{queue} };
    @{ $c->{queue} } = ();
    $c->{queue_bytes} = 0;
    push @{ $c->{inflight} }, @ids;
    return @ids;
}

sub bodies { my ($c, @ids) = @_; return map { $c->{req}{$_}{body} } @ids }

# Nothing can be done for the outstanding requests: forget them.
sub abandon {
    my ($c) = @_;
    my @ids = (@{ $c->{inflight} }, @{ $c->{queue} });
    @{ $c->{inflight} } = (); @{ $c->{queue} } = (); $c->{queue_bytes} = 0;
    delete @{ $c->{req} }{@ids};
}

# A reply arrived (socket or process mode). -> 1, or 0 for an unknown or duplicate id
sub on_reply {
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

# Has the reply to $id arrived (or, for $id undef, every reply)?
sub done {
    my ($c, $id) = @_;
    return exists $c->{replies}{$id} if defined $id;
    return !@{ $c->{inflight} } && !@{ $c->{queue} };
}

1;
