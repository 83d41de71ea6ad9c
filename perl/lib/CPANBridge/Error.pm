package CPANBridge::Error;

# The error object CPANBridge::call dies with.
#
#   code       protocol or module code ("db_error", "unknown_handle", "daemon_unavailable", ...)
#   message    human readable text
#   retryable  the daemon says the same request may succeed later
#   in_doubt   the effect may or may not have happened
#   + any extra fields the daemon sent (err, errstr, state for db_error, ...)
#   + module, function, id of the request (when known)
#
# Stringifies to "CPANBridge: <code>: <message>" so that an uncaught error is readable.

use strict;
use warnings;
use overload '""' => \&as_string, 'bool' => sub { 1 }, fallback => 1;

sub new {
    my ($class, %f) = @_;
    $f{code}      = 'error' unless defined $f{code};
    $f{message}   = $f{code} unless defined $f{message};
    $f{retryable} = $f{retryable} ? 1 : 0;
    $f{in_doubt}  = $f{in_doubt} ? 1 : 0;
    return bless \%f, $class;
}

# From a reply's error object.
sub from_reply {
    my ($class, $err, %more) = @_;
    $err = { code => 'error', message => "$err" } unless ref $err eq 'HASH';
    return $class->new(%$err, %more);
}

sub code      { $_[0]{code} }
sub message   { $_[0]{message} }
sub retryable { $_[0]{retryable} }
sub in_doubt  { $_[0]{in_doubt} }
sub err       { $_[0]{err} }
sub errstr    { defined $_[0]{errstr} ? $_[0]{errstr} : $_[0]{message} }
sub state     { $_[0]{state} }

sub as_string {
    my $s = shift;
    my $m = "CPANBridge: $s->{code}: $s->{message}";
    $m .= " ($s->{module}.$s->{function})" if defined $s->{module} && defined $s->{function};
    return $m;
}

sub throw { my $class = shift; die $class->new(@_) }

1;
