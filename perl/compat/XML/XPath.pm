package XML::XPath;
# XML::XPath 1.48's API on the CPAN Bridge. The document is parsed, queried and changed by the
# daemon's xpath module (XML::XPath's rules: its number formatting, name matching, functions and
# die texts); this object keeps what the real one keeps (its source, context and namespaces)
# and parses at the first query, as the real one does. Results come back as XML::XPath's own
# classes (NodeSet, Literal, Number, Boolean) with node proxies (XML::XPath::Node).
use strict;
use warnings;
use Carp ();
use Cwd ();
use Encode ();
use CPANBridge ();
use CPANBridge::XPathCall ();
use XML::XPath::Boolean;
use XML::XPath::Literal;
use XML::XPath::Node;
use XML::XPath::NodeSet;
use XML::XPath::Number;

our $VERSION = '1.48';
our $Debug = 0;
our $Axes;
our $ParseParamEnt = 1;
our $EncodeUtf8AsEntity = 0;

use XML::XPath::Parser;
# XML::XPath's internal files, as the real one has them loaded (their parse trees are the daemon's)
$INC{"XML/XPath/$_.pm"} ||= __FILE__ for qw(Expr Function LocationPath Step Root Variable);
require XML::XPath::XMLParser;

my @options = qw(filename parser xml ioref context);

# documents larger than this are read by the daemon itself (a frame holds at most 10 MiB)
my $SEND_MAX = 8 * 1024 * 1024;
my $PARSER_PM = '/usr/lib/x86_64-linux-gnu/perl5/5.36/XML/Parser.pm';

sub _call { CPANBridge::XPathCall::call(@_) }

# A string as Perl sees it: bytes that were never decoded are characters 0-255 each (an expression
# written in a UTF-8 source without `use utf8` is its bytes to the real XML::XPath too).
sub _chars { my $s = "$_[0]"; utf8::upgrade($s); $s }

sub new {
    my $proto = shift;
    my $class = ref($proto) || $proto;
    my %args;
    if ($#_ == 0) {
        my $string = $_[0];
        if ($string =~ m{<.*?>}s) { $args{xml} = $string }
        elsif (ref($string)) { $args{ioref} = $string }
        elsif ($string eq '-') { $args{ioref} = \*STDIN }
        else { $args{filename} = $string }
    }
    else {
        %args = ((ref($_[0]) eq "HASH") ? %{ $_[0] } : @_);
    }
    if ($args{filename} && (!-e $args{filename} || !-r $args{filename})) {
        die "Cannot open file '$args{filename}' at /usr/share/perl5/XML/XPath.pm line 122.\n";
    }
    die "XML::XPath on the bridge: the parser option (a prepared XML::Parser) is not supported\n" if $args{parser};
    my %hash = map { ("_$_" => $args{$_}) } @options;
    $hash{ns} = {};
    return bless \%hash, $class;
}

# The document's text as characters: XML::Parser reads bytes in the declared encoding (UTF-8 by
# default); a string already of characters is taken as it is.
sub _decode {
    my $xml = shift;
    return $xml if utf8::is_utf8($xml);
    my ($enc) = $xml =~ /\A(?:\xEF\xBB\xBF)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;
    $xml =~ s/\A\xEF\xBB\xBF//;
    my $chars = eval { Encode::decode($enc || 'UTF-8', $xml, Encode::FB_CROAK()) };
    return defined $chars ? $chars : Encode::decode('iso-8859-1', $xml);
}

# The daemon's document of this object (parsed now if not yet), as an XML::XPath::_Doc.
sub _doc {
    my ($self, $context) = @_;
    return $context->{d} if ref $context && eval { $context->isa('XML::XPath::Node') };
    return $self->{_context}{d} if ref $self->{_context} && eval { $self->{_context}->isa('XML::XPath::Node') };
    return $self->{doc} if $self->{doc};
    my %p;
    if (defined(my $f = $self->{_filename})) {
        if (-s $f > $SEND_MAX) { %p = (file => Cwd::abs_path($f)) }
        else {
            open my $fh, '<:raw', $f or die "Cannot open file '$f' at /usr/share/perl5/XML/XPath.pm line 122.\n";
            local $/;
            %p = (xml => _decode(scalar <$fh>));
        }
    }
    elsif (defined $self->{_xml}) { %p = (xml => _decode($self->{_xml})) }
    elsif (my $io = $self->{_ioref}) { local $/; %p = (xml => _decode(scalar <$io>)) }
    else { die "XML::XPath on the bridge: nothing to parse (no filename, xml, ioref or context)\n" }
    my $r = eval { _call('parse', \%p) };
    if (my $e = $@) {
        $e =~ s/\n\z//;
        die "$e\n at $PARSER_PM line 187.\n" if $e =~ /^\n/;
        die "$e\n";
    }
    return $self->{doc} = XML::XPath::_Doc->new($r->{doc});
}

sub _ctx_path {
    my ($self, $context) = @_;
    $context = $self->{_context} unless defined $context;
    return undef unless ref $context && eval { $context->isa('XML::XPath::Node') };
    return $context->{p};
}

sub _result {
    my ($doc, $r) = @_;
    my $t = $r->{type};
    if ($t eq 'nodeset') {
        my $ns = XML::XPath::NodeSet->new;
        my $names = $r->{names};
        # [path, type, name index, leaf value, 1 if reached through parent/ancestor]
        push @$ns, map { XML::XPath::Node::_proxy($doc, { p => $_->[0], t => $_->[1], n => ($_->[2] >= 0 ? $names->[ $_->[2] ] : undef), v => $_->[3], i => $_->[4] }) } @{ $r->{nodes} };
        return $ns;
    }
    return XML::XPath::Literal->new($r->{value}) if $t eq 'literal';
    return $r->{value} ? XML::XPath::Boolean->True : XML::XPath::Boolean->False if $t eq 'boolean';
    my $v = $r->{value};
    return bless \$v, 'XML::XPath::Number';
}

sub _find {
    my ($self, $path, $context, %opt) = @_;
    die "No path to find at /usr/share/perl5/XML/XPath.pm line 145.\n" unless $path;
    my $doc = $self->_doc($context);
    my $cp = $self->_ctx_path($context);
    my $r = _call('find', { doc => $doc->id, path => _chars($path), ns => $self->{ns}, (defined $cp ? (context => $cp) : ()), %opt });
    return _result($doc, $r);
}

sub find { my ($self, $path, $context) = @_; $self->_find($path, $context) }

sub findnodes {
    my ($self, $path, $context) = @_;
    my $results = $self->find($path, $context);
    if ($results->isa('XML::XPath::NodeSet')) {
        return wantarray ? $results->get_nodelist : $results;
    }
    return wantarray ? () : XML::XPath::NodeSet->new();
}

sub matches {
    my ($self, $node, $path, $context) = @_;
    my @nodes = $self->findnodes($path, $context);
    return 1 if grep { "$node" eq "$_" } @nodes;
    return;
}

sub findnodes_as_string {
    my ($self, $path, $context) = @_;
    my $results = $self->find($path, $context);
    if ($results->isa('XML::XPath::NodeSet')) {
        return join('', map { $_->toString } $results->get_nodelist);
    }
    return XML::XPath::Node::XMLescape($results->value);
}

sub findvalue {
    my ($self, $path, $context) = @_;
    # a node-set's to_literal is made in the daemon (every node's value joined, one round trip)
    return $self->_find($path, $context, literal => \1);
}

sub exists {
    my ($self, $path, $context) = @_;
    $path = '/' if !defined $path;
    my @nodeset = $self->findnodes($path, $context);
    return 1 if scalar(@nodeset);
    return 0;
}

sub getNodeAsXML {
    my ($self, $node_path) = @_;
    $node_path = '/' if !defined $node_path;
    return ref($node_path) ? $node_path->toString : $self->findnodes_as_string($node_path);
}

sub getNodeText {
    my ($self, $node_path) = @_;
    return ref($node_path) ? $node_path->string_value() : $self->findvalue($node_path);
}

sub setNodeText {
    my ($self, $node_path, $new_text) = @_;
    my $doc = $self->_doc;
    my $r = _call('set_text', { doc => $doc->id, path => _chars($node_path), text => _chars(defined $new_text ? $new_text : ''), ns => $self->{ns} });
    $doc->{gen}++;
    return $r->{result} ? 1 : undef;
}

sub createNode {
    my ($self, $node_path) = @_;
    my $doc = $self->_doc;
    my $r = _call('create_node', { doc => $doc->id, path => _chars($node_path), ns => $self->{ns} });
    $doc->{gen}++;
    return XML::XPath::Node::_proxy($doc, $r->{node});
}

sub get_filename { $_[0]{_filename} }
sub set_filename { $_[0]{_filename} = $_[1]; delete $_[0]{doc} }
sub get_parser { $_[0]{_parser} }
sub set_parser { die "XML::XPath on the bridge: set_parser (a prepared XML::Parser) is not supported\n" }
sub get_xml { $_[0]{_xml} }
sub set_xml { $_[0]{_xml} = $_[1]; delete $_[0]{doc} }
sub get_ioref { $_[0]{_ioref} }
sub set_ioref { $_[0]{_ioref} = $_[1]; delete $_[0]{doc} }
sub get_context { $_[0]{_context} || ($_[0]{doc} ? XML::XPath::Node::_proxy($_[0]{doc}, { p => '', t => 1 }) : undef) }
sub set_context { $_[0]{_context} = $_[1] }
sub cleanup { my $self = shift; delete $self->{doc}; delete $self->{_context}; return }
sub set_namespace { my ($self, $prefix, $expanded) = @_; $self->{ns}{$prefix} = $expanded }
sub clear_namespaces { $_[0]{ns} = {} }
sub set_var { die "XML::XPath on the bridge: XPath variables (set_var) are not supported\n" }
sub get_var { return }    # no variable can be set (set_var dies): undef, as the real one for an unset name

# A document in the daemon, shared by the XPath objects and the node proxies that use it;
# disposed there when the last of them goes.
package XML::XPath::_Doc;

sub new { my ($class, $id) = @_; bless { id => $id, gen => 0, nodes => {} }, $class }
sub id { $_[0]{id} }

# the daemon frees the tree now (it is large); at global destruction the session's end does it
sub DESTROY {
    my $self = shift;
    return if ${^GLOBAL_PHASE} eq 'DESTRUCT';
    local ($@, $!, $?);
    eval { CPANBridge::call('xpath', 'dispose', { doc => $self->{id} }) };
}

1;
