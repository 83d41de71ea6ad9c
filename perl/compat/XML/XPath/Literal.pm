package XML::XPath::Literal;
# XML::XPath 1.48's string result (the same class, rewritten for the bridge: a blessed scalar).
use strict;
use warnings;
our $VERSION = '1.48';
use XML::XPath::Boolean;
use XML::XPath::Number;

use overload '""' => \&value, 'fallback' => 1, 'cmp' => \&cmp;

sub new { my ($class, $string) = @_; bless \$string, $class }
sub as_string { my $s = ${ $_[0] }; $s =~ s/'/&apos;/g; "'$s'" }
sub as_xml { "<Literal>${ $_[0] }</Literal>\n" }
sub value { ${ $_[0] } }
sub cmp {
    my ($self, $cmp, $swap) = @_;
    return $swap ? $cmp cmp $$self : $$self cmp $cmp;
}
sub evaluate { $_[0] }
sub to_boolean { length(${ $_[0] }) > 0 ? XML::XPath::Boolean->True : XML::XPath::Boolean->False }
sub to_number { XML::XPath::Number->new($_[0]->value) }
sub to_literal { $_[0] }
sub string_value { $_[0]->value }

1;
