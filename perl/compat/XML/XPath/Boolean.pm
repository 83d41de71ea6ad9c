package XML::XPath::Boolean;
# XML::XPath 1.48's boolean result: 1 or 0.
use strict;
use warnings;
our $VERSION = '1.48';
use XML::XPath::Number;
use XML::XPath::Literal;

use overload '""' => \&value, '<=>' => \&cmp;

sub True { my $v = 1; bless \$v, $_[0] }
sub False { my $v = 0; bless \$v, $_[0] }
sub value { ${ $_[0] } }
sub cmp {
    my ($self, $other, $swap) = @_;
    return $swap ? $other <=> $$self : $$self <=> $other;
}
sub evaluate { $_[0] }
sub to_number { XML::XPath::Number->new($_[0]->value) }
sub to_boolean { $_[0] }
sub to_literal { XML::XPath::Literal->new($_[0]->value ? "true" : "false") }
sub string_value { $_[0]->to_literal->value }

1;
