package XML::XPath::Parser;
# XML::XPath's expression parser is the daemon's (its grammar and die texts): expressions are
# parsed there at each find. Its parse trees (Expr, Step, as_string, as_xml) do not exist on the
# bridge; new() works so that code which only makes one goes on, parse() says so.
use strict;
use warnings;
our $VERSION = '1.48';

sub new { my $class = shift; bless { namespaces => {} }, $class }
sub set_namespace { my ($self, $prefix, $uri) = @_; $self->{namespaces}{$prefix} = $uri }
sub clear_namespaces { $_[0]{namespaces} = {} }
sub get_namespace { $_[0]{namespaces}{ $_[1] } }
sub parse { die "XML::XPath::Parser->parse (parse trees of expressions) is not supported on the bridge: use XML::XPath's find\n" }
sub set_var { die "XML::XPath on the bridge: XPath variables (set_var) are not supported\n" }
sub get_var { return }    # no variable can be set (set_var dies): undef, as the real one for an unset name

1;
