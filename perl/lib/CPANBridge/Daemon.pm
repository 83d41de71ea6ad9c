package CPANBridge::Daemon;

# Starting the daemon when none answers.
#
# Many jobs may start at once: the start is serialised by an flock on
# $CPAN_BRIDGE_HOME/autostart.lock. Whoever holds the lock first re-checks
# whether a daemon now answers (somebody else may just have started it) and
# only then starts `$CLI daemon --ready-fd N` itself, in a session of its own
# (one node start: `daemon --detach` would start a launcher node, then the
# daemon). The daemon says "ready" on that pipe once it serves, or "fail CODE
# MESSAGE". Its output goes to $CPAN_BRIDGE_HOME/autostart.log, never to the
# job's own STDOUT/STDERR (the daemon must not hold the job's pipes open).

use strict;
use warnings;
use CPANBridge::Taint ();
use Errno qw(EINTR);
use Fcntl qw(:flock O_WRONLY O_CREAT O_APPEND O_NOFOLLOW F_SETFD);
use POSIX ();
use Time::HiRes ();
use CPANBridge::Config ();
use CPANBridge::Transport ();

# start(\%cfg, $probe, $deadline) -> (1) or (0, $message, $held, $for_good)
# $probe->() returns true when a daemon answers (and keeps the connection).
# $held: a daemon already holds the state directory but did not answer (stopped or hung):
# waiting for it may still succeed, starting another cannot.
# $for_good: the start can never work (no state directory, the CLI cannot be run): trying again
# is pointless. Anything else (a launcher or daemon killed while it started) is worth a retry.
sub start {
    my ($cfg, $probe, $deadline) = @_;
    my ($home_ok, $why) = CPANBridge::Config::ensure_home($cfg);
    return (0, $why, 0, 1) unless $home_ok;
    my $lock;
    # never through a planted symlink, never a file someone else owns or can write
    if (!sysopen($lock, $cfg->{autostart_lock}, O_WRONLY | O_CREAT | O_NOFOLLOW, 0600)) {
        return (0, "cannot open $cfg->{autostart_lock}: $!"
            . ($!{ELOOP} ? ' (a symbolic link: remove it)' : ''), 0, 1);
    }
    if (my $bad = CPANBridge::Config::untrusted($cfg->{autostart_lock})) { close $lock; return (0, $bad, 0, 1) }
    # Wait for the lock, but not past the deadline.
    my $sleep = 0.01;
    while (!flock($lock, LOCK_EX | LOCK_NB)) {
        if ($deadline && Time::HiRes::time() >= $deadline) {
            close $lock;
            return (0, 'timed out waiting for the autostart lock');
        }
        Time::HiRes::sleep($sleep);
        $sleep = 0.1 if ($sleep *= 2) > 0.1;
    }
    # Somebody may have started it while we waited.
    if ($probe->()) { close $lock; return (1) }

    my ($ok, $msg, $exit) = spawn_daemon($cfg, $probe, $deadline);
    close $lock;    # releases the flock
    return (1) if $ok;
    return (0, $msg, ($exit // 0) == 3, ($exit // 0) == 127);
}

our $START_TIMEOUT = 15;    # seconds a starting daemon has to serve (as `daemon --detach` gives it)

# spawn_daemon(\%cfg, $probe, $deadline) -> (1) or (0, msg, exit code: 3 held, 127 cannot run, -1 died)
# The daemon is a grandchild in its own session: never this script's child (a script that waits
# for its children must not wait for the daemon, nor get its exit status).
sub spawn_daemon {
    my ($cfg, $probe, $deadline) = @_;
    # something accepts on the socket but did not say hello (stopped, hung, busy): a daemon holds
    # the directory; another one would wait for its lock and take over the moment it stops
    if (my ($t) = CPANBridge::Transport->connect($cfg->{socket})) {
        if ($t) { $t->close; return (0, "a daemon accepts on $cfg->{socket} but does not answer", 3) }
    }
    my @cmd = (CPANBridge::Config::split_command($cfg->{cli}), 'daemon', '--ready-fd', '3');
    my $log = $cfg->{autostart_log};
    my $start_size = -s $log || 0;
    pipe(my $ready_r, my $ready_w) or return (0, "pipe: $!");
    my $pid = fork;
    return (0, "fork: $!") unless defined $pid;
    if (!$pid) {
        close $ready_r;
        POSIX::setsid();
        my $daemon = fork;
        POSIX::_exit(defined $daemon ? 0 : 1) if !defined $daemon || $daemon;
        open STDIN, '<', '/dev/null';
        if (!CPANBridge::Config::untrusted($log) && sysopen(my $fh, $log, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600)) {
            open STDOUT, '>&', $fh;
            open STDERR, '>&', $fh;
        }
        else {
            open STDOUT, '>', '/dev/null';
            open STDERR, '>', '/dev/null';
        }
        # the pipe on descriptor 3, open across exec (dup2 clears close-on-exec; Perl set it on ours)
        if (fileno($ready_w) != 3) { POSIX::dup2(fileno($ready_w), 3) }
        else { fcntl($ready_w, F_SETFD, 0) }
        $ENV{CPAN_BRIDGE_HOME}   = $cfg->{home};
        $ENV{CPAN_BRIDGE_SOCKET} = $cfg->{socket};
        CPANBridge::Config::node_child_env();
        chdir '/';
        @cmd = CPANBridge::Taint::for_exec(@cmd);
        { no warnings 'exec'; exec { $cmd[0] } @cmd; }
        my $why = "cannot exec $cmd[0]: $!";
        print STDERR "$why\n";
        POSIX::write(3, "fail 127 $why\n", length("fail 127 $why\n"));
        POSIX::_exit(127);
    }
    close $ready_w;
    waitpid($pid, 0);    # the session leader, gone at once
    my $until = Time::HiRes::time() + $START_TIMEOUT;
    $until = $deadline if $deadline && $deadline > Time::HiRes::time() + 1 && $deadline < $until;
    my $said = '';
    my $open = 1;
    while (1) {
        if ($open) {
            my $rin = '';
            vec($rin, fileno($ready_r), 1) = 1;
            if (select(my $rout = $rin, undef, undef, 0.02) > 0) {
                my $got = sysread($ready_r, $said, 4096, length $said);
                $open = 0 unless $got || (!defined $got && $! == EINTR);
            }
        }
        else { Time::HiRes::sleep(0.02) }
        if ($said =~ /^ready\b/m) {
            close $ready_r;
            # it serves; one that accepts but does not say hello (stopped, hung) holds the directory
            return $probe->() ? (1) : (0, "a daemon accepts on $cfg->{socket} but does not answer", 3);
        }
        if ($said =~ /^fail (\d+) ([^\n]*)/m) {
            my ($code, $why) = ($1, $2);
            close $ready_r;
            return (1) if $code == 3 && $probe->();    # another one won the race
            return (0, "the daemon did not start: $why", $code + 0);
        }
        # closed without a word: the daemon is gone (killed while it started)
        if (!$open) {
            close $ready_r;
            return $probe->() ? (1) : (0, 'the daemon exited while starting' . _log_tail($log, $start_size), -1);
        }
        # a CLI that never writes on the pipe (a wrapper script): the socket says it
        return (1) if $probe->();
        last if Time::HiRes::time() >= $until;
    }
    close $ready_r;
    return (0, "the daemon did not answer on $cfg->{socket} within $START_TIMEOUT s" . _log_tail($log, $start_size), 1);
}


# What the starting daemon wrote to the autostart log, for the error message.
sub _log_tail {
    my ($log, $from) = @_;
    open my $fh, '<', $log or return '';
    seek $fh, $from, 0;
    local $/;
    my $tail = <$fh> // '';
    $tail =~ s/\s+\z//;
    $tail = substr($tail, -2000) if length $tail > 2000;
    return length $tail ? ": $tail" : '';
}

1;
