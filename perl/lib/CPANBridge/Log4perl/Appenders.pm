package CPANBridge::Log4perl::Appenders;

# Appenders and filters, and building them from a configuration (init) or easy_init. The Screen
# appender prints from the script's process (in order with its own prints and warns); File and
# Log::Dispatch::FileRotate appenders are files the daemon holds, fed through the Sink. Other
# appender classes (the script's own) are loaded and called in the script, as the real module does.

use strict;
use warnings;
use Carp ();
use POSIX ();
use Scalar::Util ();
use Log::Log4perl::Util ();

# ------------------------------------------------------------------ the appender wrapper
package Log::Log4perl::Appender;

my $UNNAMED = 0;
my @FILES;    # specs of this configuration's files (index = the sink's file index)

sub reset { }

sub _close_all {
    CPANBridge::Log4perl::Sink::close_writer() if CPANBridge::Log4perl::Sink::active();
    @FILES = ();
}

sub new {
    my ($class, $appenderclass, %params) = @_;
    my $name = delete $params{name};
    $name = 'app' . ++$UNNAMED unless defined $name;
    my $self = bless { name => $name, level => 0, filter => undef, layout => undef, appender_class => $appenderclass, warp_message => $params{warp_message} }, $class;
    # warp_message: undef joins the message parts, 0 keeps them as an array, code (or a function name) rewrites them
    if ($self->{warp_message} and my $cref = CPANBridge::Log4perl::Config::compile_if_perl($self->{warp_message})) { $self->{warp_message} = $cref }
    $self->{appender} = _make($appenderclass, $name, \%params);
    $Log::Log4perl::APPENDER_BY_NAME{$name} = $self;
    return $self;
}

sub _make {
    my ($class, $name, $params) = @_;
    if ($class =~ /^Log::Log4perl::Appender::(File|Screen|String|TestBuffer|TestArrayBuffer)$/ || $class eq 'Log::Dispatch::FileRotate') {
        return $class->new(name => $name, %$params);
    }
    die "Log::Log4perl (bridge): appender class '$class' is not supported (it would write through the real module)\n"
        if $class =~ /^Log::Log4perl::Appender::(?:Buffer|DBI|Limit|RRDs|ScreenColoredLevels|Socket|Synchronized|TestFileCreeper)$/;
    (my $f = "$class.pm") =~ s{::}{/}g;
    unless ($class->can('new') || eval { require $f; 1 }) {
        die "ERROR: can't load appenderclass '$class'\n$@";
    }
    # Log::Dispatch outputs get the lowest min_level, as the real wrapper gives them
    $params->{min_level} = 'debug' if $class->isa('Log::Dispatch::Output') && !exists $params->{min_level};
    return $class->new(name => $name, %$params);
}

sub name { my ($self, $n) = @_; $self->{name} = $n if defined $n; $self->{name} }
sub layout {
    my ($self, $l) = @_;
    if ($l) { $self->{layout} = $l }
    elsif (!$self->{layout}) { $self->{layout} = Log::Log4perl::Layout::SimpleLayout->new($self->{name}) }    # the default, as in the real module
    return $self->{layout};
}
sub filter { my ($self, $f) = @_; $self->{filter} = $f if defined $f; $self->{filter} }
sub threshold {
    my ($self, $l) = @_;
    if (defined $l) { $self->{level} = $l =~ /^\d+$/ ? $l : Log::Log4perl::Level::to_priority($l); $Log::Log4perl::Logger::GEN++ }
    return $self->{level};
}
# Composite appenders (Buffer, Limit) relay to others inside the real module; the bridge's appenders
# are not composite, and a script that marks one so would get nothing of what it asked for.
sub composite {
    my ($self, $flag) = @_;
    die "Log::Log4perl::Appender::composite: composite appenders are not supported by the bridge\n" if $flag;
    return $self->{composite};
}

# everything else goes to the appender object itself, as in the real wrapper
our $AUTOLOAD;
sub AUTOLOAD {
    my $self = shift;
    (my $m = $AUTOLOAD) =~ s/.*:://;
    die "Can't locate object method $m() in " . __PACKAGE__ unless ref $self && defined $self->{appender};
    return $self->{appender}->$m(@_);
}
sub DESTROY { }

# from Logger::_emit: script -> method -> _emit -> deliver -> render (3 + caller_depth)
sub deliver {
    my ($self, $msgs, $category, $levelname, $priority) = @_;
    return 0 if $self->{level} > $priority;
    my @m = @$msgs;    # code refs already run (once per event) by the logger
    if ($self->{filter}) {
        return 0 unless $self->{filter}->ok(message => \@m, log4p_category => $category, log4p_level => $levelname);
    }
    for my $i (defined $self->{warp_message} ? () : grep { !defined $m[$_] } 0 .. $#m) {
        local $Carp::CarpLevel = $Carp::CarpLevel + $Log::Log4perl::caller_depth + 1;
        Carp::carp('Warning: Log message argument #' . ($i + 1) . ' undefined');
    }
    my $message;
    if (!defined $self->{warp_message}) {
        if (@m == 1 && defined $m[0]) { $message = $m[0] }
        else { my $p = { message => \@m }; $message = join $Log::Log4perl::JOIN_MSG_ARRAY_CHAR, @{ $p->{message} } }    # warns of an undef as the real join does
    }
    elsif (!$self->{warp_message}) { $message = \@m }
    elsif (ref $self->{warp_message} eq 'CODE') { $message = [$self->{warp_message}->(@m)] }
    else { no strict 'refs'; $message = [&{ $self->{warp_message} }(@m)] }
    $message = ($self->{layout} || $self->layout)->render($message, $category, $levelname, 3 + $Log::Log4perl::caller_depth);
    $self->{appender}->log(name => $self->{name}, level => $Log::Log4perl::Level::L4P_TO_LD{$levelname}, message => $message, log4p_category => $category, log4p_level => $levelname);
    return 1;
}

# the config's files: registered by the File appenders when they are made, opened by configure()
sub _file { my ($spec) = @_; push @FILES, $spec; return $#FILES }
sub _files { \@FILES }

# ------------------------------------------------------------------ Screen
package Log::Log4perl::Appender::Screen;
our @ISA = ('Log::Log4perl::Appender');

sub new {
    my ($class, @options) = @_;
    my $self = { autoflush => 0, name => 'unknown name', stderr => 1, utf8 => undef, @options };
    if ($self->{utf8}) { binmode($self->{stderr} ? \*STDERR : \*STDOUT, ':utf8') }
    if ($self->{autoflush}) { ($self->{stderr} ? \*STDERR : \*STDOUT)->autoflush(1) }
    return bless $self, $class;
}

# stderr: 0/1, or a hash of the levels that go to STDERR (the others to STDOUT)
sub log {
    my ($self, %p) = @_;
    my $fh = \*STDOUT;
    if (ref $self->{stderr}) { $fh = \*STDERR if $self->{stderr}{ $p{log4p_level} } || $self->{stderr}{ lc $p{log4p_level} } }
    elsif ($self->{stderr}) { $fh = \*STDERR }
    print $fh $p{message};
}

# ------------------------------------------------------------------ File (the daemon writes)
package Log::Log4perl::Appender::File;
our @ISA = ('Log::Log4perl::Appender');

my %UNSUPPORTED = map { $_ => 1 } qw(owner group recreate recreate_check_interval recreate_check_signal recreate_pid_write);

sub new {
    my ($class, @options) = @_;
    my $self = bless { name => 'unknown name', umask => undef, autoflush => 1, syswrite => 0, mode => 'append', binmode => undef, utf8 => undef,
                       mkpath => 0, mkpath_umask => 0, header_text => undef, create_at_logtime => 0, @options }, $class;
    for my $k (sort keys %UNSUPPORTED) {
        die "Log::Log4perl (bridge): the File appender option '$k' is not supported\n" if defined $self->{$k} && $self->{$k} ne '0';
    }
    for my $k ('umask', 'mkpath_umask') { $self->{$k} = oct $self->{$k} if defined $self->{$k} && $self->{$k} =~ /^0/ }
    die "Mandatory parameter 'filename' missing" unless defined $self->{filename};
    die "Log::Log4perl (bridge): the File appender mode 'pipe' is not supported\n" if $self->{mode} eq 'pipe';
    if (defined $self->{binmode}) {
        if ($self->{binmode} =~ /^:(?:utf8|encoding\(utf-?8\))$/i) { $self->{utf8} = 1 }
        elsif ($self->{binmode} !~ /^:(?:raw|bytes)$/) { die "Log::Log4perl (bridge): the File appender binmode '$self->{binmode}' is not supported\n" }
    }
    my $umask = defined $self->{umask} ? $self->{umask} : umask();
    $self->{idx} = Log::Log4perl::Appender::_file({
        path => $self->{filename}, mode => ($self->{mode} eq 'append' ? 'append' : 'clobber'),
        mkpath => $self->{mkpath} ? \1 : \0, umask => $umask + 0, mkpath_umask => (defined $self->{mkpath_umask} ? $self->{mkpath_umask} : umask()) + 0, create_at_logtime => $self->{create_at_logtime} ? \1 : \0,
    });
    if (defined $self->{header_text}) {
        $self->{header_text} .= "\n" if $self->{header_text} !~ /\n\Z/;
        push @{ $self->{pending} }, $self->{header_text};
    }
    return $self;
}

sub filename { $_[0]{filename} }

sub _bytes {
    my ($self, $m) = @_;
    if ($self->{utf8}) { utf8::encode($m) }
    elsif ($m =~ /[^\x00-\xff]/) {
        # what print (a warning) and syswrite (an error) do with wide characters on a raw handle
        die "Wide character in syswrite at " . __FILE__ . " line " . __LINE__ . ".\n" if $self->{syswrite};
        warn "Wide character in print at " . __FILE__ . " line " . __LINE__ . ".\n";
        utf8::encode($m);
    }
    else { utf8::downgrade($m) }
    return $m;
}

sub log {
    my ($self, %p) = @_;
    if ($self->{pending}) { CPANBridge::Log4perl::Sink::add($self->{idx}, $self->_bytes($_)) for @{ delete $self->{pending} } }
    CPANBridge::Log4perl::Sink::add($self->{idx}, $self->_bytes($p{message}));
}

sub file_switch {
    my ($self, $new) = @_;
    CPANBridge::Log4perl::Sink::switch_file($self->{idx}, $new);
    $self->{filename} = $new;
    if (defined $self->{header_text}) { push @{ $self->{pending} }, $self->{header_text} }    # file_open writes it again
}
sub file_close { CPANBridge::Log4perl::Sink::flush() }

# ------------------------------------------------------------------ Log::Dispatch::FileRotate (size mode)
package Log::Dispatch::FileRotate;

sub new {
    my ($class, %p) = @_;
    for my $k (qw(DatePattern TZ)) { die "Log::Log4perl (bridge): Log::Dispatch::FileRotate's $k (time rotation) is not supported\n" if defined $p{$k} }
    die "Log::Log4perl (bridge): Log::Dispatch::FileRotate's close_after_write is not supported\n" if $p{close_after_write};
    die "Log::Log4perl (bridge): Log::Dispatch::FileRotate's permissions is not supported\n" if defined $p{permissions};
    die "Log::Log4perl (bridge): Log::Dispatch::FileRotate's binmode is not supported\n" if defined $p{binmode};
    my $ten_meg = 1024 * 1024 * 10;
    my $size = defined $p{size} ? $p{size} : $ten_meg;
    $size = $ten_meg unless $size =~ /^\d+$/ && $size < 1024 * 1024 * 1024 * 2 && $size > 0;
    my $max = $p{max};
    $max = 1 unless defined $max && $max =~ /^\d+$/ && $max > 0;
    my $mode = defined $p{mode} ? $p{mode} : '>';
    die "Log::Log4perl (bridge): Log::Dispatch::FileRotate mode '$mode' is not supported\n" unless $mode =~ /^(?:>|>>|write|append|clobber)$/;
    defined $p{filename} or die "Log::Log4perl (bridge): Log::Dispatch::FileRotate needs a filename\n";
    my $self = bless { %p }, $class;
    $self->{idx} = Log::Log4perl::Appender::_file({
        path => $p{filename}, mode => ($mode eq '>>' || $mode eq 'append' ? 'append' : 'clobber'),
        mkpath => \0, umask => umask() + 0, create_at_logtime => \0, rotate => { size => $size + 0, max => $max + 0 },
    });
    return $self;
}

sub log {
    my ($self, %p) = @_;
    my $m = $p{message};
    utf8::encode($m) if utf8::is_utf8($m) && $m =~ /[^\x00-\xff]/;
    utf8::downgrade($m, 1);
    CPANBridge::Log4perl::Sink::add($self->{idx}, $m);
}
*log_message = \&log;

# ------------------------------------------------------------------ filters
package Log::Log4perl::Filter;
our %FILTERS_DEFINED;
sub reset { %FILTERS_DEFINED = () }
sub by_name { my ($class, $n) = @_; return $FILTERS_DEFINED{$n} }
sub new {
    my ($class, $name, $action) = @_;
    my $self = bless { name => $name, ok => $action }, $class;
    $FILTERS_DEFINED{$name} = $self;
    return $self;
}
sub register { my ($self) = @_; $FILTERS_DEFINED{ $self->{name} } = $self if defined $self->{name}; $self }
sub ok {
    my ($self, %p) = @_;
    local $_ = join $Log::Log4perl::JOIN_MSG_ARRAY_CHAR, @{ $p{message} };
    return $self->{ok}->(%p);
}

package Log::Log4perl::Filter::LevelMatch;
our @ISA = ('Log::Log4perl::Filter');
sub new {
    my ($class, %o) = @_;
    my $self = bless { LevelToMatch => '', AcceptOnMatch => 1, %o }, $class;
    Log::Log4perl::Util::params_check($self, [qw(LevelToMatch)], [qw(name AcceptOnMatch)]);
    $self->{AcceptOnMatch} = CPANBridge::Log4perl::Config::boolean_to_perlish($self->{AcceptOnMatch});
    return $self;
}
sub ok { my ($self, %p) = @_; return $self->{LevelToMatch} eq $p{log4p_level} ? $self->{AcceptOnMatch} : !$self->{AcceptOnMatch} }

package Log::Log4perl::Filter::LevelRange;
our @ISA = ('Log::Log4perl::Filter');
sub new {
    my ($class, %o) = @_;
    my $self = bless { LevelMin => 'DEBUG', LevelMax => 'FATAL', AcceptOnMatch => 1, %o }, $class;
    Log::Log4perl::Util::params_check($self, [qw(LevelMin LevelMax)], [qw(name AcceptOnMatch)]);
    $self->{AcceptOnMatch} = CPANBridge::Log4perl::Config::boolean_to_perlish($self->{AcceptOnMatch});
    return $self;
}
sub ok {
    my ($self, %p) = @_;
    my $l = Log::Log4perl::Level::to_priority($p{log4p_level});
    return (Log::Log4perl::Level::to_priority($self->{LevelMin}) <= $l && Log::Log4perl::Level::to_priority($self->{LevelMax}) >= $l) ? $self->{AcceptOnMatch} : !$self->{AcceptOnMatch};
}

package Log::Log4perl::Filter::StringMatch;
our @ISA = ('Log::Log4perl::Filter');
sub new {
    my ($class, %o) = @_;
    my $self = bless { StringToMatch => undef, AcceptOnMatch => 1, %o }, $class;
    Log::Log4perl::Util::params_check($self, [qw(StringToMatch)], [qw(name AcceptOnMatch)]);
    $self->{AcceptOnMatch} = CPANBridge::Log4perl::Config::boolean_to_perlish($self->{AcceptOnMatch});
    $self->{StringToMatch} = qr($self->{StringToMatch});
    return $self;
}
sub ok {
    my ($self, %p) = @_;
    local $_ = join $Log::Log4perl::JOIN_MSG_ARRAY_CHAR, @{ $p{message} };
    return $_ =~ $self->{StringToMatch} ? $self->{AcceptOnMatch} : !$self->{AcceptOnMatch};
}

package Log::Log4perl::Filter::MDC;
our @ISA = ('Log::Log4perl::Filter');
sub new { my ($class, %o) = @_; my $self = bless {%o}, $class; $self->{RegexToMatch} = qr/$self->{RegexToMatch}/; $self }
sub ok { my ($self) = @_; my $v = Log::Log4perl::MDC->get_context->{ $self->{KeyToMatch} }; return defined $v && $v =~ $self->{RegexToMatch} ? 1 : 0 }

package Log::Log4perl::Filter::Boolean;
our @ISA = ('Log::Log4perl::Filter');
sub new {
    my ($class, %o) = @_;
    my $self = bless {%o}, $class;
    my $logic = $self->{logic};
    my @names = $logic =~ /(\w+)/g;
    (my $code = $logic) =~ s/(\w+)/\$_[0]->{$1}/g;
    $self->{eval} = eval "sub { $code }" or die "Can't evaluate '$logic' ($@)";
    $self->{names} = \@names;
    return $self;
}
sub ok {
    my ($self, %p) = @_;
    my %r;
    for my $n (@{ $self->{names} }) {
        my $f = $Log::Log4perl::Filter::FILTERS_DEFINED{$n} or die "Filter $n not defined";
        $r{$n} = $f->ok(%p) ? 1 : 0;
    }
    return $self->{eval}->(\%r);
}

# ------------------------------------------------------------------ building a configuration
package CPANBridge::Log4perl::Appenders;

sub _v { my ($node) = @_; return ref $node eq 'HASH' ? $node->{value} : undef }

sub _open_files {
    my $files = Log::Log4perl::Appender::_files();
    return unless @$files;
    my $ok = eval { CPANBridge::Log4perl::Sink::open_files($files); 1 };
    return if $ok;
    my $e = $@;
    my $path = ref $e && ref $e ne 'CODE' ? $e->{path} : undef;
    my ($spec) = grep { defined $path && ($_->{path} eq $path || $path =~ m{/\Q$_->{path}\E\z}) } @$files;
    die CPANBridge::Log4perl::Sink::open_error($e, $spec ? $spec->{path} : $path);
}

sub easy {
    my ($loggers) = @_;
    for my $l (@$loggers) {
        my $app;
        if ($l->{file} =~ /^stderr$/i) {
            $app = Log::Log4perl::Appender->new('Log::Log4perl::Appender::Screen', utf8 => $l->{utf8});
        } elsif ($l->{file} =~ /^stdout$/i) {
            $app = Log::Log4perl::Appender->new('Log::Log4perl::Appender::Screen', stderr => 0, utf8 => $l->{utf8});
        } else {
            my $binmode;
            $binmode = $1 if $l->{file} =~ s/^(:.*?)>/>/;
            $l->{file} =~ /^(>)?(>)?/;
            my $mode = $2 ? 'append' : 'write';
            $l->{file} =~ s/.*>+\s*//g;
            $app = Log::Log4perl::Appender->new('Log::Log4perl::Appender::File', filename => $l->{file}, mode => $mode, utf8 => $l->{utf8}, binmode => $binmode);
        }
        $app->layout(Log::Log4perl::Layout::PatternLayout->new($l->{layout}));
        my $log = Log::Log4perl->get_logger($l->{category});
        $log->level($l->{level});
        $log->add_appender($app);
    }
    _open_files();
}

sub configure {
    my ($config) = @_;
    my $data = ref $config eq 'HASH' ? CPANBridge::Log4perl::Config::from_hash($config)
        : Scalar::Util::blessed($config) && $config->can('parse') ? $config->parse()    # a parser object (PropertyConfigurator)
        : CPANBridge::Log4perl::Config::parse(CPANBridge::Log4perl::Config::text_of($config));
    configure_data($data);
    $Log::Log4perl::Config::OLD_CONFIG = $data;    # what init_and_watch goes back to when a new one fails
}

sub configure_data {
    my ($data) = @_;
    Log::Log4perl::Filter::reset();
    # filters first (appenders name them)
    if (my $f = $data->{filter}) {
        for my $name (sort keys %$f) {
            my $class = _v($f->{$name});
            my $obj;
            if (my $code = CPANBridge::Log4perl::Config::compile_if_perl($class)) {
                $obj = Log::Log4perl::Filter->new($name, $code);
            } else {
                die "Filter class not defined: $name" unless defined $class;
                my %params = map { $_ => _v($f->{$name}{$_}) } grep { $_ ne 'value' } keys %{ $f->{$name} };
                unless ($class->can('ok')) { (my $file = "$class.pm") =~ s{::}{/}g; eval { require $file; 1 } or die "Can't load filter class '$class'\n$@" }
                $obj = $class->new(name => $name, %params);
            }
            $obj->{name} = $name;
            $Log::Log4perl::Filter::FILTERS_DEFINED{$name} = $obj;
        }
    }
    my $threshold = defined _v($data->{threshold}) ? Log::Log4perl::Level::to_priority(_v($data->{threshold})) : 0;
    $Log::Log4perl::JOIN_MSG_ARRAY_CHAR = _v($data->{appender} ? undef : undef) // $Log::Log4perl::JOIN_MSG_ARRAY_CHAR;

    $Log::Log4perl::one_message_per_appender = _v($data->{oneMessagePerAppender}) ? 1 : 0;
    $Log::Log4perl::DateFormat::GMTIME = 1 if _v($data->{utcDateTimes});
    # global cspecs first: the layouts made below use them
    if (my $cs = $data->{PatternLayout} && $data->{PatternLayout}{cspec}) {
        Log::Log4perl::Layout::PatternLayout::add_global_cspec($_, _v($cs->{$_})) for sort grep { $_ ne 'value' } keys %$cs;
    }
    my %made;
    my $make_app = sub {
        my ($name) = @_;
        return $made{$name} if $made{$name};
        my $node = $data->{appender}{$name} or die "ERROR: you didn't tell me how to implement your appender '$name'";
        my $class = _v($node);
        die "ERROR: you didn't tell me how to implement your appender '$name'" unless defined $class;
        if (my $c = CPANBridge::Log4perl::Config::compile_if_perl($class)) { $class = $c->() }    # sub { "Class::Name" }
        $class = _java($class, $name, $node);
        my %params;
        for my $k (keys %$node) {
            next if $k eq 'value' || $k eq 'layout' || $k eq 'Filter' || $k eq 'Threshold' || $k eq 'threshold';
            if (grep { $_ ne 'value' } keys %{ $node->{$k} }) { $params{$k} = _nested($node->{$k}); next }    # login.hostname = ... -> login => {hostname => ...}
            my $v = _v($node->{$k});
            $v = CPANBridge::Log4perl::Config::eval_if_perl($v) if defined $v && (ref $v eq 'CODE' || (!ref $v && $v =~ /^\s*sub\s*\{/));
            $params{$k} = $v;
        }
        my $app = Log::Log4perl::Appender->new($class, name => $name, %params);
        my $lnode = $node->{layout};
        my $lclass = _v($lnode);
        if (defined $lclass) {
            $lclass = CPANBridge::Log4perl::Config::unlog4j_class($lclass);
            $lclass = "Log::Log4perl::Layout::$lclass" unless $lclass =~ /::/;
            $lclass = 'Log::Log4perl::Layout::PatternLayout' if $lclass eq 'Log::Log4perl::Layout::PatternLayout::Multiline' && die "Log::Log4perl (bridge): PatternLayout::Multiline is not supported\n";
            die "ERROR: trying to set layout for $name to '$lclass' failed\n" unless $lclass->can('render');
            my %lopts = map { $_ => $lnode->{$_} } grep { $_ ne 'value' } keys %$lnode;
            $app->layout($lclass->new(\%lopts));
        } else {
            $app->layout(Log::Log4perl::Layout::SimpleLayout->new) if $app->{appender_class} =~ /^Log::Log4perl::Appender::/ || 1;
        }
        die "invalid keyword 'threshold' - perhaps you meant 'Threshold'?" if exists $node->{threshold};
        my $t = _v($node->{Threshold});
        my $lvl = defined $t ? Log::Log4perl::Level::to_priority($t) : 0;
        $lvl = $threshold if $threshold > $lvl;
        $app->threshold($lvl);
        if (defined(my $fname = _v($node->{Filter}))) {
            my $f = $Log::Log4perl::Filter::FILTERS_DEFINED{$fname} or die "Filter $fname doesn't exist";
            $app->filter($f);
        }
        return $made{$name} = $app;
    };

    my @cats;
    for my $key (qw(rootLogger logger category)) {
        next unless $data->{$key};
        push @cats, ['', _v($data->{$key})] if defined _v($data->{$key});
        _walk($data->{$key}, [], \@cats) if $key ne 'rootLogger';
    }
    for my $c (@cats) {
        my ($cat, $value) = @$c;
        my ($level, @apps) = split /\s*,\s*/, $value;
        $level =~ s/^\s+//;
        my $logger = Log::Log4perl::Logger->get_logger($cat);
        $logger->level(Log::Log4perl::Level::to_priority($level)) if defined $level && length $level;
        for my $a (@apps) { $logger->add_appender($make_app->($a)) }
    }
    # the real module's integrity check (Log::Log4perl::Config::CONFIG_INTEGRITY_CHECK)
    if ($Log::Log4perl::Config::CONFIG_INTEGRITY_CHECK) {
        my $why = !@cats ? 'No loggers defined' : !%Log::Log4perl::APPENDER_BY_NAME ? 'No appenders defined' : undef;
        warn 'Log::Log4perl configuration looks suspicious: ', $why if $why;
    }
    if (my $add = $data->{additivity}) {
        my @a;
        _walk($add, [], \@a);
        for (@a) { Log::Log4perl::Logger->get_logger($_->[0])->additivity(CPANBridge::Log4perl::Config::boolean_to_perlish($_->[1]) ? 1 : 0) }
    }

    _open_files();
}

# log4j class names: ConsoleAppender and FileAppender become the Screen and File appenders
# (their options translated as Log::Log4perl::JavaMap does); other Java classes are not supported
sub _java {
    my ($class, $name, $node) = @_;
    my $c = CPANBridge::Log4perl::Config::unlog4j_class($class);
    return $c if $c =~ /::/;
    if ($c eq 'ConsoleAppender') {
        my $t = _v($node->{Target});
        my $stderr = defined $t ? ($t eq 'System.out' ? 0 : $t eq 'System.err' ? 1 : die "ERROR: illegal value '$t' for $class.Target' in appender $name\n") : defined _v($node->{stderr}) ? _v($node->{stderr}) : 0;
        delete $node->{Target};
        $node->{stderr} = { value => $stderr };
        return 'Log::Log4perl::Appender::Screen';
    }
    return "Log::Log4perl::Appender::$c" if $c eq 'TestBuffer';
    if ($c eq 'FileAppender') {
        my $f = _v($node->{File}) || _v($node->{filename}) || die "'File' not supplied for appender '$name', required for a '$class'\n";
        my $a = _v($node->{Append});
        my $mode = !defined $a ? 'append' : $a =~ /^(true|1)$/i ? 'append' : $a =~ /^(false|0)$/i ? 'write' : $a =~ /^(write|append)$/ ? $a : die "'$a' is not a legal value for Append for appender '$name', '$class'\n";
        delete @$node{qw(File Append BufferedIO)};
        $node->{filename} = { value => $f };
        $node->{mode} = { value => $mode };
        return 'Log::Log4perl::Appender::File';
    }
    die "ERROR: can't load appenderclass '$class'\nLog::Log4perl (bridge): the log4j class $class is not supported\n";
}

sub _nested {
    my ($node) = @_;
    return { map { $_ => (grep { $_ ne 'value' } keys %{ $node->{$_} }) ? _nested($node->{$_}) : $node->{$_}{value} } grep { $_ ne 'value' } keys %$node };
}

sub _walk {
    my ($node, $path, $out) = @_;
    for my $k (sort keys %$node) {
        next if $k eq 'value';
        my @p = (@$path, $k);
        push @$out, [join('.', @p), $node->{$k}{value}] if defined $node->{$k}{value};
        _walk($node->{$k}, \@p, $out);
    }
}

1;
