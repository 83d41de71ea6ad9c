package CPANBridge::Process;

# Process mode: one `cpan-bridge call MODULE FUNCTION JSON` per request,
# against the same journal as the daemon. The session and request id travel in
# CPAN_BRIDGE_SESSION / CPAN_BRIDGE_REQUEST_ID so the request is deduplicated
# exactly as over the socket. The CLI prints one reply object on stdout and
# exits 0 whenever it printed one.
#
# Parameters larger than ARG_LIMIT bytes cannot travel in argv (Linux limits a
# single argument to 128 KiB), nor can secrets (argv is public): they are
# passed as "-" and written to stdin.

use strict;
use warnings;
use CPANBridge::Taint ();
use POSIX ();
use Errno qw(EINTR);
use Time::HiRes ();
use CPANBridge::Config ();
use CPANBridge::Codec ();

our $ARG_LIMIT = 100_000;

sub _has_secret {
    my ($json) = @_;
    return $json =~ /"(?:password|passwd|pwd|passphrase|private_key|secret|cipher_key|key)"\s*:|(?:password|passwd|pwd)\s*=/i;
}

# run(\%cfg, \%req_fields) -> (reply hash) or (undef, message, $retry)
#   $retry: the call process died without a reply (killed, crashed): the same request may be sent
#   again under the same id (the journal answers it, or runs it if it never got there).
#   req_fields: module function params_json session id legacy timeout
sub run {
    my ($cfg, %r) = @_;
    my @cmd = (CPANBridge::Config::split_command($cfg->{cli}), 'call', $r{module}, $r{function});
    my $stdin;
    # argv is readable by every user of the host (ps, /proc/PID/cmdline): secrets go by stdin too
    if (length($r{params_json}) > $ARG_LIMIT || _has_secret($r{params_json})) { push @cmd, '-'; $stdin = $r{params_json} }
    else                                      { push @cmd, $r{params_json} }

    my ($out_r, $out_w, $in_r, $in_w);
    pipe($out_r, $out_w) or return (undef, "pipe: $!");
    if (defined $stdin) { pipe($in_r, $in_w) or return (undef, "pipe: $!") }
    my $pid = fork;
    return (undef, "fork: $!") unless defined $pid;
    if (!$pid) {
        close $out_r;
        if (defined $stdin) { close $in_w; open STDIN, '<&', $in_r }
        else                { open STDIN, '<', '/dev/null' }
        open STDOUT, '>&', $out_w;
        $ENV{CPAN_BRIDGE_SESSION}    = $r{session};
        $ENV{CPAN_BRIDGE_REQUEST_ID} = $r{id};
        $ENV{CPAN_BRIDGE_HOME}       = $cfg->{home};
        $ENV{CPAN_BRIDGE_SOCKET}     = $cfg->{socket};
        $ENV{CPAN_BRIDGE_ACK}        = $r{ack} if defined $r{ack};
        # the script owns the handles, not this short-lived call process
        $ENV{CPAN_BRIDGE_CLIENT_PID} = $r{client_pid} if $r{client_pid};
        if ($r{legacy}) { $ENV{CPAN_BRIDGE_LEGACY} = 1 } else { delete $ENV{CPAN_BRIDGE_LEGACY} }
        CPANBridge::Config::node_child_env();
        @cmd = CPANBridge::Taint::for_exec(@cmd);
        { no warnings 'exec'; exec { $cmd[0] } @cmd; }
        print STDERR "cannot exec $cmd[0]: $!\n";
        POSIX::_exit(127);
    }
    close $out_w;
    if (defined $stdin) {
        close $in_r;
        local $SIG{PIPE} = 'IGNORE';
        binmode $in_w;
        print {$in_w} $stdin;
        close $in_w;
    }
    binmode $out_r;
    my $out = '';
    my $deadline = $r{timeout} ? Time::HiRes::time() + $r{timeout} : 0;
    my $timed_out = 0;
    while (1) {
        my $rin = '';
        vec($rin, fileno($out_r), 1) = 1;
        my $left = $deadline ? $deadline - Time::HiRes::time() : undef;
        if (defined $left && $left <= 0) { $timed_out = 1; last }
        my $n = select(my $rout = $rin, undef, undef, $left);
        if ($n < 0) { next if $! == EINTR; last }
        next unless $n;
        my $got = sysread($out_r, $out, 65536, length $out);
        next if !defined $got && $! == EINTR;
        last unless $got;
    }
    close $out_r;
    if ($timed_out) {
        kill 'KILL', $pid;    # never leave a timed-out child running
        waitpid($pid, 0);
        return (undef, "process-mode call timed out after $r{timeout}s");
    }
    waitpid($pid, 0);
    my $status = $?;
    my $reply;
    if ($out =~ /\S/) {
        # The reply is the last JSON object printed.
        $out =~ s/^\s+|\s+\z//g;
        $reply = eval { CPANBridge::Codec::decode_frame_body($out) };
        if (!$reply && $out =~ /\n/) {
            my ($last) = $out =~ /([^\n]*)\z/;
            $reply = eval { CPANBridge::Codec::decode_frame_body($last) };
        }
    }
    return ($reply) if ref $reply eq 'HASH';
    my $how = ($status & 127) ? sprintf('was killed by signal %d', $status & 127) : sprintf('exited %d', $status >> 8);
    return (undef, sprintf("'%s call %s %s' %s without a reply%s",
        $cfg->{cli}, $r{module}, $r{function}, $how, length $out ? ": " . substr($out, 0, 500) : ''),
        ($status & 127) || ($status >> 8) != 127 ? 1 : 0);
}

1;
