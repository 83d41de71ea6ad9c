package Log::Log4perl::Util;

# Log::Log4perl's utility functions (scripts and appenders written for Log4perl call them).

use strict;
use warnings;
use File::Spec ();

sub params_check {
    my ($hash, $required, $optional) = @_;
    my $pkg = caller();
    my %rest = %$hash;
    for my $p (@{ $required || [] }) {
        die "$pkg: Required parameter $p missing." unless defined $hash->{$p};
        delete $rest{$p};
    }
    if (defined $optional) {
        delete @rest{@$optional};
        die "$pkg: Unknown parameter: ", join(',', keys %rest) if %rest;
    }
}

sub module_available {
    my ($full_name) = @_;
    return 0 if $full_name =~ /[^\w:]/;
    (my $f = "$full_name.pm") =~ s{::}{/}g;
    return 1 if $INC{$f};
    eval { local $SIG{__DIE__} = sub { }; require $f };
    return !$@;
}

sub tmpfile_name {
    (my $name = File::Spec->catfile(File::Spec->tmpdir(), 'l4p-tmpfile-' . "$$-" . int(rand(9999999)))) =~ s{\\}{/}g;
    return $name;
}

1;
