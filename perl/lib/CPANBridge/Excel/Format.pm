package CPANBridge::Excel::Format;

# A format of Excel::Writer::XLSX's API: properties kept here (set_<name> through
# AUTOLOAD), sent to the daemon with the next flush after a change.

use strict;
use warnings;
use Carp ();

our $AUTOLOAD;

# The properties Excel::Writer::XLSX knows (set_<name> methods).
my %KNOWN = map { $_ => 1 } qw(font size color bold italic underline font_strikeout font_script font_outline font_shadow
    num_format locked hidden align valign center_across text_wrap rotation indent shrink text_justlast pattern bg_color
    fg_color border bottom top left right border_color bottom_color top_color left_color right_color diag_type
    diag_border diag_color font_family font_charset font_scheme font_condense font_extend theme hyperlink
    reading_order quote_prefix font_only merge color_indexed type);

my %H = map { $_ => 1 } qw(left centre center right fill justify center_across centre_across distributed justify_distributed merge);
my %V = map { $_ => 1 } qw(top vcentre vcenter bottom vjustify vdistributed);

sub _touch {
    my $self = shift;
    my $wb = $self->{_wbobj};
    $wb->{_dirty}{ $self->{_idx} } = 1 if $wb;
}

sub _set_prop {
    my ($self, $name, $value) = @_;
    if ($name eq 'align' || $name eq 'valign') {
        return unless defined $value;
        my $v = lc $value;
        if ($H{$v}) { $self->{_props}{align} = $v }
        elsif ($V{$v}) { $self->{_props}{valign} = $v }
        $self->_touch;
        return;
    }
    if ($name eq 'center_across' || $name eq 'merge') { $self->{_props}{align} = 'center_across'; $self->_touch; return }
    if ($name eq 'border') { $self->{_props}{$_} = $value for qw(top bottom left right); $self->_touch; return }
    if ($name eq 'border_color') { $self->{_props}{"${_}_color"} = $value for qw(top bottom left right); $self->_touch; return }
    if ($name eq 'bold') { $self->{_props}{bold} = $value ? 1 : 0; $self->_touch; return }
    $self->{_props}{$name} = $value;
    $self->_touch;
    return;
}

sub set_format_properties {
    my $self = shift;
    my %p = ref $_[0] eq 'HASH' ? %{ $_[0] } : @_;
    for my $k (sort keys %p) {
        my $m = "set_$k";
        $self->$m($p{$k});
    }
    return;
}
sub set_properties { my $s = shift; $s->set_format_properties(@_) }

sub copy {
    my ($self, $other) = @_;
    return unless defined $other && ref $other;
    $self->{_props} = { %{ $other->{_props} } };
    $self->_touch;
    return;
}

sub get_xf_index { $_[0]->{_idx} }
sub get_format_key { join ':', map { "$_=" . ($_[0]->{_props}{$_} // '') } sort keys %{ $_[0]->{_props} } }

sub AUTOLOAD {
    my $self = shift;
    my $name = $AUTOLOAD;
    return if $name =~ /::DESTROY$/;
    (my $short = $name) =~ s/.*:://;
    my $class = ref $self || $self;
    (my $shown = $name) =~ s/^CPANBridge::Excel::Format::/Excel::Writer::XLSX::Format::/;
    $short =~ /^set_(\w+)$/ && $KNOWN{$1} or die "Unknown method: $shown\n";
    my $prop = $1;
    my $value = $_[0];
    $value = 1 if !defined $value && $prop !~ /color$/;
    $self->_set_prop($prop, $value);
    return;
}

1;
