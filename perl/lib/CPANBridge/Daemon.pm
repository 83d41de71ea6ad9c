package CPANBridge::Daemon;

# Starting the daemon when none answers.
#
# Many jobs may start at once: the start is serialised by an flock on
# $CPAN_BRIDGE_HOME/autostart.lock. Whoever holds the lock first re-checks
# whether a daemon now answers (somebody else may just have started it) and
# only then runs `$CLI daemon --detach`, which returns once the daemon serves
# (exit 0) or has failed (exit != 0). Its output goes to
# $CPAN_BRIDGE_HOME/autostart.log, never to the job's own STDOUT/STDERR (the
# detached daemon must not hold the job's pipes open).

use strict;
use warnings;
use CPANBridge::Taint ();
use Fcntl qw(:flock O_WRONLY O_CREAT O_APPEND O_NOFOLLOW);
use POSIX ();
use Time::HiRes ();
use CPANBridge::Config ();

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

    my ($ok, $msg, $exit) = run_cli($cfg, 'daemon', '--detach');
    if (!$ok) { close $lock; return (0, $msg, ($exit // 0) == 3, ($exit // 0) == 127) }
    my $up = $probe->();
    close $lock;    # releases the flock
    # `daemon --detach` succeeds when something accepts on the socket; a daemon that accepts but
    # does not say hello (stopped, hung) is held as well
    return $up ? (1) : (0, 'a daemon accepts on ' . $cfg->{socket} . ' but does not answer', 1);
}

# Run "$CLI @args" with output appended to the autostart log. -> (1) or (0, msg, exit code or -1 for a signal)
sub run_cli {
    my ($cfg, @args) = @_;
    my @cmd = (CPANBridge::Config::split_command($cfg->{cli}), @args);
    my $log = $cfg->{autostart_log};
    my $start_size = -s $log || 0;
    my $pid = fork;
    return (0, "fork: $!") unless defined $pid;
    if (!$pid) {
        # child
        open STDIN, '<', '/dev/null';
        if (!CPANBridge::Config::untrusted($log) && sysopen(my $fh, $log, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 0600)) {
            open STDOUT, '>&', $fh;
            open STDERR, '>&', $fh;
        }
        else {
            open STDOUT, '>', '/dev/null';
            open STDERR, '>', '/dev/null';
        }
        $ENV{CPAN_BRIDGE_HOME}   = $cfg->{home};
        $ENV{CPAN_BRIDGE_SOCKET} = $cfg->{socket};
        @cmd = CPANBridge::Taint::for_exec(@cmd);
        { no warnings 'exec'; exec { $cmd[0] } @cmd; }
        print STDERR "cannot exec $cmd[0]: $!\n";
        POSIX::_exit(127);
    }
    waitpid($pid, 0);
    my $st = $?;
    return (1) if $st == 0;
    my $how = ($st & 127) ? sprintf('killed by signal %d', $st & 127) : sprintf('exit %d', $st >> 8);
    my $tail = '';
    if (open my $fh, '<', $log) {
        seek $fh, $start_size, 0;
        local $/;
        $tail = <$fh> // '';
        $tail =~ s/\s+\z//;
        $tail = substr($tail, -2000) if length $tail > 2000;
    }
    return (0, sprintf("'%s' failed (%s)%s", join(' ', @cmd), $how, length $tail ? ": $tail" : ''),
            ($st & 127) ? -1 : $st >> 8);
}

1;
