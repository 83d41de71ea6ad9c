package CPANBridge::Log4perl::Config;

# Log::Log4perl's PropertyConfigurator: `log4perl.`/`log4j.` keys, `\` continuation lines,
# `${var}` substitution (earlier keys, then %ENV), several values for an appender key, and the
# tree of dotted names the configuration is read from. Perl code (`sub { ... }`) in values is
# compiled in the script, as the real module does.

use strict;
use warnings;

our $COMMENT_REGEX = qr/[#;!]/;
our %NOT_A_MULT_VALUE = (conversionpattern => 1);

sub var_subst {
    my ($name, $subst) = @_;
    $name =~ s/\s+//g;
    return $subst->{$name} if exists $subst->{$name};
    return $ENV{$name} if exists $ENV{$name};
    die "Undefined Variable '$name'";
}

sub unlog4j {
    my ($string) = @_;
    $string =~ s#^org\.apache\.##;
    $string =~ s#^log4perl\.##;
    $string =~ s#^log4j\.##;
    return $string;
}

# a class name in a configuration: log4j prefixes off, dots as ::
sub unlog4j_class {
    my ($string) = @_;
    $string =~ s#^org\.apache\.##;
    $string =~ s#^log4j\.##;
    $string =~ s#^l4p\.##;
    $string =~ s#^log4perl\.##i;
    $string =~ s#\.#::#g;
    return $string;
}

# lines -> tree (hash of hashes, leaves under {value})
sub parse {
    my (@text) = @_;
    my ($first) = grep { /\S/ } @text;
    die "Log::Log4perl (bridge): XML configurations (DOMConfigurator) are not supported\n" if defined $first && $first =~ /^\s*<(?:\?xml|!DOCTYPE|log4j:configuration)/;
    my $data = {};
    my %var_subst;
    while (@text) {
        local $_ = shift @text;
        s/^\s*$COMMENT_REGEX.*//;
        next unless /\S/;
        my @parts;
        while (/(.+?)\\\s*$/) {
            my $prev = $1;
            my $next = shift @text;
            $next = '' unless defined $next;
            $next =~ s/^ +//g;
            $next =~ s/^$COMMENT_REGEX.*//;
            $_ = $prev . $next;
            chomp;
        }
        if (my ($key, $val) = /(\S+?)\s*=\s*(.*)/) {
            my $key_org = $key;
            $val =~ s/\s+$//;
            $var_subst{$key} = $val;
            $val =~ s/\$\{(.*?)\}/var_subst($1, \%var_subst)/gex;
            $key = unlog4j($key);
            my $how_deep = 0;
            my $ptr = $data;
            for my $part (split /\.|::/, $key) {
                push @parts, $part;
                $ptr->{$part} = {} unless exists $ptr->{$part};
                $ptr = $ptr->{$part};
                ++$how_deep;
            }
            if (exists $ptr->{value} && $how_deep > 2 && defined $parts[0] && lc($parts[0]) eq 'appender'
                && defined $parts[2] && !exists $NOT_A_MULT_VALUE{ lc $parts[2] }) {
                $ptr->{value} = [$ptr->{value}] if ref $ptr->{value} ne 'ARRAY';
                push @{ $ptr->{value} }, $val;
            } else {
                die "$key_org redefined" if defined $ptr->{value} && !$Log::Log4perl::Logger::NO_STRICT;
                $ptr->{value} = $val;
            }
        }
    }
    return $data;
}

# A hash config ({'log4perl.logger' => ...}) is the same tree.
sub from_hash {
    my ($h) = @_;
    my @lines;
    for my $k (sort keys %$h) {
        my $v = $h->{$k};
        for my $one (ref $v eq 'ARRAY' ? @$v : $v) {
            if (ref $one eq 'CODE') { push @lines, [$k, $one] } else { push @lines, "$k = $one" }
        }
    }
    my @plain = grep { !ref } @lines;
    my $data = parse(@plain);
    for my $c (grep { ref } @lines) {
        my $ptr = $data;
        $ptr = $ptr->{$_} ||= {} for split /\.|::/, unlog4j($c->[0]);
        $ptr->{value} = $c->[1];
    }
    return $data;
}

sub text_of {
    my ($what) = @_;
    if (ref $what eq 'SCALAR') { return split /\n/, $$what }
    if (ref $what eq 'ARRAY') { return @$what }
    if (ref $what eq 'GLOB' || (ref $what && eval { $what->can('getline') })) { local $/ = "\n"; return map { chomp; $_ } <$what> }
    if (ref $what) { die "Log::Log4perl (bridge): a configuration of type " . ref($what) . " is not supported\n" }
    if ($what =~ m{^(https?|ftp|wais|gopher|file):}) { die "Log::Log4perl (bridge): configurations from URLs are not supported\n" }
    open my $fh, '<', $what or die "Cannot open $what ($!)";
    $Log::Log4perl::Config::CONFIG_FILE_READS++;    # counted as the real module counts them
    local $/ = "\n";
    my @l = map { chomp; $_ } <$fh>;
    close $fh;
    return @l;
}

# `sub { ... }` values run as Perl (the real module's $ALLOW_CODE_IN_CONFIG_FILE, on by default).
sub compile_if_perl {
    my ($value) = @_;
    return $value if ref $value eq 'CODE';
    if (defined $value && $value =~ /^\s*sub\s*\{/) {
        die "Log::Log4perl: code in the configuration is forbidden (\$Log::Log4perl::ALLOW_CODE_IN_CONFIG_FILE)\n" unless $Log::Log4perl::ALLOW_CODE_IN_CONFIG_FILE;
        my $mask = $Log::Log4perl::ALLOWED_CODE_OPS_IN_CONFIG_FILE;
        die "Log::Log4perl (bridge): ALLOWED_CODE_OPS_IN_CONFIG_FILE is not supported\n" if $mask;
        my $cref = eval "package main; $value" or die "Can't evaluate '$value' ($@)";
        return $cref;
    }
    return undef;
}

sub eval_if_perl {
    my ($value) = @_;
    my $c = compile_if_perl($value);
    return $c ? $c->() : $value;
}

sub boolean_to_perlish {
    my ($value) = @_;
    return 1 if $value =~ /^(1|true)$/i;
    return 0 if $value =~ /^(0|false)$/i;
    return undef;
}

# The real module's Log::Log4perl::Config functions that scripts and appenders call.
package Log::Log4perl::Config;
our $CONFIG_INTEGRITY_CHECK = 1;
our $CONFIG_FILE_READS = 0;
our @VARS_SHARED_WITH_SAFE_COMPARTMENT;
*compile_if_perl    = \&CPANBridge::Log4perl::Config::compile_if_perl;
*eval_if_perl       = \&CPANBridge::Log4perl::Config::eval_if_perl;
*boolean_to_perlish = \&CPANBridge::Log4perl::Config::boolean_to_perlish;
*var_subst          = \&CPANBridge::Log4perl::Config::var_subst;
*unlog4j            = \&CPANBridge::Log4perl::Config::unlog4j_class;
sub allow_code {
    my ($class, @args) = @_;
    unshift @args, $class if defined $class && $class ne __PACKAGE__;
    $Log::Log4perl::ALLOW_CODE_IN_CONFIG_FILE = shift @args if @args;
    return $Log::Log4perl::ALLOW_CODE_IN_CONFIG_FILE;
}
# the parser object some scripts use directly
package Log::Log4perl::Config::PropertyConfigurator;
sub new { my ($class, %o) = @_; return bless { text => undef, data => undef, %o }, $class }
sub text { my ($self, $t) = @_; $self->{text} = ref $t eq 'ARRAY' ? [@$t] : [split /\n/, $t] if defined $t; return $self->{text} }
sub parse {
    my ($self, $t) = @_;
    $self->text($t) if defined $t;
    die 'Config parser has nothing to parse' unless defined $self->{text};
    return $self->{data} = CPANBridge::Log4perl::Config::parse(@{ $self->{text} });
}
sub value {
    my ($self, $path) = @_;
    my $r = $self->{data};
    for my $n (split /\.|::/, CPANBridge::Log4perl::Config::unlog4j($path)) {
        return undef unless ref $r eq 'HASH' && exists $r->{$n};
        $r = $r->{$n};
    }
    return ref $r eq 'HASH' ? $r->{value} : undef;
}

package Log::Log4perl::Config;
sub vars_shared_with_safe_compartment { die "Log::Log4perl (bridge): Safe compartments for configuration code are not supported\n" }
sub allowed_code_ops { die "Log::Log4perl (bridge): Safe compartments for configuration code (allowed_code_ops) are not supported\n" }

1;
