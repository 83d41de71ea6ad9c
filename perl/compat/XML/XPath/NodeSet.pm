package XML::XPath::NodeSet;
# XML::XPath 1.48's node-set: an array of node proxies (XML::XPath::Node), with its methods and
# its overloading (string: every node's value joined; comparisons through string_value/to_number).
use strict;
use warnings;
our $VERSION = '1.48';
use XML::XPath::Boolean;
use XML::XPath::Literal;
use XML::XPath::Number;

use overload
    '""' => \&to_literal,
    'eq' => \&string_value, 'ne' => \&string_value, 'lt' => \&string_value,
    'le' => \&string_value, 'gt' => \&string_value, 'ge' => \&string_value,
    'bool' => \&to_boolean,
    '==' => \&to_number, '!=' => \&to_number, '>' => \&to_number,
    '<' => \&to_number, '>=' => \&to_number, '<=' => \&to_number;

sub new { bless [], $_[0] }

sub sort {
    my $self = CORE::shift;
    @$self = CORE::sort { XML::XPath::Node::_order_cmp($a, $b) } @$self;
    $self->remove_duplicates;
    return $self;
}

sub remove_duplicates {
    my $self = CORE::shift;
    my @unique;
    my $last;
    for my $node (@$self) {
        push @unique, $node unless defined $last && $node == $last;
        $last = $node;
    }
    @$self = @unique;
    return $self;
}

sub pop { CORE::pop @{ $_[0] } }
sub push { my $self = CORE::shift; CORE::push @$self, @_ }
sub append { my ($self, $ns) = @_; CORE::push @$self, $ns->get_nodelist }
sub shift { CORE::shift @{ $_[0] } }
sub unshift { my $self = CORE::shift; CORE::unshift @$self, @_ }
sub prepend { my ($self, $ns) = @_; CORE::unshift @$self, $ns->get_nodelist }
sub size { scalar @{ $_[0] } }
sub get_node { $_[0]->[$_[1] - 1] }
sub getRootNode { $_[0]->[0]->getRootNode }
sub get_nodelist { @{ $_[0] } }
sub to_boolean { @{ $_[0] } > 0 ? XML::XPath::Boolean->True : XML::XPath::Boolean->False }
sub string_value { my $self = CORE::shift; return '' unless @$self; $self->[0]->string_value }
sub to_literal { XML::XPath::Literal->new(join('', map { $_->string_value } @{ $_[0] })) }
sub to_number { XML::XPath::Number->new($_[0]->to_literal) }

1;
