package CPANBridge::Excel::Worksheet;

# A worksheet of Excel::Writer::XLSX's API: write()'s type dispatch, return codes and
# limits are decided here as the real module decides them; the writes go through the
# workbook's buffer.

use strict;
use warnings;
use Carp ();
use Scalar::Util ();
use CPANBridge ();

my $ROWMAX = 1048576;
my $COLMAX = 16384;
my $STRMAX = 32767;

sub _wb { $_[0]->{_wbobj} or Carp::croak('Excel::Writer::XLSX: the workbook of this worksheet is gone') }

sub get_name { $_[0]->{_name} }
sub name     { $_[0]->{_name} }

sub _dims_bad {
    my ($row, $col) = @_;
    return 1 if !defined $row || $row >= $ROWMAX || !defined $col || $col >= $COLMAX;
    return 0;
}

sub keep_leading_zeros { my ($s, $v) = @_; $s->{_leading_zeros} = defined $v ? $v : 1; return }

sub add_write_handler {
    my ($self, $re, $sub) = @_;
    return unless @_ == 3 && ref $sub eq 'CODE';
    push @{ $self->{_write_match} }, [ $re, $sub ];
    return;
}

sub write {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    my $token = $_[2];
    $token = '' unless defined $token;
    for my $aref (@{ $self->{_write_match} }) {
        my ($re, $sub) = @$aref;
        if ($token =~ /$re/) {
            my $match = &$sub($self, @_);
            return $match if defined $match;
        }
    }
    if (ref $token eq 'ARRAY') { return $self->write_row(@_) }
    elsif ($self->{_leading_zeros} and $token =~ /^0\d+$/) { return $self->write_string(@_) }
    elsif ($token =~ /^([+-]?)(?=[0-9]|\.[0-9])[0-9]*(\.[0-9]*)?([Ee]([+-]?[0-9]+))?$/) { return $self->write_number(@_) }
    elsif ($token =~ m|^[fh]tt?ps?://|) { return $self->write_url(@_) }
    elsif ($token =~ m/^mailto:/) { return $self->write_url(@_) }
    elsif ($token =~ m[^(?:in|ex)ternal:]) { return $self->write_url(@_) }
    elsif ($token =~ /^=/) { return $self->write_formula(@_) }
    elsif ($token =~ /^{=.*}$/) { return $self->write_formula(@_) }
    elsif ($token eq '') { splice @_, 2, 1; return $self->write_blank(@_) }
    else { return $self->write_string(@_) }
}

sub write_number {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    return -1 if @_ < 3;
    my ($row, $col) = @_;
    my $num = $_[2] + 0;
    return -2 if _dims_bad($row, $col);
    return $self->_wb->_cell($self->{_idx}, $row, $col, 'n', $_[3], "$num");
}

sub write_string {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    return -1 if @_ < 3;
    my ($row, $col, $str, $xf) = @_;
    return -4 if !defined $str;
    return -2 if _dims_bad($row, $col);
    my $err = 0;
    if (length $str > $STRMAX) { $str = substr($str, 0, $STRMAX); $err = -3 }
    $self->_wb->_cell($self->{_idx}, $row, $col, 's', $xf, "$str");
    return $err;
}

sub write_blank {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    return -1 if @_ < 2;
    return 0 if !defined $_[2];
    my ($row, $col, $xf) = @_;
    return -2 if _dims_bad($row, $col);
    return $self->_wb->_cell($self->{_idx}, $row, $col, 'b', $xf);
}

sub write_boolean {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    my ($row, $col, $val, $xf) = @_;
    return -2 if _dims_bad($row, $col);
    return $self->_wb->_cell($self->{_idx}, $row, $col, 'l', $xf, $val ? 1 : 0);
}

my $DYNAMIC = qr/\b(?:LET|SORT|LAMBDA|SINGLE|SORTBY|UNIQUE|XMATCH|FILTER|XLOOKUP|SEQUENCE|RANDARRAY|ANCHORARRAY)\(/;

sub write_formula {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    return -1 if @_ < 3;
    my ($row, $col, $formula, $xf, $value) = @_;
    if ($formula =~ $DYNAMIC || $formula =~ /^{=.*}$/) {
        return $self->write_array_formula($row, $col, $row, $col, $formula, $xf, $value);
    }
    return -2 if _dims_bad($row, $col);
    $formula =~ s/^=//;
    return $self->_wb->_cell($self->{_idx}, $row, $col, 'f', $xf, $formula, defined $value ? ("$value") : ());
}

sub write_array_formula {
    my $self = shift;
    my @args = @_;
    if ($args[0] =~ /^\D/) {
        my $ref = shift @args;
        my @dims = CPANBridge::Excel::substitute_cellref($ref);
        @args = @dims == 2 ? (@dims, @dims, @args) : (@dims, @args);
    }
    return -1 if @args < 5;
    my ($r1, $c1, $r2, $c2, $formula, $xf, $value) = @args;
    ($r1, $r2) = ($r2, $r1) if $r1 > $r2;
    return -2 if _dims_bad($r1, $c1) || _dims_bad($r2, $c2);
    my $range = ($r1 == $r2 && $c1 == $c2) ? CPANBridge::Excel::rowcol_to_cell($r1, $c1)
        : CPANBridge::Excel::rowcol_to_cell($r1, $c1) . ':' . CPANBridge::Excel::rowcol_to_cell($r2, $c2);
    $formula =~ s/^{//;
    $formula =~ s/}$//;
    $formula =~ s/^=//;
    my $wb = $self->_wb;
    $wb->_cell($self->{_idx}, $r1, $c1, 'a', $xf, $formula, $range, defined $value ? ("$value") : ());
    for my $r ($r1 .. $r2) {
        for my $c ($c1 .. $c2) {
            next if $r == $r1 && $c == $c1;
            $self->write_number($r, $c, 0, $xf);
        }
    }
    return 0;
}
sub write_dynamic_array_formula { my $s = shift; $s->write_array_formula(@_) }

sub write_url {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    return -1 if @_ < 3;
    my @args = @_;
    ($args[3], $args[4]) = ($args[4], $args[3]) if defined $args[3] and !ref $args[3];
    my ($row, $col, $url, $xf, $str, $tip) = @args;
    $str = $url unless defined $str;
    my $orig = $url;
    if ($url =~ s/^internal://) { $str =~ s/^internal:// }
    if ($url =~ s/^external://) { $str =~ s/^external://; $str =~ s[/][\\]g }
    $str =~ s/^mailto://;
    return -2 if _dims_bad($row, $col);
    my $err = 0;
    if (length $str > $STRMAX) { $str = substr($str, 0, $STRMAX); $err = -3 }
    if (length $url > 2079) {
        Carp::carp("Ignoring URL '$url' where link or anchor > 2079 characters since it exceeds Excel's limit for URLS. "
            . 'See LIMITATIONS section of the Excel::Writer::XLSX documentation.');
        return -4;
    }
    if (++$self->{_hlink_count} > 65_530) {
        Carp::carp("Ignoring URL '$url' since it exceeds Excel's limit of 65,530 URLs per worksheet. "
            . 'See LIMITATIONS section of the Excel::Writer::XLSX documentation.');
        return -5;
    }
    my $wb = $self->_wb;
    $xf = $wb->_default_url_format unless defined $xf;
    $wb->_cell($self->{_idx}, $row, $col, 'u', $xf, $orig, $str, defined $tip ? ($tip) : ());
    return $err;
}

sub write_date_time {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    return -1 if @_ < 3;
    my ($row, $col, $str, $xf) = @_;
    return -2 if _dims_bad($row, $col);
    my $dt = CPANBridge::Excel::convert_date_time($str, $self->_wb->{_date_1904});
    return $self->write_string(@_) if !defined $dt;
    return $self->_wb->_cell($self->{_idx}, $row, $col, 'n', $xf, "$dt");
}

sub convert_date_time { my ($s, $d) = @_; CPANBridge::Excel::convert_date_time($d, $s->_wb->{_date_1904}) }

sub write_row {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    Carp::croak("Not an array ref in call to write_row()$!") if ref $_[2] ne 'ARRAY';
    my ($row, $col, $tokens, @options) = @_;
    my $error = 0;
    for my $token (@$tokens) {
        my $ret = ref $token eq 'ARRAY' ? $self->write_col($row, $col, $token, @options)
                                        : $self->write($row, $col, $token, @options);
        $error ||= $ret;
        $col++;
    }
    return $error;
}

sub write_col {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    Carp::croak("Not an array ref in call to write_col()$!") if ref $_[2] ne 'ARRAY';
    my ($row, $col, $tokens, @options) = @_;
    my $error = 0;
    for my $token (@$tokens) {
        my $ret = $self->write($row, $col, $token, @options);
        $error ||= $ret;
        $row++;
    }
    return $error;
}

sub write_rich_string {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    return -1 if @_ < 3;
    my ($row, $col, @frags) = @_;
    my $cell_fmt = @frags && ref $frags[-1] && @frags % 2 == 1 ? undef : undef;
    my $text = join '', grep { !ref } @frags;
    CPANBridge::Excel::Workbook::_unsupported('write_rich_string formatting (written as plain text)');
    return $self->write_string($row, $col, $text);
}

sub write_comment { CPANBridge::Excel::Workbook::_unsupported('write_comment') }

# insert_chart($row, $col, $chart, {x_offset, y_offset, x_scale, y_scale, object_position})
# (or 'E2' notation, or the older positional offsets and scales).
sub insert_chart {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    Carp::croak('Insufficient arguments in insert_chart()') unless @_ >= 3;
    my ($row, $col, $chart, @rest) = @_;
    Carp::croak('Not a Chart object in insert_chart()')
        unless Scalar::Util::blessed($chart) && $chart->isa('CPANBridge::Excel::Chart');
    Carp::croak('Not a embedded style Chart object in insert_chart()') unless $chart->{_embedded} || $chart->{_skip};
    my $o = _object_options(@rest);
    delete @$o{qw(_url description)};
    if ($chart->{_inserted}++) {
        Carp::carp('Chart cannot be inserted in a worksheet more than once');
        return;
    }
    # the real module returns what its push returned: the number of charts of the worksheet
    my $n = ++$self->{_nchart};
    return $n if $chart->{_skip} || _dims_bad($row, $col);
    $self->_wb->_op('insert_chart', sheet => $self->{_idx}, row => $row, col => $col, chart => $chart->{_idx}, %$o);
    return $n;
}

sub _object_options {
    my @rest = @_;
    my %o;
    if (ref $rest[0] eq 'HASH') { %o = %{ $rest[0] } }
    else { @o{qw(x_offset y_offset x_scale y_scale)} = @rest }
    my %out;
    for (qw(x_offset y_offset x_scale y_scale object_position)) { $out{$_} = $o{$_} + 0 if defined $o{$_} && $o{$_} ne '' }
    $out{description} = "$o{description}" if defined $o{description};
    $out{_url} = $o{url} if defined $o{url};
    return \%out;
}

my $IMAGE_PART = 1024 * 1024;

# insert_image($row, $col, $filename, {x_offset, y_offset, x_scale, y_scale, description}).
# The file is read here, with the script's permissions (as the real module reads it): the daemon
# never opens a path named by a client. Its bytes are journaled with the workbook (sent once per
# workbook, in parts of 1 MiB), so a daemon that dies before close still has them.
sub insert_image {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    Carp::croak('Insufficient arguments in insert_image()') unless @_ >= 3;
    my ($row, $col, $image, @rest) = @_;
    Carp::croak("Couldn't locate $image: $!") unless -e $image;
    my $o = _object_options(@rest);
    if (delete $o->{_url}) { CPANBridge::Excel::Workbook::_unsupported('insert_image url option') }
    open my $fh, '<:raw', $image or Carp::croak("Couldn't open image $image: $!");
    my $data = do { local $/; <$fh> };
    CORE::close $fh;
    $data = '' unless defined $data;
    if ($data =~ /^BM/) { return CPANBridge::Excel::Workbook::_unsupported('BMP images in insert_image') }
    Carp::croak("Unsupported image format for file: $image\n")
        unless $data =~ /^\x89PNG\r\n\x1a\n/ || $data =~ /^\xff\xd8/ || $data =~ /^GIF8/;
    return ++$self->{_nimage} if _dims_bad($row, $col);
    require Digest::SHA;
    require MIME::Base64;
    my $sha = Digest::SHA::sha256_hex($data);
    my $wb = $self->_wb;
    my $parts = $wb->_image_sent($sha);
    if (!$parts) {
        $parts = 0;
        for (my $off = 0; $off < length($data) || $off == 0; $off += $IMAGE_PART) {
            $wb->_op('image_data', sha256 => $sha, part => $parts++, data => MIME::Base64::encode_base64(substr($data, $off, $IMAGE_PART), ''));
            last if $off + $IMAGE_PART >= length $data;
        }
        $wb->_image_sent($sha, $parts);
    }
    $wb->_op('insert_image', sheet => $self->{_idx}, row => $row, col => $col, sha256 => $sha, parts => $parts,
        name => "$image", %$o);
    return ++$self->{_nimage};    # as the real module: the number of images of the worksheet
}
sub add_table     { CPANBridge::Excel::Workbook::_unsupported('add_table') }
sub add_sparkline { CPANBridge::Excel::Workbook::_unsupported('add_sparkline') }
sub insert_button { CPANBridge::Excel::Workbook::_unsupported('insert_button') }
sub protect       { CPANBridge::Excel::Workbook::_unsupported('protect') }
sub outline_settings { 0 }
sub set_h_pagebreaks { 0 }
sub set_v_pagebreaks { 0 }
sub print_across     { 0 }
sub set_start_page   { 0 }
sub hide_zero        { 0 }
sub set_comments_author { 0 }
sub show_comments    { 0 }
sub filter_column    { 0 }
sub filter_column_list { 0 }
sub ignore_errors    { 0 }
sub split_panes      { 0 }

sub merge_range {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    Carp::croak('Incorrect number of arguments') if @_ < 6;
    Carp::croak('Fifth parameter must be a format object') unless ref $_[5];
    my ($r1, $c1, $r2, $c2, $string, $format, @extra) = @_;
    Carp::croak("Can't merge single cell") if $r1 == $r2 && $c1 == $c2;
    ($r1, $r2) = ($r2, $r1) if $r1 > $r2;
    ($c1, $c2) = ($c2, $c1) if $c1 > $c2;
    return -2 if _dims_bad($r1, $c1) || _dims_bad($r2, $c2);
    $self->write($r1, $c1, $string, $format, @extra);
    $self->_merge_rest($r1, $c1, $r2, $c2, $format);
    return;
}

sub merge_range_type {
    my $self = shift;
    my $type = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    my ($r1, $c1, $r2, $c2, $token, $format, @extra) = @_;
    Carp::croak('Format object missing or in an incorrect position') unless ref $format;
    ($r1, $r2) = ($r2, $r1) if $r1 > $r2;
    ($c1, $c2) = ($c2, $c1) if $c1 > $c2;
    my %m = (string => 'write_string', number => 'write_number', blank => 'write_blank', rich_string => 'write_rich_string',
             date_time => 'write_date_time', formula => 'write_formula', array_formula => 'write_formula', url => 'write_url');
    my $m = $m{$type} or Carp::croak("Unknown type '$type'");
    if ($type eq 'blank') { $self->write_blank($r1, $c1, $format) }
    else { $self->$m($r1, $c1, $token, $format, @extra) }
    $self->_merge_rest($r1, $c1, $r2, $c2, $format);
    return;
}

# The cells of a merged range other than its first get the format as blanks (as the real module
# writes them), then the merge itself.
sub _merge_rest {
    my ($self, $r1, $c1, $r2, $c2, $format) = @_;
    for my $r ($r1 .. $r2) {
        for my $c ($c1 .. $c2) {
            next if $r == $r1 && $c == $c1;
            $self->write_blank($r, $c, $format);
        }
    }
    $self->_wb->_op('merge_range', sheet => $self->{_idx}, r1 => $r1, c1 => $c1, r2 => $r2, c2 => $c2);
}

sub _fmt_idx {
    my ($self, $f) = @_;
    return undef unless ref $f && defined $f->{_idx};
    return $f->{_idx} + 0;
}

sub set_column {
    my $self = shift;
    my @data = @_;
    if ($data[0] =~ /^\D/) {
        @data = CPANBridge::Excel::substitute_cellref(@data);
        splice @data, 0, 4, $data[1], $data[3] if @data >= 4;    # keep the columns of a range
    }
    return if @data < 2;
    my ($first, $last, $width, $format, $hidden, $level, $collapsed) = @data;
    return if !defined $first || !defined $last;
    ($first, $last) = ($last, $first) if $first > $last;
    return -2 if $first >= $COLMAX || $last >= $COLMAX;
    $level = 0 unless defined $level;
    $level = 0 if $level < 0;
    $level = 7 if $level > 7;
    $self->_wb->_op('set_column', sheet => $self->{_idx}, first => $first + 0, last => $last + 0,
        width => (defined $width ? $width + 0 : undef), fmt => $self->_fmt_idx($format),
        hidden => ($hidden ? 1 : 0), level => $level + 0, collapsed => ($collapsed ? 1 : 0));
    return 0;
}

sub set_column_pixels {
    my ($self, @d) = @_;
    if ($d[0] =~ /^\D/) { @d = CPANBridge::Excel::substitute_cellref(@d); splice @d, 0, 4, $d[1], $d[3] if @d >= 4 }
    my $px = $d[2];
    $d[2] = defined $px ? ($px <= 12 ? $px / 12 : ($px - 5) / 7) : undef;
    return $self->set_column(@d);
}

sub set_row {
    my $self = shift;
    my ($row, $height, $format, $hidden, $level, $collapsed) = @_;
    return -1 if @_ < 2 || !defined $row;
    return -2 if $row >= $ROWMAX;
    $level = 0 unless defined $level;
    $level = 0 if $level < 0;
    $level = 7 if $level > 7;
    if (defined $height && $height == 0) { $hidden = 1; $height = undef }
    $self->_wb->_op('set_row', sheet => $self->{_idx}, row => $row + 0,
        height => (defined $height ? $height + 0 : undef), fmt => $self->_fmt_idx($format),
        hidden => ($hidden ? 1 : 0), level => $level + 0, collapsed => ($collapsed ? 1 : 0));
    return 0;
}

sub set_row_pixels { my ($s, $r, $h, @rest) = @_; $s->set_row($r, defined $h ? 0.75 * $h : undef, @rest) }

sub set_default_row { my ($s, $h) = @_; $s->_set('default_row_height', defined $h ? $h + 0 : 15) }

sub _set { my ($self, $key, $value) = @_; $self->_wb->_op('set_sheet', sheet => $self->{_idx}, key => $key, value => $value); return }

sub freeze_panes {
    my $self = shift;
    return unless @_;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    my ($row, $col, $top, $left) = @_;
    $col = 0 unless defined $col;
    $top = $row unless defined $top;
    $left = $col unless defined $left;
    $self->_set('freeze', { row => $row + 0, col => $col + 0, top_row => $top + 0, left_col => $left + 0 });
}

sub autofilter {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    return if @_ < 4;
    my ($r1, $c1, $r2, $c2) = @_;
    ($r1, $r2) = ($r2, $r1) if $r2 < $r1;
    ($c1, $c2) = ($c2, $c1) if $c2 < $c1;
    $self->_set('autofilter', CPANBridge::Excel::rowcol_to_cell($r1, $c1) . ':' . CPANBridge::Excel::rowcol_to_cell($r2, $c2));
}

sub set_landscape { $_[0]->_set('orientation', 'landscape') }
sub set_portrait  { $_[0]->_set('orientation', 'portrait') }
sub set_paper     { my ($s, $p) = @_; $s->_set('paper', ($p || 0) + 0) if $p }
sub hide_gridlines { my ($s, $o) = @_; $s->_set('hide_gridlines', defined $o ? $o + 0 : 1) }
sub print_row_col_headers { my ($s, $v) = @_; $s->_set('print_row_col_headers', defined $v ? ($v ? 1 : 0) : 1) }
sub center_horizontally { $_[0]->_set('center_horizontally', 1) }
sub center_vertically   { $_[0]->_set('center_vertically', 1) }
sub fit_to_pages { my ($s, $w, $h) = @_; $s->_set('fit_to_pages', { width => ($w || 0) + 0, height => ($h || 0) + 0 }) }
sub set_print_scale { my ($s, $v) = @_; $s->_set('print_scale', ($v || 100) + 0) }
sub set_zoom { my ($s, $v) = @_; $s->_set('zoom', ($v || 100) + 0) }
sub right_to_left { $_[0]->_set('right_to_left', 1) }
sub hide { $_[0]->_set('hidden', 1) }
sub set_tab_color { my ($s, $c) = @_; $s->_set('tab_color', $c) }
sub set_header { my ($s, $h) = @_; $s->_set('header', defined $h ? "$h" : '') }
sub set_footer { my ($s, $f) = @_; $s->_set('footer', defined $f ? "$f" : '') }

sub set_margins { my ($s, $m) = @_; $s->{_margins}{$_} = $m + 0 for qw(left right top bottom); $s->_set('margins', { %{ $s->{_margins} } }) }
sub set_margins_LR { my ($s, $m) = @_; $s->{_margins}{$_} = $m + 0 for qw(left right); $s->_set('margins', { %{ $s->{_margins} } }) }
sub set_margins_TB { my ($s, $m) = @_; $s->{_margins}{$_} = $m + 0 for qw(top bottom); $s->_set('margins', { %{ $s->{_margins} } }) }
for my $side (qw(left right top bottom)) {
    no strict 'refs';
    *{"set_margin_$side"} = sub { my ($s, $m) = @_; $s->{_margins}{$side} = defined $m ? $m + 0 : 0.7; $s->_set('margins', { %{ $s->{_margins} } }) };
}

sub repeat_rows {
    my ($self, $first, $last) = @_;
    $last = $first unless defined $last;
    $self->_set('repeat_rows', ($first + 1) . ':' . ($last + 1));
}

sub repeat_columns {
    my $self = shift;
    if ($_[0] =~ /^\D/) { my @d = CPANBridge::Excel::substitute_cellref(@_); @_ = ($d[1], $d[3]) }
    my ($first, $last) = @_;
    $last = $first unless defined $last;
    $self->_set('repeat_cols', CPANBridge::Excel::col_to_name($first) . ':' . CPANBridge::Excel::col_to_name($last));
}

sub print_area {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    return if @_ != 4;
    my ($r1, $c1, $r2, $c2) = @_;
    $self->_set('print_area', CPANBridge::Excel::rowcol_to_cell($r1, $c1) . ':' . CPANBridge::Excel::rowcol_to_cell($r2, $c2));
}

sub activate {
    my $self = shift;
    $self->{_hidden} = 0;
    $self->_set('selected', 1);
    $self->_wb->_activate($self->{_idx});
}
sub select { $_[0]->_set('selected', 1) }
sub set_first_sheet { my $s = shift; $s->_wb->_first($s->{_idx}) }

sub set_selection {
    my $self = shift;
    return unless @_;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    $self->_set('selection', CPANBridge::Excel::rowcol_to_cell($_[0], $_[1]));
}

my %DV_TYPE = (integer => 'whole', decimal => 'decimal', list => 'list', date => 'date', time => 'time',
               length => 'textLength', custom => 'custom', any => 'any');
my %DV_OP = ('between' => 'between', 'not between' => 'notBetween', 'equal to' => 'equal', '=' => 'equal', '==' => 'equal',
    'not equal to' => 'notEqual', '!=' => 'notEqual', '<>' => 'notEqual', 'greater than' => 'greaterThan', '>' => 'greaterThan',
    'less than' => 'lessThan', '<' => 'lessThan', 'greater than or equal to' => 'greaterThanOrEqual', '>=' => 'greaterThanOrEqual',
    'less than or equal to' => 'lessThanOrEqual', '<=' => 'lessThanOrEqual');

sub _range_args {
    my $self = shift;
    @_ = CPANBridge::Excel::substitute_cellref(@_) if $_[0] =~ /^\D/;
    my ($r1, $c1, $r2, $c2, $opt);
    if (@_ == 3) { ($r1, $c1, $opt) = @_; ($r2, $c2) = ($r1, $c1) }
    elsif (@_ == 5) { ($r1, $c1, $r2, $c2, $opt) = @_ }
    else { return }
    return unless ref $opt eq 'HASH';
    ($r1, $r2) = ($r2, $r1) if $r2 < $r1;
    ($c1, $c2) = ($c2, $c1) if $c2 < $c1;
    my $range = ($r1 == $r2 && $c1 == $c2) ? CPANBridge::Excel::rowcol_to_cell($r1, $c1)
        : CPANBridge::Excel::rowcol_to_cell($r1, $c1) . ':' . CPANBridge::Excel::rowcol_to_cell($r2, $c2);
    return ($range, $opt);
}

sub _formula_value {
    my ($v) = @_;
    return undef unless defined $v;
    if (ref $v eq 'ARRAY') { return '"' . join(',', @$v) . '"' }
    my $s = "$v";
    $s =~ s/^=//;
    return $s;
}

sub data_validation {
    my $self = shift;
    my ($range, $opt) = $self->_range_args(@_);
    return -1 unless defined $range;
    my $type = $DV_TYPE{ $opt->{validate} || '' } or Carp::carp("Unknown validation type '" . ($opt->{validate} // '') . "' for parameter 'validate' in data_validation()"), return -3;
    my %rule = (type => $type, allowBlank => ($opt->{ignore_blank} // 1) ? \1 : \0);
    my @f = grep { defined } (_formula_value($opt->{value} // $opt->{source} // $opt->{minimum}), _formula_value($opt->{maximum}));
    $rule{formulae} = \@f;
    $rule{operator} = $DV_OP{ $opt->{criteria} || 'between' } || 'between' if $type ne 'list' && $type ne 'custom' && $type ne 'any';
    $rule{showInputMessage} = ($opt->{show_input} // 1) ? \1 : \0;
    $rule{showErrorMessage} = ($opt->{show_error} // 1) ? \1 : \0;
    $rule{promptTitle} = $opt->{input_title} if defined $opt->{input_title};
    $rule{prompt} = $opt->{input_message} if defined $opt->{input_message};
    $rule{errorTitle} = $opt->{error_title} if defined $opt->{error_title};
    $rule{error} = $opt->{error_message} if defined $opt->{error_message};
    $rule{errorStyle} = $opt->{error_type} if defined $opt->{error_type};
    $range .= ' ' . join ' ', map { ref $_ ? CPANBridge::Excel::rowcol_to_cell(@$_[0, 1]) . ':' . CPANBridge::Excel::rowcol_to_cell(@$_[2, 3]) : $_ } @{ $opt->{other_cells} } if $opt->{other_cells};
    $self->_wb->_op('data_validation', sheet => $self->{_idx}, range => $range, rule => \%rule);
    return 0;
}

sub conditional_formatting {
    my $self = shift;
    my $user_range = $_[0] =~ /^\D/ && $_[0] =~ /[ ,]/ ? $_[0] : undef;
    if ($user_range) { $user_range =~ s/,/ /g; $user_range =~ s/\$//g; my ($first) = split ' ', $user_range; shift; unshift @_, $first }
    my ($range, $opt) = $self->_range_args(@_);
    return -1 unless defined $range;
    $range = $user_range if $user_range;
    my $type = $opt->{type} || '';
    my $fmt = $self->_fmt_idx($opt->{format});
    my %rule;
    if ($type eq 'cell') {
        my $op = $DV_OP{ $opt->{criteria} || '' } or return -3;
        my @f = grep { defined } (_formula_value($opt->{value} // $opt->{minimum}), _formula_value($opt->{maximum}));
        %rule = (type => 'cellIs', operator => $op, formulae => \@f);
    }
    elsif ($type eq 'formula') {
        %rule = (type => 'expression', formulae => [ _formula_value($opt->{criteria}) ]);
    }
    elsif ($type eq 'text') {
        my %op = (containing => 'containsText', 'not containing' => 'notContains', 'begins with' => 'beginsWith', 'ends with' => 'endsWith');
        %rule = (type => 'containsText', operator => $op{ $opt->{criteria} || 'containing' } || 'containsText', text => $opt->{value});
    }
    elsif ($type eq '2_color_scale' || $type eq '3_color_scale') {
        my @cfvo = $type eq '2_color_scale' ? ({ type => 'min' }, { type => 'max' }) : ({ type => 'min' }, { type => 'percentile', value => 50 }, { type => 'max' });
        my @col = $type eq '2_color_scale' ? ($opt->{min_color} || '#FF7128', $opt->{max_color} || '#FFEF9C')
            : ($opt->{min_color} || '#F8696B', $opt->{mid_color} || '#FFEB84', $opt->{max_color} || '#63BE7B');
        %rule = (type => 'colorScale', cfvo => \@cfvo, color => [ map { (my $c = $_) =~ s/^#//; { argb => 'FF' . uc $c } } @col ]);
    }
    elsif ($type eq 'data_bar') {
        (my $c = $opt->{bar_color} || '#638EC6') =~ s/^#//;
        %rule = (type => 'dataBar', cfvo => [ { type => 'min' }, { type => 'max' } ], color => { argb => 'FF' . uc $c });
    }
    elsif ($type eq 'duplicate' || $type eq 'unique') {
        %rule = (type => $type eq 'duplicate' ? 'duplicateValues' : 'uniqueValues');
    }
    elsif ($type eq 'top' || $type eq 'bottom') {
        %rule = (type => 'top10', rank => ($opt->{value} || 10) + 0, bottom => $type eq 'bottom' ? \1 : \0,
                 percent => (($opt->{criteria} || '') eq '%') ? \1 : \0);
    }
    elsif ($type eq 'blanks' || $type eq 'no_blanks') {
        %rule = (type => 'expression', formulae => [ ($type eq 'blanks' ? 'LEN(TRIM(' : 'LEN(TRIM(') . (split /:/, $range)[0] . ($type eq 'blanks' ? '))=0' : '))>0') ]);
    }
    else {
        CPANBridge::Excel::Workbook::_unsupported("conditional_formatting type '$type'");
        return -2;
    }
    $rule{priority} = 1;
    $self->_wb->_op('conditional_formatting', sheet => $self->{_idx}, range => $range, rule => \%rule, fmt => $fmt);
    return 0;
}

# A recorded call of this worksheet (see Workbook::_call).
sub _call {
    my ($self, $method, @args) = @_;
    return $self->_wb->_call({ sheet => $self->{_idx} + 0 }, $method, \@args);
}

if ($CPANBridge::Excel::XLSX) {
    local $SIG{__WARN__} = sub { warn @_ unless $_[0] =~ /^Subroutine \S+ redefined/ };
    require CPANBridge::Excel::Worksheet::Core;
    for (qw(Rules Notes Drawing)) { my $f = "CPANBridge/Excel/Worksheet/$_.pm"; require $f if grep { -e "$_/$f" } @INC }
}

1;
