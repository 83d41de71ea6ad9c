package Log::Log4perl;

# Log::Log4perl 1.57 on the CPAN Bridge. Configuration, levels, loggers, layouts, filters and the
# Screen appender run in the script's process (caller data, time, pid, MDC/NDC and screen order are
# the script's); the File appenders' bytes are written by the daemon (CPANBridge::Log4perl::Sink),
# pipelined and journaled so that a daemon killed mid-job loses and doubles no line.
# Never loads the real Log::Log4perl.

use strict;
use warnings;
use Carp ();
use CPANBridge::Log4perl::Config ();
use CPANBridge::Log4perl::Layout ();
use CPANBridge::Log4perl::Sink ();
use CPANBridge::Log4perl::Appenders ();
use CPANBridge::Log4perl::Memory ();
use CPANBridge::Log4perl::Watch ();

our $VERSION = '1.57';

our $caller_depth = 0;
our $ALLOW_CODE_IN_CONFIG_FILE = 1;
our $ALLOWED_CODE_OPS_IN_CONFIG_FILE;
our $JOIN_MSG_ARRAY_CHAR = '';
our $LOGDIE_MESSAGE_ON_STDERR = 1;
our $LOGEXIT_CODE = 1;
our $STRINGIFY_DIE_MESSAGE = 1;
our %WRAPPERS_REGISTERED = (map { $_ => 1 } qw(Log::Log4perl));
our %APPENDER_BY_NAME;
*Log::Log4perl::Logger::APPENDER_BY_NAME = \%APPENDER_BY_NAME;    # where the real module keeps them
our $NON_INIT_WARNED;

our ($ALL, $TRACE, $DEBUG, $INFO, $WARN, $ERROR, $FATAL, $OFF);

# ------------------------------------------------------------------ levels
package Log::Log4perl::Level;
our %PRIORITY = (ALL => 0, TRACE => 5000, DEBUG => 10000, INFO => 20000, WARN => 30000, ERROR => 40000, FATAL => 50000, OFF => 2147483647);
our %LEVELS = reverse %PRIORITY;
our %SYSLOG = (ALL => 7, TRACE => 7, DEBUG => 7, INFO => 6, WARN => 4, ERROR => 3, FATAL => 0, OFF => 0);
our @LEVELS_UP = sort { $a <=> $b } values %PRIORITY;
# Log::Dispatch's numeric levels, passed to appenders as `level`
our %L4P_TO_LD = (OFF => 7, FATAL => 7, ERROR => 4, WARN => 3, INFO => 1, DEBUG => 0, TRACE => 0, ALL => 0);

for my $n (keys %PRIORITY) { no strict 'refs'; no warnings 'once'; ${"Log::Log4perl::$n"} = $PRIORITY{$n}; ${"Log::Log4perl::Level::$n"} = $PRIORITY{$n} }

sub import {
    my ($class, $namespace) = @_;
    my $pkg = defined $namespace ? ($namespace eq 'main' ? 'main' : $namespace) : scalar caller;
    return if defined $namespace && $namespace eq '';
    no strict 'refs';
    for my $n (keys %PRIORITY) { *{"${pkg}::$n"} = \${"Log::Log4perl::Level::$n"} }
}

sub to_priority {
    my ($string) = @_;    # case matters, as in the real module
    return $PRIORITY{$string} if defined $string && exists $PRIORITY{$string};
    Carp::croak("level '" . (defined $string ? $string : '') . "' is not a valid error level (" . join('|', keys %PRIORITY) . ')');
}

sub to_level {
    my ($priority) = @_;
    return $LEVELS{$priority} if exists $LEVELS{$priority};
    Carp::croak("priority '$priority' is not a valid error level number (", join('|', sort { $a <=> $b } keys %LEVELS), "
          )");
}

sub is_valid {
    my ($q) = @_;
    return defined $q && (exists $PRIORITY{$q} || exists $LEVELS{$q}) ? 1 : 0;
}

sub isGreaterOrEqual { my ($l, $r) = @_; return $l <= $r }
sub to_LogDispatch_string { my ($p) = @_; my %m = (ALL => 'debug', TRACE => 'debug', DEBUG => 'debug', INFO => 'info', WARN => 'warning', ERROR => 'error', FATAL => 'emergency', OFF => 'emergency'); return $m{ to_level($p) } }
sub to_syslog { $SYSLOG{ to_level($_[0]) } }

sub get_higher_level {
    my ($old, $delta) = @_;
    $delta ||= 1;
    my $new = 0;
    for (1 .. $delta) {
        for my $p (sort { $a <=> $b } keys %LEVELS) { if ($p > $old) { $new = $p; last } }
        $old = $new;
    }
    return $new;
}

sub get_lower_level {
    my ($old, $delta) = @_;
    $delta ||= 1;
    my $new = 0;
    for (1 .. $delta) {
        for my $p (reverse sort { $a <=> $b } keys %LEVELS) { if ($p < $old) { $new = $p; last } }
        $old = $new;
    }
    return $new;
}

sub add_priority {
    my ($prio, $intval, $syslog, $ld) = @_;
    $prio = uc $prio;
    $PRIORITY{$prio} = $intval;
    $LEVELS{$intval} = $prio;
    $L4P_TO_LD{$prio} = defined $ld ? $ld : 7;
    $SYSLOG{$prio} = $syslog if defined $syslog;
}

# ------------------------------------------------------------------ MDC / NDC
package Log::Log4perl::MDC;
our %MDC_HASH;
sub put { my ($class, $k, $v) = @_; $MDC_HASH{$k} = $v }
sub get { my ($class, $k) = @_; return exists $MDC_HASH{$k} ? $MDC_HASH{$k} : undef }
sub remove { %MDC_HASH = () }
sub delete { my ($class, $k) = @_; delete $MDC_HASH{$k} }
sub get_context { \%MDC_HASH }

package Log::Log4perl::NDC;
our @NDC_STACK;
our $MAX_SIZE = 5;
sub get { return @NDC_STACK ? join(' ', @NDC_STACK) : '[undef]' }
sub pop { return pop @NDC_STACK }
sub push { my ($class, $t) = @_; $t = $class unless defined $t; CORE::pop(@NDC_STACK) if @NDC_STACK >= $MAX_SIZE; return CORE::push(@NDC_STACK, $t) }    # a full stack loses its top
sub remove { @NDC_STACK = () }

# ------------------------------------------------------------------ the package itself
package Log::Log4perl;

my @EASY = qw(TRACE DEBUG INFO WARN ERROR FATAL ALWAYS LOGDIE LOGWARN LOGCARP LOGCLUCK LOGCROAK LOGCONFESS LOGEXIT);

sub import {
    my ($class, @tags) = @_;
    my $pkg = caller;
    my %tags = map { $_ => 1 } @tags;
    no strict 'refs';
    if (delete $tags{get_logger}) { *{"${pkg}::get_logger"} = \&get_logger }
    if (delete $tags{':nowarn'}) { $NON_INIT_WARNED = 1 }
    if (delete $tags{':nostrict'}) { $Log::Log4perl::Logger::NO_STRICT = 1 }
    if (delete $tags{':levels'}) { Log::Log4perl::Level->import($pkg) }
    if (delete $tags{':easy'}) {
        Log::Log4perl::Level->import($pkg);
        *{"${pkg}::get_logger"} = \&get_logger;
        for my $f (@EASY) { *{"${pkg}::$f"} = \&{"Log::Log4perl::Easy::$f"} }
    }
    delete $tags{':no_extra_logdie_message'} and $LOGDIE_MESSAGE_ON_STDERR = 0;
    delete $tags{':resurrect'} and die "Log::Log4perl (bridge): ':resurrect' is not supported\n";
    if (%tags) { die "Unknown tag(s): " . join(', ', sort keys %tags) . "\n" }
}

sub caller_depth_offset {
    my ($level) = @_;
    {
        my $category = scalar caller($level + 1);
        if (defined $category && exists $WRAPPERS_REGISTERED{$category}) { $level++; redo }
    }
    return $level;
}

sub wrapper_register { my $class = shift; my $w = shift; $w = scalar caller unless defined $w; $WRAPPERS_REGISTERED{$w} = 1 }

sub get_logger {
    my $category;
    if (@_ == 0) {
        my $level = 0;
        do { $category = scalar caller($level++) } while exists $WRAPPERS_REGISTERED{$category};
    } elsif (@_ == 1) {
        $category = $_[0];
        my $level = 0;
        while (exists $WRAPPERS_REGISTERED{$category}) { $category = scalar caller($level++) }
    } else {
        $category = $_[1];
    }
    return Log::Log4perl::Logger->get_logger($category);
}

sub initialized { $Log::Log4perl::Logger::INITIALIZED }

sub reset { Log::Log4perl::Logger->reset }

sub init {
    my ($class, $config) = @_;
    $config = $class if !defined $config && defined $class && $class ne __PACKAGE__;
    die "Configuration not defined" unless defined $config;
    Log::Log4perl::Logger->reset;
    undef $Log::Log4perl::Config::WATCHER;    # a plain init stops watching
    CPANBridge::Log4perl::Appenders::configure($config);
    $Log::Log4perl::Logger::INITIALIZED = 1;
    return 1;
}

sub init_once { my ($class, @a) = @_; return 1 if $Log::Log4perl::Logger::INITIALIZED; return $class->init(@a) }

sub init_and_watch {
    my ($class, @args) = @_;
    unshift @args, $class if defined $class && $class ne __PACKAGE__;
    return Log::Log4perl::Config->init_and_watch(@args);
}

sub easy_init {
    my ($class, @args) = @_;
    unshift @args, $class if ref $class || (defined $class && $class =~ /^\d+$/);
    Log::Log4perl::Logger->reset;
    my %default = (level => $DEBUG, file => 'STDERR', utf8 => undef, category => '', layout => '%d %m%n');
    my @loggers;
    if (!@args) { push @loggers, {%default} }
    for my $arg (@args) {
        if ($arg =~ /^\d+$/) { push @loggers, { %default, level => $arg } }
        elsif (ref $arg eq 'HASH') { push @loggers, { %default, %$arg } }
        else { Carp::carp('All arguments to easy_init should be either an integer log level or a hash reference.') }
    }
    CPANBridge::Log4perl::Appenders::easy(\@loggers);
    $Log::Log4perl::Logger::INITIALIZED = 1;
}

sub appenders { return \%APPENDER_BY_NAME }
# the appender object itself (as the real module returns it), not its wrapper
sub appender_by_name { my ($class, $name) = @_; my $w = $APPENDER_BY_NAME{$name} or return undef; return $w->{appender} }
sub appender_thresholds_adjust {
    shift if defined $_[0] && $_[0] eq __PACKAGE__;
    my ($delta, $appenders) = @_;
    my $retval = 0;
    return if $delta == 0;
    my @apps = defined $appenders
        ? map { die "Unkown appender: '$_'" unless exists $APPENDER_BY_NAME{$_}; $APPENDER_BY_NAME{$_} } @$appenders
        : values %APPENDER_BY_NAME;
    for my $app (@apps) {
        my $old = $app->threshold;
        my $new = $delta > 0 ? Log::Log4perl::Level::get_higher_level($old, $delta) : Log::Log4perl::Level::get_lower_level($old, -$delta);
        ++$retval if $app->threshold($new) == $new;
    }
    return $retval;
}
sub eradicate_appender { my ($class, $name) = @_; Log::Log4perl::Logger->eradicate_appender($name) }
sub infiltrate_lwp { die "Log::Log4perl (bridge): infiltrate_lwp is not supported\n" }
sub remove_logger { my ($class, $l) = @_; Log::Log4perl::Logger->remove_logger($l) }

require CPANBridge::Log4perl::Logger;

1;
