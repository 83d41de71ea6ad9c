package CPANBridge::Excel::Workbook;

# The workbook's style methods, as the real Workbook's: add_format (with the excel2003_style and
# default_format_properties defaults), the default and URL formats, the colour palette and
# set_custom_color, and the _set_default_xf_indices test hook. Formats are sent by the workbook
# (_send_definitions: `add_format` with $format->_props); the rest are recorded calls.

use strict;
use warnings;
use Carp ();
use Scalar::Util ();
use CPANBridge ();
use CPANBridge::Excel::Format ();

# new()'s style fields, then the default format (xf 0) and the default URL format, as the real
# constructor makes them.
sub _init_styles {
    my ($self, $options) = @_;
    $options = {} unless ref $options eq 'HASH';
    $self->{_formats}             = [];
    $self->{_format_count}        = 0;
    $self->{_xf_format_indices}   = {};
    $self->{_dxf_format_indices}  = {};
    $self->{_custom_colors}       = [];
    $self->{_custom_colors_sent}  = '';
    $self->{_excel2003_style}     = exists $options->{excel2003_style} ? 1 : 0;
    $self->{_default_format_properties} =
        exists $options->{default_format_properties} ? $options->{default_format_properties} : {};
    $self->{_dirty} ||= {};
    $self->set_color_palette;
    if ($self->{_excel2003_style}) {
        $self->add_format(xf_index => 0, font_family => 0);
    }
    else {
        $self->add_format(xf_index => 0);
    }
    $self->{_default_url_format} = $self->add_format(hyperlink => 1);
    return;
}

sub add_format {
    my $self = shift;
    my @init = (\$self->{_xf_format_indices}, \$self->{_dxf_format_indices});
    # Excel 2003's default font
    push @init, (font => 'Arial', size => 10, theme => -1) if $self->{_excel2003_style};
    push @init, %{ $self->{_default_format_properties} };
    push @init, @_;
    my $format = $self->_format_class->new(@init);
    # the bridge's identity of the format: its position among the workbook's formats at creation
    $format->{_idx}   = $self->{_format_count}++;
    $format->{_wb_id} = $self->{_wb};
    $format->{_wbobj} = $self;
    Scalar::Util::weaken($format->{_wbobj});
    push @{ $self->{_formats} }, $format;
    $self->{_dirty}{ $format->{_idx} } = 1;
    return $format;
}

sub get_default_url_format { $_[0]->{_default_url_format} }

# The real module's test hook: drops the default URL format and numbers every other format now.
# (_formats stays whole here: the workbook finds formats by index in it; the daemon drops it.)
sub _set_default_xf_indices {
    my $self = shift;
    $self->_style_call('_set_default_xf_indices');
    my @rest = @{ $self->{_formats} };
    splice @rest, 1, 1;
    $_->_index_of('_xf_index', '_xf_format_indices', 1) for @rest;
    return;
}

sub set_custom_color {
    my $self = shift;

    # a '#RRGGBB' colour
    if (defined $_[1] and $_[1] =~ /^#(\w\w)(\w\w)(\w\w)/) {
        @_ = ($_[0], hex $1, hex $2, hex $3);
    }
    my $index = $_[0] || 0;
    my $red   = $_[1] || 0;
    my $green = $_[2] || 0;
    my $blue  = $_[3] || 0;

    if ($index < 8 or $index > 64) {
        Carp::carp("Color index $index outside range: 8 <= index <= 64");
        return 0;
    }
    if (($red < 0 or $red > 255) || ($green < 0 or $green > 255) || ($blue < 0 or $blue > 255)) {
        Carp::carp('Color component outside range: 0 <= color <= 255');
        return 0;
    }
    $index -= 8;
    my @rgb = ($red, $green, $blue);
    $self->{_palette}[$index] = [@rgb];
    push @{ $self->{_custom_colors} }, sprintf 'FF%02X%02X%02X', @rgb;
    $self->{_custom_colors_sent} = join ',', @{ $self->{_custom_colors} };
    $self->{_palette_changed} = 1;
    $self->_style_call('set_custom_color', int($index + 8), map { int } @rgb);
    return $index + 8;
}

# Workbook::set_color_palette: the Excel 97 palette, [r, g, b, 0] for indices 8..63.
my @PALETTE = qw(
    000000 FFFFFF FF0000 00FF00 0000FF FFFF00 FF00FF 00FFFF 800000 008000 000080 808000 800080 008080 C0C0C0 808080
    9999FF 993366 FFFFCC CCFFFF 660066 FF8080 0066CC CCCCFF 000080 FF00FF FFFF00 00FFFF 800080 800000 008080 0000FF
    00CCFF CCFFFF CCFFCC FFFF99 99CCFF FF99CC CC99FF FFCC99 3366FF 33CCCC 99CC00 FFCC00 FF9900 FF6600 666699 969696
    003366 339966 003300 333300 993300 993366 333399 333333
);

sub set_color_palette {
    my $self = shift;
    $self->{_palette} = [ map { [ (map { hex } unpack '(A2)3', $_), 0 ] } @PALETTE ];
    # a palette reset after set_custom_color: the daemon's goes back too
    $self->_style_call('set_color_palette') if delete $self->{_palette_changed};
    return 0;
}

# At close: a script that set {_custom_colors} itself (the real module writes whatever it holds).
sub _styles_before_close {
    my $self = shift;
    my $c = $self->{_custom_colors};
    return unless ref $c eq 'ARRAY';
    my $now = join ',', map { defined $_ ? "$_" : '' } @$c;
    return if $now eq $self->{_custom_colors_sent};
    $self->_style_call('_custom_colors', [ map { defined $_ ? "$_" : '' } @$c ]);
    $self->{_custom_colors_sent} = $now;
    return;
}

# A recorded workbook call (after the cells and formats before it).
sub _style_call {
    my ($self, $method, @args) = @_;
    return if $self->{_fileclosed};
    if ($self->can('_call')) {
        $self->_call({}, $method, \@args);
        return;
    }
    $self->_flush;
    CPANBridge::send_async('excel', 'call', { wb => $self->{_wb}, target => {}, method => $method, args => \@args });
    return;
}

1;
