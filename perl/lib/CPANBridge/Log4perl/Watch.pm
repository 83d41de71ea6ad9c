package CPANBridge::Log4perl::Watch;

# init_and_watch: Log::Log4perl::Config::Watch (a file's mtime checked every check_interval
# seconds, or when a signal arrived) and the re-init the log calls make when it changed, as in the
# real module (a configuration that fails to load keeps the old one, with a warning).

use strict;
use warnings;

package Log::Log4perl::Config::Watch;

our $NEXT_CHECK_TIME;
our $SIGNAL_CAUGHT;
our $L4P_TEST_CHANGE_DETECTED;
our $L4P_TEST_CHANGE_CHECKED;

sub new {
    my ($class, %options) = @_;
    my $self = bless { file => '', check_interval => 30, l4p_internal => 0, signal => undef, %options, _last_checked_at => 0, _last_timestamp => 0 }, $class;
    if ($self->{signal}) {
        my $old = $SIG{ $self->{signal} };
        $SIG{ $self->{signal} } = sub {
            $self->force_next_check();
            $old->(@_) if $old && ref $old eq 'CODE';
        };
        $self->{signal_caught} = 0;
        $SIGNAL_CAUGHT = 0 if $self->{l4p_internal};
    } else {
        $self->change_detected(undef, 1);
        $self->file_has_moved(undef, 1);
    }
    return $self;
}

sub force_next_check {
    my ($self) = @_;
    $self->{signal_caught} = 1;
    $self->{next_check_time} = 0;
    if ($self->{l4p_internal}) { $SIGNAL_CAUGHT = 1; $NEXT_CHECK_TIME = 0 }
}

sub force_next_check_reset { my ($self) = @_; $self->{signal_caught} = 0; $SIGNAL_CAUGHT = 0 if $self->{l4p_internal} }
sub file { $_[0]{file} }
sub signal { $_[0]{signal} }
sub check_interval { $_[0]{check_interval} }

sub file_has_moved {
    my ($self, $time, $force) = @_;
    return $self->check($time, sub {
        my @stat = stat($self->{file});
        return 1 unless $stat[0];
        my $inode = "$stat[0]:$stat[1]";
        my $moved = exists $self->{_file_inode} && $self->{_file_inode} ne $inode ? 1 : 0;
        $self->{_file_inode} = $inode;
        return $moved;
    }, $force);
}

sub change_detected {
    my ($self, $time, $force) = @_;
    return $self->check($time, sub {
        my $ts = (stat($self->{file}))[9];
        $L4P_TEST_CHANGE_CHECKED = 1;
        if (!defined $ts) {
            return undef if $self->{l4p_internal};
            $L4P_TEST_CHANGE_DETECTED = 1;
            return 1;
        }
        if ($ts > $self->{_last_timestamp}) {
            $self->{_last_timestamp} = $ts;
            $L4P_TEST_CHANGE_DETECTED = 1;
            return 1;
        }
        return '';
    }, $force);
}

sub check {
    my ($self, $time, $task, $force) = @_;
    $time = time() unless defined $time;
    if ($self->{signal_caught} || $SIGNAL_CAUGHT) { $force = 1; $self->force_next_check_reset() }
    return '' if !$force && $self->{_last_checked_at} + $self->{check_interval} > $time;
    $self->{_last_checked_at} = $time;
    $self->{next_check_time} = $time + $self->{check_interval};
    $NEXT_CHECK_TIME = $self->{next_check_time} if $self->{l4p_internal};
    return $task->($time);
}

package Log::Log4perl::Config;

our $WATCHER;
our $DEFAULT_WATCH_DELAY = 60;
our $OLD_CONFIG;
our $OPTS = {};

sub watcher { $WATCHER }

sub init_and_watch {
    my ($class, $config, $delay, $opts) = @_;
    if (defined $WATCHER) {
        $config = $WATCHER->file();
        $delay = defined $Log::Log4perl::Config::Watch::SIGNAL_CAUGHT ? $WATCHER->signal() : $WATCHER->check_interval();
    }
    Log::Log4perl::Logger->reset();
    $delay = $DEFAULT_WATCH_DELAY unless defined $delay;
    die 'Log4perl can only watch a file, not a string of configuration information' if ref $config;
    die "Log4perl can only watch a file, not a url like $config" if $config =~ m!^(https?|ftp|wais|gopher|file):!;
    if ($delay =~ /\D/) {
        $WATCHER = Log::Log4perl::Config::Watch->new(file => $config, signal => $delay, l4p_internal => 1);
    } else {
        $WATCHER = Log::Log4perl::Config::Watch->new(file => $config, check_interval => $delay, l4p_internal => 1);
    }
    if (defined $opts) {
        die "Parameter $opts needs to be a hash ref" if ref $opts ne 'HASH';
        $OPTS = $opts;
    }
    my $ok = eval { CPANBridge::Log4perl::Appenders::configure($config); 1 };
    if (!$ok) {
        my $e = $@;
        die $e unless defined $OLD_CONFIG;
        Log::Log4perl::Logger->reset();
        CPANBridge::Log4perl::Appenders::configure_data($OLD_CONFIG);
        warn "Loading new config failed, reverted to old one\n";
    }
    $Log::Log4perl::Logger::INITIALIZED = 1;
    return 1;
}

# From a log call: true when the configuration was read again (the caller starts over).
sub watch_reinit {
    my $w = $WATCHER or return 0;
    my $due = defined $Log::Log4perl::Config::Watch::SIGNAL_CAUGHT
        ? $Log::Log4perl::Config::Watch::SIGNAL_CAUGHT
        : (time() > ($Log::Log4perl::Config::Watch::NEXT_CHECK_TIME || 0) && $w->change_detected());
    return 0 unless $due;
    if (exists $OPTS->{preinit_callback}) {
        return 0 unless $OPTS->{preinit_callback}->($w->file());
    }
    Log::Log4perl::Config->init_and_watch();
    return 1;
}

1;
