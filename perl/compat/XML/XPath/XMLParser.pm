package XML::XPath::XMLParser;
# XML::XPath::XMLParser on the bridge: parse() gives the root node of the document, parsed by
# the daemon's xpath module (with XML::Parser's error texts).
use strict;
use warnings;
our $VERSION = '1.48';
require XML::XPath;

sub new {
    my ($class, %args) = @_;
    die "XML::XPath on the bridge: the parser option (a prepared XML::Parser) is not supported\n" if $args{parser};
    return bless { %args }, $class;
}
sub set_xml { $_[0]{xml} = $_[1] }
sub get_xml { $_[0]{xml} }
sub set_filename { $_[0]{filename} = $_[1] }
sub get_filename { $_[0]{filename} }
sub set_ioref { $_[0]{ioref} = $_[1] }
sub get_ioref { $_[0]{ioref} }

sub parse {
    my ($self, $xml) = @_;
    $self->{xml} = $xml if defined $xml;
    my %a = map { defined $self->{$_} ? ($_ => $self->{$_}) : () } qw(filename xml ioref);
    my $xp = XML::XPath->new(%a);
    return $xp->get_context // do { $xp->_doc; $xp->get_context };
}
sub parsefile { my ($self, $f) = @_; $self->{filename} = $f; delete $self->{xml}; $self->parse }

1;
