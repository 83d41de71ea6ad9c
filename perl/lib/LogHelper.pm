package LogHelper;

# The predecessor's LogHelper (PREDECESSOR_API.md 1.8) on the bridge's Log::Log4perl:
#   use LogHelper qw(get_logger :levels);   # level subs TRACE..OFF and get_logger, always
#   my $log = get_logger('main'); $log->info('text');
#   my $wla = LogHelper::WlaLog->new('INFO', 'main'); $wla->error('text');
# Loggers filter by their own level; when Log::Log4perl is initialized their events go through
# its configuration (category = the logger's), otherwise they print the predecessor's
# "[localtime] LEVEL: message" line on STDERR (without its "backend error" warning).
# Log::Log4perl->init/easy_init are the real ones here (the predecessor had none).

use strict;
use warnings;
use Log::Log4perl ();

our $INITIALIZED = 0;
my %LEVEL = (TRACE => 5000, DEBUG => 10000, INFO => 20000, WARN => 30000, ERROR => 40000, FATAL => 50000, OFF => 60000);
my %NAME = reverse %LEVEL;
my %LOGGERS;

sub import {
    my $pkg = caller;
    no strict 'refs';
    for my $n (keys %LEVEL) { my $v = $LEVEL{$n}; *{"${pkg}::$n"} = sub () { $v } }
    *{"${pkg}::get_logger"} = \&get_logger;
}

sub get_logger {
    my $cat = @_ ? $_[-1] : 'main';
    $cat = 'main' unless defined $cat && length $cat;
    $INITIALIZED = 1;
    return $LOGGERS{$cat} ||= LogHelper::Logger->new($cat);
}

sub initialized { $INITIALIZED }
sub wrapper_register { 1 }    # the predecessor's own no-op (PREDECESSOR_API.md): its loggers find their caller themselves
sub appender_by_name { my ($class, $n) = @_; return LogHelper::Appender->new(name => $n) }

package LogHelper::Logger;

sub new { my ($class, $cat) = @_; bless { category => $cat, level => $LEVEL{INFO}, appenders => [] }, $class }
sub level { my ($self, $l) = @_; $self->{level} = $l if defined $l; $self->{level} }
sub getlevel { $_[0]{level} }
sub add_appender { my ($self, $a) = @_; push @{ $self->{appenders} }, $a; 1 }

sub _log {
    my ($self, $name, @msg) = @_;
    return 0 if $LEVEL{$name} < $self->{level};
    my $text = join '', map { defined $_ ? $_ : '' } @msg;
    if (Log::Log4perl->initialized) {
        local $Log::Log4perl::caller_depth = $Log::Log4perl::caller_depth + 2;
        my $m = lc $name;
        Log::Log4perl->get_logger($self->{category})->$m($text);
    } else {
        print STDERR '[' . localtime() . "] $name: $text\n";
    }
    return 1;
}

for my $n (qw(TRACE DEBUG INFO WARN ERROR FATAL)) {
    no strict 'refs';
    my $m = lc $n;
    *{"LogHelper::Logger::$m"} = sub { my $self = shift; $self->_log($n, @_) };
    *{"LogHelper::Logger::is_$m"} = sub { $LEVEL{$n} >= $_[0]{level} ? 1 : 0 };
}

sub logdie {
    my ($self, @msg) = @_;
    $self->_log('FATAL', @msg);
    my $text = join '', @msg;
    my (undef, $file, $line) = caller;
    die $text =~ /\n\z/ ? $text : "$text at $file line $line.\n";
}

package LogHelper::WlaLog;

sub new {
    my ($class, $level, $cat) = @_;
    $level = 'INFO' unless defined $level;
    my $l = LogHelper::get_logger(defined $cat ? $cat : 'main');
    $l->level($LEVEL{ uc $level } || $LEVEL{INFO});
    return bless { logger => $l }, $class;
}
sub getlogger { $_[0]{logger} }

sub _where { my (undef, $file, $line) = caller(1); return "$file line:$line:" }
# one frame more than a Logger call: the line logged is the script's
Log::Log4perl->wrapper_register(__PACKAGE__);
sub debug { my ($self, @m) = @_; $self->{logger}->debug(_where(), @m) }
sub info  { my ($self, @m) = @_; $self->{logger}->info(@m) }
sub warn  { my ($self, @m) = @_; $self->{logger}->warn(@m) }
sub error { my ($self, @m) = @_; $self->{logger}->error(_where(), @m) }
sub fatal { my ($self, @m) = @_; $self->{logger}->fatal(_where(), @m) }
sub logdie {
    my ($self, @m) = @_;
    $self->{logger}->fatal('LOGANDDIE>', @m);
    my (undef, $file, $line) = caller;
    my $text = join '', @m;
    die $text =~ /\n\z/ ? $text : "$text at $file line $line.\n";
}
sub always {
    my ($self, @m) = @_;
    my $l = $self->{logger};
    my $save = $l->level;
    $l->level($LEVEL{TRACE});
    $l->info(@m);
    $l->level($save);
}
for my $n (qw(trace debug info warn error fatal)) { no strict 'refs'; *{"LogHelper::WlaLog::is_$n"} = sub { LogHelper::get_logger('main')->${\"is_$n"} } }

package LogHelper::Appender;
sub new { my ($class, %o) = @_; bless { name => $o{name}, layout => undef }, $class }
sub name { $_[0]{name} }
sub layout { my ($self, $l) = @_; $self->{layout} = $l if defined $l; $self->{layout} }

package LogHelper::Layout;
sub new { my ($class, $p) = @_; bless { pattern => $p }, $class }
sub pattern { $_[0]{pattern} }

1;
