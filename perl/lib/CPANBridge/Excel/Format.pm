package CPANBridge::Excel::Format;

# A format of Excel::Writer::XLSX's API, the real Format's way: the same fields (_bold, _color,
# _text_h_align, ...), the same set_* methods (AUTOLOADed for every field), colour names and
# indices, get_*_key and get_xf_index/get_dxf_index. The workbook sends the fields that differ
# from a new format's (_props) before the format's next use, each time they change; the daemon
# numbers and writes the styles from them at close as the real module does.

use strict;
use warnings;
use Carp ();
use Scalar::Util ();

our $AUTOLOAD;

# Format::new's fields after the two index references, with their defaults, in its order.
our @FIELDS = (
    _xf_index => undef, _dxf_index => undef,
    _num_format => 'General', _num_format_index => 0, _font_index => 0, _has_font => 0, _has_dxf_font => 0,
    _font => 'Calibri', _size => 11, _bold => 0, _italic => 0, _color => 0x0, _underline => 0,
    _font_strikeout => 0, _font_outline => 0, _font_shadow => 0, _font_script => 0, _font_family => 2,
    _font_charset => 0, _font_scheme => 'minor', _font_condense => 0, _font_extend => 0, _theme => 0,
    _hyperlink => 0, _xf_id => 0,
    _hidden => 0, _locked => 1,
    _text_h_align => 0, _text_wrap => 0, _text_v_align => 0, _text_justlast => 0, _rotation => 0,
    _fg_color => 0x00, _bg_color => 0x00, _pattern => 0, _has_fill => 0, _has_dxf_fill => 0, _fill_index => 0,
    _fill_count => 0,
    _border_index => 0, _has_border => 0, _has_dxf_border => 0, _border_count => 0,
    _bottom => 0, _bottom_color => 0x0, _diag_border => 0, _diag_color => 0x0, _diag_type => 0, _left => 0,
    _left_color => 0x0, _right => 0, _right_color => 0x0, _top => 0, _top_color => 0x0,
    _indent => 0, _shrink => 0, _merge_range => 0, _reading_order => 0, _just_distrib => 0, _color_indexed => 0,
    _font_only => 0,
);
my %DEFAULT = @FIELDS;
my @SENT = (@FIELDS[ grep { !($_ % 2) } 0 .. $#FIELDS ], '_type');    # the field names, in order

# The bridge's own fields: never a property, kept by copy(). (_xf_index_by_get: the index was
# taken by get_xf_index, which the daemon does itself when it replays that call: not sent.)
my @OWN = qw(_idx _wbobj _wb_id _xf_index_by_get _dxf_index_by_get);
my %OWN = map { $_ => 1 } @OWN;

# Format->new(\$xf_indices, \$dxf_indices, %properties), as the real constructor.
sub new {
    my $class = shift;
    my $self = { _xf_format_indices => shift, _dxf_format_indices => shift, %DEFAULT };
    bless $self, $class;
    $self->set_format_properties(@_) if @_;
    return $self;
}

# A change: the workbook sends the format again before its next use.
sub _touch {
    my $wb = $_[0]->{_wbobj} or return;
    $wb->{_dirty}{ $_[0]->{_idx} } = 1;
    return;
}

# The fields the daemon needs: those that differ from a new format's, as Perl prints them.
sub _props {
    my $self = shift;
    my %p;
    for my $k (@SENT) {
        next unless exists $self->{$k};
        next if $self->{"${k}_by_get"};
        my $v = $self->{$k};
        my $d = $DEFAULT{$k};
        next if !defined $v && !defined $d;
        $v = '' unless defined $v;
        next if defined $d && "$v" eq "$d";
        (my $name = $k) =~ s/^_//;
        # a byte string's bytes are characters (Latin-1), as the real module writes them
        utf8::upgrade($p{$name} = "$v");
    }
    return \%p;
}

sub copy {
    my $self  = shift;
    my $other = $_[0];

    return unless defined $other;
    return unless ref($self) eq ref($other);

    # what a copy keeps of its own: its indices, their tables, and the bridge's identity
    my %keep = map { $_ => $self->{$_} } qw(_xf_index _dxf_index _xf_format_indices _dxf_format_indices _palette), @OWN;
    %$self = %$other;
    $self->{$_} = $keep{$_} for keys %keep;
    Scalar::Util::weaken($self->{_wbobj}) if ref $self->{_wbobj};
    $self->_touch;
    return $self->{_palette};
}

sub get_align_properties {
    my $self = shift;
    my $changed = ($self->{_text_h_align} != 0 || $self->{_text_v_align} != 0 || $self->{_indent} != 0
        || $self->{_rotation} != 0 || $self->{_text_wrap} != 0 || $self->{_shrink} != 0
        || $self->{_reading_order} != 0) ? 1 : 0;
    return unless $changed;

    # Indent goes with left, right and distributed only: otherwise left.
    my $h = $self->{_text_h_align};
    $self->{_text_h_align} = 1 if $self->{_indent} && $h != 1 && $h != 3 && $h != 7;
    $h = $self->{_text_h_align};
    $self->{_shrink} = 0 if $self->{_text_wrap} || $h == 4 || $h == 5 || $h == 7;
    $self->{_just_distrib} = 0 if $h != 7 || $self->{_indent};

    my @align;
    my %horizontal = (1 => 'left', 2 => 'center', 3 => 'right', 4 => 'fill', 5 => 'justify', 6 => 'centerContinuous',
        7 => 'distributed');
    for my $n (1 .. 7) { push @align, 'horizontal', $horizontal{$n} if $h == $n }
    push @align, 'justifyLastLine', 1 if $self->{_just_distrib};
    my %vertical = (1 => 'top', 2 => 'center', 4 => 'justify', 5 => 'distributed');
    for my $n (1, 2, 4, 5) { push @align, 'vertical', $vertical{$n} if $self->{_text_v_align} == $n }
    push @align, 'indent', $self->{_indent} if $self->{_indent};
    push @align, 'textRotation', $self->{_rotation} if $self->{_rotation};
    push @align, 'wrapText', 1 if $self->{_text_wrap};
    push @align, 'shrinkToFit', 1 if $self->{_shrink};
    push @align, 'readingOrder', 1 if $self->{_reading_order} == 1;
    push @align, 'readingOrder', 2 if $self->{_reading_order} == 2;
    return $changed, @align;
}

sub get_protection_properties {
    my $self = shift;
    my @attribs;
    push @attribs, 'locked', 0 if !$self->{_locked};
    push @attribs, 'hidden', 1 if $self->{_hidden};
    return @attribs;
}

sub get_format_key {
    my $self = shift;
    return join ':', $self->get_font_key, $self->get_border_key, $self->get_fill_key, $self->get_alignment_key,
        $self->{_num_format}, $self->{_locked}, $self->{_hidden};
}

sub get_font_key {
    my $s = shift;
    return join ':', @{$s}{qw(_bold _color _font_charset _font_family _font_outline _font_script _font_shadow
        _font_strikeout _font _italic _size _underline _theme)};
}

sub get_border_key {
    my $s = shift;
    return join ':', @{$s}{qw(_bottom _bottom_color _diag_border _diag_color _diag_type _left _left_color _right
        _right_color _top _top_color)};
}

sub get_fill_key { my $s = shift; return join ':', @{$s}{qw(_pattern _bg_color _fg_color)} }

sub get_alignment_key {
    my $s = shift;
    return join ':', @{$s}{qw(_text_h_align _text_v_align _indent _rotation _text_wrap _shrink _reading_order)};
}

# get_xf_index/get_dxf_index: the index is taken now, as in the real module (first come, first
# numbered); the daemon is told, so its numbering at close starts from the same table.
sub get_xf_index  { $_[0]->_index_of('_xf_index', '_xf_format_indices', 1, 'get_xf_index') }
sub get_dxf_index { $_[0]->_index_of('_dxf_index', '_dxf_format_indices', 0, 'get_dxf_index') }

# get_dxf_index for the shim's own calls (conditional_format, add_table) whose replay takes the
# index itself: the same table, nothing sent.
sub _local_dxf_index { $_[0]->_index_of('_dxf_index', '_dxf_format_indices', 0) }

sub _index_of {
    my ($self, $field, $table, $base, $method) = @_;
    return $self->{$field} if defined $self->{$field};
    my $key     = $self->get_format_key;
    my $indices = ${ $self->{$table} };
    my $index;
    if (exists $indices->{$key}) {
        $index = $indices->{$key};
    }
    else {
        $index = $base + scalar keys %$indices;
        $indices->{$key} = $index;
        $self->{$field} = $index;
        $self->{"${field}_by_get"} = 1;
    }
    $self->_tell($method) if $method;
    return $index;
}

sub _tell {
    my ($self, $method) = @_;
    my $wb = $self->{_wbobj} or return;
    return if $wb->{_fileclosed};
    $wb->_style_call($method, { '$fmt' => $self->{_idx} + 0 });
    return;
}

# Format::_get_color: a colour name or index (8..63, 0..7 moved up by 8) or '#RRGGBB'; 0 otherwise.
my %COLORS = (
    aqua => 0x0F, cyan => 0x0F, black => 0x08, blue => 0x0C, brown => 0x10, magenta => 0x0E, fuchsia => 0x0E,
    gray => 0x17, grey => 0x17, green => 0x11, lime => 0x0B, navy => 0x12, orange => 0x35, pink => 0x21,
    purple => 0x14, red => 0x0A, silver => 0x16, white => 0x09, yellow => 0x0D,
);

sub _get_color {
    my $c = $_[0];
    return 0x00 unless defined $c;
    return $c if $c =~ m/^#[0-9A-F]{6}$/i;
    return $COLORS{ lc $c } if exists $COLORS{ lc $c };
    return 0x00 if $c =~ m/\D/;
    return $c + 8 if $c < 8;
    return 0x00 if $c > 63;
    return $c;
}

sub set_type {
    my $self = shift;
    $self->_touch;
    if (defined $_[0] and $_[0] eq 0) {
        $self->{_type} = 0x0000;
    }
    else {
        $self->{_type} = 0xFFF5;
    }
}

my %H_ALIGN = (left => 1, centre => 2, center => 2, right => 3, fill => 4, justify => 5, center_across => 6,
    centre_across => 6, merge => 6, distributed => 7, equal_space => 7, justify_distributed => 7);
my %V_ALIGN = (top => 1, vcentre => 2, vcenter => 2, bottom => 3, vjustify => 4, vdistributed => 5, vequal_space => 5);

sub set_align {
    my $self     = shift;
    my $location = $_[0];

    return if not defined $location;    # no default
    return if $location =~ m/\d/;       # numbers are ignored

    $location = lc $location;
    $self->_touch;
    $self->set_text_h_align($H_ALIGN{$location}) if $H_ALIGN{$location};
    $self->{_just_distrib} = 1 if $location eq 'justify_distributed';
    $self->set_text_v_align($V_ALIGN{$location}) if $V_ALIGN{$location};
    # the real method's value: its last statement's (the vequal_space test)
    return $location eq 'vequal_space' ? 5 : !1;
}

# set_valign: set_align (the property name tells horizontal from vertical in set_properties).
sub set_valign { my $self = shift; $self->set_align(@_) }

sub set_center_across { $_[0]->set_text_h_align(6) }
sub set_merge         { $_[0]->set_text_h_align(6) }

sub set_bold {
    my $self = shift;
    my $bold = defined $_[0] ? $_[0] : 1;
    $self->_touch;
    $self->{_bold} = $bold ? 1 : 0;
}

sub set_border {
    my ($self, $style) = @_;
    $self->set_bottom($style);
    $self->set_top($style);
    $self->set_left($style);
    $self->set_right($style);
}

sub set_border_color {
    my ($self, $color) = @_;
    $self->set_bottom_color($color);
    $self->set_top_color($color);
    $self->set_left_color($color);
    $self->set_right_color($color);
}

sub set_rotation {
    my $self     = shift;
    my $rotation = $_[0];

    # a number (the real module warns on undef here too)
    return if $rotation !~ /^([+-]?)(?=\d|\.\d)\d*(\.\d*)?([Ee]([+-]?\d+))?$/;
    $rotation = int $rotation;

    if ($rotation == 270) {
        $rotation = 255;
    }
    elsif ($rotation >= -90 and $rotation <= 90) {
        $rotation = -$rotation + 90 if $rotation < 0;
    }
    else {
        Carp::carp("Rotation $rotation outside range: -90 <= angle <= 90");
        $rotation = 0;
    }
    $self->_touch;
    $self->{_rotation} = $rotation;
}

sub set_hyperlink {
    my $self      = shift;
    my $hyperlink = shift;
    $self->_touch;
    $self->{_xf_id} = 1;
    $self->set_underline(1);
    $self->set_theme(10);
    $self->{_hyperlink} = $hyperlink;
}

sub set_format_properties {
    my $self = shift;
    my %properties = @_;    # several hashes merge into one

    while (my ($key, $value) = each %properties) {
        $key =~ s/^-//;    # Tk style -color => 'red'
        my $method = "set_$key";
        $self->$method($value);
    }
}

# The old name, kept by the real module as an alias.
sub set_properties { my $self = shift; $self->set_format_properties(@_) }

# set_<field> for every field of the format: colours through _get_color, others as given (1 when undef).
sub AUTOLOAD {
    my $self = shift;
    return if $AUTOLOAD =~ /::DESTROY$/;
    (my $shown = $AUTOLOAD) =~ s/^CPANBridge::Excel::Format::/Excel::Writer::XLSX::Format::/;
    $AUTOLOAD =~ /.*::set(\w+)/ or die "Unknown method: $shown\n";
    my $attribute = $1;
    die "Unknown method: $shown\n" if !ref $self || !exists $self->{$attribute} || $OWN{$attribute};

    my $setter;
    if ($AUTOLOAD =~ /.*::set\w+color$/) {
        $setter = sub { my $s = shift; $s->_touch; $s->{$attribute} = _get_color($_[0]) };
    }
    else {
        $setter = sub {
            my $s = shift;
            my $value = shift;
            $value = 1 if not defined $value;    # the default value is always 1
            $s->_touch;
            delete $s->{"${attribute}_by_get"};
            $s->{$attribute} = $value;
        };
    }
    # installed, as the real module does, so the next call (and can()) finds it
    { no strict 'refs'; *{$AUTOLOAD} = $setter; }
    return $setter->($self, @_);
}

# --- rich strings -------------------------------------------------------------------------------

# XMLwriter's escaping: text (& < >), attributes (also " and newline).
sub _xml_data {
    my ($v, $attr) = @_;
    return $v if $v !~ ($attr ? qr/["&<>\n]/ : qr/[&<>]/);
    $v =~ s/&/&amp;/g;
    $v =~ s/"/&quot;/g if $attr;
    $v =~ s/</&lt;/g;
    $v =~ s/>/&gt;/g;
    $v =~ s/\n/&#xA;/g if $attr;
    return $v;
}

sub _empty { my $tag = shift; my $s = "<$tag"; while (@_) { my $k = shift; $s .= qq( $k=") . _xml_data(shift, 1) . '"' } "$s/>" }

# Worksheet::_write_font: a rich string run's <rPr>, from this format as it is now.
sub _rich_run_font {
    my ($f, $palette) = @_;
    my $x = '<rPr>';
    $x .= '<b/>' if $f->{_bold};
    $x .= '<i/>' if $f->{_italic};
    $x .= '<strike/>' if $f->{_font_strikeout};
    $x .= '<outline/>' if $f->{_font_outline};
    $x .= '<shadow/>' if $f->{_font_shadow};
    if (my $u = $f->{_underline}) {
        $x .= $u == 2 ? _empty('u', val => 'double') : $u == 33 ? _empty('u', val => 'singleAccounting')
            : $u == 34 ? _empty('u', val => 'doubleAccounting') : '<u/>';
    }
    $x .= _empty('vertAlign', val => 'superscript') if $f->{_font_script} == 1;
    $x .= _empty('vertAlign', val => 'subscript') if $f->{_font_script} == 2;
    $x .= _empty('sz', val => $f->{_size});
    if (my $theme = $f->{_theme}) {
        $x .= _empty('color', theme => $theme);
    }
    elsif (my $color = $f->{_color}) {
        $x .= _empty('color', rgb => _palette_color($palette, $color));
    }
    else {
        $x .= _empty('color', theme => 1);
    }
    $x .= _empty('rFont', val => $f->{_font});
    $x .= _empty('family', val => $f->{_font_family});
    $x .= _empty('scheme', val => $f->{_font_scheme}) if $f->{_font} eq 'Calibri' && !$f->{_hyperlink};
    return "$x</rPr>";
}

# _get_palette_color: '#RRGGBB' or a palette index as FFRRGGBB.
sub _palette_color {
    my ($palette, $index) = @_;
    return 'FF' . uc($1) if $index =~ m/^#([0-9A-F]{6})$/i;
    my @rgb = @{ $palette->[ $index - 8 ] };
    return sprintf 'FF%02X%02X%02X', @rgb[0, 1, 2];
}

# Worksheet::write_rich_string's string: the <r> runs of its (format, string) tokens, fonts as
# the formats are now. Returns (xml, length of the text), or (-4) for two formats in a row.
sub rich_string_xml {
    my ($palette, @tokens) = @_;
    my $default = __PACKAGE__->new;    # unformatted fragments: the default font
    my @fragments;
    my $last = 'format';
    my $length = 0;
    my $pos = 0;
    for my $token (@tokens) {
        if (!ref $token) {
            push @fragments, $default if $last ne 'format';
            push @fragments, $token;
            $length += length $token;
            $last = 'string';
        }
        else {
            return (-4) if $last eq 'format' && $pos > 0;
            push @fragments, $token;
            $last = 'format';
        }
        $pos++;
    }
    my $xml = '';
    $xml .= '<r>' if !ref $fragments[0];
    for my $token (@fragments) {
        if (ref $token) {
            $xml .= '<r>' . _rich_run_font($token, $palette);
        }
        else {
            my $space = ($token =~ /^\s/ || $token =~ /\s$/) ? ' xml:space="preserve"' : '';
            $xml .= "<t$space>" . _xml_data($token) . '</t></r>';
        }
    }
    return ($xml, $length);
}

1;
