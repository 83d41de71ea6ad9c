package CPANBridge::Excel::Worksheet;

# The worksheet's core methods for the new writer, as the real Worksheet's: argument forms, checks
# and carps here; the state change is a recorded call (Worksheet::_call) replayed at close.

use strict;
use warnings;
use Carp ();

my $ROWMAX = 1048576;
my $COLMAX = 16384;

sub _a1 { $_[0] =~ /^\D/ ? CPANBridge::Excel::substitute_cellref(@_) : @_ }

sub _quote_sheetname {
    my $name = shift;
    if ($name =~ /\W/ && $name !~ /^'/) { $name =~ s/'/''/g; $name = "'$name'" }
    return $name;
}

sub _col_abs { '$' . CPANBridge::Excel::col_to_name($_[0]) }

sub set_column {
    my $self = shift;
    my @data = @_;
    if ($data[0] =~ /^\D/) {
        @data = CPANBridge::Excel::substitute_cellref(@_);
        shift @data;
        splice @data, 1, 1;
    }
    return if @data < 3;
    my ($first, $last, $width, $format, $hidden, $level) = @data;
    return if !defined $first || !defined $last;
    $last = $first if $last == 0;
    ($first, $last) = ($last, $first) if $first > $last;
    return -2 if $first >= $COLMAX || $last >= $COLMAX;
    # a formatted column, or a hidden one with a width, counts in the dimensions (_dim_colmin)
    if (ref $format || ($width && $hidden)) { $self->_wb->_dim_col($self->{_idx}, $_) for $first, $last }
    $self->_call('set_column', $first + 0, $last + 0, defined $width ? $width + 0 : undef, ref $format ? $format : undef,
        $hidden ? 1 : 0, defined $level ? $level + 0 : 0);
    return;
}

sub set_column_pixels {
    my $self = shift;
    my @d = @_;
    if ($d[0] =~ /^\D/) { @d = CPANBridge::Excel::substitute_cellref(@d); shift @d; splice @d, 1, 1 }
    my $px = $d[2];
    $d[2] = defined $px ? ($px <= 12 ? $px / 12 : ($px - 5) / 7) : undef;
    return $self->set_column(@d);
}

sub set_row {
    my $self = shift;
    my ($row, $height, $format, $hidden, $level, $collapsed) = @_;
    return unless defined $row;
    return -2 if $row >= $ROWMAX;
    $self->_wb->_dim_col($self->{_idx}, 0) unless defined $self->_wb->{_colmin}[ $self->{_idx} ];
    my $min_col = $self->_wb->{_colmin}[ $self->{_idx} ];
    $min_col = 0 unless defined $min_col;
    $self->_call('set_row', $row + 0, defined $height ? $height + 0 : undef, ref $format ? $format : undef,
        $hidden ? 1 : 0, ($level || 0) + 0, $collapsed ? 1 : 0, $min_col + 0);
    # the real method's last statement: _row_sizes->{$row} = [height, hidden]
    $height = 15 unless defined $height;
    return [ $height, $hidden || 0 ];
}

sub set_row_pixels { my ($s, $r, $h, @rest) = @_; $s->set_row($r, defined $h ? 0.75 * $h : undef, @rest) }

sub set_default_row {
    my ($self, $h, $z) = @_;
    $self->_call('set_default_row', defined $h ? $h + 0 : undef, $z ? 1 : 0);
    return;
}


sub _escape_url {
    my $url = shift;
    return $url if $url =~ /%[0-9a-fA-F]{2}/;
    $url =~ s/%/%25/g;
    $url =~ s/"/%22/g;
    $url =~ s/ /%20/g;
    $url =~ s/</%3c/g;
    $url =~ s/>/%3e/g;
    $url =~ s/\[/%5b/g;
    $url =~ s/\]/%5d/g;
    $url =~ s/\^/%5e/g;
    $url =~ s/`/%60/g;
    $url =~ s/\{/%7b/g;
    $url =~ s/\}/%7d/g;
    return $url;
}

sub write_url {
    my $self = shift;
    @_ = _a1(@_);
    return -1 if @_ < 3;
    my @args = @_;
    ($args[3], $args[4]) = ($args[4], $args[3]) if defined $args[3] and !ref $args[3];
    my ($row, $col, $url, $xf, $str, $tip) = @args;
    my $link_type = 1;
    my $external = 0;
    $str = $url unless defined $str;
    if ($url =~ s/^internal://) { $str =~ s/^internal://; $link_type = 2 }
    if ($url =~ s/^external://) { $str =~ s/^external://; $url =~ s[/][\\]g; $str =~ s[/][\\]g; $external = 1 }
    $str =~ s/^mailto://;
    return -2 if !defined $row || $row >= $ROWMAX || !defined $col || $col >= $COLMAX;
    my $err = 0;
    if (length $str > 32767) { $str = substr($str, 0, 32767); $err = -3 }
    my $url_str = $str;
    if ($link_type == 1) {
        ($url, $url_str) = split /#/, $url, 2;
        $url = _escape_url($url);
        $url_str = _escape_url($url_str) if $url_str && !$external;
        $url = 'file:///' . $url if $url =~ m{^\w:} || $url =~ m{^\\\\};
        $url =~ s{^.\\}{};
    }
    my $max = $self->_wb->{_max_url_length} || 2079;
    if (length $url > $max || length($url_str || '') > $max) {
        $self->_wb->_dim_col($self->{_idx}, $col);
        $self->_call('dimensions', $row + 0, $col + 0);
        Carp::carp("Ignoring URL '$url' where link or anchor > $max characters since it exceeds Excel's limit for URLS. "
            . 'See LIMITATIONS section of the Excel::Writer::XLSX documentation.');
        return -4;
    }
    if (++$self->{_hlink_count} > 65_530) {
        $self->_wb->_dim_col($self->{_idx}, $col);
        $self->_call('dimensions', $row + 0, $col + 0);
        Carp::carp("Ignoring URL '$url' since it exceeds Excel's limit of 65,530 URLs per worksheet. "
            . 'See LIMITATIONS section of the Excel::Writer::XLSX documentation.');
        return -5;
    }
    if (!defined $xf) {
        $xf = exists $self->{_default_url_format} ? $self->{_default_url_format} : $self->_wb->{_default_url_format};
    }
    $self->write_string($row, $col, $str, $xf);
    $self->_call('hyperlink', $row + 0, $col + 0, $link_type, "$url", defined $url_str ? "$url_str" : undef, defined $tip ? "$tip" : undef);
    return $err;
}

sub write_rich_string {
    my $self = shift;
    @_ = _a1(@_);
    return -1 if @_ < 3;
    my $row = shift;
    my $col = shift;
    return -2 if !defined $row || $row >= $ROWMAX || !defined $col || $col >= $COLMAX;
    my $xf;
    $xf = pop @_ if ref $_[-1];
    my ($xml, $length) = CPANBridge::Excel::Format::rich_string_xml($self->_wb->{_palette}, @_);
    # the real method has counted the cell in the dimensions before these checks
    if (($xml eq '-4' && !defined $length) || $length > 32767) {
        $self->_wb->_dim_col($self->{_idx}, $col);
        $self->_call('dimensions', $row + 0, $col + 0);
        return defined $length ? -3 : -4;
    }
    return $self->_wb->_cell($self->{_idx}, $row, $col, 's', $xf, $xml);
}

sub write_utf16be_string {
    my $self = shift;
    @_ = _a1(@_);
    return -1 if @_ < 3;
    require Encode;
    my $s = Encode::decode('UTF-16BE', $_[2]);
    return $self->write_string($_[0], $_[1], $s, $_[3]);
}

sub write_utf16le_string {
    my $self = shift;
    @_ = _a1(@_);
    return -1 if @_ < 3;
    require Encode;
    my $s = Encode::decode('UTF-16LE', $_[2]);
    return $self->write_string($_[0], $_[1], $s, $_[3]);
}

# Worksheet::_prepare_formula: braces and = off; the _xlfn. prefixes of the dynamic array
# functions and, with use_future_functions, of Excel 2010+ functions.
my @DYNAMIC = qw(LET LAMBDA SINGLE SORTBY UNIQUE XMATCH XLOOKUP SEQUENCE RANDARRAY);
my @FUTURE = qw(ACOTH ACOT AGGREGATE ARABIC BASE BETA.DIST BETA.INV BINOM.DIST.RANGE BINOM.DIST BINOM.INV BITAND BITLSHIFT
    BITOR BITRSHIFT BITXOR CEILING.MATH CEILING.PRECISE CHISQ.DIST.RT CHISQ.DIST CHISQ.INV.RT CHISQ.INV CHISQ.TEST COMBINA
    CONCAT CONFIDENCE.NORM CONFIDENCE.T COTH COT COVARIANCE.P COVARIANCE.S CSCH CSC DAYS DECIMAL ERF.PRECISE ERFC.PRECISE
    EXPON.DIST F.DIST.RT F.DIST F.INV.RT F.INV F.TEST FILTERXML FLOOR.MATH FLOOR.PRECISE FORECAST.ETS.CONFINT
    FORECAST.ETS.SEASONALITY FORECAST.ETS.STAT FORECAST.ETS FORECAST.LINEAR FORMULATEXT GAMMA.DIST GAMMA.INV
    GAMMALN.PRECISE GAMMA GAUSS HYPGEOM.DIST IFNA IFS IMCOSH IMCOT IMCSCH IMCSC IMSECH IMSEC IMSINH IMTAN ISFORMULA
    ISOWEEKNUM LOGNORM.DIST LOGNORM.INV MAXIFS MINIFS MODE.MULT MODE.SNGL MUNIT NEGBINOM.DIST NORM.DIST NORM.INV
    NORM.S.DIST NORM.S.INV NUMBERVALUE PDURATION PERCENTILE.EXC PERCENTILE.INC PERCENTRANK.EXC PERCENTRANK.INC
    PERMUTATIONA PHI POISSON.DIST QUARTILE.EXC QUARTILE.INC QUERYSTRING RANK.AVG RANK.EQ RRI SECH SEC SHEETS SHEET
    SKEW.P STDEV.P STDEV.S SWITCH T.DIST.2T T.DIST.RT T.DIST T.INV.2T T.INV T.TEST TEXTJOIN UNICHAR UNICODE VAR.P VAR.S
    WEBSERVICE WEIBULL.DIST XOR Z.TEST);

sub _prepare_formula {
    my ($self, $formula) = @_;
    return $formula if !$formula;
    $formula =~ s/^{(.*)}$/$1/;
    $formula =~ s/^=//;
    return $formula if $formula =~ m/_xlfn\./;
    for my $f (@DYNAMIC) { $formula =~ s/\b(\Q$f\E\()/_xlfn.$1/g }
    $formula =~ s/\b(SORT\()/_xlfn._xlws.$1/g;
    $formula =~ s/\b(ANCHORARRAY\()/_xlfn.$1/g;
    $formula =~ s/\b(FILTER\()/_xlfn._xlws.$1/g;
    return $formula if !$self->{_use_future_functions};
    # as the real module: the dots of these names are regex wildcards there too
    for my $f (@FUTURE) { $formula =~ s/\b($f\()/_xlfn.$1/g }
    return $formula;
}

sub use_future_functions {
    my ($self, $v) = @_;
    $self->{_use_future_functions} = defined $v ? $v : 1;
    return;
}

sub _array_formula {
    my $self = shift;
    my $type = shift;
    my @args = @_;
    if ($args[0] =~ /^\D/) {
        my $ref = shift @args;
        my @dims = CPANBridge::Excel::substitute_cellref($ref);
        @args = @dims == 2 ? (@dims, @dims, @args) : (@dims, @args);
    }
    return -1 if @args < 5;
    my ($r1, $c1, $r2, $c2, $formula, $xf, $value) = @args;
    ($r1, $r2) = ($r2, $r1) if $r1 > $r2;
    for ([$r1, $c1], [$r2, $c2]) { return -2 if !defined $_->[0] || $_->[0] >= $ROWMAX || !defined $_->[1] || $_->[1] >= $COLMAX }
    my $range = ($r1 == $r2 && $c1 == $c2) ? CPANBridge::Excel::rowcol_to_cell($r1, $c1)
        : CPANBridge::Excel::rowcol_to_cell($r1, $c1) . ':' . CPANBridge::Excel::rowcol_to_cell($r2, $c2);
    $formula = $self->_prepare_formula($formula);
    my $wb = $self->_wb;
    my $rc = $wb->_cell($self->{_idx}, $r1, $c1, $type, $xf, $formula, $range, defined $value ? ("$value") : ());
    return $rc if $rc;
    if (!$self->{_optimization}) {
        for my $r ($r1 .. $r2) {
            for my $c ($c1 .. $c2) {
                next if $r == $r1 && $c == $c1;
                $self->write_number($r, $c, 0, $xf);
            }
        }
    }
    return 0;
}

sub write_array_formula { my $self = shift; $self->_array_formula('a', @_) }

sub write_dynamic_array_formula {
    my $self = shift;
    my $err = $self->_array_formula('d', @_);
    $self->_call('dynamic_arrays') if $err == 0 && !$self->{_has_dynamic_arrays}++;
    return $err;
}

my $DYNAMIC_RE = qr/\b(?:LET|SORT|LAMBDA|SINGLE|SORTBY|UNIQUE|XMATCH|FILTER|XLOOKUP|SEQUENCE|RANDARRAY|ANCHORARRAY)\(/;

sub write_formula {
    my $self = shift;
    @_ = _a1(@_);
    return -1 if @_ < 3;
    my ($row, $col, $formula, $xf, $value) = @_;
    return $self->write_dynamic_array_formula($row, $col, $row, $col, $formula, $xf, $value) if $formula =~ $DYNAMIC_RE;
    return $self->write_array_formula($row, $col, $row, $col, $formula, $xf, $value) if $formula =~ /^{=.*}$/;
    return -2 if !defined $row || $row >= $ROWMAX || !defined $col || $col >= $COLMAX;
    $formula =~ s/^=//;
    return $self->_wb->_cell($self->{_idx}, $row, $col, 'f', $xf, $formula, defined $value ? ("$value") : ());
}

sub store_formula {
    my ($self, $string) = @_;
    my @tokens = split /(\$?[A-I]?[A-Z]\$?\d+)/, $string;
    return \@tokens;
}

sub repeat_formula {
    my $self = shift;
    @_ = _a1(@_);
    return -1 if @_ < 2;
    my ($row, $col, $formula_ref, $format, @pairs) = @_;
    Carp::croak('Odd number of elements in pattern/replacement list') if @pairs % 2;
    Carp::croak('Not a valid formula') if ref $formula_ref ne 'ARRAY';
    my @tokens = @$formula_ref;
    my $value;
    if (@pairs && $pairs[-2] eq 'result') { $value = pop @pairs; pop @pairs }
    while (@pairs) {
        my $pattern = shift @pairs;
        my $replace = shift @pairs;
        for my $token (@tokens) { last if $token =~ s/$pattern/$replace/ }
    }
    return $self->write_formula($row, $col, join('', @tokens), $format, $value);
}

sub set_first_row_column {
    my $self = shift;
    my $row = $_[0] || 0;
    my $col = $_[1] || 0;
    $row = $ROWMAX if $row > $ROWMAX;
    $col = $COLMAX if $col > $COLMAX;
    # the real module keeps them and writes nothing from them
    @$self{qw(_first_row _first_col)} = ($row, $col);
    return;
}

{ no warnings 'once'; *thaw_panes = \&split_panes; }

# (each returns what the real method's last assignment gives)
sub select { $_[0]->{_hidden} = 0; $_[0]->_call('select'); return 1 }
sub activate { my $s = shift; $s->{_hidden} = 0; $s->_call('activate'); return $s->{_idx} }
sub hide { $_[0]->{_hidden} = 1; $_[0]->_call('hide'); return 0 }
sub set_first_sheet { $_[0]->{_hidden} = 0; $_[0]->_call('set_first_sheet'); return $_[0]->{_idx} }

sub set_selection {
    my $self = shift;
    return unless @_;
    @_ = _a1(@_);
    my ($active, $sqref);
    if (@_ == 2) { $active = CPANBridge::Excel::rowcol_to_cell($_[0], $_[1]); $sqref = $active }
    elsif (@_ == 4) {
        $active = CPANBridge::Excel::rowcol_to_cell($_[0], $_[1]);
        my ($r1, $c1, $r2, $c2) = @_;
        ($r1, $r2) = ($r2, $r1) if $r1 > $r2;
        ($c1, $c2) = ($c2, $c1) if $c1 > $c2;
        $sqref = ($r1 == $r2 && $c1 == $c2) ? CPANBridge::Excel::rowcol_to_cell($r1, $c1)
            : CPANBridge::Excel::rowcol_to_cell($r1, $c1) . ':' . CPANBridge::Excel::rowcol_to_cell($r2, $c2);
    }
    else { return }
    return if $sqref eq 'A1';
    $self->_call('set_selection', $active, $sqref);
    return [ [ undef, $active, $sqref ] ];
}

sub set_top_left_cell {
    my $self = shift;
    return unless @_;
    @_ = _a1(@_);
    my $row = $_[0] || 0;
    my $col = $_[1] || 0;
    return if $row == 0 && $col == 0;
    my $cell = CPANBridge::Excel::rowcol_to_cell($row, $col);
    $self->_call('set_top_left_cell', $cell);
    return $cell;
}

sub freeze_panes {
    my $self = shift;
    return unless @_;
    @_ = _a1(@_);
    my $row = shift;
    my $col = shift || 0;
    my $top = shift || $row;
    my $left = shift || $col;
    my $type = shift || 0;
    $self->_call('freeze_panes', $row + 0, $col + 0, $top + 0, $left + 0, $type + 0);
    return [ $row, $col, $top, $left, $type ];
}
sub split_panes { my $self = shift; $self->freeze_panes(@_[0 .. 3], 2) }
# the real method's body is empty: a deprecated name, nothing written
sub write_url_range { return }

sub set_portrait  { $_[0]->_call('set_portrait'); return 1 }
sub set_landscape { $_[0]->_call('set_landscape'); return 1 }
sub set_page_view { my ($s, $v) = @_; $v = 1 unless defined $v; $s->_call('set_page_view', $v); return $v }

sub set_tab_color {
    my ($self, $c) = @_;
    my $color = CPANBridge::Excel::Format->can('_get_color') ? CPANBridge::Excel::Format::_get_color($c) : $c;
    $self->_call('set_tab_color', $color =~ /^\d+$/ ? $color + 0 : "$color");
    return $color;
}

sub set_paper { my ($s, $p) = @_; return $p unless $p; $s->_call('set_paper', $p + 0); return 1 }

sub _header_footer {
    my ($self, $which, $string, $margin, $options) = @_;
    $string = '' unless defined $string;
    $margin = $margin || 0.3;
    $options ||= {};
    $string =~ s/&\[Picture\]/&G/g;
    my $what = $which eq 'H' ? 'Header' : 'Footer';
    if (length $string > 255) { Carp::carp("$what string cannot be longer than Excel's limit of 255 characters"); return }
    my $images = $self->can('_hf_images') ? $self->_hf_images($options, $which) : [];
    my $placeholders = () = $string =~ /&G/g;
    if (@$images != $placeholders) {
        warn "Number of " . lc($what) . " images (" . scalar(@$images) . ") doesn't match placeholder count ($placeholders) in string: $string\n";
        return;
    }
    $self->_hf_images_upload($images) if @$images && $self->can('_hf_images_upload');
    $self->_call($which eq 'H' ? 'set_header' : 'set_footer', "$string", $margin + 0,
        defined $options->{align_with_margins} ? $options->{align_with_margins} : undef,
        defined $options->{scale_with_doc} ? $options->{scale_with_doc} : undef, @$images ? ($images) : ());
    return 1;
}
sub set_header { my $s = shift; $s->_header_footer('H', @_) }
sub set_footer { my $s = shift; $s->_header_footer('F', @_) }

sub center_horizontally { $_[0]->_call('center_horizontally'); return 1 }
sub center_vertically   { $_[0]->_call('center_vertically'); return 1 }

# returns the last margin set, as the real set_margin_* calls do
sub _margins { my ($s, @m) = @_; $s->_call('set_margins', map { defined $_ ? $_ + 0 : undef } @m); my ($last) = grep { defined } reverse @m; return $last }
sub _m { defined $_[0] ? $_[0] + 0 : $_[1] }
sub set_margins    { my ($s, $m) = @_; $s->_margins(_m($m, 0.7), _m($m, 0.7), _m($m, 0.75), _m($m, 0.75)) }
sub set_margins_LR { my ($s, $m) = @_; $s->_margins(_m($m, 0.7), _m($m, 0.7), undef, undef) }
sub set_margins_TB { my ($s, $m) = @_; $s->_margins(undef, undef, _m($m, 0.75), _m($m, 0.75)) }
sub set_margin_left   { my ($s, $m) = @_; $s->_margins(_m($m, 0.7), undef, undef, undef) }
sub set_margin_right  { my ($s, $m) = @_; $s->_margins(undef, _m($m, 0.7), undef, undef) }
sub set_margin_top    { my ($s, $m) = @_; $s->_margins(undef, undef, _m($m, 0.75), undef) }
sub set_margin_bottom { my ($s, $m) = @_; $s->_margins(undef, undef, undef, _m($m, 0.75)) }

sub repeat_rows {
    my ($self, $min, $max) = @_;
    $max = $max || $min;
    $min++;
    $max++;
    my $area = _quote_sheetname($self->{_name}) . '!$' . $min . ':$' . $max;
    $self->_call('repeat_rows', $area);
    return $area;
}

sub repeat_columns {
    my $self = shift;
    if ($_[0] =~ /^\D/) { @_ = CPANBridge::Excel::substitute_cellref(@_); shift @_; splice @_, 1, 1 }
    # as the real method: the last column is the second argument as given (a missing one is column A)
    my $area = _quote_sheetname($self->{_name}) . '!' . _col_abs($_[0]) . ':' . _col_abs($_[1] || 0);
    $self->_call('repeat_columns', $area);
    return $area;
}

sub print_area {
    my $self = shift;
    @_ = _a1(@_);
    return if @_ != 4;
    my ($r1, $c1, $r2, $c2) = @_;
    return if $r1 == 0 && $c1 == 0 && $r2 == $ROWMAX - 1 && $c2 == $COLMAX - 1;
    my ($a, $b, $only) = ('', '', 0);
    if ($r1 == 0 && $r2 == $ROWMAX - 1) { ($a, $b, $only) = (_col_abs($c1), _col_abs($c2), 1) }
    elsif ($c1 == 0 && $c2 == $COLMAX - 1) { ($a, $b, $only) = ('$' . ($r1 + 1), '$' . ($r2 + 1), 1) }
    else { ($a, $b) = (_col_abs($c1) . '$' . ($r1 + 1), _col_abs($c2) . '$' . ($r2 + 1)) }
    my $area = _quote_sheetname($self->{_name}) . '!' . (($a eq $b && !$only) ? $a : "$a:$b");
    $self->_call('print_area', $area);
    return $area;
}

sub hide_gridlines {
    my ($s, $o) = @_;
    $o = 1 unless defined $o;
    $s->_call('hide_gridlines', $o + 0);
    return $o == 0 ? 1 : $o == 1 ? 1 : 0;
}
sub print_row_col_headers { my ($s, $v) = @_; $v = 1 unless defined $v; $s->_call('print_row_col_headers', $v); return $v ? 1 : 0 }
sub hide_row_col_headers { $_[0]->_call('hide_row_col_headers'); return 1 }
sub fit_to_pages { my ($s, $w, $h) = @_; $s->_call('fit_to_pages', defined $w ? $w + 0 : 1, defined $h ? $h + 0 : 1); return 1 }
sub set_h_pagebreaks { my $s = shift; $s->_call('set_h_pagebreaks', map { $_ + 0 } @_); return $s->{_hbreaks_n} += @_ }
sub set_v_pagebreaks { my $s = shift; $s->_call('set_v_pagebreaks', map { $_ + 0 } @_); return $s->{_vbreaks_n} += @_ }

sub set_zoom {
    my ($self, $scale) = @_;
    $scale = $scale || 100;
    if ($scale < 10 or $scale > 400) { Carp::carp("Zoom factor $scale outside range: 10 <= zoom <= 400"); $scale = 100 }
    $self->_call('set_zoom', int $scale);
    return int $scale;
}

sub set_print_scale {
    my ($self, $scale) = @_;
    $scale = $scale || 100;
    if ($scale < 10 or $scale > 400) { Carp::carp("Print scale $scale outside range: 10 <= zoom <= 400"); $scale = 100 }
    $self->_call('set_print_scale', int $scale);
    return 1;
}

sub print_black_and_white { $_[0]->_call('print_black_and_white'); return 1 }
sub right_to_left { my ($s, $v) = @_; $v = 1 unless defined $v; $s->_call('right_to_left', $v); return $v }
sub hide_zero { my ($s, $v) = @_; my $show = defined $v ? !$v : 0; $s->_call('hide_zero', defined $v ? $v : 1); return $show }
sub print_across { my ($s, $v) = @_; $v = 1 unless defined $v; $s->_call('print_across', $v); return $v ? 1 : 0 }
sub set_start_page { my ($s, $v) = @_; return unless defined $v; $s->_call('set_start_page', $v + 0); return $v }
sub outline_settings { my $s = shift; $s->_call('outline_settings', @_[0 .. 3]); return 1 }
sub set_vba_name { my ($s, $n) = @_; $s->_call('set_vba_name', $n ? "$n" : undef); return $n ? $n : 'Sheet' . ($s->{_idx} + 1) }
sub set_background {
    my ($self, $file) = @_;
    Carp::croak("Couldn't locate $file: $!") unless defined $file && -e $file;
    my $key = $self->_wb->_image_ref($file);
    $self->_call('set_background', $key, "$file");
    return 0;
}

1;
