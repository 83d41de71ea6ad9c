#!/usr/bin/perl
# Issue 17's figure: N INFO calls through Log::Log4perl with a File appender (PatternLayout
# "%d %p %c - %m%n"), native or on the bridge (PERL5LIB decides), until every line is in the file.
#   log4perl.pl FILE N
use strict;
use warnings;
use Time::HiRes ();
our $T0;
BEGIN { $T0 = Time::HiRes::time() }
use Log::Log4perl ();
my $T1 = Time::HiRes::time();
my ($file, $n) = @ARGV;
$n ||= 100_000;
my $conf = <<"EOC";
log4perl.logger = INFO, F
log4perl.appender.F = Log::Log4perl::Appender::File
log4perl.appender.F.filename = $file
log4perl.appender.F.mode = clobber
log4perl.appender.F.layout = PatternLayout
log4perl.appender.F.layout.ConversionPattern = %d %p %c - %m%n
EOC
Log::Log4perl->init(\$conf);
my $log = Log::Log4perl->get_logger('Bench::Job');
my $t = Time::HiRes::time();
$log->info("line $_ of the nightly job") for 1 .. $n;
$log->debug('not logged');
my $loop = Time::HiRes::time() - $t;
# the bridge's last batch is in the file only once the daemon answered (the script's end waits too)
CPANBridge::Log4perl::Sink::flush() if defined &CPANBridge::Log4perl::Sink::flush;
my $all = Time::HiRes::time() - $t;
printf "BENCH {\"load_ms\":%.3f,\"loop_ms\":%.3f,\"all_ms\":%.3f,\"n\":%d}\n", ($T1 - $T0) * 1000, $loop * 1000, $all * 1000, $n;
