package CPANBridge::Excel;

# Excel::Writer::XLSX on the bridge. The script-facing semantics (write()'s
# type dispatch and return codes, A1 notation, sheet-name checks, croak texts)
# are decided here, in Perl, exactly as the real module decides them; the
# daemon's excel module keeps the workbook's state in its journal and renders
# it at close. Cell writes are buffered into one compact string and sent
# pipelined (CPANBridge::send_async): writing a cell costs no round trip.
#
# Classes: CPANBridge::Excel::Workbook, ::Worksheet, ::Format, ::Chart.
# perl/compat/Excel/Writer/XLSX.pm and perl/lib/ExcelHelper.pm subclass them
# under the original names.

use strict;
use warnings;
use Carp ();
use Cwd ();
use Errno ();
use File::Spec ();
use Scalar::Util ();
use CPANBridge ();

our $VERSION = '1.10';

# Cells per write_batch request (and bytes): bounded frames, few requests.
our $BATCH_CELLS = 5000;
our $BATCH_BYTES = 512 * 1024;

our @CARP_NOT;
# Errors and warnings point at the script, not at the shim.
$Carp::Internal{$_}++ for qw(CPANBridge::Excel CPANBridge::Excel::Workbook CPANBridge::Excel::Worksheet
    CPANBridge::Excel::Format CPANBridge::Excel::Chart Excel::Writer::XLSX Excel::Writer::XLSX::Workbook
    Excel::Writer::XLSX::Worksheet Excel::Writer::XLSX::Format Excel::Writer::XLSX::Chart ExcelHelper ExcelHelper::Worksheet ExcelHelper::Format);

my %OPEN;    # id => weakened workbook, closed at END as the real module closes at DESTROY

END {
    local ($?, $@, $!);
    for my $wb (grep { defined } values %OPEN) {
        eval { $wb->close; 1 } or warn "Excel::Writer::XLSX: closing $wb->{_filename} at exit failed: $@";
    }
}

sub _err_text {
    my ($e) = @_;
    my $m = ref $e && eval { $e->can('message') } ? $e->message : "$e";
    $m =~ s/\s+\z//;
    return $m;
}

# ---------------------------------------------------------------------------
# A1 notation (Excel::Writer::XLSX::Utility semantics)

sub cell_to_rowcol {
    my $cell = shift;
    return (0, 0, 0, 0) unless $cell =~ /(\$?)([A-Z]{1,3})(\$?)(\d+)/;
    my ($col_abs, $col, $row_abs, $row) = ($1 ? 1 : 0, $2, $3 ? 1 : 0, $4);
    my $n = 0;
    $n = $n * 26 + (ord($_) - 64) for split //, $col;
    return ($row - 1, $n - 1, $row_abs, $col_abs);
}

sub col_to_name {
    my ($col) = @_;
    my $s = '';
    my $c = $col + 1;
    while ($c > 0) {
        my $r = ($c - 1) % 26;
        $s = chr(65 + $r) . $s;
        $c = int(($c - 1) / 26);
    }
    return $s;
}

sub rowcol_to_cell { my ($r, $c) = @_; col_to_name($c) . ($r + 1) }

sub substitute_cellref {
    my $cell = uc(shift);
    if ($cell =~ /\$?([A-Z]{1,3}):\$?([A-Z]{1,3})/) {
        my ($r1, $c1) = cell_to_rowcol($1 . '1');
        my ($r2, $c2) = cell_to_rowcol($2 . 1048576);
        return ($r1, $c1, $r2, $c2, @_);
    }
    if ($cell =~ /\$?([A-Z]{1,3}\$?\d+):\$?([A-Z]{1,3}\$?\d+)/) {
        my ($r1, $c1) = cell_to_rowcol($1);
        my ($r2, $c2) = cell_to_rowcol($2);
        return ($r1, $c1, $r2, $c2, @_);
    }
    if ($cell =~ /\$?([A-Z]{1,3}\$?\d+)/) {
        my ($r1, $c1) = cell_to_rowcol($1);
        return ($r1, $c1, @_);
    }
    Carp::croak("Unknown cell reference $cell");
}

# Excel::Writer::XLSX::Worksheet::convert_date_time, 1900 epoch (or 1904).
sub convert_date_time {
    my ($date_time, $date_1904) = @_;
    return unless defined $date_time;
    my ($days, $seconds) = (0, 0);
    $date_time =~ s/^\s+//;
    $date_time =~ s/\s+$//;
    return if $date_time =~ /[^0-9T:\-\.Z]/;
    return unless $date_time =~ /\dT|T\d/;
    $date_time =~ s/Z$//;
    my ($date, $time) = split /T/, $date_time;
    $time = '' unless defined $time;
    if ($time ne '') {
        my ($hour, $min, $sec);
        if ($time =~ /^(\d\d):(\d\d)(:(\d\d(\.\d+)?))?/) { ($hour, $min, $sec) = ($1, $2, $4 || 0) }
        else { return undef }
        return if $hour >= 24 || $min >= 60 || $sec >= 60;
        $seconds = ($hour * 60 * 60 + $min * 60 + $sec) / (24 * 60 * 60);
    }
    return $seconds if $date eq '';
    my ($year, $month, $day);
    if ($date =~ /^(\d\d\d\d)-(\d\d)-(\d\d)$/) { ($year, $month, $day) = ($1, $2, $3) }
    else { return undef }
    if (!$date_1904) {
        return $seconds if $date eq '1899-12-31';
        return $seconds if $date eq '1900-01-00';
        return 60 + $seconds if $date eq '1900-02-29';
    }
    my $epoch  = $date_1904 ? 1904 : 1900;
    my $offset = $date_1904 ? 4 : 0;
    my $norm   = 300;
    my $range  = $year - $epoch;
    my @mdays = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31);
    my $leap = 0;
    $leap = 1 if $year % 4 == 0 and $year % 100 or $year % 400 == 0;
    $mdays[1] = 29 if $leap;
    return if $year < $epoch or $year > 9999;
    return if $month < 1 or $month > 12;
    return if $day < 1 or $day > $mdays[ $month - 1 ];
    $days = $day;
    $days += $mdays[$_] for 0 .. $month - 2;
    $days += $range * 365;
    $days += int(($range) / 4);
    $days -= int(($range + $offset) / 100);
    $days += int(($range + $offset + $norm) / 400);
    $days -= $leap;
    $days++ if !$date_1904 and $days > 59;
    return $days + $seconds;
}

# ===========================================================================
package CPANBridge::Excel::Workbook;

use strict;
use warnings;

sub new {
    my $class = shift;
    my $filename = $_[0];
    my $options = $_[1] || {};
    if (!defined $filename || (!ref $filename && $filename eq '')) {
        Carp::carp('Filename required by Excel::Writer::XLSX->new()');
        return undef;
    }
    my ($path, $fh);
    if (ref $filename || $filename eq '-') {
        # A filehandle (or STDOUT): the daemon writes a temporary file, copied into it at close.
        $fh = $filename eq '-' ? \*STDOUT : $filename;
        require File::Temp;
        my (undef, $tmp) = File::Temp::tempfile('cbxlsx-XXXXXX', SUFFIX => '.xlsx', TMPDIR => 1, UNLINK => 0);
        unlink $tmp;
        $path = $tmp;
    }
    else {
        $path = File::Spec->rel2abs($filename);
    }
    my $r = eval {
        CPANBridge::call('excel', 'new_workbook', { filename => $path, cwd => Cwd::getcwd(),
            options => { (ref $options eq 'HASH' ? %$options : ()) } });
    };
    if (!$r) {
        my $e = $@;
        my $code = ref $e && eval { $e->can('code') } ? $e->code : '';
        my $errno = ref $e ? ($e->{errno} || '') : '';
        # the daemon's errno name (ENOENT, EISDIR, ENAMETOOLONG...) as $!, as a failed open would set it
        my $errf = $errno =~ /^E[A-Z0-9]+$/ ? Errno->can($errno) : undef;
        $! = $errf ? $errf->() : Errno::EACCES();
        $CPANBridge::Excel::LAST_ERROR = CPANBridge::Excel::_err_text($e);
        if ($code ne 'excel_open_failed' && $code ne 'path_denied') {
            Carp::carp("Excel::Writer::XLSX->new($filename): $CPANBridge::Excel::LAST_ERROR");
        }
        return undef;
    }
    my $self = bless {
        _wb           => $r->{wb},
        _filename     => ref $filename ? "$filename" : $filename,
        _path         => $r->{path},
        _fh           => $fh,
        _worksheets   => [],
        _sheetnames   => {},
        _sheetname_count => 0,
        _formats      => [undef],    # index 0: the default format (never sent)
        _dirty        => {},
        _buf          => '',
        _nbuf         => 0,
        _fileclosed   => 0,
        _date_1904    => 0,
        _pid          => CPANBridge::owner_tag(),
        _url_format   => undef,
    }, $class;
    $OPEN{ $r->{wb} } = $self;
    Scalar::Util::weaken($OPEN{ $r->{wb} });
    return $self;
}

sub _worksheet_class { 'CPANBridge::Excel::Worksheet' }
sub _format_class    { 'CPANBridge::Excel::Format' }
sub _chart_class     { 'CPANBridge::Excel::Chart' }

# --- buffered sending ---------------------------------------------------------

sub _cell {    # ($self, $sheet_idx, $row, $col, $type, $format, @values)
    my $self = shift;
    my $fmt = $_[4];
    my $fi = '';
    if (ref $fmt) {
        $fi = $fmt->{_idx};
        $fi = '' unless defined $fi && $fmt->{_wb_id} && $fmt->{_wb_id} eq $self->{_wb};
    }
    my @v = @_[ 5 .. $#_ ];
    for (@v) {
        $_ = '' unless defined;
        s/([\x1c-\x1f])/"\x1c" . chr(ord($1) + 32)/ge if tr/\x1c-\x1f//;
    }
    my $rec = join("\x1f", $_[0], $_[1], $_[2], $_[3], $fi, @v);
    $self->{_buf} .= $self->{_nbuf}++ ? "\x1e$rec" : $rec;
    $self->_flush if $self->{_nbuf} >= $CPANBridge::Excel::BATCH_CELLS
        || length($self->{_buf}) >= $CPANBridge::Excel::BATCH_BYTES;
    return 0;
}

sub _flush {
    my $self = shift;
    return if $self->{_fileclosed} || $self->{_pid} ne CPANBridge::owner_tag();
    if (%{ $self->{_dirty} }) {
        for my $i (sort { $a <=> $b } keys %{ $self->{_dirty} }) {
            my $f = $self->{_formats}[$i] or next;
            CPANBridge::send_async('excel', 'add_format', { wb => $self->{_wb}, idx => $i + 0, props => { %{ $f->{_props} } } });
        }
        %{ $self->{_dirty} } = ();
    }
    if ($self->{_dirty_charts} && %{ $self->{_dirty_charts} }) {
        for my $i (sort { $a <=> $b } keys %{ $self->{_dirty_charts} }) {
            my $c = $self->{_charts}[$i] or next;
            next if $c->{_skip};
            CPANBridge::send_async('excel', 'add_chart', { wb => $self->{_wb}, idx => $i + 0, def => $c->_def });
        }
        %{ $self->{_dirty_charts} } = ();
    }
    if ($self->{_nbuf}) {
        my $buf = $self->{_buf};
        utf8::upgrade($buf);    # Perl's view of the characters (byte strings are Latin-1, as in the real module)
        $self->{_buf} = '';
        $self->{_nbuf} = 0;
        CPANBridge::send_async('excel', 'write_batch', { wb => $self->{_wb}, cells => $buf });
    }
}

# An ordered operation other than a cell write: sent after the cells before it.
sub _op {
    my ($self, $fn, %p) = @_;
    return 0 if $self->{_fileclosed};
    # indices may have been used as strings (record building): the daemon's schemas want integers
    for (qw(sheet r1 c1 r2 c2 row col first last chart part parts x_offset y_offset x_scale y_scale object_position)) { $p{$_} += 0 if defined $p{$_} }
    $self->_flush;
    CPANBridge::send_async('excel', $fn, { wb => $self->{_wb}, %p });
    return 0;
}

# --- public API ------------------------------------------------------------

sub add_worksheet {
    my ($self, $name) = @_;
    $name = '' unless defined $name;
    $self->{_sheetname_count}++;
    $name = 'Sheet' . $self->{_sheetname_count} if $name eq '';
    Carp::croak("Sheetname $name must be <= 31 chars") if length $name > 31;
    Carp::croak('Invalid character []:*?/\\ in worksheet name: ' . $name) if $name =~ /[\[\]:*?\/\\]/;
    Carp::croak("Worksheet name $name cannot start or end with an apostrophe") if $name =~ /^'/ || $name =~ /'$/;
    for my $ws (@{ $self->{_worksheets} }) {
        Carp::croak("Worksheet name '$name', with case ignored, is already used.") if lc $name eq lc $ws->{_name};
    }
    my $idx = scalar @{ $self->{_worksheets} };
    my $ws = bless {
        _wbobj => $self, _idx => $idx, _name => $name, _leading_zeros => 0, _write_match => [],
        _hlink_count => 0,
    }, $self->_worksheet_class;
    Scalar::Util::weaken($ws->{_wbobj});
    push @{ $self->{_worksheets} }, $ws;
    $self->_op('add_worksheet', idx => $idx, name => $name);
    return $ws;
}

sub add_format {
    my ($self, @props) = @_;
    my $f = bless { _props => {}, _wb_id => $self->{_wb}, _idx => scalar @{ $self->{_formats} } }, $self->_format_class;
    $f->{_wbobj} = $self;
    Scalar::Util::weaken($f->{_wbobj});
    push @{ $self->{_formats} }, $f;
    $f->set_format_properties(@props) if @props;
    $self->{_dirty}{ $f->{_idx} } = 1;
    return $f;
}

sub _default_url_format {
    my $self = shift;
    $self->{_url_format} ||= $self->add_format(color => 'blue', underline => 1);
    return $self->{_url_format};
}
sub get_default_url_format { $_[0]->_default_url_format }

sub worksheets { @{ $_[0]->{_worksheets} } }

sub sheets {
    my ($self, @idx) = @_;
    return @{ $self->{_worksheets} } unless @idx;
    return map { $self->{_worksheets}[$_] } @idx;
}

sub get_worksheet_by_name {
    my ($self, $name) = @_;
    return undef unless defined $name;
    for (@{ $self->{_worksheets} }) { return $_ if $_->{_name} eq $name }
    return undef;
}

sub set_properties {
    my ($self, %p) = @_;
    $self->_op('set_sheet', sheet => -1, key => 'properties', value => {%p});
    return;
}

sub _activate { my ($self, $idx) = @_; $self->_op('set_sheet', sheet => -1, key => 'active', value => $idx) }
sub _first    { my ($self, $idx) = @_; $self->_op('set_sheet', sheet => -1, key => 'first_sheet', value => $idx) }

sub set_1904 {
    my ($self, $v) = @_;
    $self->{_date_1904} = defined $v ? $v : 1;
    Carp::carp('set_1904: the 1904 date system is not supported on the bridge; dates use the 1900 system') if $self->{_date_1904};
    return;
}
sub get_1904 { $_[0]->{_date_1904} }

# Accepted for compatibility; the bridge always renders with a streaming writer.
sub set_optimization  { 0 }
sub set_tempdir       { 0 }
sub set_size          { 0 }
sub set_tab_ratio     { 0 }
sub set_calc_mode     { 0 }
sub set_custom_color  { 0 }
sub set_custom_property { 0 }
sub read_only_recommended { 0 }
sub use_future_functions  { 0 }

my %warned;
sub _unsupported {
    my ($what) = @_;
    Carp::carp("Excel::Writer::XLSX on CPAN Bridge: $what is not supported; ignored") unless $warned{$what}++;
    return 0;
}
sub define_name     { _unsupported('define_name') }
sub add_vba_project { _unsupported('add_vba_project') }
sub set_vba_name    { 0 }

my %CHART_TYPES = map { $_ => 1 } qw(area bar column line pie doughnut scatter radar);

sub add_chart {
    my ($self, %opt) = @_;
    my $type = $opt{type};
    Carp::croak('Must define chart type in add_chart()') unless defined $type;
    my $idx = scalar @{ $self->{_charts} ||= [] };
    my $chart = bless {
        _wbobj => $self, _idx => $idx, _type => $type, _subtype => $opt{subtype}, _embedded => $opt{embedded} ? 1 : 0,
        _name => $opt{name}, _series => [], _opt => {},
    }, $self->_chart_class;
    Scalar::Util::weaken($chart->{_wbobj});
    if (!$CHART_TYPES{$type}) {
        Carp::croak("Unknown chart type '$type' in add_chart()") if $type ne 'stock';
        _unsupported("add_chart type 'stock' (not rendered)");
        $chart->{_skip} = 1;
    }
    elsif (!$chart->{_embedded}) {
        # A chartsheet in the real module: the bridge has no chartsheets.
        _unsupported('add_chart without embedded => 1 (chartsheets are not rendered)');
        $chart->{_skip} = 1;
    }
    push @{ $self->{_charts} }, $chart;
    $chart->_touch;
    return $chart;
}

sub _image_sent {
    my ($self, $sha, $parts) = @_;
    $self->{_images_sent}{$sha} = $parts if defined $parts;
    return $self->{_images_sent}{$sha};
}

sub close {
    my $self = shift;
    return if $self->{_fileclosed};
    return undef if $self->{_pid} ne CPANBridge::owner_tag();
    $self->_flush;
    $self->{_fileclosed} = 1;
    delete $OPEN{ $self->{_wb} };
    my $r = eval { CPANBridge::call('excel', 'close', { wb => $self->{_wb} }) };
    if (!$r) {
        my $m = CPANBridge::Excel::_err_text($@);
        Carp::croak("Excel::Writer::XLSX: couldn't write $self->{_filename}: $m");
    }
    if ($self->{_fh}) {
        my $ok = 0;
        if (open my $in, '<:raw', $self->{_path}) {
            my $out = $self->{_fh};
            binmode $out;
            local $/ = \65536;
            $ok = 1;
            while (my $chunk = <$in>) { print {$out} $chunk or $ok = 0 }
            CORE::close $in;
        }
        unlink $self->{_path};
        return $ok;
    }
    return 1;
}

sub DESTROY {
    my $self = shift;
    return if $self->{_fileclosed} || !$self->{_pid} || $self->{_pid} ne CPANBridge::owner_tag();
    return if ${^GLOBAL_PHASE} eq 'DESTRUCT';    # END closes what is left
    local ($@, $!, $?);
    eval { $self->close; 1 } or warn $@;
}

# ===========================================================================
package CPANBridge::Excel::Worksheet;

use strict;
use warnings;

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

# ===========================================================================
package CPANBridge::Excel::Format;

use strict;
use warnings;

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

# ===========================================================================
package CPANBridge::Excel::Chart;

# A chart of Excel::Writer::XLSX's API. Its definition is kept here and sent whole (excel.add_chart)
# with the next flush after a change; the daemon renders it at close (src/modules/excel/drawing.ts).

use strict;
use warnings;

sub _touch {
    my $self = shift;
    my $wb = $self->{_wbobj} or return;
    $wb->{_dirty_charts}{ $self->{_idx} } = 1;
    return;
}

# Plain data for JSON (no objects, no code refs).
sub _plain {
    my ($v) = @_;
    return undef unless defined $v;
    if (ref $v eq 'HASH')  { return { map { $_ => _plain($v->{$_}) } grep { !ref $v->{$_} || ref $v->{$_} eq 'HASH' || ref $v->{$_} eq 'ARRAY' } keys %$v } }
    if (ref $v eq 'ARRAY') { return [ map { ref $_ && ref $_ ne 'HASH' && ref $_ ne 'ARRAY' ? undef : _plain($_) } @$v ] }
    return undef if ref $v;
    return $v;    # numbers stay numbers, strings strings ("0.0" is a num_format): the daemon reads both
}

# [sheet, row1, row2, col1, col2] -> '=Sheet1!$A$2:$A$7' (Excel::Writer::XLSX's _aref_to_formula)
sub _range {
    my ($r) = @_;
    return undef unless defined $r;
    return "$r" unless ref $r eq 'ARRAY';
    my ($sheet, $r1, $r2, $c1, $c2) = @$r;
    my $q = $sheet;
    if ($q !~ /^\w+$/ || $q =~ /^\d/) { $q =~ s/'/''/g; $q = "'$q'" }
    my $a = '$' . CPANBridge::Excel::col_to_name($c1) . '$' . ($r1 + 1);
    my $b = '$' . CPANBridge::Excel::col_to_name($c2) . '$' . ($r2 + 1);
    return "=$q!" . ($a eq $b ? $a : "$a:$b");
}

sub add_series {
    my ($self, %arg) = @_;
    Carp::croak("Must specify 'values' in add_series()") unless defined $arg{values};
    Carp::croak("Must specify 'categories' in add_series() for this chart type")
        if $self->{_type} eq 'scatter' && !defined $arg{categories};
    my %s = %{ _plain(\%arg) };
    $s{values} = _range($arg{values});
    $s{categories} = _range($arg{categories}) if defined $arg{categories};
    $s{name} = _range($arg{name}) if ref $arg{name} eq 'ARRAY';
    $s{name} = "$arg{name}" if defined $arg{name} && !ref $arg{name};
    push @{ $self->{_series} }, \%s;
    $self->_touch;
    return;
}

sub _set_opt { my ($self, $key, %arg) = @_; $self->{_opt}{$key} = _plain(\%arg); $self->_touch; return }

sub set_x_axis    { my $s = shift; $s->_set_opt('x_axis', @_) }
sub set_y_axis    { my $s = shift; $s->_set_opt('y_axis', @_) }
sub set_x2_axis   { my $s = shift; $s->_set_opt('x2_axis', @_) }
sub set_y2_axis   { my $s = shift; $s->_set_opt('y2_axis', @_) }
sub set_title     { my $s = shift; $s->_set_opt('title', @_) }
sub set_legend    { my $s = shift; $s->_set_opt('legend', @_) }
sub set_plotarea  { my $s = shift; $s->_set_opt('plotarea', @_) }
sub set_chartarea { my $s = shift; $s->_set_opt('chartarea', @_) }
sub set_size      { my $s = shift; $s->_set_opt('size', @_) }
sub set_style     { my ($s, $n) = @_; $s->{_opt}{style} = defined $n ? $n + 0 : 2; $s->_touch; return }
sub show_blanks_as { my ($s, $v) = @_; $s->{_opt}{show_blanks_as} = $v; $s->_touch; return }
sub set_rotation  { my ($s, $v) = @_; $s->{_opt}{rotation} = ($v || 0) + 0; $s->_touch; return }
sub set_hole_size { my ($s, $v) = @_; $s->{_opt}{hole_size} = ($v || 50) + 0; $s->_touch; return }
sub show_hidden_data       { 0 }
sub show_na_as_empty_cell  { 0 }
sub set_table          { CPANBridge::Excel::Workbook::_unsupported('chart set_table') }
sub set_up_down_bars   { CPANBridge::Excel::Workbook::_unsupported('chart set_up_down_bars') }
sub set_drop_lines     { CPANBridge::Excel::Workbook::_unsupported('chart set_drop_lines') }
sub set_high_low_lines { CPANBridge::Excel::Workbook::_unsupported('chart set_high_low_lines') }
sub combine            { CPANBridge::Excel::Workbook::_unsupported('chart combine') }

# The definition excel.add_chart receives.
sub _def {
    my $self = shift;
    my %d = (%{ $self->{_opt} }, type => $self->{_type}, series => [ @{ $self->{_series} } ]);
    $d{subtype} = $self->{_subtype} if defined $self->{_subtype};
    $d{name} = "$self->{_name}" if defined $self->{_name};
    for my $s (@{ $self->{_series} }) { $d{gap} = $s->{gap} if defined $s->{gap} }
    return \%d;
}

our $AUTOLOAD;
sub AUTOLOAD { return if $AUTOLOAD =~ /::DESTROY$/; return 0 }

1;
