package CPANBridge::Transport::Process;

# Process mode: every outstanding request, in order, one `cpan-bridge call`
# process each (CPANBridge::Process runs it), against the same journal as the
# daemon, under the same session and ids. Same interface as
# CPANBridge::Transport::Socket: exchange($c, $id, \$deadline).

use strict;
use warnings;
use Time::HiRes ();
use CPANBridge::Codec ();
use CPANBridge::Error ();
use CPANBridge::Policy ();
use CPANBridge::Requests ();

sub exchange {
    my ($class, $c, $id) = @_;
    CPANBridge::Transport::Socket::drop($c);
    require CPANBridge::Process;
    CPANBridge::Requests::take_queue($c);
    my @ids = @{ $c->{inflight} };    # a copy: each reply takes its id off the list
    for my $rid (@ids) {
        my $r = $c->{req}{$rid} or next;
        if ($r->{droppable}) {
            # Cleanup whose only purpose is to free daemon memory early (statement
            # free/finish): not worth a process; the journal closes it with its parent.
            CPANBridge::Requests::on_reply($c, { id => $rid, success => 1, result => {} });
            next;
        }
        CPANBridge::Requests::on_reply($c, _run($c, $rid, $r));
    }
    return if CPANBridge::Requests::done($c, $id);
    die CPANBridge::Error->new(code => 'internal', message => "no reply for request $id in process mode");
}

# One request, asked again under the same id while the answer says nothing about it.
sub _run {
    my ($c, $id, $r) = @_;
    my $pj = CPANBridge::Codec::encode_frame_body($r->{params});
    my $deadline = Time::HiRes::time() + ($CPANBridge::RECONNECT_TIMEOUT || 0);
    my $sleep = CPANBridge::Policy::backoff_first();
    my $reply;
    while (1) {
        my ($rep, $err, $retry) = CPANBridge::Process::run($CPANBridge::SETTINGS,
            module => $r->{module}, function => $r->{function}, params_json => $pj,
            session => $c->{session}, id => $id, legacy => $r->{legacy}, ack => $c->{acked},
            timeout => $CPANBridge::TIMEOUT, client_pid => $$);
        $reply = $rep || { id => $id, success => 0,
            error => { code => 'process_failed', message => $err, retryable => 0, in_doubt => 1 } };
        # A call process killed before it answered, or a daemon going away under it, did not
        # give the request's outcome: ask again under the same id (the journal makes it safe).
        last unless $rep ? CPANBridge::Policy::process_retry($rep) : $retry;
        last if Time::HiRes::time() >= $deadline;
        CPANBridge::_debug(1, "process-mode request $id: " . ($rep ? $rep->{error}{code} : $err) . ": sending it again");
        Time::HiRes::sleep($sleep);
        $sleep = CPANBridge::Policy::backoff_next($sleep);
    }
    $reply->{id} = $id unless defined $reply->{id};
    return $reply;
}

1;
