package CPANBridge::Excel::Chart;

# A chart of Excel::Writer::XLSX's API (Chart.pm and its subclasses). Each method does the checks
# the real one does when it is called (croaks, carps, return values) and is sent as a recorded call
# (excel.call, target { chart => n }), replayed at close by the daemon, which converts the options
# exactly as the real module does (src/modules/excel/xlsx/chart/chart.ts) and writes chartN.xml.
# The caller's own $chart->{_axis_ids} / {_axis2_ids} (as the regression suite sets them) are sent
# at close.

use strict;
use warnings;
use Carp ();
use Scalar::Util ();
use CPANBridge ();
use CPANBridge::Excel::Chart::Check ();

sub _wb { $_[0]->{_wbobj} or Carp::croak('Excel::Writer::XLSX: the workbook of this chart is gone') }

# The real module's constructors (Workbook::add_chart calls them): a chart made outside a workbook
# has nowhere to go on the bridge, whose charts live with their workbook in the daemon.
sub factory {
    Carp::croak('Excel::Writer::XLSX on CPAN Bridge: Chart->factory() is not supported (a chart outside a workbook): use $workbook->add_chart()');
}

sub new {
    Carp::croak('Excel::Writer::XLSX on CPAN Bridge: Chart->new() is not supported (a chart outside a workbook): use $workbook->add_chart()');
}

# Plain data for JSON: hashes and arrays copied, undef kept (an undef point or label matters),
# objects refused. Scalars stay as Perl has them (numbers numbers, strings strings).
sub _plain {
    my ($v) = @_;
    return undef unless defined $v;
    my $r = ref $v;
    return $v unless $r;
    return { map { ($_ => _plain($v->{$_})) } keys %$v } if $r eq 'HASH';
    return [ map { _plain($_) } @$v ] if $r eq 'ARRAY';
    return "$$v" if $r eq 'SCALAR';
    Carp::croak("Excel::Writer::XLSX on CPAN Bridge: a $r reference cannot be a chart option");
}

sub _send {
    my ($self, $method, @args) = @_;
    return $self->_wb->_wb_call({ chart => $self->{_idx} + 0 }, $method, @args);
}

# A number the daemon only computes with (sizes, scales, offsets): an integer as it is, another as
# '%.17g' (the transport's JSON keeps 15 digits; the real module computes with all of them).
sub _num17 {
    my $v = $_[0] + 0;
    return $v == int($v) && abs($v) < 1e15 ? int($v) : sprintf('%.17g', $v);
}

sub _hash_args {
    my $self = shift;
    my %arg = @_;
    return \%arg;
}

sub add_series {
    my $self = shift;
    my $arg = $self->_hash_args(@_);
    Carp::croak("Must specify 'values' in add_series()") unless exists $arg->{values};
    Carp::croak("Must specify 'categories' in add_series() for this chart type")
        if $self->{_requires_category} && !exists $arg->{categories};
    if ($self->{_series_count} == 255) {
        Carp::carp('The maximum number of series that can be added to an Excel Chart is 255');
        return;
    }
    CPANBridge::Excel::Chart::Check::series($self, $arg);
    $self->{_series_count}++;
    $self->{_is_secondary} = 1 if $arg->{x2_axis} || $arg->{y2_axis};
    $self->_send('add_series', _plain($arg));
    return $self->{_series_count};    # push's value, as the real method returns it
}

# A layout's numbers: the real module keeps them as sprintf('%.17g'); the transport's JSON would
# round them to 15 digits, so they go as those strings.
sub _layout17 {
    my ($arg) = @_;
    for my $k (qw(layout name_layout)) {
        my $l = $arg->{$k};
        next unless ref $l eq 'HASH';
        $arg->{$k} = { map { my $v = $l->{$_};
            ($_ => (defined $v && !ref $v && $v =~ /^([+-]?)(?=\d|\.\d)\d*(\.\d*)?([Ee]([+-]?\d+))?$/ ? sprintf('%.17g', $v) : $v)) } keys %$l };
    }
    return $arg;
}

# What each method returns in the real module (its last statement's value): the new axis, legend,
# area, table or lines hash (a copy of the arguments here: only its kind is seen), or set_title's
# `none`.
my %CHECK = (
    set_x_axis => 'axis', set_y_axis => 'axis', set_x2_axis => 'axis', set_y2_axis => 'axis', set_title => 'title',
    set_legend => 'legend', set_plotarea => 'area', set_chartarea => 'area', set_table => undef,
    set_up_down_bars => 'up_down_bars', set_drop_lines => 'lines', set_high_low_lines => 'lines',
);

for my $m (keys %CHECK) {
    no strict 'refs';
    my $check = $CHECK{$m} && \&{"CPANBridge::Excel::Chart::Check::$CHECK{$m}"};
    *{$m} = sub {
        my $self = shift;
        my $arg = $self->_hash_args(@_);
        $check->($arg) if $check;
        $self->_send($m, _layout17(_plain($arg)));
        return $arg->{none} if $m eq 'set_title';
        return { %$arg };
    };
}

sub set_size {
    my $self = shift;
    my $arg = $self->_hash_args(@_);
    # the real module keeps these at once (insert_chart reads them)
    my %sent = %$arg;
    for (qw(width height x_scale y_scale x_offset y_offset)) {
        $sent{$_} = _num17($sent{$_}) if defined $sent{$_} && !ref $sent{$_} && $sent{$_} =~ /^\s*[-+]?[\d.]/;
    }
    $self->_send('set_size', _plain(\%sent));
    # the real method's statements, for their value too
    $self->{_width}    = $arg->{width}    if $arg->{width};
    $self->{_height}   = $arg->{height}   if $arg->{height};
    $self->{_x_scale}  = $arg->{x_scale}  if $arg->{x_scale};
    $self->{_y_scale}  = $arg->{y_scale}  if $arg->{y_scale};
    $self->{_x_offset} = $arg->{x_offset} if $arg->{x_offset};
    $self->{_y_offset} = $arg->{y_offset} if $arg->{y_offset};
}
{ no warnings 'once'; *size = \&set_size; }

sub set_style {
    my ($self, $style_id) = @_;
    $self->_send('set_style', defined $style_id ? $style_id : undef);
    $style_id = 2 unless defined $style_id;
    $style_id = 2 if $style_id < 0 || $style_id > 48;
    return $self->{_style_id} = $style_id;
}

sub show_blanks_as {
    my ($self, $option) = @_;
    return unless $option;
    if ($option ne 'gap' && $option ne 'zero' && $option ne 'span') {
        warn "Unknown show_blanks_as() option '$option'\n";
        return;
    }
    $self->_send('show_blanks_as', "$option");
    return $self->{_show_blanks} = $option;
}

sub show_hidden_data {
    my $self = shift;
    $self->_send('show_hidden_data');
    return 1;
}

sub combine {
    my ($self, $chart) = @_;
    if ($self->{_type} eq 'bar' && !$chart->{_is_secondary}) {
        Carp::carp('Charts combined with Bar charts must be on a secondary axis');
        return;
    }
    if ($self->{_type} eq 'scatter') {
        Carp::carp('Combined chart not currently supported with scatter chart as the primary chart');
        return;
    }
    Carp::croak('Excel::Writer::XLSX on CPAN Bridge: combine() needs a chart of the same workbook')
        unless Scalar::Util::blessed($chart) && $chart->isa('CPANBridge::Excel::Chart') && $chart->{_wbobj} && $self->{_wbobj}
        && $chart->{_wbobj} == $self->{_wbobj};
    $self->{_combined} = $chart;
    $self->_send('combine', { '$chart' => $chart->{_idx} + 0 });
    return $chart;
}

# Pie and Doughnut only (the other types have no such method, as in the real module).
sub _pie_only {
    my ($self, $m) = @_;
    return if $self->{_type} eq 'pie' || $self->{_type} eq 'doughnut';
    my $class = ref $self;
    Carp::croak(qq{Can't locate object method "$m" via package "$class"});
}

sub set_rotation {
    my ($self, $rotation) = @_;
    $self->_pie_only('set_rotation');
    return if !defined $rotation;
    if ($rotation >= 0 && $rotation <= 360) {
        $self->_send('set_rotation', $rotation);
        return $rotation;
    }
    return Carp::carp("Chart rotation $rotation outside range: 0 <= rotation <= 360");
}

sub set_hole_size {
    my ($self, $size) = @_;
    Carp::croak(qq{Can't locate object method "set_hole_size" via package "} . ref($self) . '"') if $self->{_type} ne 'doughnut';
    return if !defined $size;
    if ($size >= 10 && $size <= 90) {
        $self->_send('set_hole_size', $size);
        return $size;
    }
    return Carp::carp("Hole size $size outside Excel range: 10 <= size <= 90");
}

# At close: the axis ids (and cross_between) the caller set on the object itself.
sub _send_internals {
    my $self = shift;
    my $between = (($self->{_type} eq 'area' || $self->{_type} eq 'scatter') ? 'midCat' : 'between');
    $self->_send('_cross_between', "$self->{_cross_between}")
        if defined $self->{_cross_between} && $self->{_cross_between} ne $between;
    my @a = ref $self->{_axis_ids} eq 'ARRAY' ? @{ $self->{_axis_ids} } : ();
    my @b = ref $self->{_axis2_ids} eq 'ARRAY' ? @{ $self->{_axis2_ids} } : ();
    return unless @a || @b;
    $self->_send('_axis_ids', [ map { "$_" } @a[ 0 .. ($#a < 3 ? $#a : 3) ] ], [ map { "$_" } @b[ 0 .. ($#b < 3 ? $#b : 3) ] ]);
    return;
}

1;
