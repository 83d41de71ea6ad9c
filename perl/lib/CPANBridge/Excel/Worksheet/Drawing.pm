package CPANBridge::Excel::Worksheet;

# The worksheet's drawing objects as Excel::Writer::XLSX 1.10 takes them: insert_chart,
# insert_image and insert_shape, with the real methods' argument forms (A1 notation, an options
# hash or the older positional offsets and scales), croaks, carps and return values. Each is sent
# as a recorded call; the daemon positions and writes them at close (src/modules/excel/xlsx/drawing/).

use strict;
use warnings;
use Carp ();
use Scalar::Util ();
use List::Util ();
use CPANBridge ();
use CPANBridge::Excel::Chart ();

sub _drawing_call {
    my ($self, $method, @args) = @_;
    return $self->_wb->_wb_call({ sheet => $self->{_idx} + 0 }, $method, @args);
}

sub _drawing_cellref {
    my $self = shift;
    return $self->_substitute_cellref(@_) if $self->can('_substitute_cellref');
    return CPANBridge::Excel::substitute_cellref(@_);
}

# The options of insert_chart/insert_image: the hash form, or the positional offsets and scales.
sub _drawing_options {
    my ($rest, $dflt_anchor, @extra) = @_;
    my %o;
    if (ref $rest->[0] eq 'HASH') {
        my $h = $rest->[0];
        %o = (
            x_offset => $h->{x_offset} || 0, y_offset => $h->{y_offset} || 0,
            x_scale => $h->{x_scale} || 1, y_scale => $h->{y_scale} || 1,
            object_position => $h->{object_position} || $dflt_anchor,
        );
        for (qw(description decorative), @extra) { $o{$_} = "$h->{$_}" if defined $h->{$_} }
    }
    else {
        %o = (
            x_offset => $rest->[0] || 0, y_offset => $rest->[1] || 0,
            x_scale => $rest->[2] || 1, y_scale => $rest->[3] || 1, object_position => $rest->[4] || $dflt_anchor,
        );
    }
    $o{$_} = CPANBridge::Excel::Chart::_num17($o{$_}) for qw(x_offset y_offset x_scale y_scale object_position);
    return \%o;
}

sub insert_chart {
    my $self = shift;
    @_ = $self->_drawing_cellref(@_) if defined $_[0] && $_[0] =~ /^\D/;
    my ($row, $col, $chart, @rest) = @_;
    Carp::croak('Insufficient arguments in insert_chart()') unless @_ >= 3;
    if (ref $chart) {
        Carp::croak('Not a Chart object in insert_chart()')
            unless Scalar::Util::blessed($chart) && $chart->isa('CPANBridge::Excel::Chart');
        Carp::croak('Not a embedded style Chart object in insert_chart()') unless $chart->{_embedded};
    }
    my $o = _drawing_options(\@rest, 1);
    if ($chart->{_already_inserted} || ($chart->{_combined} && $chart->{_combined}{_already_inserted})) {
        Carp::carp('Chart cannot be inserted in a worksheet more than once');
        return;
    }
    $chart->{_already_inserted} = 1;
    $chart->{_combined}{_already_inserted} = 1 if $chart->{_combined};
    Carp::croak('Excel::Writer::XLSX on CPAN Bridge: insert_chart needs a chart of this workbook')
        unless $chart->{_wbobj} && $chart->{_wbobj} == $self->_wb;
    $self->_drawing_call('insert_chart', $row + 0, $col + 0, { '$chart' => $chart->{_idx} + 0 }, $o);
    return ++$self->{_chart_count};    # push's value: the sheet's number of charts
}

sub insert_image {
    my $self = shift;
    @_ = $self->_drawing_cellref(@_) if defined $_[0] && $_[0] =~ /^\D/;
    my ($row, $col, $image, @rest) = @_;
    my $o = _drawing_options(\@rest, 2, qw(url tip));
    Carp::croak('Insufficient arguments in insert_image()') unless @_ >= 3;
    Carp::croak("Couldn't locate $image: $!") unless -e $image;
    my $key = $self->_wb->_image_ref($image);
    push @{ $self->{_image_keys} }, $key;
    $self->_drawing_call('insert_image', $row + 0, $col + 0, { image => $key, filename => "$image" }, $o);
    return ++$self->{_image_count};
}

sub insert_shape {
    my $self = shift;
    @_ = $self->_drawing_cellref(@_) if defined $_[0] && $_[0] =~ /^\D/;
    Carp::croak('Insufficient arguments in insert_shape()') unless @_ >= 3;
    my $shape = $_[2];
    Carp::croak('Not a Shape object in insert_shape()')
        unless Scalar::Util::blessed($shape) && $shape->isa('CPANBridge::Excel::Shape');
    $shape->{_row_start} = $_[0];
    $shape->{_column_start} = $_[1];
    $shape->{_x_offset} = $_[3] || 0;
    $shape->{_y_offset} = $_[4] || 0;
    $shape->{_scale_x} = $_[5] if defined $_[5];
    $shape->{_scale_y} = $_[6] if defined $_[6];
    $shape->{_anchor} = $_[7] || 1;
    # a free id: the shape's own if unused, else the next of the sheet (ids start at 2)
    $self->{_last_shape_id} = 1 unless defined $self->{_last_shape_id};
    while (1) {
        my $id = $shape->{_id} || 0;
        last if $id != 0 && !exists $self->{_shape_hash}{$id};
        $shape->{_id} = ++$self->{_last_shape_id};
    }
    $shape->{_element} = scalar @{ $self->{_shapes} ||= [] };
    $self->{_shape_hash}{ $shape->{_id} } = $shape->{_element};
    my $insert = $shape;
    if ($shape->{_stencil}) {
        $insert = bless { %$shape }, ref $shape;
    }
    $self->_locate_connector($insert);
    push @{ $self->{_shapes} }, $insert;
    my $snap = $insert->_snapshot;
    $snap->{anchor} = $insert->{_anchor} + 0;
    $self->_drawing_call('insert_shape', $snap);
    return $insert;
}

# Worksheet::_auto_locate_connectors: a connector between two inserted shapes takes its place,
# size and orientation from them.
sub _locate_connector {
    my ($self, $s) = @_;
    (my $base = $s->{_type}) =~ s/.$//s;
    my %connectors = map { $_ => 1 } qw(straightConnector Connector bentConnector curvedConnector line);
    $s->{_connect} = $connectors{$base} ? 1 : 0;
    return unless $s->{_connect};
    return unless $s->{_start} && $s->{_end};
    return unless $s->{_start_side} && $s->{_end_side};
    my ($sid, $eid) = ($s->{_start}, $s->{_end});
    my $si = $self->{_shape_hash}{$sid};
    if (!defined $si) { warn "missing start connection for '$s->{_name}', id=$sid\n"; return }
    my $ei = $self->{_shape_hash}{$eid};
    if (!defined $ei) { warn "missing end connection for '$s->{_name}', id=$eid\n"; return }
    my ($a, $b) = ($self->{_shapes}[$si], $self->{_shapes}[$ei]);
    my $type = $s->{_start_side} . $s->{_end_side};
    my $amx = $a->{_x_offset} + $a->{_width} / 2;
    my $bmx = $b->{_x_offset} + $b->{_width} / 2;
    my $amy = $a->{_y_offset} + $a->{_height} / 2;
    my $bmy = $b->{_y_offset} + $b->{_height} / 2;
    if ($type eq 'bt') {
        my $sy = $a->{_y_offset} + $a->{_height};
        my $ey = $b->{_y_offset};
        $s->{_width} = abs(int($bmx - $amx));
        $s->{_x_offset} = int(List::Util::min($amx, $bmx));
        $s->{_height} = abs(int($b->{_y_offset} - ($a->{_y_offset} + $a->{_height})));
        $s->{_y_offset} = int(List::Util::min($a->{_y_offset} + $a->{_height}, $b->{_y_offset}));
        $s->{_flip_h} = $amx < $bmx ? 1 : 0;
        $s->{_rotation} = 90;
        if ($sy > $ey) {
            $s->{_flip_v} = 1;
            $s->{_adjustments} = [ -10, 50, 110 ] if !@{ $s->{_adjustments} };
            $s->{_type} = 'bentConnector5';
        }
    }
    elsif ($type eq 'rl') {
        $s->{_width} = abs(int($b->{_x_offset} - ($a->{_x_offset} + $a->{_width})));
        $s->{_height} = abs(int($bmy - $amy));
        $s->{_x_offset} = List::Util::min($a->{_x_offset} + $a->{_width}, $b->{_x_offset});
        $s->{_y_offset} = List::Util::min($amy, $bmy);
        $s->{_flip_h} = 1 if $amx < $bmx && $amy > $bmy;
        $s->{_flip_h} = 1 if $amx > $bmx && $amy < $bmy;
        if ($amx > $bmx) {
            $s->{_adjustments} = [ -10, 50, 110 ] if !@{ $s->{_adjustments} };
            $s->{_type} = 'bentConnector5';
        }
    }
    else {
        warn "Connection $type not implemented yet\n";
    }
    return;
}

1;
