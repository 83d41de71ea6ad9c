package Email::Sender::Transport;
# The transport role of Email::Sender 2.600 on the CPAN Bridge: what every transport shares (the
# message as Email::Abstract would hand it over). Only Email::Sender::Transport::SMTP is provided.
use strict;
use warnings;
use Carp ();
use Scalar::Util ();
our $VERSION = '2.600';

# As the real role: a transport that may succeed for some recipients only is not simple (not for
# Email::Sender::Simple); transports say so with allow_partial_success.
sub is_simple {
    my ($self) = @_;
    return if $self->allow_partial_success;
    return 1;
}
sub allow_partial_success { 0 }

# A message object with as_string and header (Email::Simple, Email::MIME, MIME::Entity via its
# head...), or the message as a string.
sub _email {
    my ($msg) = @_;
    Carp::confess("no email passed in to sender") unless defined $msg;
    return $msg if Scalar::Util::blessed($msg) and $msg->can('as_string') and ($msg->can('header') or $msg->can('get_header'));
    Carp::croak("Email::Sender on the CPAN Bridge: a message of class " . ref($msg) . " is not supported (Email::Simple, Email::MIME or a string are)")
        if ref $msg and !(ref $msg eq 'SCALAR');
    return Email::Sender::Transport::_String->new(ref $msg ? $$msg : $msg);
}

package Email::Sender::Transport::_String;

sub new { my ($class, $s) = @_; bless { s => $s }, $class }
sub as_string { $_[0]{s} }
sub header {
    my ($self, $name) = @_;
    my ($head) = split /\x0d?\x0a\x0d?\x0a/, $self->{s}, 2;
    $head =~ s/\x0d?\x0a[ \t]+/ /g;
    my @v = map { /^\Q$name\E:[ \t]*(.*?)\s*$/i ? $1 : () } split /\x0d?\x0a/, $head;
    return wantarray ? @v : $v[0];
}

1;
