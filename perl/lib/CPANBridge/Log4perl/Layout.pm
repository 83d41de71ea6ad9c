package CPANBridge::Log4perl::Layout;

# Log::Log4perl's layouts, computed in the script's process (caller data, pid, host, time are the
# script's): PatternLayout compiled to one sprintf format as the real module does (so widths and
# truncation are Perl's own), SimpleLayout, and the DateFormat of %d{...}.

use strict;
use warnings;
use File::Spec ();
use Sys::Hostname ();
use Time::HiRes ();
use Carp ();

our $HOSTNAME = eval { Sys::Hostname::hostname() } || 'unknown.host';

# ---------------------------------------------------------------- DateFormat
package Log::Log4perl::DateFormat;
our @MONTH_NAMES = qw(January February March April May June July August September October November December);
our @WEEK_DAYS   = qw(Sunday Monday Tuesday Wednesday Thursday Friday Saturday);
our $GMTIME      = 0;

sub new {
    my ($class, $format) = @_;
    my $self = bless { stack => [], fmt => undef }, $class;
    my %named = (ABSOLUTE => 'HH:mm:ss,SSS', DATE => 'dd MMM yyyy HH:mm:ss,SSS', ISO8601 => 'yyyy-MM-dd HH:mm:ss,SSS', APACHE => '[EEE MMM dd HH:mm:ss yyyy]');
    $format = $named{$format} if exists $named{$format};
    $self->prepare($format) if $format;
    return $self;
}

sub prepare {
    my ($self, $format) = @_;
    my $fmt = '';
    for my $chunk (split /('(?:''|[^'])*')/, $format) {
        if ($chunk =~ /\A'(.*)'\z/) {
            (my $lit = $1) =~ s/''/'/g;
            $lit =~ s/\%/\%\%/g;
            $fmt .= $lit;
        } elsif ($chunk =~ /'/) {
            Carp::croak("bad date format \"$format\": unmatched single quote in chunk \"$chunk\"");
        } else {
            $chunk =~ s/(([GyMdhHmsSEeDFwWakKzZ])\2*)/$self->rep($1)/ge;
            $fmt .= $chunk;
        }
    }
    return $self->{fmt} = $fmt;
}

sub rep {
    my ($self, $string) = @_;
    my $first = substr $string, 0, 1;
    my $len   = length $string;
    my $s     = $self->{stack};
    if ($first eq 'G') { return 'AD' }
    if ($first eq 'e') { push @$s, [0, sub { $_[1] }]; return '%d' }
    if ($first eq 'y') {
        if ($len >= 4) { push @$s, [5, sub { $_[0] + 1900 }]; return '%04d' }
        push @$s, [5, sub { $_[0] % 100 }]; return '%02d';
    }
    if ($first eq 'M') {
        if ($len >= 3) { push @$s, [4, sub { $MONTH_NAMES[$_[0]] }]; return $len >= 4 ? '%s' : '%.3s' }
        push @$s, [4, sub { $_[0] + 1 }];
        return $len == 2 ? '%02d' : '%d';
    }
    if ($first eq 'd') { push @$s, [3, sub { $_[0] }]; return "%0${len}d" }
    if ($first eq 'h') { push @$s, [2, sub { ($_[0] % 12) || 12 }]; return "%0${len}d" }
    if ($first eq 'H') { push @$s, [2, sub { $_[0] }]; return "%0${len}d" }
    if ($first eq 'm') { push @$s, [1, sub { $_[0] }]; return "%0${len}d" }
    if ($first eq 's') { push @$s, [0, sub { $_[0] }]; return "%0${len}d" }
    if ($first eq 'E') { push @$s, [6, sub { $WEEK_DAYS[$_[0]] }]; return $len >= 4 ? "%${len}s" : '%.3s' }
    if ($first eq 'D') { push @$s, [7, sub { $_[0] + 1 }]; return "%0${len}d" }
    if ($first eq 'a') { push @$s, [2, sub { $_[0] < 12 ? 'AM' : 'PM' }]; return "%${len}s" }
    if ($first eq 'S') { push @$s, [9, sub { substr sprintf('%06d', $_[0]), 0, $len }]; return '%s' }
    if ($first eq 'Z') {
        my $t = time();
        my @g = gmtime($t);
        my @l = localtime($t);
        my $z = $l[1] - $g[1] + ($l[2] - $g[2]) * 60 + ($l[7] - $g[7]) * 1440 + ($l[5] - $g[5]) * (525600 + (abs($l[7] - $g[7]) > 364) * 1440);
        my $offset = sprintf('%+.2d%.2d', $z / 60, '00');
        push @$s, [10, sub { $offset }];
        return '%s';
    }
    return "-- '$first' not (yet) implemented --";
}

sub format {
    my ($self, $secs, $msecs) = @_;
    $msecs = 0 unless defined $msecs;
    my @time = $GMTIME ? gmtime($secs) : localtime($secs);
    push @time, $msecs;    # index 9: microseconds
    my @values;
    for (@{ $self->{stack} }) {
        my ($i, $code) = @$_;
        push @values, $code->($time[$i], $secs);
    }
    return sprintf($self->{fmt}, @values);
}

# ---------------------------------------------------------------- layouts
package Log::Log4perl::Layout::SimpleLayout;
sub new { my ($class) = @_; bless { format => undef }, $class }
sub render {
    my ($self, $message, $category, $priority) = @_;
    return "$priority - $message\n";
}

package Log::Log4perl::Layout::NoopLayout;
sub new { bless {}, $_[0] }
sub render { $_[1] }

package Log::Log4perl::Layout::PatternLayout;

our %GLOBAL_USER_DEFINED_CSPECS;
our $CSPECS = 'cCdFHIlLmMnpPrRtTxX%';

# the layout's clock: Time::HiRes, or the time_function option (epoch seconds)
sub _now { my ($self) = @_; return $self->{time_function} ? [$self->{time_function}->(), 0] : [Time::HiRes::gettimeofday()] }

sub new {
    my $class = shift;
    $class = ref $class if ref $class;
    my $options = ref $_[0] eq 'HASH' ? shift : {};
    my $layout_string = @_ ? shift : '%m%n';
    my $self = bless {
        format => undef, info_needed => {}, stack => [],
        CSPECS => $CSPECS, dontCollapseArrays => 0, last_time => undef,
        undef_column_value => exists $options->{undef_column_value} ? $options->{undef_column_value} : '[undef]',
        message_chomp_before_newline => exists $options->{message_chomp_before_newline} ? $options->{message_chomp_before_newline}{value} : 1,
        time_function => $options->{time_function},
    }, $class;
    $self->{start} = $self->_now;
    $self->{last_time} = $self->{start};
    if (exists $options->{ConversionPattern}{value}) { $layout_string = $options->{ConversionPattern}{value} }
    $self->{USER_DEFINED_CSPECS} = {};
    for my $c (keys %GLOBAL_USER_DEFINED_CSPECS) { $self->add_layout_cspec($c, $GLOBAL_USER_DEFINED_CSPECS{$c}) }
    if (my $cs = $options->{cspec}) {
        for my $c (keys %$cs) {
            my $code = $cs->{$c}{value};
            $code = Log::Log4perl::Config::compile_if_perl($code) unless ref $code eq 'CODE';
            $self->add_layout_cspec($c, $code);
        }
    }
    $self->{format} = $layout_string;
    # non-portable line breaks written as \n and \r in the pattern
    $layout_string =~ s/\\n/\n/g;
    $layout_string =~ s/\\r/\r/g;
    $self->define($layout_string);
    return $self;
}

sub add_global_cspec {
    my ($letter, $perlcode) = @_;
    die "\$Log::Log4perl::ALLOW_CODE_IN_CONFIG_FILE setting prohibits user defined cspecs" unless $Log::Log4perl::ALLOW_CODE_IN_CONFIG_FILE;
    die "Illegal value '$letter' in layout specifier" if $letter =~ /[^a-zA-Z]/;
    $perlcode = Log::Log4perl::Config::compile_if_perl($perlcode) unless ref $perlcode eq 'CODE';
    $GLOBAL_USER_DEFINED_CSPECS{$letter} = $perlcode;
}

sub add_layout_cspec {
    my ($self, $letter, $perlcode) = @_;
    die "Illegal value '$letter' in layout specifier" if $letter =~ /[^a-zA-Z]/;
    die "Can't redefine built-in specifier '$letter'" if $CSPECS =~ /\Q$letter\E/ && !exists $self->{USER_DEFINED_CSPECS}{$letter};
    $self->{CSPECS} .= $letter unless $self->{CSPECS} =~ /\Q$letter\E/;
    $self->{USER_DEFINED_CSPECS}{$letter} = $perlcode;
}

sub define {
    my ($self, $format) = @_;
    $self->{message_chompable} = ($self->{message_chomp_before_newline} && $format =~ /%m%n/) ? 1 : 0;
    $format =~ s/%(-?\d*(?:\.\d+)?)([$self->{CSPECS}])(?:\{(.*?)\})*/$self->rep($1, $2, $3)/gex;
    $self->{printformat} = $format;
}

sub rep {
    my ($self, $num, $op, $curlies) = @_;
    return '%%' if $op eq '%';
    if ($op eq 'd') {
        $curlies = Log::Log4perl::DateFormat->new(defined $curlies ? $curlies : 'yyyy/MM/dd HH:mm:ss');
    } elsif ($op eq 'm') {
        my $data = {};
        if (defined $curlies && length $curlies) {
            $curlies =~ s/\s//g;
            for my $field (split /,/, $curlies) { my ($k, $v) = split /=/, $field; $data->{$k} = $v }
        }
        $curlies = $data;
    }
    push @{ $self->{stack} }, [$op, $curlies];
    $self->{info_needed}{$op}++;
    return "%${num}s";
}

# $caller is [package, file, line, sub] of the script's log call (taken by the logger).
sub render {
    my ($self, $message, $category, $priority, $caller_level, $ev) = @_;
    $caller_level = 0 unless defined $caller_level;
    my %info = (m => $message);
    chomp $info{m} if $self->{message_chompable};
    my $need = $self->{info_needed};
    my $offset = Log::Log4perl::caller_depth_offset($caller_level);
    if ($need->{L} || $need->{F} || $need->{C} || $need->{l} || $need->{M} || $need->{T}) {
        my ($package, $filename, $line, $subroutine, $hasargs, $wantarray, $evaltext, $is_require, $hints, $bitmask) = caller($offset);
        unless (defined $bitmask) {
            for ($package, $filename, $line, $subroutine, $hasargs, $wantarray, $evaltext, $is_require, $hints, $bitmask) { $_ = '[undef]' unless defined $_ }
        }
        @info{qw(L F C)} = ($line, $filename, $package);
        if ($need->{M} || $need->{l}) {
            my $up = 1;
            {
                my @ci = caller($offset + $up);
                $subroutine = $ci[3];
                if (defined $subroutine && $subroutine eq '(eval)') { $up++; redo }
            }
            $subroutine = 'main::' unless $subroutine;
            $info{M} = $subroutine;
            $info{l} = "$subroutine $filename ($line)";
        }
    }
    $info{X} = '[No curlies defined]';
    $info{x} = Log::Log4perl::NDC->get() if $need->{x};
    $info{c} = $category;
    $info{d} = 1;
    $info{n} = "\n";
    $info{p} = $priority;
    $info{P} = $$;
    $info{H} = $HOSTNAME;
    my $now;
    if ($need->{r} || $need->{R} || $need->{d}) { $now = $self->_now }
    if ($need->{r}) { $info{r} = _ms($self->{start}, $now) }
    if ($need->{R}) { $info{R} = _ms($self->{last_time}, $now); $self->{last_time} = $now }
    if ($need->{T}) {
        local $Carp::CarpLevel = $Carp::CarpLevel + $offset;
        my $mess = Carp::longmess();
        chomp $mess;
        $mess =~ s/(?:\A\s*at.*\n|^\s*)//mg;
        $mess =~ s/\n/, /g;
        $info{T} = $mess;
    }
    $info{t} = 'N/A';
    my @results;
    for my $e (@{ $self->{stack} }) {
        my ($op, $curlies) = @$e;
        my $result;
        if (exists $self->{USER_DEFINED_CSPECS}{$op}) {
            $self->{curlies} = $curlies;
            $result = $self->{USER_DEFINED_CSPECS}{$op}->($self, $message, $category, $priority, $offset + 1);
        } elsif (exists $info{$op}) {
            $result = $info{$op};
            if ($curlies) {
                $result = $self->curly_action($op, $curlies, $info{$op}, $self->{printformat}, \@results, $now);
            } elsif ($op eq 'd') {
                $result = Log::Log4perl::DateFormat->new('yyyy/MM/dd HH:mm:ss')->format(@$now);
            }
        } else {
            warn "Format %'$op' not implemented (yet)";
            $result = 'FORMAT-ERROR';
        }
        $result = $self->{undef_column_value} unless defined $result;
        push @results, $result;
    }
    return undef if @results == 1 && !defined $results[0];
    return sprintf $self->{printformat}, @results;
}

sub _ms {
    my ($from, $to) = @_;
    my $s = $to->[0] - $from->[0];
    my $u = $to->[1] - $from->[1];
    if ($u < 0) { $u += 1_000_000; $s-- }
    return $s * 1000 + int($u / 1000);
}

sub curly_action {
    my ($self, $ops, $curlies, $data, $printformat, $results, $now) = @_;
    if ($ops eq 'c' || $ops eq 'C' || $ops eq 'M') {
        $data = shrink_category($data, $curlies);
    } elsif ($ops eq 'X') {
        $data = Log::Log4perl::MDC->get($curlies);
    } elsif ($ops eq 'd') {
        $data = $curlies->format(@$now);
    } elsif ($ops eq 'm') {
        chomp $data if exists $curlies->{chomp};
        if (exists $curlies->{indent}) {
            if (defined $curlies->{indent}) {
                $data =~ s/\n/ "\n" . (" " x $curlies->{indent})/ge;
            } else {
                no warnings;
                my $indent = length sprintf $printformat, @$results;
                $data =~ s/\n/ "\n" . (" " x $indent)/ge;
            }
        }
    } elsif ($ops eq 'F') {
        my @parts = File::Spec->splitdir($data);
        splice @parts, 0, @parts - $curlies if @parts > $curlies;
        $data = File::Spec->catfile(@parts);
    } elsif ($ops eq 'p') {
        $data = substr $data, 0, $curlies;
    }
    return $data;
}

sub shrink_category {
    my ($category, $len) = @_;
    my @comps = split /\.|::/, $category;
    if (@comps > $len) {
        splice @comps, 0, @comps - $len;
        $category = join '.', @comps;
    }
    return $category;
}

1;
