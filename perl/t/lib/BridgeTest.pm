package BridgeTest;

# Shared helpers for perl/t/*.t
#
#   use lib 't/lib' (or perl/t/lib);
#   use BridgeTest;                       # private CPAN_BRIDGE_HOME, real DBI hidden
#   BridgeTest::work();                   # a directory for the test's files (databases)
#   BridgeTest::need_daemon();            # skip_all unless dist/cli.js exists
#   BridgeTest::start_daemon();           # `cli daemon --detach`, returns pid
#   BridgeTest::daemon_pid();             # pid from $CPAN_BRIDGE_HOME/daemon.pid
#   my ($out, $err, $rc) = BridgeTest::run_perl($code, \%env);
#
# Every daemon started in the private home is killed at the end of the test.

use strict;
use warnings;
use File::Temp ();
use File::Spec;
use Cwd ();
use POSIX ();
use Time::HiRes ();
use Exporter 'import';

our @EXPORT = qw();

our ($REPO, $PERL_DIR, $LIB, $COMPAT, $TLIB, $HOME, $WORK, $CLI);

BEGIN {
    my $here = Cwd::abs_path(__FILE__);
    ($TLIB = $here) =~ s{/[^/]+$}{};
    ($PERL_DIR = $TLIB) =~ s{/t/lib$}{};
    ($REPO = $PERL_DIR) =~ s{/perl$}{};
    $LIB    = "$PERL_DIR/lib";
    $COMPAT = "$PERL_DIR/compat";
}

# --- hide the real DBI (Debian's libdbi-perl) -------------------------------
# An @INC hook in front: DBI*/DBD* files must come from perl/lib or perl/compat.
sub hide_system_dbi {
    return if grep { ref $_ && ref $_ eq 'CODE' && $_ == \&_inc_hook } @INC;
    unshift @INC, \&_inc_hook;
}

sub _inc_hook {
    my (undef, $file) = @_;
    return unless $file =~ m{^(?:DBI|DBD|Crypt/CBC|Log/Log4perl|Log/Dispatch/FileRotate|Net/SFTP/Foreign|Mail/Sender|MIME/Lite|Email/Sender|XML/XPath|Excel/Writer/XLSX)(?:\.pm$|/)};
    for my $d ($COMPAT, $LIB) {
        return if -e "$d/$file";    # let the normal search find ours
    }
    die "BridgeTest: refusing to load $file from outside perl/lib and perl/compat\n";
}

# Environment for child perls: our libs first, the hook preloaded.
sub perl5lib { join ':', $TLIB, $LIB, $COMPAT }

sub setup {
    unshift @INC, $COMPAT, $LIB unless grep { $_ eq $LIB } @INC;
    hide_system_dbi();
    $HOME = File::Temp::tempdir('cbt-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    chmod 0700, $HOME;
    # the tests' own files (databases): never in the state directory, which the daemon guards
    $WORK = File::Temp::tempdir('cbw-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    $ENV{CPAN_BRIDGE_HOME}   = $HOME;
    $ENV{CPAN_BRIDGE_SOCKET} = "$HOME/bridge.sock";
    delete $ENV{CPAN_BRIDGE_CONFIG};
    $ENV{PERL5LIB} = perl5lib() . (defined $ENV{PERL5LIB} && length $ENV{PERL5LIB} ? ":$ENV{PERL5LIB}" : '');
    $ENV{PERL5OPT} = '-MBridgeTest::HideDBI';
    $CLI = $ENV{CPAN_BRIDGE_CLI} || "node $REPO/dist/cli.js";
}

BEGIN { setup() }

sub home { $HOME }
sub work { $WORK }
sub cli  { $CLI }
sub repo { $REPO }

sub daemon_built { -e "$REPO/dist/cli.js" }

sub need_daemon {
    return if $ENV{CPAN_BRIDGE_CLI} || daemon_built();
    require Test::More;
    Test::More::plan(skip_all => "daemon not built ($REPO/dist/cli.js missing; run npm run build)");
}

my %seen_pids;

sub daemon_pid {
    my $f = "$HOME/daemon.pid";
    open my $fh, '<', $f or return;
    my $p = <$fh>;
    close $fh;
    return unless defined $p && $p =~ /(\d+)/;
    $seen_pids{$1} = 1;
    return $1;
}

sub alive { my $p = shift; $p && kill(0, $p) ? 1 : 0 }

sub run_cli {
    my (@args) = @_;
    my @cmd = (split(' ', $CLI), @args);
    my $out = '';
    my $pid = open(my $fh, '-|') // die "fork: $!";
    if (!$pid) {
        open STDERR, '>&', \*STDOUT;
        open STDIN, '<', '/dev/null';
        exec { $cmd[0] } @cmd or POSIX::_exit(127);
    }
    local $/;
    $out = <$fh> // '';
    close $fh;
    return wantarray ? ($out, $? >> 8) : $out;
}

sub start_daemon {
    my ($out, $rc) = run_cli('daemon', '--detach');
    die "daemon --detach failed (rc $rc): $out" if $rc;
    my $pid;
    for (1 .. 100) { $pid = daemon_pid() and alive($pid) and last; Time::HiRes::sleep(0.05) }
    die "daemon did not write $HOME/daemon.pid" unless $pid;
    return $pid;
}

sub kill_daemon {
    my $pid = daemon_pid() or return;
    kill 'KILL', $pid;
    for (1 .. 100) { last unless alive($pid); Time::HiRes::sleep(0.02) }
    return $pid;
}

# wait until a daemon with a pid other than $old serves (daemon.pid changed)
sub wait_new_daemon {
    my ($old, $timeout) = @_;
    my $end = Time::HiRes::time() + ($timeout || 20);
    while (Time::HiRes::time() < $end) {
        my $p = daemon_pid();
        return $p if $p && (!$old || $p != $old) && alive($p);
        Time::HiRes::sleep(0.02);
    }
    return;
}

# Run perl code in a child with the test environment.
# -> ($stdout, $stderr, $exit_code)
sub run_perl {
    my ($code, $env, %opt) = @_;
    my $dir = File::Temp::tempdir('cbs-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    my $script = "$dir/script.pl";
    open my $fh, '>', $script or die;
    print $fh $code;
    close $fh;
    return run_script($script, $env, %opt);
}

sub run_script {
    my ($script, $env, %opt) = @_;
    return run_command([$^X, $script, @{ $opt{args} || [] }], $env, %opt);
}

# Run @$cmd in a child with %$env on top of ours (undef deletes), stdin from /dev/null, in
# $opt{dir} when given; killed after $opt{timeout} seconds (default 50).
# -> ($stdout, $stderr, $exit_code, or -1 on timeout)
sub run_command {
    my ($cmd, $env, %opt) = @_;
    my $dir = File::Temp::tempdir('cbo-XXXXXX', TMPDIR => 1, CLEANUP => 1);
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        local %ENV = (%ENV, %{ $env || {} });
        delete $ENV{$_} for grep { !defined $ENV{$_} } keys %ENV;
        if (defined $opt{dir}) { chdir $opt{dir} or POSIX::_exit(126) }
        open STDOUT, '>', "$dir/out";
        open STDERR, '>', "$dir/err";
        open STDIN, '<', '/dev/null';
        exec { $cmd->[0] } @$cmd or POSIX::_exit(127);
    }
    my $end = Time::HiRes::time() + ($opt{timeout} || 50);
    my $rc;
    while (1) {
        my $w = waitpid($pid, POSIX::WNOHANG());
        if ($w == $pid) { $rc = $?; last }
        if (Time::HiRes::time() > $end) { kill 'KILL', $pid; waitpid($pid, 0); $rc = -1; last }
        Time::HiRes::sleep(0.01);
    }
    return (read_file("$dir/out"), read_file("$dir/err"), $rc == -1 ? -1 : $rc >> 8);
}

# The whole of a file, raw; '' when it cannot be read.
sub read_file {
    open my $f, '<:raw', $_[0] or return '';
    local $/;
    my $x = <$f>;
    return defined $x ? $x : '';
}

# Start a script in the background; stdout is a pipe we read line by line.
# -> ($pid, $fh)
sub spawn_script {
    my ($script, $env) = @_;
    my $pid = open(my $fh, '-|') // die "fork: $!";
    if (!$pid) {
        local %ENV = (%ENV, %{ $env || {} });
        delete $ENV{$_} for grep { !defined $ENV{$_} } keys %ENV;
        open STDIN, '<', '/dev/null';
        exec($^X, $script) or POSIX::_exit(127);
    }
    return ($pid, $fh);
}

# The real DBI + DBD::SQLite (Debian's packages), to compare the bridge against: run without our
# libs and without the DBI-hiding hook.
my $HAVE_REAL;
sub have_real_dbd_sqlite {
    $HAVE_REAL //= do { my (undef, undef, $rc) = run_perl_real("use DBI 1.6; use DBD::SQLite; print 1;\n"); $rc == 0 ? 1 : 0 };
}

sub run_perl_real {
    my ($code, %opt) = @_;
    return run_perl($code, { PERL5LIB => undef, PERL5OPT => undef }, %opt);
}

# Node processes (launcher, daemon, process-mode calls) whose environment names this state
# directory.
sub bridge_processes {
    my @p;
    opendir(my $d, '/proc') or return;
    for my $pid (grep { /^\d+$/ && $_ != $$ } readdir $d) {
        open my $fh, '<:raw', "/proc/$pid/cmdline" or next;
        my $cmd = do { local $/; <$fh> } // '';
        next unless $cmd =~ m{(?:^|/)node\0} && $cmd =~ /cli\.js/;
        open my $eh, '<:raw', "/proc/$pid/environ" or next;
        my $env = do { local $/; <$eh> } // '';
        push @p, $pid if index("\0$env", "\0CPAN_BRIDGE_HOME=$HOME\0") >= 0;
    }
    return @p;
}

# The kill-everything fault, in a child process: each time a bridge process appears, wait the next
# delay (seconds, counted from its appearance) and SIGKILL every bridge process; $kills times.
# -> pid of the killer; it logs "kill <pids>" lines to $log and exits when done.
sub start_killer {
    my (%o) = @_;
    my @delays = @{ $o{delays} };
    my $pid = fork // die "fork: $!";
    return $pid if $pid;
    my $end = Time::HiRes::time() + ($o{timeout} || 120);
    open my $log, '>>', $o{log} or POSIX::_exit(1);
    $log->autoflush(1);
    while (@delays && Time::HiRes::time() < $end) {
        my @p = bridge_processes();
        if (!@p) { Time::HiRes::sleep(0.005); next }
        my $seen = Time::HiRes::time();
        my $delay = shift @delays;
        Time::HiRes::sleep(0.005) while Time::HiRes::time() < $seen + $delay;
        my @now = bridge_processes();
        kill 'KILL', @now;
        print {$log} "kill after ${delay}s: @now\n";
        # wait until they are gone, so the next round sees a new start
        # (a zombie has no cmdline: bridge_processes() no longer lists it)
        for (1 .. 400) { my %live = map { $_ => 1 } bridge_processes(); last unless grep { $live{$_} } @now; Time::HiRes::sleep(0.005) }
    }
    POSIX::_exit(0);
}

sub write_file {
    my ($path, $content) = @_;
    open my $fh, '>:raw', $path or die "$path: $!";
    print $fh $content;
    close $fh;
    return $path;
}

END {
    my $rc = $?;
    if ($HOME) {
        daemon_pid();
        for my $p (keys %seen_pids) { kill 'KILL', $p if alive($p) }
    }
    $? = $rc;
}

# Runs subtest $name with a `use DBI` handle on the Oracle server named by ORACLE_TEST_DSN
# (ORACLE_TEST_USER, default system; ORACLE_TEST_PASSWORD), through a daemon started here;
# skipped, saying why, without one.
sub oracle_subtest {
    my ($name, $attrs, $code) = @_;
    SKIP: {
        Test::More::skip('ORACLE_TEST_DSN is not set (set it with ORACLE_TEST_USER / ORACLE_TEST_PASSWORD to run against a server)', 1)
            unless $ENV{ORACLE_TEST_DSN};
        Test::More::skip('daemon not built (run npm run build)', 1) unless daemon_built() || $ENV{CPAN_BRIDGE_CLI};
        Test::More::subtest($name => sub {
            start_daemon();
            my $dbh = DBI->connect($ENV{ORACLE_TEST_DSN}, $ENV{ORACLE_TEST_USER} // 'system', $ENV{ORACLE_TEST_PASSWORD} // '',
                { RaiseError => 1, PrintError => 0, %$attrs });
            Test::More::ok($dbh, 'connect') or return;
            $code->($dbh);
        });
    }
}

1;
