package CPANBridge::Excel::Workbook;

# A workbook of Excel::Writer::XLSX's API: cell writes are batched into one compact
# string (_cell, CPANBridge::Shim::Batch) and sent pipelined (_flush); every other change is
# an ordered operation (_op) sent after the cells before it.

use strict;
use warnings;
use Carp ();
use Cwd ();
use Errno ();
use File::Spec ();
use Scalar::Util ();
use CPANBridge ();
use CPANBridge::Shim ();
use CPANBridge::Shim::Batch ();

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
    my %opt = ref $options eq 'HASH' ? %$options : ();
    # options the daemon keeps as scalars (a default_format_properties hash is applied here, in Perl)
    delete $opt{default_format_properties};
    my $r = eval {
        CPANBridge::call('excel', 'new_workbook', { filename => $path, cwd => Cwd::getcwd(),
            options => \%opt });
    };
    if (!$r) {
        my $e = $@;
        my $code = ref $e && eval { $e->can('code') } ? $e->code : '';
        my $errno = ref $e ? ($e->{errno} || '') : '';
        # the daemon's errno name (ENOENT, EISDIR, ENAMETOOLONG...) as $!, as a failed open would set it
        my $errf = $errno =~ /^E[A-Z0-9]+$/ ? Errno->can($errno) : undef;
        $! = $errf ? $errf->() : Errno::EACCES();
        $CPANBridge::Excel::LAST_ERROR = CPANBridge::Shim::error_text($e);
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
        _dirty        => {},
        _fileclosed   => 0,
        _date_1904    => 0,
        _pid          => CPANBridge::owner_tag(),
    }, $class;
    # cell writes, sent after the formats and charts they may use (Latin-1 byte strings are
    # characters, as in the real module)
    my $weak = $self;
    Scalar::Util::weaken($weak);
    $self->{_cells} = CPANBridge::Shim::Batch->new(
        module => 'excel', function => 'write_batch', params => { wb => $r->{wb} }, field => 'cells', chars => 1,
        records => $CPANBridge::Excel::BATCH_CELLS, bytes => $CPANBridge::Excel::BATCH_BYTES,
        before => sub { $weak->_send_definitions if $weak });
    CPANBridge::Shim::track('excel', $self);
    {
        $self->{_optimization} = ref $options eq 'HASH' && $options->{optimization} ? 1 : 0;
        $self->{_date_1904} = ref $options eq 'HASH' && $options->{date_1904} ? 1 : 0;
        my $max = ref $options eq 'HASH' && defined $options->{max_url_length} ? $options->{max_url_length} : 2079;
        $self->{_max_url_length} = $max < 255 ? 2079 : $max;
        $self->_init_styles($options);
    }
    return $self;
}

# A recorded method call (excel.call) of the workbook ({}), a worksheet ({sheet => n}) or a chart
# ({chart => n}), sent after the cells and formats before it. Formats anywhere in the args (also
# inside hashes and arrays) travel as {"$fmt" => index}, charts as {"$chart" => index}.
sub _call {
    my ($self, $target, $method, $args) = @_;
    return 0 if $self->{_fileclosed} || $self->{_pid} ne CPANBridge::owner_tag();
    $self->_flush;
    $self->_send_definitions;
    CPANBridge::send_async('excel', 'call', { wb => $self->{_wb}, target => $target, method => $method, args => _refs($args) });
    return 0;
}

sub _refs {
    my ($v) = @_;
    return $v unless ref $v;
    if (Scalar::Util::blessed($v)) {
        return { '$fmt' => $v->{_idx} + 0 } if $v->isa('CPANBridge::Excel::Format');
        return { '$chart' => $v->{_idx} + 0 } if $v->isa('CPANBridge::Excel::Chart') && defined $v->{_idx};
    }
    return [ map { _refs($_) } @$v ] if ref $v eq 'ARRAY';
    return { map { ($_ => _refs($v->{$_})) } keys %$v } if ref $v eq 'HASH';
    return $v;
}

sub _worksheet_class { 'CPANBridge::Excel::Worksheet' }
sub _format_class    { 'CPANBridge::Excel::Format' }
sub _chart_class     { 'CPANBridge::Excel::Chart' }

# --- buffered sending ---------------------------------------------------------

sub _cell {    # ($self, $sheet_idx, $row, $col, $type, $format, @values)
    my $self = shift;
    return 0 if $self->{_fileclosed};    # a write after close() changes nothing, as in the real module
    if ($self->{_optimization}) {
        # constant memory mode: rows are written as the script moves on; an earlier row is refused
        my $ws = $self->{_worksheets}[ $_[0] ];
        my $prev = $ws->{_previous_row} || 0;
        return -2 if $_[1] < $prev;
        $ws->{_previous_row} = $_[1];
    }
    $self->_dim_col($_[0], $_[2]);
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
    $self->{_cells}->add(join("\x1f", $_[0], $_[1], $_[2], $_[3], $fi, @v));
    return 0;
}

# A sheet's _dim_colmin as the real module has it at call time (set_row uses it).
sub _dim_col {
    my ($self, $sheet, $col) = @_;
    my $cm = $self->{_colmin}[$sheet];
    $self->{_colmin}[$sheet] = $col if !defined $cm || $col < $cm;
}

sub _flush {
    my $self = shift;
    return $self->{_cells}->discard if $self->{_fileclosed} || $self->{_pid} ne CPANBridge::owner_tag();
    $self->{_cells}->flush;
}

# Formats and charts made or changed since the last send.
sub _send_definitions {
    my $self = shift;
    return if $self->{_fileclosed} || $self->{_pid} ne CPANBridge::owner_tag();
    if (%{ $self->{_dirty} }) {
        for my $i (sort { $a <=> $b } keys %{ $self->{_dirty} }) {
            my $f = $self->{_formats}[$i] or next;
            CPANBridge::send_async('excel', 'add_format', { wb => $self->{_wb}, idx => $i + 0, props => $f->_props });
        }
        %{ $self->{_dirty} } = ();
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
        _hlink_count => 0, _optimization => $self->{_optimization} || 0, _previous_row => 0,
        _date_1904 => $self->{_date_1904} || 0,
    }, $self->_worksheet_class;
    Scalar::Util::weaken($ws->{_wbobj});
    push @{ $self->{_worksheets} }, $ws;
    $self->_op('add_worksheet', idx => $idx, name => $name);
    return $ws;
}

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

sub get_1904 { $_[0]->{_date_1904} }

sub close {
    my $self = shift;
    return if $self->{_fileclosed};
    return undef if $self->{_pid} ne CPANBridge::owner_tag();
    # what the script set directly on the objects (the real module's internals the regression
    # suite uses), sent before the close request
    $self->_styles_before_close;
    $self->_charts_before_close;
    $self->_internals_before_close;
    for my $ws (@{ $self->{_worksheets} }) {
        # `$worksheet->{_default_url_format} = undef`
        $ws->_call('no_default_url_format') if exists $ws->{_default_url_format} && !defined $ws->{_default_url_format};
    }
    $self->_flush;
    $self->_send_definitions;
    $self->{_fileclosed} = 1;
    CPANBridge::Shim::untrack('excel', $self);
    my $r = eval { CPANBridge::call('excel', 'close', { wb => $self->{_wb} }) };
    if (!$r) {
        my $e = $@;
        my $code = ref $e && eval { $e->can('code') } ? $e->code : '';
        # what the real module croaks while writing the file, as it croaks it
        if ($code eq 'excel_error') {
            my $m = $e->message;
            die $m if ($e->{kind} || '') eq 'die';
            Carp::croak($m);
        }
        my $m = CPANBridge::Shim::error_text($e);
        Carp::croak("Excel::Writer::XLSX: couldn't write $self->{_filename}: $m");
    }
    # what the real module carps while it writes the file
    Carp::carp($_) for ref $r->{warnings} eq 'ARRAY' ? @{ $r->{warnings} } : ();
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

# The rest of the class, a file per owner of the workbook writer: formats and colours (Styles),
# the workbook's settings (Core), charts, shapes and image uploads (Charts).
require CPANBridge::Excel::Workbook::Styles;
require CPANBridge::Excel::Workbook::Core;
require CPANBridge::Excel::Workbook::Charts;

1;
