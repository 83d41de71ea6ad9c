#!/usr/bin/perl
# A nightly job's logging through an unchanged Log::Log4perl configuration: 3,000 records logged
# to a File appender, every 50th an error to a second file, warnings on the screen (stdout), a
# size-rotated Log::Dispatch::FileRotate file; at the end the appenders are closed and each file's
# line count and SHA-256 printed (part of the golden output). Usage: log4perl.pl OUT_DIR
use strict;
use warnings;
use FindBin;
use Digest::SHA ();
use Log::Log4perl qw(:easy);
require "$FindBin::Bin/common.pl";
chaos_assert_shims('Log/Log4perl.pm');

my ($out) = @ARGV;
$| = 1;
Log::Log4perl->init(\<<"EOC");
log4perl.logger = INFO, Main, Rot, Screen
log4perl.logger.Job.Reject = INFO, Rejects
log4perl.appender.Main = Log::Log4perl::Appender::File
log4perl.appender.Main.filename = $out/job.log
log4perl.appender.Main.mode = clobber
log4perl.appender.Main.layout = PatternLayout
log4perl.appender.Main.layout.ConversionPattern = %-5p %c %F{1}:%L %m%n
log4perl.appender.Rejects = Log::Log4perl::Appender::File
log4perl.appender.Rejects.filename = $out/rejects.log
log4perl.appender.Rejects.mode = clobber
log4perl.appender.Rejects.layout = SimpleLayout
log4perl.appender.Rot = Log::Dispatch::FileRotate
log4perl.appender.Rot.filename = $out/rot.log
log4perl.appender.Rot.mode = clobber
log4perl.appender.Rot.size = 40000
log4perl.appender.Rot.max = 3
log4perl.appender.Rot.layout = PatternLayout
log4perl.appender.Rot.layout.ConversionPattern = %p %m%n
log4perl.appender.Screen = Log::Log4perl::Appender::Screen
log4perl.appender.Screen.stderr = 0
log4perl.appender.Screen.Threshold = WARN
log4perl.appender.Screen.layout = PatternLayout
log4perl.appender.Screen.layout.ConversionPattern = screen: %p %m%n
EOC
my $log = get_logger('Job::Main');
my $rej = get_logger('Job::Reject');
for my $i (1 .. 3000) {
    $log->info("record $i loaded, amount " . ($i * 37 % 1000) . "\t" . ('#' x ($i % 11)));
    $rej->error("record $i rejected: checksum") if $i % 50 == 0;
    $log->warn("checkpoint at record $i") if $i % 500 == 0;
}
$log->info('job finished');
Log::Log4perl::Logger->cleanup();    # closes the appenders (every line is in its file)
opendir my $dh, $out or die "$out: $!\n";
for my $f (sort grep { /\.log/ } readdir $dh) {
    open my $fh, '<:raw', "$out/$f" or die "$out/$f: $!\n";
    my $c = do { local $/; <$fh> };
    printf "%s: %d lines, sha256 %s\n", $f, ($c =~ tr/\n//), Digest::SHA::sha256_hex($c);
}
# The harness looks for the crash marker when this script ends: give a daemon that dies right
# after its last reply (crash point after_reply of the last request) time to write it.
select(undef, undef, undef, 0.3);
