package XML::XPath::Node;
# XML::XPath 1.48's nodes on the bridge: a node lives in the daemon and is named by a stable
# path there ("/1/0@id"); the proxy here fetches what the script reads (once per document
# version) and is the same Perl object each time the same node comes back, so "$node" eq "$other"
# (XML::XPath's matches) and == work as with the real tree.
use strict;
use warnings;
use Scalar::Util ();
our $VERSION = '1.48';

sub UNKNOWN_NODE () {0;}
sub ELEMENT_NODE () {1;}
sub ATTRIBUTE_NODE () {2;}
sub TEXT_NODE () {3;}
sub CDATA_SECTION_NODE () {4;}
sub ENTITY_REFERENCE_NODE () {5;}
sub ENTITY_NODE () {6;}
sub PROCESSING_INSTRUCTION_NODE () {7;}
sub COMMENT_NODE () {8;}
sub DOCUMENT_NODE () {9;}
sub DOCUMENT_TYPE_NODE () {10;}
sub DOCUMENT_FRAGMENT_NODE () {11;}
sub NOTATION_NODE () {12;}
sub ELEMENT_DECL_NODE () {13;}
sub ATT_DEF_NODE () {14;}
sub XML_DECL_NODE () {15;}
sub ATTLIST_DECL_NODE () {16;}
sub NAMESPACE_NODE () {17;}

use Exporter 'import';
our @EXPORT = qw(UNKNOWN_NODE ELEMENT_NODE ATTRIBUTE_NODE TEXT_NODE CDATA_SECTION_NODE ENTITY_REFERENCE_NODE
    ENTITY_NODE PROCESSING_INSTRUCTION_NODE COMMENT_NODE DOCUMENT_NODE DOCUMENT_TYPE_NODE DOCUMENT_FRAGMENT_NODE
    NOTATION_NODE ELEMENT_DECL_NODE ATT_DEF_NODE XML_DECL_NODE ATTLIST_DECL_NODE NAMESPACE_NODE);

my %CLASS = (1 => 'XML::XPath::Node::Element', 2 => 'XML::XPath::Node::Attribute', 3 => 'XML::XPath::Node::Text',
    7 => 'XML::XPath::Node::PI', 8 => 'XML::XPath::Node::Comment', 17 => 'XML::XPath::Node::Namespace');

# the node files a script may `use` are all here
$INC{"XML/XPath/Node/$_.pm"} ||= __FILE__ for qw(Element Attribute Text PI Comment Namespace);

# A proxy for the wire node {p, t, n, v} of document $doc (an XML::XPath::_Doc).
sub _proxy {
    my ($doc, $w) = @_;
    return undef unless $w;
    # elements reached through parent or ancestor axes are ElementImpl objects in XML::XPath
    my $class = ($w->{p} eq '' || $w->{i}) ? 'XML::XPath::Node::ElementImpl' : ($CLASS{ $w->{t} } || 'XML::XPath::Node');
    my $seen = $doc->{nodes}{ $w->{p} };
    if ($seen && ($seen->{t} // -1) == $w->{t}) {
        bless $seen, $class if $w->{t} == 1 && ref($seen) ne $class;
        return $seen;
    }
    my $node = bless { d => $doc, p => $w->{p}, t => $w->{t}, n => $w->{n}, v => $w->{v}, gen => $doc->{gen} }, $class;
    $doc->{nodes}{ $w->{p} } = $node;
    Scalar::Util::weaken($doc->{nodes}{ $w->{p} });
    # the entries of proxies gone are dropped now and then (a loop over a large document)
    if (++$doc->{made} % 10_000 == 0) { defined $doc->{nodes}{$_} or delete $doc->{nodes}{$_} for keys %{ $doc->{nodes} } }
    return $node;
}

sub _ask {
    my ($self, $what) = @_;
    my $r = XML::XPath::_call('node', { doc => $self->{d}->id, node => $self->{p}, what => $what });
    return $r->{value};
}

# children and attributes, fetched once per version of the document (loops read them often)
sub _cached {
    my ($self, $what) = @_;
    my $c = $self->{cache} ||= {};
    %$c = (gen => $self->{d}{gen}) if ($c->{gen} // -1) != $self->{d}{gen};
    return $c->{$what} //= $self->_ask($what);
}

# name, value, prefix, namespace: fetched once per version of the document
sub _info {
    my $self = shift;
    delete $self->{info} if ($self->{igen} // -1) != $self->{d}{gen};
    $self->{igen} = $self->{d}{gen};
    return $self->{info} ||= $self->_ask('info');
}

# leaf values travel with the node, until the document changes
sub _value {
    my $self = shift;
    return $self->{v} if defined $self->{v} && $self->{gen} == $self->{d}{gen};
    return $self->_info->{value};
}

sub _nodes { my ($self, $list) = @_; map { _proxy($self->{d}, $_) } @{ $list || [] } }

# document order of two proxies, by their paths
sub _order_key {
    my $p = shift;
    my ($els, $kind, $name) = $p =~ m{^((?:/\d+)*)(?:([@#])(.*))?$};
    my @k = map { $_ + 0 } grep { length } split m{/}, $els;
    return (\@k, $kind ? ($kind eq '#' ? -2 : -1) : undef, $name);
}
sub _order_cmp {
    my ($a, $b) = @_;
    my ($ka, $sa, $na) = _order_key($a->{p});
    my ($kb, $sb, $nb) = _order_key($b->{p});
    my @ka = (@$ka, defined $sa ? $sa : ());
    my @kb = (@$kb, defined $sb ? $sb : ());
    for my $i (0 .. ($#ka < $#kb ? $#ka : $#kb)) { return $ka[$i] <=> $kb[$i] if $ka[$i] != $kb[$i] }
    return @ka <=> @kb || ($na // '') cmp ($nb // '');
}

sub getNodeType { $_[0]{t} }
sub isElementNode {}
sub isAttributeNode {}
sub isNamespaceNode {}
sub isTextNode {}
sub isProcessingInstructionNode {}
sub isPINode {}
sub isCommentNode {}
sub getNodeValue { return }
sub getValue { shift->getNodeValue(@_) }
sub setNodeValue { return }
sub setValue { shift->setNodeValue(@_) }
sub getParentNode { my $self = shift; my $w = $self->_ask('parent') or return; _proxy($self->{d}, { %$w, i => 1 }) }
sub getRootNode { my $self = shift; _proxy($self->{d}, { p => '', t => 1 }) }
sub getName { }
sub getData { }
sub getChildNodes { return wantarray ? () : [] }
sub getChildNode { return }
sub getAttribute { return }
sub getAttributes { return wantarray ? () : [] }
sub getAttributeNodes { return wantarray ? () : [] }
sub getNamespaceNodes { return wantarray ? () : [] }
sub getNamespace { return }
sub getLocalName { return }
sub getPrefix { my $self = shift; $self->_info->{prefix} }
sub string_value { return }    # the real base class's; each node kind below has its own
sub toString { my $self = shift; $self->_ask('xml') }
sub to_number { XML::XPath::Number->new(shift->string_value) }
sub getPreviousSibling { $_[0]->_sibling(-1) }
sub getNextSibling { $_[0]->_sibling(1) }
sub _sibling {
    my ($self, $dir) = @_;
    my ($parent, $i) = $self->{p} =~ m{^(.*)/(\d+)$} or return;
    return if $i + $dir < 0;
    my $p = $self->getParentNode or return;
    my @kids = $p->getChildNodes;
    return $kids[$i + $dir];
}

sub find { my ($node, $path) = @_; XML::XPath->new(context => $node)->find($path, $node) }
sub findvalue { my ($node, $path) = @_; XML::XPath->new(context => $node)->findvalue($path, $node) }
sub findnodes { my ($node, $path) = @_; XML::XPath->new(context => $node)->findnodes($path, $node) }
sub matches { my ($node, $path, $context) = @_; XML::XPath->new(context => $node)->matches($node, $path, $context) }

sub _refuse { my $m = shift; die "XML::XPath::Node::$m is not supported on the bridge (change the document with setNodeText or createNode)\n" }
for my $m (qw(appendChild removeChild insertAfter insertBefore appendAttribute removeAttribute appendNamespace
              setAttribute dispose to_sax)) {
    no strict 'refs';
    *{"XML::XPath::Node::$m"} = sub { _refuse($m) };
}

sub DESTROY {}

package XML::XPath::Node::Element;
our @ISA = ('XML::XPath::Node');
sub isElementNode { 1 }
sub getName { $_[0]{n} }
sub getLocalName { my $self = shift; $self->_info->{local} }
sub string_value { my $self = shift; $self->_info->{value} }
sub getChildNodes { my $self = shift; my @k = $self->_nodes($self->_cached('children')); wantarray ? @k : \@k }
sub getChildNode { my ($self, $i) = @_; my @k = $self->getChildNodes; $k[$i - 1] }
sub getFirstChild { ($_[0]->getChildNodes)[0] }
sub getLastChild { my @k = $_[0]->getChildNodes; $k[-1] }
sub getAttributes { my $self = shift; my @a = $self->_nodes($self->_cached('attributes')); wantarray ? @a : \@a }
sub getAttributeNodes { goto &getAttributes }
sub getAttribute {
    my ($self, $name) = @_;
    for my $a ($self->getAttributes) { return $a->getNodeValue if $a->getName eq $name }
    return undef;    # the real one's value of its failed `if`: undef in list context too
}
sub getAttributeNode {
    my ($self, $name) = @_;
    for my $a ($self->getAttributes) { return $a if $a->getName eq $name }
    return;
}
sub getNamespaceNodes {
    my $self = shift;
    my @n = map { XML::XPath::Node::Namespace->_detached($self, $_->{prefix}, $_->{uri}) } @{ $self->_ask('namespaces') || [] };
    wantarray ? @n : \@n;
}
sub getNamespaces { goto &getNamespaceNodes }
sub getNamespace {
    my ($self, $prefix) = @_;
    if (defined $prefix && length $prefix) {
        my $r = $self->find("namespace::$prefix");
        return $r->isa('XML::XPath::NodeSet') ? $r->get_node(1) : undef;
    }
    my $ns = $self->_info->{ns} or return;
    return XML::XPath::Node::Namespace->_detached($self, $ns->{prefix}, $ns->{uri});
}

package XML::XPath::Node::ElementImpl;
our @ISA = ('XML::XPath::Node::Element');

package XML::XPath::Node::Attribute;
our @ISA = ('XML::XPath::Node');
sub isAttributeNode { 1 }
sub getName { $_[0]{n} }
sub getLocalName { my $l = $_[0]{n}; $l =~ s/.*://; $l }
sub getNodeValue { $_[0]->_value }
sub getData { shift->getNodeValue(@_) }
sub string_value { $_[0]->_value }
sub getNamespace {
    my $self = shift;
    my $ns = $self->_info->{ns} or return;
    return XML::XPath::Node::Namespace->_detached($self, $ns->{prefix}, $ns->{uri});
}

# text, comments, PIs: their value is their content (it came with the node)
package XML::XPath::Node::_Leaf;
our @ISA = ('XML::XPath::Node');
sub getNodeValue { $_[0]->_value }
sub getData { $_[0]->_value }
sub string_value { $_[0]->_value }

package XML::XPath::Node::Text;
our @ISA = ('XML::XPath::Node::_Leaf');
sub isTextNode { 1 }
sub getValue { $_[0]->_value }

package XML::XPath::Node::Comment;
our @ISA = ('XML::XPath::Node::_Leaf');
sub isCommentNode { 1 }

package XML::XPath::Node::PI;
our @ISA = ('XML::XPath::Node::_Leaf');
sub isPINode { 1 }
sub isProcessingInstructionNode { 1 }
sub getTarget { $_[0]->_info->{target} }
sub getNodeValue { return }

package XML::XPath::Node::Namespace;
our @ISA = ('XML::XPath::Node');
# a namespace node found by a query has a path; one read from an element (getNamespace) is detached
sub _detached {
    my ($class, $owner, $prefix, $uri) = @_;
    my $p = $prefix eq '' ? '#default' : $prefix;
    return bless { d => $owner->{d}, p => ($owner->{p} =~ s/[@#].*$//r) . "#$p", t => 17, prefix => $p, v => $uri, gen => $owner->{d}{gen} }, $class;
}
sub isNamespaceNode { 1 }
sub getPrefix { my $self = shift; $self->{prefix} // $self->_info->{nsPrefix} }
sub getExpanded { $_[0]{v} // $_[0]->_value }
sub getValue { $_[0]->getExpanded }
sub getData { $_[0]->getExpanded }
sub string_value { $_[0]->getExpanded }
sub toString {
    my $self = shift;
    my $uri = $self->getExpanded;
    return '' unless defined $uri;
    my $p = $self->getPrefix;
    return ($p eq '#default' ? ' xmlns="' : " xmlns:$p=\"") . XML::XPath::Node::XMLescape($uri, '"&<') . '"';
}

package XML::XPath::Node;

my %ENT = ('<' => '&lt;', '&' => '&amp;', '"' => '&quot;', '>' => '&gt;', "'" => '&apos;');
sub XMLescape {
    my ($str, $default) = @_;
    return undef unless defined $str;
    $default ||= '';
    $str =~ s/([\Q$default\E])|(]]>)/defined($1) ? $ENT{$1} : ']]&gt;'/gse if length $default;
    $str =~ s/]]>/]]&gt;/g unless length $default;
    return $str;
}

1;
