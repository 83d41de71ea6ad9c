#!/usr/bin/perl
# A 10,000-line Log::Log4perl job (perl/t/92-log4perl-crash.t): two File appenders, a size-rotated
# Log::Dispatch::FileRotate and warnings on the screen. Prints "half" after line 5,000 (the test
# kills the daemon then) and "end" at its end.
use strict;
use warnings;
use Log::Log4perl qw(:easy);
my $dir = shift or die "usage: job.pl DIR";
chdir $dir or die "chdir $dir: $!";
$| = 1;
Log::Log4perl->init(\<<'EOC');
log4perl.logger = INFO, All, Rot, Scr
log4perl.logger.Job.Errors = INFO, Err
log4perl.appender.All = Log::Log4perl::Appender::File
log4perl.appender.All.filename = job.log
log4perl.appender.All.mode = clobber
log4perl.appender.All.layout = PatternLayout
log4perl.appender.All.layout.ConversionPattern = %-5p %c{1} %L %m%n
log4perl.appender.Err = Log::Log4perl::Appender::File
log4perl.appender.Err.filename = errors.log
log4perl.appender.Err.Threshold = ERROR
log4perl.appender.Err.layout = SimpleLayout
log4perl.appender.Rot = Log::Dispatch::FileRotate
log4perl.appender.Rot.filename = rot.log
log4perl.appender.Rot.mode = append
log4perl.appender.Rot.size = 60000
log4perl.appender.Rot.max = 4
log4perl.appender.Rot.layout = PatternLayout
log4perl.appender.Rot.layout.ConversionPattern = %p %m%n
log4perl.appender.Scr = Log::Log4perl::Appender::Screen
log4perl.appender.Scr.stderr = 0
log4perl.appender.Scr.Threshold = WARN
log4perl.appender.Scr.layout = PatternLayout
log4perl.appender.Scr.layout.ConversionPattern = screen %p %m%n
EOC
my $job = get_logger('Job.Main');
my $err = get_logger('Job.Errors');
for my $i (1 .. 10_000) {
    $job->info("record $i processed \t" . ('.' x ($i % 17)));
    $err->error("record $i rejected") if $i % 97 == 0;
    $job->warn("checkpoint $i") if $i % 1000 == 0;
    print "half\n" if $i == 5000;
    select(undef, undef, undef, 0.0002) if $i % 50 == 0;    # a job that does some work between lines
}
print "end\n";
