package CPANBridge::Log4perl::Logger;

# Log::Log4perl::Logger: categories with inherited levels, additivity, the appenders an event
# reaches, the log methods (caller frames counted as the real module counts them, so %F %L %M
# and logdie's "at FILE line N" are the script's) and the :easy functions.

use strict;
use warnings;
use Carp ();

package Log::Log4perl::Logger;

our $INITIALIZED;
our $NON_INIT_WARNED;
our $NO_STRICT;
our $DIE_DEBUG = 0;           # the real module's test hook: logdie keeps its text instead of dying
our $DIE_DEBUG_BUFFER = '';
our $LOGGERS_BY_NAME = {};
our $ROOT_LOGGER;
our $GEN = 0;    # bumped on every change: cached effective levels and appender lists are stale

$Carp::Internal{"Log::Log4perl"}++;
$Carp::Internal{"Log::Log4perl::Logger"}++;
$Carp::Internal{"Log::Log4perl::Easy"}++;

our %P;
*P = \%Log::Log4perl::Level::PRIORITY;    # custom levels join it

sub _new {
    my ($class, $category, $level) = @_;
    $category =~ s/::/./g;
    return $LOGGERS_BY_NAME->{$category} if exists $LOGGERS_BY_NAME->{$category};
    my $self = bless { category => $category, level => $level, additivity => 1, appenders => [], gen => -1 }, $class;
    $LOGGERS_BY_NAME->{$category} = $self;
    $GEN++;
    return $self;
}

sub reset {
    Log::Log4perl::Appender::_close_all();
    $ROOT_LOGGER = __PACKAGE__->_new('', $P{OFF});
    $ROOT_LOGGER->{level} = $P{OFF};
    $ROOT_LOGGER->{appenders} = [];
    %Log::Log4perl::APPENDER_BY_NAME = ();
    undef $INITIALIZED;
    undef $NON_INIT_WARNED;
    for my $l (values %$LOGGERS_BY_NAME) {
        next if $l == $ROOT_LOGGER;
        $l->{appenders} = [];
        $l->{level} = undef;
        $l->{additivity} = 1;
    }
    $GEN++;
}

sub cleanup { __PACKAGE__->reset; $LOGGERS_BY_NAME = {}; $ROOT_LOGGER = __PACKAGE__->_new('', $P{OFF}) }

sub get_root_logger { $ROOT_LOGGER }

sub get_logger {
    my ($class, $category) = @_;
    $category = '' unless defined $category;
    return $ROOT_LOGGER if $category eq '';
    return $class->_new($category);
}

sub remove_logger {
    my ($class, $logger) = @_;
    return if $logger == $ROOT_LOGGER;
    delete $LOGGERS_BY_NAME->{ $logger->{category} };
    $GEN++;
}

sub category { $_[0]{category} }

sub parent_of {
    my ($c) = @_;
    return undef if $c eq '';
    return $c =~ /\./ ? ($c =~ s/\.[^.]*\z//r) : '';
}

# the effective level and the appenders an event of this category reaches, cached per change
sub _resolve {
    my ($self) = @_;
    return if $self->{gen} == $GEN;
    my ($level, @apps);
    my $c = $self->{category};
    my $add = 1;
    while (defined $c) {
        my $l = $LOGGERS_BY_NAME->{$c};
        if ($l) {
            $level = $l->{level} if !defined $level && defined $l->{level};
            push @apps, @{ $l->{appenders} } if $add;
            $add = 0 unless $l->{additivity};
        }
        $c = parent_of($c);
    }
    $level = $P{OFF} unless defined $level;
    # an appender attached at two levels gets the event twice, as in the real module (unless
    # oneMessagePerAppender)
    my %seen;
    @apps = grep { !$seen{$_}++ } @apps if $Log::Log4perl::one_message_per_appender;
    $self->{eff} = $level;
    $self->{apps} = \@apps;
    $self->{gen} = $GEN;
}

sub level {
    my ($self, $level, $dont_reset_all) = @_;
    if (defined $level) {
        Carp::croak("invalid level '$level'") unless Log::Log4perl::Level::is_valid($level);
        $level = $P{$level} if exists $P{$level};
        $self->{level} = $level;
        $GEN++;
        return $level;
    }
    return $self->{level} if defined $self->{level};
    $self->_resolve;
    return $self->{eff};
}

sub set_output_methods { $GEN++ }

sub additivity {
    my ($self, $onoff, $no_reinit) = @_;
    if (defined $onoff) { $self->{additivity} = $onoff; $GEN++ }
    return $self->{additivity};
}

sub add_appender {
    my ($self, $appender, $dont_reinit) = @_;
    my $name = $appender->name;
    $Log::Log4perl::APPENDER_BY_NAME{$name} = $appender;
    # kept sorted by name: the order the real module calls them in
    @{ $self->{appenders} } = sort { $a->name cmp $b->name } @{ $self->{appenders} }, $appender
        unless grep { $_->name eq $name } @{ $self->{appenders} };
    $GEN++;
    return;
}

sub remove_appender {
    my ($self, $name) = @_;
    $self->{appenders} = [grep { $_->name ne $name } @{ $self->{appenders} }];
    $GEN++;
}

sub eradicate_appender {
    my ($self, $name) = @_;
    $_->remove_appender($name) for values %$LOGGERS_BY_NAME;
    delete $Log::Log4perl::APPENDER_BY_NAME{$name};
}

sub has_appenders { my ($self) = @_; return scalar @{ $self->{appenders} } }

sub more_logging { my ($self, $d) = @_; $self->level(Log::Log4perl::Level::get_lower_level($self->level, defined $d ? $d : 1)) }
sub less_logging { my ($self, $d) = @_; $self->level(Log::Log4perl::Level::get_higher_level($self->level, defined $d ? $d : 1)) }
*dec_level = \&more_logging;    # a lower priority number: more logging
*inc_level = \&less_logging;

sub is_enabled_for { my ($self, $p) = @_; $self->_resolve; return $p >= $self->{eff} ? 1 : 0 }

sub _warn_uninitialized {
    return if $INITIALIZED || $NON_INIT_WARNED || $Log::Log4perl::NON_INIT_WARNED;
    CORE::warn("Log4perl: Seems like no initialization happened. Forgot to call init()?\n");
    $NON_INIT_WARNED = 1;
}

# The caller of the log method is 2 frames up from here (script -> method -> _emit);
# the layout sees it at 3 + caller_depth from render (script -> method -> _emit -> deliver -> render).
sub _emit {
    my ($self, $priority, $msgs) = @_;
    $self->_resolve;
    return if $priority < $self->{eff};
    _warn_uninitialized() unless $INITIALIZED;
    my $apps = $self->{apps};
    my $levelname = $Log::Log4perl::Level::LEVELS{$priority} || Log::Log4perl::Level::to_level($priority);
    my $fired = 0;
    return 0 unless @$apps;
    # code refs and {filter, value} parts are evaluated once per event, as the real logger does
    my @m = map { !ref $_ ? $_ : ref $_ eq 'CODE' ? $_->() : ref $_ eq 'HASH' && exists $_->{filter} && ref $_->{filter} eq 'CODE' ? $_->{filter}->($_->{value}) : $_ } @$msgs;
    for my $app (@$apps) {
        $fired += $app->deliver(\@m, $self->{category}, $levelname, $priority) ? 1 : 0;
    }
    CPANBridge::Log4perl::Sink::event_done($priority >= $P{FATAL});
    return $fired;    # how many appenders wrote it, as the real method returns
}

# $logger->info, ->is_info, ->isInfoEnabled for a level (built in or made by create_custom_level)
sub create_log_level_methods {
    my ($name) = @_;
    my $lc = lc $name;
    no strict 'refs';
    no warnings 'redefine';
    *{"Log::Log4perl::Logger::$lc"} = sub {
        my $self = shift;
        my $p = $Log::Log4perl::Level::PRIORITY{$name};
        _warn_uninitialized() unless $INITIALIZED;
        Log::Log4perl::Config::watch_reinit() if defined $Log::Log4perl::Config::WATCHER;
        $self->_resolve;
        return if $p < $self->{eff};
        $self->_emit($p, \@_);
    };
    *{"Log::Log4perl::Logger::is_$lc"} = sub { my $self = $_[0]; Log::Log4perl::Config::watch_reinit() if defined $Log::Log4perl::Config::WATCHER; $self->_resolve; $Log::Log4perl::Level::PRIORITY{$name} >= $self->{eff} ? 1 : 0 };
    *{"Log::Log4perl::Logger::is" . ucfirst($lc) . 'Enabled'} = \&{"Log::Log4perl::Logger::is_$lc"};
    return 0;
}
create_log_level_methods($_) for qw(TRACE DEBUG INFO WARN ERROR FATAL);
*is_warning = \&is_warn;

sub create_custom_level {
    my $level = shift || die('create_custom_level: forgot to pass in a level string!');
    my $after = shift || die('create_custom_level: forgot to pass in a level after which to place the new level!');
    my ($syslog, $ld) = @_;
    die('create_custom_level must be called before init or first get_logger() call') if $INITIALIZED;
    my %PR = %Log::Log4perl::Level::PRIORITY;
    die("create_custom_level: no such level \"$after\"! Use one of: ", join(', ', sort keys %PR)) unless $PR{$after};
    my $next = Log::Log4perl::Level::get_lower_level($PR{$after}, 1);
    my $cust = int(($PR{$after} + $next) / 2);
    die("create_custom_level: Calculated level of $cust already exists!") if $Log::Log4perl::Level::LEVELS{$cust};
    Log::Log4perl::Level::add_priority($level, $cust, $syslog, $ld);
    no strict 'refs';
    *{"Log::Log4perl::Logger::$level"} = \$Log::Log4perl::Level::PRIORITY{$level};
    *{ caller(0) . "::$level" } = \$Log::Log4perl::Level::PRIORITY{$level};
    create_log_level_methods($level);
    $GEN++;
    return 0;
}

# ALWAYS logs at level OFF (which every threshold lets through), printed as "OFF"
sub always {
    my $self = shift;
    $self->_emit($P{OFF}, \@_);
}
*off = \&always;

sub log {
    my ($self, $priority, @messages) = @_;
    Carp::confess("log: No priority given!") unless defined $priority;
    _warn_uninitialized() unless $INITIALIZED;
    Carp::croak("priority $priority isn't numeric") if $priority =~ /\D/;
    $self->_resolve;
    return if $priority < $self->{eff};
    $self->_emit($priority, \@messages);
}

# --- message rendering for die/warn (the real module's warning_render: parts joined, subs run)
sub warning_render {
    my ($self, @message) = @_;
    return join $Log::Log4perl::JOIN_MSG_ARRAY_CHAR, map { ref $_ eq 'CODE' ? $_->() : ref $_ eq 'HASH' && exists $_->{filter} && ref $_->{filter} eq 'CODE' ? $_->{filter}->($_->{value}) : defined $_ ? $_ : '' } @message;
}

sub callerline {
    my $message = join '', @_;
    my $off = Log::Log4perl::caller_depth_offset($Log::Log4perl::caller_depth + 1);
    my ($pack, $file, $line) = caller($off);
    if (not chomp $message) {
        $message .= " at $file line $line";
    }
    return ($message, "\n");
}

sub and_warn { my $self = shift; CORE::warn(callerline($self->warning_render(@_))) }

sub and_die {
    my $self = shift;
    my $arg = $_[0];
    my ($msg) = callerline($self->warning_render(@_));
    if ($DIE_DEBUG) { $DIE_DEBUG_BUFFER = "DIE_DEBUG: $msg"; return }
    die("$msg\n") if $Log::Log4perl::STRINGIFY_DIE_MESSAGE;
    die $arg;
}

sub logwarn {
    my $self = shift;
    local $Log::Log4perl::caller_depth = $Log::Log4perl::caller_depth + 1;
    if ($self->is_warn) { my @c = @_; chomp $c[-1] if @c; $self->warn(@c) }
    $self->and_warn(@_);
}

sub logdie {
    my $self = shift;
    local $Log::Log4perl::caller_depth = $Log::Log4perl::caller_depth + 1;
    if ($self->is_fatal) { my @c = @_; chomp $c[-1] if @c; $self->fatal(@c) }
    CPANBridge::Log4perl::Sink::flush() if CPANBridge::Log4perl::Sink::active();
    $Log::Log4perl::LOGDIE_MESSAGE_ON_STDERR ? $self->and_die(@_) : exit($Log::Log4perl::LOGEXIT_CODE);
}

sub logexit {
    my $self = shift;
    local $Log::Log4perl::caller_depth = $Log::Log4perl::caller_depth + 1;
    if ($self->is_fatal) { my @c = @_; chomp $c[-1] if @c; $self->fatal(@c) }
    CPANBridge::Log4perl::Sink::flush() if CPANBridge::Log4perl::Sink::active();
    exit $Log::Log4perl::LOGEXIT_CODE;
}

sub logcluck {
    my $self = shift;
    local $Log::Log4perl::caller_depth = $Log::Log4perl::caller_depth + 1;
    local $Carp::CarpLevel = $Carp::CarpLevel + 1;
    my $msg = $self->warning_render(@_);
    if ($self->is_warn) { $self->warn("$_\n") for split /\n/, Carp::longmess($msg) }
    Carp::cluck($msg);
}

sub logcarp {
    my $self = shift;
    local $Carp::CarpLevel = $Carp::CarpLevel + 1;
    local $Log::Log4perl::caller_depth = $Log::Log4perl::caller_depth + 1;
    my $msg = $self->warning_render(@_);
    if ($self->is_warn) { $self->warn("$_\n") for split /\n/, Carp::shortmess($msg) }
    Carp::carp($msg);
}

sub logcroak {
    my $self = shift;
    my $arg = $_[0];
    my $msg = $self->warning_render(@_);
    local $Carp::CarpLevel = $Carp::CarpLevel + 1;
    local $Log::Log4perl::caller_depth = $Log::Log4perl::caller_depth + 1;
    if ($self->is_fatal) { $self->fatal("$_\n") for split /\n/, Carp::shortmess($msg) }
    CPANBridge::Log4perl::Sink::flush() if CPANBridge::Log4perl::Sink::active();
    Carp::croak($Log::Log4perl::STRINGIFY_DIE_MESSAGE ? $msg : $arg);
}

sub logconfess {
    my $self = shift;
    my $arg = $_[0];
    local $Carp::CarpLevel = $Carp::CarpLevel + 1;
    local $Log::Log4perl::caller_depth = $Log::Log4perl::caller_depth + 1;
    my $msg = $self->warning_render(@_);
    if ($self->is_fatal) { $self->fatal("$_\n") for split /\n/, Carp::longmess($msg) }
    CPANBridge::Log4perl::Sink::flush() if CPANBridge::Log4perl::Sink::active();
    Carp::confess($Log::Log4perl::STRINGIFY_DIE_MESSAGE ? $msg : $arg);
}

sub error_warn {
    my $self = shift;
    local $Log::Log4perl::caller_depth = $Log::Log4perl::caller_depth + 1;
    $self->error(@_) if $self->is_error;
    $self->and_warn(@_);
}

sub error_die {
    my $self = shift;
    local $Log::Log4perl::caller_depth = $Log::Log4perl::caller_depth + 1;
    my $msg = $self->warning_render(@_);
    $self->error($msg) if $self->is_error;
    CPANBridge::Log4perl::Sink::flush() if CPANBridge::Log4perl::Sink::active();
    $self->and_die($msg);
}

# --- :easy (the logger of the caller's package; one more frame, as the real closures have)
package Log::Log4perl::Easy;

for my $name (qw(TRACE DEBUG INFO WARN ERROR FATAL)) {
    my $m = lc $name;
    no strict 'refs';
    *{"Log::Log4perl::Easy::$name"} = sub {
        my $l = Log::Log4perl::Logger->get_logger(scalar caller);
        local $Log::Log4perl::caller_depth = $Log::Log4perl::caller_depth + 1;
        $l->$m(@_);
    };
}
my %MAP = (ALWAYS => 'always', LOGDIE => 'logdie', LOGWARN => 'logwarn', LOGCARP => 'logcarp', LOGCLUCK => 'logcluck', LOGCROAK => 'logcroak', LOGCONFESS => 'logconfess', LOGEXIT => 'logexit');
for my $name (keys %MAP) {
    my $m = $MAP{$name};
    no strict 'refs';
    *{"Log::Log4perl::Easy::$name"} = sub {
        my $l = Log::Log4perl::Logger->get_logger(scalar caller);
        local $Log::Log4perl::caller_depth = $Log::Log4perl::caller_depth + 1;
        $l->$m(@_);
    };
}

package Log::Log4perl::Logger;
__PACKAGE__->reset;

1;
