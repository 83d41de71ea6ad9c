#!/usr/bin/perl
# A 10,000-line Log::Log4perl job on the bridge with the daemon SIGKILLed in the middle, and with the
# daemon killing itself at every CRASH_AT phase of open and of an append: every file (and the
# screen) equals the real module's run, byte for byte; nothing acknowledged is lost, nothing doubled.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }

my ($real_ok) = (BridgeTest::run_perl_real("use Log::Log4perl 1.57; use Log::Dispatch::FileRotate; print 1;\n"))[0];
plan skip_all => 'the real Log::Log4perl 1.57 and Log::Dispatch::FileRotate are not installed' unless $real_ok;

my $job = "$FindBin::Bin/log4perl/job.pl";
my $work = BridgeTest::work();
my $n = 0;

sub files {
    my ($dir) = @_;
    opendir my $dh, $dir or die;
    return { map { $_ => BridgeTest::read_file("$dir/$_") } grep { !/^\./ && -f "$dir/$_" } readdir $dh };
}

sub same_files {
    my ($got, $want, $what) = @_;
    is_deeply([sort keys %$got], [sort keys %$want], "$what: the same files");
    my @bad = grep { ($got->{$_} // '') ne $want->{$_} } sort keys %$want;
    ok(!@bad, "$what: every file byte-identical") or diag("differ: @bad; " . join(', ', map { "$_: " . length($got->{$_} // '') . ' vs ' . length($want->{$_}) } @bad));
}

my $rdir = "$work/real";
mkdir $rdir;
my ($rout, $rerr, $rrc) = BridgeTest::run_script($job, { PERL5LIB => undef, PERL5OPT => undef }, args => [$rdir], timeout => 60);
is($rrc, 0, 'the real module ran the job') or diag $rerr;
my $want = files($rdir);
ok(length($want->{'job.log'}) > 300_000 && exists $want->{'rot.log.4'}, 'the job wrote and rotated its files');

# a daemon that kills itself at a CRASH_AT point (the client restarts one without it and resends)
for my $point (map { my $f = $_; map { "$f:$_" } qw(before_journal after_journal after_effect after_reply) } 'logging.open#1', 'logging.append#4') {
    my $dir = "$work/crash" . ++$n;
    mkdir $dir;
    BridgeTest::kill_daemon();
    { local $ENV{CPAN_BRIDGE_CRASH_AT} = $point; BridgeTest::start_daemon() }
    my $before = BridgeTest::daemon_pid();
    my ($out, $err, $rc) = BridgeTest::run_script($job, {}, args => [$dir], timeout => 60);
    is($rc, 0, "$point: the job ended well") or diag $err;
    is($out, $rout, "$point: screen output equal");
    same_files(files($dir), $want, $point);
    isnt(BridgeTest::daemon_pid() // 0, $before, "$point: the daemon was restarted");
}

# SIGKILL from outside in the middle of the job
{
    my $dir = "$work/sigkill";
    mkdir $dir;
    BridgeTest::kill_daemon();
    my $old = BridgeTest::start_daemon();
    my $pid = open(my $fh, '-|') // die;
    if (!$pid) { open STDERR, '>', "$dir.err"; exec($^X, $job, $dir) or POSIX::_exit(127) }
    my $out = '';
    my $killed = 0;
    while (my $l = <$fh>) {
        $out .= $l;
        $killed = kill 'KILL', $old if $l eq "half\n";
    }
    close $fh;
    is($? >> 8, 0, 'SIGKILL mid-job: the job ended well') or diag BridgeTest::read_file("$dir.err");
    is($out, $rout, 'SIGKILL mid-job: screen output equal');
    ok($killed, 'SIGKILL mid-job: the daemon was killed at line 5,000');
    isnt(BridgeTest::daemon_pid() // 0, $old, 'SIGKILL mid-job: another daemon finished the job');
    same_files(files($dir), $want, 'SIGKILL mid-job');
}

# a FATAL event is written before the log call returns: the script killed right after it (no END
# blocks, no flush at exit) leaves every line up to it in the file, as the real module does
{
    my $dir = "$work/fatal";
    mkdir $dir;
    my $code = <<'EOP';
use strict; use warnings; use Log::Log4perl;
my ($dir) = @ARGV;
Log::Log4perl->init(\"log4perl.logger = INFO, F\nlog4perl.appender.F = Log::Log4perl::Appender::File\nlog4perl.appender.F.filename = $dir/fatal.log\nlog4perl.appender.F.layout = SimpleLayout\n");
my $l = Log::Log4perl->get_logger('x');
$l->info("line $_") for 1 .. 2500;
$l->fatal('giving up');
kill 'KILL', $$;
EOP
    my ($o1, $e1) = BridgeTest::run_perl($code, { PERL5LIB => undef, PERL5OPT => undef }, args => [$rdir]);
    my ($o2, $e2) = BridgeTest::run_perl($code, {}, args => [$dir]);
    my $real = BridgeTest::read_file("$rdir/fatal.log");
    like($real, qr/\A(INFO - line \d+\n){2500}FATAL - giving up\n\z/, 'the real module: every line up to the FATAL one');
    is(BridgeTest::read_file("$dir/fatal.log"), $real, 'the bridge: the same file, though the script was killed right after the FATAL event');
}

done_testing;
