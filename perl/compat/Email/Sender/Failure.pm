package Email::Sender::Failure;
# Email::Sender 2.600's failures on the CPAN Bridge (plain classes, no Moo): message, code,
# recipients, throw; Permanent (5xx) and Temporary (4xx); Multi with failures. A failure
# stringifies as its message (the real one, a Throwable::Error, adds a stack trace).
use strict;
use warnings;
use Carp ();
our $VERSION = '2.600';
use overload '""' => sub { $_[0]->message }, bool => sub { 1 }, fallback => 1;

sub new {
    my ($class, @args) = @_;
    my %a = @args == 1 && ref $args[0] eq 'HASH' ? %{ $args[0] } : @args == 1 ? (message => $args[0]) : @args;
    my $self = bless { recipients => [], %a }, ref $class || $class;
    Carp::confess("message must contain non-space characters") unless defined $self->{message} and $self->{message} =~ /\S/;
    return $self;
}
sub throw { my $class = shift; die(ref $class ? $class : $class->new(@_)) }
sub message { $_[0]{message} }
sub code { $_[0]{code} }
sub _set_recipients { $_[0]{recipients} = $_[1] }
sub recipients {
    my ($self) = @_;
    return @{ $self->{recipients} } if wantarray;
    return if !defined wantarray;
    Carp::carp("recipients in scalar context is deprecated and WILL BE REMOVED");
    return $self->{recipients};
}

package Email::Sender::Failure::Permanent;
our @ISA = ('Email::Sender::Failure');
our $VERSION = '2.600';

package Email::Sender::Failure::Temporary;
our @ISA = ('Email::Sender::Failure');
our $VERSION = '2.600';

package Email::Sender::Failure::Multi;
our @ISA = ('Email::Sender::Failure');
our $VERSION = '2.600';

sub failures {
    my ($self) = @_;
    return @{ $self->{failures} || [] } if wantarray;
    return if !defined wantarray;
    Carp::carp("failures in scalar context is deprecated and WILL BE REMOVED");
    return $self->{failures};
}
sub recipients {
    my ($self) = @_;
    my @rcpts = map { $_->recipients } $self->failures;
    return @rcpts if wantarray;
    return if !defined wantarray;
    Carp::carp("recipients in scalar context is deprecated and WILL BE REMOVED");
    return \@rcpts;
}
sub isa {
    my ($self, $class) = @_;
    if (ref $self and ($class eq 'Email::Sender::Failure::Permanent' or $class eq 'Email::Sender::Failure::Temporary')) {
        my @failures = $self->failures;
        return 1 if @failures == grep { $_->isa($class) } @failures;
    }
    return $self->SUPER::isa($class);
}

package Email::Sender::Success;
our $VERSION = '2.600';
sub new { my ($class, %a) = @_; bless {%a}, $class }
sub message { $_[0]{message} }

package Email::Sender::Success::Partial;
our @ISA = ('Email::Sender::Success');
our $VERSION = '2.600';
sub failure { $_[0]{failure} }

1;
