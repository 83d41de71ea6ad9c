package XPathHelper;

# The predecessor's XML::XPath replacement, with its own behaviour where scripts may rely on it:
# find() always gives a node-set, nodes are copied eagerly (name, text, attributes), a node's
# string_value is its own text trimmed (else its descendants' text pieces trimmed and joined),
# toString is that text, getNodeType is 1. The document lives in the daemon's xpath module (as
# a journaled handle, so it survives a restart), not in pickle files. `use XML::XPath` (perl/compat)
# is the real module's API.

use strict;
use warnings;
use Carp ();
use CPANBridge ();
use CPANBridge::XPathCall ();

our $VERSION = '2.00';

sub _call { CPANBridge::XPathCall::call(@_) }

sub _text {
    my $s = shift;
    return $s if utf8::is_utf8($s);
    my $c = eval { require Encode; Encode::decode('UTF-8', $s, Encode::FB_CROAK()) };
    return defined $c ? $c : $s;
}

sub new {
    my ($class, %args) = @_;
    my $self = bless {}, $class;
    if (defined(my $f = $args{filename})) {
        my $r = eval {
            open my $fh, '<:raw', $f or die "Cannot read file $f: $!\n";
            local $/;
            _call('parse', { xml => _text(scalar <$fh>) });
        };
        die "ERROR: Unparsable Config File [$f]\n" . ($@ || '') . "\n" unless $r;
        $self->{doc} = $r->{doc};
        $self->{filename} = $f;
    }
    elsif (defined(my $x = $args{xml})) {
        my $r = eval { _call('parse', { xml => _text($x) }) };
        die "ERROR: Unparsable XML String\n" . ($@ || '') . "\n" unless $r;
        $self->{doc} = $r->{doc};
    }
    else {
        Carp::croak('XPathHelper->new: filename or xml is required');
    }
    return $self;
}

sub _nodes {
    my ($self, $path, $context) = @_;
    Carp::croak('XPathHelper: the document was disposed') unless $self->{doc};
    my $r = eval { _call('helper_find', { doc => $self->{doc}, path => "$path", (defined $context ? (context => $context) : ()) }) };
    Carp::croak($@) if $@;
    return XPathHelper::NodeSet->new([ map { XPathHelper::Node->new($self, $_) } @{ $r->{nodes} } ]);
}

sub find { my ($self, $path) = @_; $self->_nodes($path) }
sub findnodes { my ($self, $path) = @_; my $ns = $self->_nodes($path); wantarray ? $ns->get_nodelist : $ns }

sub getDocumentElement { my $self = shift; $self->find('/*')->get_node(1) }

sub getNodeText {
    my ($self, $node) = @_;
    return ref $node && eval { $node->can('string_value') } ? $node->string_value : $node;
}

sub dispose {
    my $self = shift;
    my $doc = delete $self->{doc} or return 1;
    eval { CPANBridge::call('xpath', 'dispose', { doc => $doc }) };
    return 1;
}

sub DESTROY {
    my $self = shift;
    return if ${^GLOBAL_PHASE} eq 'DESTRUCT' || !$self->{doc};
    eval { CPANBridge::send_async('xpath', 'dispose', { doc => delete $self->{doc} }, undef, droppable => 1) };
}

package XPathHelper::NodeSet;

sub new { my ($class, $nodes) = @_; bless { nodes => $nodes }, $class }
sub get_nodelist { @{ $_[0]{nodes} } }
sub size { scalar @{ $_[0]{nodes} } }
sub get_node { my ($self, $i) = @_; $self->{nodes}[$i - 1] }
sub string_value { my $self = shift; @{ $self->{nodes} } ? $self->{nodes}[0]->string_value : '' }

package XPathHelper::Node;

sub new {
    my ($class, $helper, $n) = @_;
    return bless { helper => $helper, id => $n->{node_id}, name => $n->{name}, text => $n->{text}, attributes => $n->{attributes} || {} }, $class;
}
sub getName { $_[0]{name} }
sub string_value { $_[0]{text} }
sub toString { $_[0]{text} }
sub getNodeType { 1 }
sub getAttribute { my ($self, $name) = @_; $self->{attributes}{$name} }
sub getAttributes { my $self = shift; %{ $self->{attributes} } }
sub find { my ($self, $path) = @_; $self->{helper}->_nodes($path, $self->{id}) }

1;
