#!/usr/bin/perl
# The predecessor's LogHelper on the bridge: its level subs and get_logger, its own level filter,
# the "[localtime] LEVEL: message" line on STDERR before Log::Log4perl is initialized, the
# configuration's appenders after (a File appender written by the daemon), WlaLog's prefixes and
# logdie.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }

my $work = BridgeTest::work();
my $code = <<'EOP';
use strict; use warnings;
use LogHelper qw(get_logger :levels);
$| = 1;
my ($dir) = @ARGV;
print join(',', TRACE(), DEBUG(), INFO(), WARN(), ERROR(), FATAL(), OFF()), "\n";
my $log = get_logger('main');
print 'same object: ', (get_logger('main') == $log ? 1 : 0), ' level ', $log->getlevel, "\n";
$log->info('before init');
$log->debug('filtered by its level');
print 'is_debug ', $log->is_debug, ' is_info ', $log->is_info, "\n";
Log::Log4perl->init(\<<"EOC");
log4perl.logger = TRACE, F
log4perl.appender.F = Log::Log4perl::Appender::File
log4perl.appender.F.filename = $dir/helper.log
log4perl.appender.F.mode = clobber
log4perl.appender.F.layout = PatternLayout
log4perl.appender.F.layout.ConversionPattern = %p %c %F{1}:%L %m%n
EOC
$log->level(DEBUG());
$log->debug('after init');
my $job = get_logger('Job');
$job->warn('job warning');
my $wla = LogHelper::WlaLog->new('DEBUG', 'wla');
$wla->error('wla error');
$wla->always('always text');
eval { $log->logdie('helper logdie') };
print "died: $@";
eval { $wla->logdie('wla logdie') };
print "died: $@";
EOP
my ($out, $err, $rc) = BridgeTest::run_perl($code, {}, args => [$work]);
is($rc, 0, 'the script ran') or diag $err;
my @out = split /\n/, $out;
is($out[0], '5000,10000,20000,30000,40000,50000,60000', 'level subs as the predecessor exported them');
is($out[1], 'same object: 1 level 20000', 'one logger per category, INFO by default');
is($out[2], 'is_debug 0 is_info 1', 'is_* by its own level');
like($err, qr/^\[\w{3} \w{3} +\d+ \d\d:\d\d:\d\d \d{4}\] INFO: before init$/m, 'before Log::Log4perl is initialized: its line on STDERR');
unlike($err, qr/filtered by its level|backend error/, 'filtered messages and the predecessor\'s backend warning are not printed');
like($out[3], qr/^died: helper logdie at \S+ line \d+\.$/, 'logdie dies at the caller\'s line');
like($out[4], qr/^died: wla logdie at \S+ line \d+\.$/, 'WlaLog logdie dies at the caller\'s line');
my $file = BridgeTest::read_file("$work/helper.log");
my @l = split /\n/, $file;
is(scalar @l, 6, 'six lines through the configuration') or diag $file;
like($l[0], qr/^DEBUG main script\.pl:\d+ after init$/, 'a Helper logger logs through Log::Log4perl with the caller\'s file and line');
like($l[1], qr/^WARN Job script\.pl:\d+ job warning$/, 'its category');
like($l[2], qr/^ERROR wla script\.pl:\d+ \S+script\.pl line:\d+:wla error$/, 'WlaLog prefixes "FILE line:N:"');
like($l[3], qr/^INFO wla .* always text$/, 'WlaLog always');
like($l[4], qr/^FATAL main .* helper logdie$/, 'logdie logs FATAL');
like($l[5], qr/^FATAL wla .* LOGANDDIE>wla logdie$/, 'WlaLog logdie prefixes LOGANDDIE>');
done_testing;
