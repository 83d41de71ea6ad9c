package CPANBridge::Excel::Workbook;

# The workbook's chart side: add_chart (an embedded chart, or a chartsheet), add_shape, the image
# upload every image user shares (_image_ref), and the chart internals sent at close.

use strict;
use warnings;
use Carp ();
use Scalar::Util ();
use CPANBridge ();
use CPANBridge::Excel::Chart ();
use CPANBridge::Excel::Chartsheet ();
use CPANBridge::Excel::Shape ();

my %CHART_TYPES = map { $_ => 1 } qw(area bar column doughnut line pie radar scatter stock);

# The data label positions each type takes (its subclass's _label_positions keys).
my @BAR_LABELS  = qw(center inside_base inside_end outside_end);
my @LINE_LABELS = qw(center right left above below top bottom);
my @PIE_LABELS  = qw(center inside_end outside_end best_fit);
my %LABEL_POSITIONS = (
    area => ['center'], bar => \@BAR_LABELS, column => \@BAR_LABELS, line => \@LINE_LABELS, pie => \@PIE_LABELS,
    doughnut => \@PIE_LABELS, radar => ['center'], scatter => \@LINE_LABELS, stock => \@LINE_LABELS,
);

# Workbook::_check_sheetname for a chartsheet (Chart1, Chart2, ... by default).
sub _chart_sheetname {
    my ($self, $name) = @_;
    $name = '' unless defined $name && $name ne '0';
    $self->{_chartname_count}++;
    $name = 'Chart' . $self->{_chartname_count} if $name eq '';
    Carp::croak("Sheetname $name must be <= 31 chars") if length $name > 31;
    Carp::croak('Invalid character []:*?/\\ in worksheet name: ' . $name) if $name =~ /[\[\]:*?\/\\]/;
    Carp::croak("Worksheet name $name cannot start or end with an apostrophe") if $name =~ /^'/ || $name =~ /'$/;
    for my $ws (@{ $self->{_worksheets} }) {
        Carp::croak("Worksheet name '$name', with case ignored, is already used.") if lc $name eq lc $ws->{_name};
    }
    return $name;
}

# The chart's class: the type's subclass of the workbook's chart class when there is one
# (Excel::Writer::XLSX::Chart::Bar ...), as the real factory makes them.
sub _chart_subclass {
    my ($base, $type) = @_;
    my $sub = $base . '::' . ucfirst $type;
    return $sub->isa($base) ? $sub : $base;
}

sub _wb_call {
    my ($self, $target, $method, @args) = @_;
    return if $self->{_fileclosed};
    return $self->_call($target, $method, \@args) if $self->can('_call');
    $self->_flush;
    CPANBridge::send_async('excel', 'call', { wb => $self->{_wb}, target => $target, method => $method, args => \@args });
    return;
}

sub add_chart {
    my $self = shift;
    my %arg = @_;
    my $type = $arg{type};
    Carp::croak('Must define chart type in add_chart()') unless defined $type;
    my $embedded = $arg{embedded} || 0;
    my $name = '';
    $name = $self->_chart_sheetname($arg{name}) if !$embedded;
    my $class = ucfirst lc $type;
    die "Chart type '$class' not supported in add_chart()\n" unless $CHART_TYPES{ lc $type };
    my $idx = scalar @{ $self->{_charts} ||= [] };
    my $chart = bless {
        _wbobj => $self, _idx => $idx, _type => lc $type, _subtype => $arg{subtype}, _embedded => $embedded ? 1 : 0,
        _axis_ids => [], _axis2_ids => [], _series_count => 0, _requires_category => lc $type eq 'scatter' ? 1 : 0,
        _x_scale => 1, _y_scale => 1, _x_offset => 0, _y_offset => 0, _width => 480, _height => 288,
        _already_inserted => 0, _is_secondary => 0, _id => -1,
        _cross_between => (lc $type eq 'area' || lc $type eq 'scatter') ? 'midCat' : 'between',
        _label_positions => { map { $_ => 1 } @{ $LABEL_POSITIONS{ lc $type } } },
    }, _chart_subclass($self->_chart_class, lc $type);
    Scalar::Util::weaken($chart->{_wbobj});
    push @{ $self->{_charts} }, $chart;
    my %sent = (type => lc $type, embedded => $embedded ? 1 : 0);
    $sent{subtype} = "$arg{subtype}" if defined $arg{subtype};
    if ($embedded) {
        $chart->{_chart_name} = $arg{name} if $arg{name};
        $sent{name} = "$arg{name}" if $arg{name};
        $self->_wb_call({}, 'add_chart', \%sent);
        return $chart;
    }
    my $sidx = scalar @{ $self->{_worksheets} };
    my $cs_class = $self->can('_chartsheet_class') ? $self->_chartsheet_class : 'CPANBridge::Excel::Chartsheet';
    (my $file = "$cs_class.pm") =~ s{::}{/}g;
    require $file;
    $sent{name} = $name;
    $sent{sheet} = $sidx;
    my $cs = bless {
        _wbobj => $self, _idx => $sidx, _name => $name, _chart => $chart, _is_chartsheet => 1,
        _leading_zeros => 0, _write_match => [], _hlink_count => 0, _optimization => $self->{_optimization} || 0,
        _previous_row => 0,
    }, $cs_class;
    Scalar::Util::weaken($cs->{_wbobj});
    push @{ $self->{_worksheets} }, $cs;
    $self->{_sheetnames}{$name} = $cs if ref $self->{_sheetnames} eq 'HASH';
    $self->_wb_call({}, 'add_chart', \%sent);
    return $cs;
}

sub add_shape {
    my $self = shift;
    my $class = $self->can('_shape_class') ? $self->_shape_class
        : ref($self) =~ /^Excel::Writer::XLSX\b/ ? 'Excel::Writer::XLSX::Shape' : 'CPANBridge::Excel::Shape';
    (my $file = "$class.pm") =~ s{::}{/}g;
    require $file;
    my $shape = $class->new(undef, @_);
    push @{ $self->{_shapes} }, $shape;
    return $shape;
}

my $IMAGE_PART = 1024 * 1024;

# An image file read here, with the script's permissions (the daemon never opens a path a client
# names), its bytes sent once per workbook in parts of 1 MiB; returns its key (sha256 hex).
sub _image_ref {
    my ($self, $filename) = @_;
    Carp::croak("Couldn't locate $filename: $!") unless -e $filename;
    open my $fh, '<:raw', $filename or Carp::croak("Couldn't import $filename: $!");
    my $data = do { local $/; <$fh> };
    CORE::close $fh;
    $data = '' unless defined $data;
    require Digest::SHA;
    require MIME::Base64;
    my $sha = Digest::SHA::sha256_hex($data);
    return $sha if $self->{_images_sent}{$sha} || $self->{_fileclosed};
    my $parts = 0;
    for (my $off = 0; $off < length($data) || $off == 0; $off += $IMAGE_PART) {
        $self->_op('image_data', sha256 => $sha, part => $parts++, data => MIME::Base64::encode_base64(substr($data, $off, $IMAGE_PART), ''));
        last if $off + $IMAGE_PART >= length $data;
    }
    $self->{_images_sent}{$sha} = $parts;
    # Workbook::_process_gif (1.10) prints the image's properties to STDOUT when it reads a GIF at
    # close: kept to be printed at the same moment
    $self->{_gif_sizes}{$sha} = [ unpack 'v2', substr($data, 6, 4) ] if length $data >= 10 && substr($data, 0, 4) eq 'GIF8';
    return $sha;
}

# Called for each image the real module reads at close, in its order.
sub _gif_print {
    my ($self, $sha) = @_;
    my $s = $self->{_gif_sizes}{$sha} or return;
    local $\ = undef;
    print join(', ', 'gif', @$s, 96, 96, "\n");
    return;
}

# Before the close request: what the caller set directly on chart objects.
sub _charts_before_close {
    my $self = shift;
    for my $chart (@{ $self->{_charts} || [] }) { $chart->_send_internals }
    # the real order: per sheet, its background, its images, its header and footer images
    for my $ws (@{ $self->{_worksheets} }) {
        $self->_gif_print($_) for grep { defined } $ws->{_background_image_key}, @{ $ws->{_image_keys} || [] }, @{ $ws->{_hf_image_keys} || [] };
    }
    return;
}

1;
