#!/usr/bin/perl
# Log::Log4perl configurations run unchanged by the real module and by the bridge (perl/t/91-log4perl.t
# compares the output, the files and their modes). The clock and the pid are fixed where patterns print them.
use strict;
use warnings;
BEGIN {
    require Time::HiRes;
    no warnings 'redefine';
    *Time::HiRes::gettimeofday = sub { wantarray ? (1764590400, 123456) : 1764590400.123456 };
    *Time::HiRes::time = sub { 1764590400.123456 };
    *CORE::GLOBAL::time = sub () { 1764590400 };
    $$ = 4242;
}
use Log::Log4perl qw(:easy);
use Log::Log4perl::Level;

my $dir = shift or die "usage: cases.pl DIR";
chdir $dir or die "chdir $dir: $!";
open STDERR, '>&', \*STDOUT or die;
select STDERR; $| = 1; select STDOUT; $| = 1;
umask 022;

sub section { print "== $_[0]\n" }
sub show { my ($what) = @_; my $r = $@; $r =~ s/\(eval \d+\)/(eval N)/g; $r =~ s/\(([A-Z]+(?:\|[A-Z]+)+)\)/'(' . join('|', sort split m{\|}, $1) . ')'/e; $r =~ s/ at \S+Log4perl\S* line \d+\.?\n/ at MODULE\n/g; print "$what: [$r]\n" }

# --- every conversion specifier, widths and truncation
section('specifiers');
Log::Log4perl->init(\<<'EOC');
log4perl.logger = TRACE, A
log4perl.appender.A = Log::Log4perl::Appender::File
log4perl.appender.A.filename = specifiers.log
log4perl.appender.A.mode = clobber
log4perl.appender.A.layout = PatternLayout
log4perl.appender.A.layout.ConversionPattern = %c|%C|%d|%d{yyyy-MM-dd HH:mm:ss,SSS}|%d{ABSOLUTE}|%d{ISO8601}|%d{DATE}|%d{EEE EEEE MMM MMMM d dd yy h hh a D e}|%d{'literal' HH 'o''clock'}|%F|%F{1}|%H|%l|%L|%M|%M{1}|%p|%p{1}|%P|%r|%R|%x|%X{user}|%%|%-7p|%7p|%.3p|%-12.12c|%c{1}|%c{2}|%12m|%-12m|%.4m|%T|%m{chomp}%n
EOC
{
    package App::Job::Step;
    sub run { my $l = Log::Log4perl->get_logger(__PACKAGE__); $l->info("in package\n"); eval { $l->warn("in eval") }; inner($l) }
    sub inner { $_[0]->error("nested") }
}
App::Job::Step::run();
my $lg = get_logger('App::Job');
$lg->trace('t'); $lg->debug('d'); $lg->info('i'); $lg->warn('w'); $lg->error('e'); $lg->fatal('f');
Log::Log4perl::MDC->put(user => 'alice');
Log::Log4perl::NDC->push('outer'); Log::Log4perl::NDC->push('inner');
$lg->info('with', ' ', 'parts', ' and ', sub { 'code ref' });
$lg->info("two\nlines\n");
Log::Log4perl::NDC->remove; Log::Log4perl::MDC->remove;
$lg->info("");
TRACE 'easy trace'; DEBUG 'easy debug'; INFO 'easy info'; WARN 'easy warn'; ERROR 'easy error'; FATAL 'easy fatal'; ALWAYS 'easy always';
$lg->log($WARN, 'by log()');
eval { $lg->log('ERROR', 'by log() with a name') }; show('log by name');

# --- categories, inheritance, additivity, thresholds
section('categories');
Log::Log4perl->init(\<<'EOC');
log4j.rootLogger = WARN, Root
log4perl.logger.App = INFO, AppF
log4perl.logger.App.Db = DEBUG, DbF
log4perl.logger.App.Quiet = OFF
log4perl.logger.App.Db.Sql = TRACE
log4perl.additivity.App.Db = 0
log4perl.appender.Root = Log::Log4perl::Appender::File
log4perl.appender.Root.filename = root.log
log4perl.appender.Root.layout = Log::Log4perl::Layout::PatternLayout
log4perl.appender.Root.layout.ConversionPattern = R %-5p %c - %m%n
log4perl.appender.AppF = Log::Log4perl::Appender::File
log4perl.appender.AppF.filename = app.log
log4perl.appender.AppF.mode = clobber
log4perl.appender.AppF.Threshold = INFO
log4perl.appender.AppF.layout = SimpleLayout
log4perl.appender.DbF = Log::Log4perl::Appender::File
log4perl.appender.DbF.filename = db.log
log4perl.appender.DbF.mode = clobber
log4perl.appender.DbF.Threshold = DEBUG
log4perl.appender.DbF.layout = PatternLayout
log4perl.appender.DbF.layout.ConversionPattern = %p{1} %c{1} %m%n
EOC
for my $cat ('', 'Other', 'App', 'App::Web', 'App.Db', 'App::Db::Sql', 'App::Quiet::Sub', 'Appx') {
    my $l = get_logger($cat);
    $l->$_("$_ to '$cat'") for qw(trace debug info warn error fatal);
    printf "%-16s trace=%d debug=%d info=%d warn=%d error=%d fatal=%d level=%s\n", "'$cat'", map({ $l->${\"is_$_"} ? 1 : 0 } qw(trace debug info warn error fatal)), $l->level;
}
my $web = get_logger('App.Web');
$web->level($ERROR); $web->warn('dropped'); $web->error('kept');
$web->more_logging(2); $web->info('after more_logging'); $web->debug('not yet');
$web->less_logging(1); $web->info('after less_logging');
Log::Log4perl->appender_by_name('AppF')->threshold($ERROR);
get_logger('App')->warn('below the new threshold'); get_logger('App')->error('at the new threshold');
print 'appenders: ', join(',', sort keys %{ Log::Log4perl->appenders }), "\n";

# --- global threshold
section('global threshold');
Log::Log4perl->init(\<<'EOC');
log4perl.threshold = ERROR
log4perl.rootLogger = DEBUG, T
log4perl.appender.T = Log::Log4perl::Appender::File
log4perl.appender.T.filename = threshold.log
log4perl.appender.T.mode = clobber
log4perl.appender.T.layout = SimpleLayout
EOC
get_logger('x')->$_("global $_") for qw(debug info warn error fatal);

# --- filters
section('filters');
Log::Log4perl->init(\<<'EOC');
log4perl.logger = TRACE, M, R, S, B, C, N
log4perl.filter.Match = Log::Log4perl::Filter::LevelMatch
log4perl.filter.Match.LevelToMatch = WARN
log4perl.filter.NotMatch = Log::Log4perl::Filter::LevelMatch
log4perl.filter.NotMatch.LevelToMatch = INFO
log4perl.filter.NotMatch.AcceptOnMatch = false
log4perl.filter.Range = Log::Log4perl::Filter::LevelRange
log4perl.filter.Range.LevelMin = INFO
log4perl.filter.Range.LevelMax = ERROR
log4perl.filter.Str = Log::Log4perl::Filter::StringMatch
log4perl.filter.Str.StringToMatch = ord.r\d
log4perl.filter.Str.AcceptOnMatch = 1
log4perl.filter.Bool = Log::Log4perl::Filter::Boolean
log4perl.filter.Bool.logic = Str && !NotMatch || Match
log4perl.filter.Code = sub { my %p = @_; /code/ && $p{log4p_level} ne 'DEBUG' }
log4perl.appender.M = Log::Log4perl::Appender::File
log4perl.appender.M.filename = f-match.log
log4perl.appender.M.mode = clobber
log4perl.appender.M.Filter = Match
log4perl.appender.M.layout = SimpleLayout
log4perl.appender.R = Log::Log4perl::Appender::File
log4perl.appender.R.filename = f-range.log
log4perl.appender.R.mode = clobber
log4perl.appender.R.Filter = Range
log4perl.appender.R.layout = SimpleLayout
log4perl.appender.S = Log::Log4perl::Appender::File
log4perl.appender.S.filename = f-string.log
log4perl.appender.S.mode = clobber
log4perl.appender.S.Filter = Str
log4perl.appender.S.layout = SimpleLayout
log4perl.appender.B = Log::Log4perl::Appender::File
log4perl.appender.B.filename = f-bool.log
log4perl.appender.B.mode = clobber
log4perl.appender.B.Filter = Bool
log4perl.appender.B.layout = SimpleLayout
log4perl.appender.C = Log::Log4perl::Appender::File
log4perl.appender.C.filename = f-code.log
log4perl.appender.C.mode = clobber
log4perl.appender.C.Filter = Code
log4perl.appender.C.layout = SimpleLayout
log4perl.appender.N = Log::Log4perl::Appender::File
log4perl.appender.N.filename = f-notmatch.log
log4perl.appender.N.mode = clobber
log4perl.appender.N.Filter = NotMatch
log4perl.appender.N.layout = SimpleLayout
EOC
my $f = get_logger('F');
for my $lvl (qw(trace debug info warn error fatal)) { $f->$lvl("$lvl order1"); $f->$lvl("$lvl plain"); $f->$lvl("$lvl code") }

# --- variables, continuation lines, comments, several values, init from a file and a hash
section('config syntax');
open my $cf, '>', 'l4p.conf' or die;
print $cf <<'EOC';
# a comment
; another
layout_class   = Log::Log4perl::Layout::PatternLayout
layout_pattern = %d{HH:mm} %p %m %n
log4perl.logger.Conf = \
     INFO, \
     File
log4perl.appender.File          = Log::Log4perl::Appender::File
log4perl.appender.File.filename = conf-${LOGNAME_X}.log
log4perl.appender.File.mode     = write
log4perl.appender.File.layout   = ${layout_class}
log4perl.appender.File.layout.ConversionPattern = ${layout_pattern}
EOC
close $cf;
$ENV{LOGNAME_X} = 'from-env';
Log::Log4perl->init('l4p.conf');
get_logger('Conf')->info('from a file'); get_logger('Conf')->debug('not');
print 'initialized: ', (Log::Log4perl->initialized ? 1 : 0), "\n";
Log::Log4perl->init({
    'log4perl.logger.Hash' => 'DEBUG, H',
    'log4perl.appender.H' => 'Log::Log4perl::Appender::File',
    'log4perl.appender.H.filename' => 'hash.log',
    'log4perl.appender.H.mode' => 'clobber',
    'log4perl.appender.H.layout' => 'Log::Log4perl::Layout::PatternLayout',
    'log4perl.appender.H.layout.ConversionPattern' => '[%p] %m%n',
});
get_logger('Hash')->debug('from a hash');
Log::Log4perl->init_once(\"log4perl.logger = INFO, X\nlog4perl.appender.X = Log::Log4perl::Appender::Screen\nlog4perl.appender.X.layout = SimpleLayout\n");
get_logger('Hash')->debug('init_once did not re-init');

# --- File appender options: append/clobber, mkpath, umask, utf8, header_text, create_at_logtime, syswrite
section('file options');
{ open my $o, '>', 'appended.log' or die; print $o "existing line\n"; close $o; }
{ open my $o, '>', 'clobbered.log' or die; print $o "existing line\n"; close $o; }
Log::Log4perl->init(\<<'EOC');
log4perl.logger = DEBUG, Ap, Cl, Mk, U8, Hd, Lt, Sy
log4perl.appender.Ap = Log::Log4perl::Appender::File
log4perl.appender.Ap.filename = appended.log
log4perl.appender.Ap.layout = SimpleLayout
log4perl.appender.Cl = Log::Log4perl::Appender::File
log4perl.appender.Cl.filename = clobbered.log
log4perl.appender.Cl.mode = clobber
log4perl.appender.Cl.layout = SimpleLayout
log4perl.appender.Mk = Log::Log4perl::Appender::File
log4perl.appender.Mk.filename = made/deep/dir.log
log4perl.appender.Mk.mkpath = 1
log4perl.appender.Mk.umask = 0077
log4perl.appender.Mk.layout = SimpleLayout
log4perl.appender.U8 = Log::Log4perl::Appender::File
log4perl.appender.U8.filename = utf8.log
log4perl.appender.U8.mode = clobber
log4perl.appender.U8.utf8 = 1
log4perl.appender.U8.layout = SimpleLayout
log4perl.appender.Hd = Log::Log4perl::Appender::File
log4perl.appender.Hd.filename = header.log
log4perl.appender.Hd.mode = clobber
log4perl.appender.Hd.header_text = # a header line
log4perl.appender.Hd.layout = SimpleLayout
log4perl.appender.Lt = Log::Log4perl::Appender::File
log4perl.appender.Lt.filename = logtime.log
log4perl.appender.Lt.create_at_logtime = 1
log4perl.appender.Lt.Threshold = ERROR
log4perl.appender.Lt.layout = SimpleLayout
log4perl.appender.Sy = Log::Log4perl::Appender::File
log4perl.appender.Sy.filename = syswrite.log
log4perl.appender.Sy.syswrite = 1
log4perl.appender.Sy.umask = 0027
log4perl.appender.Sy.Threshold = WARN
log4perl.appender.Sy.layout = SimpleLayout
EOC
print 'logtime.log before its first event: ', (-e 'logtime.log' ? 'exists' : 'absent'), "\n";
get_logger('o')->info("caf\x{e9} \x{263a} bytes \xe9");
get_logger('o')->error('an error');
get_logger('o')->warn("plain warn \xe9");

# --- easy_init forms
section('easy_init');
Log::Log4perl->easy_init({ level => $INFO, file => '>easy-clobber.log' }, { level => $DEBUG, file => '>>easy-append.log', category => 'Easy', layout => '%p %c %F{1}:%L %m%n' });
INFO 'easy to the first'; DEBUG 'not there';
get_logger('Easy')->debug('easy to the second');
Log::Log4perl->easy_init($WARN);
WARN 'easy_init(WARN) to stderr'; INFO 'dropped';
Log::Log4perl->easy_init({ level => $DEBUG, file => 'STDOUT', layout => 'stdout: %m%n' });
print "print before\n"; DEBUG 'debug to stdout'; warn "a warn\n"; print "print after\n";

# --- Log::Dispatch::FileRotate, size rotation
section('rotation');
Log::Log4perl->init(\<<'EOC');
log4perl.logger = INFO, Rot
log4perl.appender.Rot = Log::Dispatch::FileRotate
log4perl.appender.Rot.filename = rotate.log
log4perl.appender.Rot.mode = append
log4perl.appender.Rot.size = 200
log4perl.appender.Rot.max = 3
log4perl.appender.Rot.layout = PatternLayout
log4perl.appender.Rot.layout.ConversionPattern = %p %m%n
EOC
get_logger('r')->info("rotating line $_ " . ('x' x ($_ % 13))) for 1 .. 60;

# --- the screen, in order with prints and warns; die/warn texts
section('screen and dying');
Log::Log4perl->init(\<<'EOC');
log4perl.logger = DEBUG, Out, Err
log4perl.appender.Out = Log::Log4perl::Appender::Screen
log4perl.appender.Out.stderr = 0
log4perl.appender.Out.Threshold = INFO
log4perl.appender.Out.layout = PatternLayout
log4perl.appender.Out.layout.ConversionPattern = OUT %p %F{1}:%L %M %m%n
log4perl.appender.Err = Log::Log4perl::Appender::Screen
log4perl.appender.Err.layout = PatternLayout
log4perl.appender.Err.layout.ConversionPattern = ERR %p %m%n
EOC
my $s = get_logger('S');
print "1 print\n"; $s->info('2 info'); warn "3 warn\n"; $s->debug('4 debug'); print "5 print\n";
$s->logwarn('logwarn text'); $s->logwarn("logwarn with newline\n");
eval { $s->logdie('logdie text') }; show('logdie');
eval { $s->logdie("logdie with newline\n") }; show('logdie nl');
eval { LOGDIE 'easy LOGDIE' }; show('LOGDIE');
eval { LOGWARN 'easy LOGWARN'; 1 }; 
sub croaker { $s->logcroak('logcroak text') }
eval { croaker() }; show('logcroak');
sub confessor { $s->logconfess('logconfess text') }
eval { confessor() }; show('logconfess');
eval { $s->error_die('error_die text') }; show('error_die');
$s->error_warn('error_warn text');
sub carper { $s->logcarp('logcarp text') }
carper();
eval { LOGCROAK 'easy LOGCROAK' }; show('LOGCROAK');
$s->info('undef follows: ', undef, '.');

# --- a forked child logs to the same files
section('fork');
Log::Log4perl->init(\<<'EOC');
log4perl.logger = INFO, Fk
log4perl.appender.Fk = Log::Log4perl::Appender::File
log4perl.appender.Fk.filename = fork.log
log4perl.appender.Fk.mode = clobber
log4perl.appender.Fk.layout = PatternLayout
log4perl.appender.Fk.layout.ConversionPattern = %p %m%n
EOC
get_logger('fk')->fatal('parent before the fork');
my $child = fork;
if (!$child) { get_logger('fk')->info("child line $_") for 1 .. 3; exit 0 }
waitpid $child, 0;
get_logger('fk')->info('parent after the fork');

# --- file_switch: the lines so far in the old file, the next ones in the new
section('file_switch');
Log::Log4perl->init(\<<'EOC');
log4perl.logger = INFO, Sw
log4perl.appender.Sw = Log::Log4perl::Appender::File
log4perl.appender.Sw.filename = switch-1.log
log4perl.appender.Sw.mode = clobber
log4perl.appender.Sw.layout = SimpleLayout
EOC
get_logger('sw')->info("to the first $_") for 1 .. 3;
Log::Log4perl->appender_by_name('Sw')->file_switch('switch-2.log');
get_logger('sw')->info("to the second $_") for 1 .. 3;
eval { Log::Log4perl->appender_by_name('Sw')->file_switch('no/such/dir/switch.log') }; show('file_switch to a missing directory');

# --- errors
section('errors');
eval { Log::Log4perl->init('no-such-file.conf') }; show('missing file');
eval { Log::Log4perl->init(\"log4perl.logger = LOUD, A\nlog4perl.appender.A = Log::Log4perl::Appender::Screen\n") }; show('bad level');
eval { Log::Log4perl->init(\"log4perl.logger = INFO, A\nlog4perl.appender.A = No::Such::Appender\n") }; my $e = $@; $e =~ s/\n.*//s; print "bad class: [$e]\n";
eval { Log::Log4perl->init(\"log4perl.logger = INFO, A\nlog4perl.appender.A = Log::Log4perl::Appender::File\nlog4perl.appender.A.filename = no/such/dir/x.log\nlog4perl.appender.A.layout = SimpleLayout\n") }; show('unwritable');
eval { Log::Log4perl::Level::to_priority('NOPE') }; show('to_priority');
print 'to_level: ', Log::Log4perl::Level::to_level(30000), "\n";
eval { Log::Log4perl::Level::to_level(25000) }; show('to_level');
print "done\n";
