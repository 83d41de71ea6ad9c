package CPANBridge::Log4perl::Memory;

# The appenders that keep lines in the script's memory (nothing for the daemon): String, and the
# TestBuffer / TestArrayBuffer that Log::Log4perl's own test suite (and some scripts' tests) read.

use strict;
use warnings;

package Log::Log4perl::Appender::String;
our @ISA = ('Log::Log4perl::Appender');
sub new { my ($proto, %p) = @_; my $class = ref $proto || $proto; return bless { name => 'unknown name', string => '', %p }, $class }
sub log { my ($self, %p) = @_; $self->{string} .= $p{message} }
sub string { my ($self, $new) = @_; $self->{string} = $new if defined $new; return $self->{string} }

package Log::Log4perl::Appender::TestBuffer;
our @ISA = ('Log::Log4perl::Appender');
our %POPULATION;
our $LOG_PRIORITY = 0;
our $DESTROY_MESSAGES = '';
sub new {
    my ($proto, %params) = @_;
    my $class = ref $proto || $proto;
    my $self = bless { name => 'unknown name', %params }, $class;
    $self->{stderr} = exists $params{stderr} ? $params{stderr} : 1;
    $self->{buffer} = '';
    $POPULATION{ $self->{name} } = $self;
    return $self;
}
sub log {
    my ($self, %params) = @_;
    die 'No level defined in log() call of ' . __PACKAGE__ unless defined $params{level};
    $self->{buffer} .= "[$params{level}]: " if $LOG_PRIORITY;
    $self->{buffer} .= $params{message};
}
sub clear { $_[0]{buffer} = '' }
sub buffer { my ($self, $new) = @_; $self->{buffer} = $new if defined $new; return $self->{buffer} }
sub reset { my ($self) = @_; %POPULATION = (); $self->{buffer} = '' if ref $self }
sub DESTROY { $DESTROY_MESSAGES .= __PACKAGE__ . ' destroyed' }
sub by_name { my ($self, $name) = @_; die 'No name given' unless defined $name; return $POPULATION{$name} }

package Log::Log4perl::Appender::TestArrayBuffer;
our @ISA = ('Log::Log4perl::Appender::TestBuffer');
sub log {
    my ($self, %params) = @_;
    $self->{buffer} .= "[$params{level}]: " if $Log::Log4perl::Appender::TestBuffer::LOG_PRIORITY;
    $self->{buffer} .= ref $params{message} eq 'ARRAY' ? '[' . join(',', @{ $params{message} }) . ']' : $params{message};
}

1;
