package CPANBridge::Excel::Chart::Check;

# The warnings Chart.pm gives while it converts a method's options (unknown dash, marker,
# trendline, error bar, display unit and tick types; pattern, gradient, label and layout
# mistakes), given here when the method is called, in the real module's order and with its
# warn/carp. The daemon converts the options the same way at close (chart/chart.ts), silently.

use strict;
use warnings;
use Carp ();

our @CARP_NOT = ('CPANBridge::Excel::Chart', 'CPANBridge::Excel::Chartsheet');

my %DASH = map { $_ => 1 } qw(solid round_dot square_dot dash dash_dot long_dash long_dash_dot long_dash_dot_dot dot
    system_dash_dot system_dash_dot_dot);
my %PATTERN = map { $_ => 1 } (map({ "percent_$_" } 5, 10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90), qw(
    light_downward_diagonal light_upward_diagonal dark_downward_diagonal dark_upward_diagonal wide_downward_diagonal
    wide_upward_diagonal light_vertical light_horizontal narrow_vertical narrow_horizontal dark_vertical dark_horizontal
    dashed_downward_diagonal dashed_upward_diagonal dashed_horizontal dashed_vertical small_confetti large_confetti zigzag
    wave diagonal_brick horizontal_brick weave plaid divot dotted_grid dotted_diamond shingle trellis sphere small_grid
    large_grid small_check large_check outlined_diamond solid_diamond));
my %GRADIENT = map { $_ => 1 } qw(linear radial rectangular path);
my %MARKER = map { $_ => 1 } qw(automatic none square diamond triangle x star dot short_dash dash long_dash circle plus picture);
my %TRENDLINE = map { $_ => 1 } qw(exponential linear log moving_average polynomial power);
my %ERRORS = map { $_ => 1 } qw(fixed percentage standard_deviation standard_error custom);
my %UNITS = map { $_ => 1 } qw(hundreds thousands ten_thousands hundred_thousands millions ten_millions hundred_millions
    billions trillions);
my %TICKS = map { $_ => 1 } qw(outside inside none cross);
my %SEPARATORS = map { $_ => 1 } (',', ';', '.', "\n", ' ');
my $NUM = qr/^([+-]?)(?=\d|\.\d)\d*(\.\d*)?([Ee]([+-]?\d+))?$/;

# (each dereferences what it is given as the real helpers do: a string where a hash belongs dies
# with Perl's own "Can't use string ... as a HASH ref", as there)
sub line {
    my ($l) = @_;
    return unless $l;
    my %l = %$l;
    my $d = $l{dash_type};
    warn "Unknown dash type '$d'\n" if defined $d && !$DASH{$d};
    return;
}

sub pattern {
    my ($p) = @_;
    return unless $p;
    return Carp::carp("Pattern must include 'pattern'") unless $p->{pattern};
    return Carp::carp("Pattern must include 'fg_color'") unless $p->{fg_color};
    Carp::carp("Unknown pattern type '$p->{pattern}'") unless $PATTERN{ $p->{pattern} };
    return;
}

sub gradient {
    my ($g) = @_;
    return unless $g;
    return Carp::carp('Gradient must include colors array') if !$g->{colors} || ref $g->{colors} ne 'ARRAY';
    my $n = @{ $g->{colors} };
    return Carp::carp('Gradient colors array must at least 2 values') if $n < 2;
    if ($g->{positions}) {
        return Carp::carp('Gradient positions not equal to number of colors') if @{ $g->{positions} } != $n;
        for my $pos (@{ $g->{positions} }) {
            return Carp::carp("Gradient position '", $pos, "' must be in range 0 <= pos <= 100") if $pos < 0 || $pos > 100;
        }
    }
    elsif ($n > 4) {
        return Carp::carp('Must specify gradient positions');
    }
    if (defined $g->{angle}) {
        return Carp::carp("Gradient angle '", $g->{angle}, "' must be in range 0 <= pos < 360") if $g->{angle} < 0 || $g->{angle} > 359.9;
    }
    Carp::carp("Unknown gradient type '", $g->{type}, "'") if defined $g->{type} && !$GRADIENT{ $g->{type} };
    return;
}

# line (or border), fill, pattern, gradient of an element
sub formatting {
    my ($h) = @_;
    line($h->{line});
    line($h->{border}) if $h->{border};
    if (my $f = $h->{fill}) { my $d = $f->{_defined} }
    pattern($h->{pattern});
    gradient($h->{gradient});
    return;
}

sub layout {
    my ($args, $is_text) = @_;
    return unless $args;
    my @props = $is_text ? qw(x y) : qw(x y width height);
    my %ok = map { $_ => 1 } @props;
    for my $k (keys %$args) { return warn "Property '$k' not allowed in layout options\n" unless $ok{$k} }
    for my $p (@props) {
        return warn "Property '$p' must be specified in layout options\n" unless exists $args->{$p};
        my $v = $args->{$p};
        return warn "Property '$p' value '$v' must be numeric in layout options\n" if $v !~ $NUM;
        return warn "Property '$p' value '$v' must be in range 0 < x <= 1 in layout options\n" if $v < 0 || $v > 1;
    }
    return;
}

sub series {
    my ($chart, $a) = @_;
    formatting($a);
    if (my $m = $a->{marker}) {
        my %m = %$m;
        if (defined $m{type} && !$MARKER{ $m{type} }) { warn "Unknown marker type '$m{type}'\n" }
        else { formatting(\%m) }
    }
    if (my $t = $a->{trendline}) {
        my %t = %$t;
        my $type = $t{type};
        if (!defined $type || !$TRENDLINE{$type}) { warn 'Unknown trendline type \'' . (defined $type ? $type : '') . "'\n" }
        else { formatting(\%t) }
    }
    for my $k (qw(y_error_bars x_error_bars)) {
        my $e = $a->{$k};
        next unless $e;
        my %e = %$e;
        my $type = $e->{type};
        if (!defined $type || !$ERRORS{$type}) { warn 'Unknown error bars type \'' . (defined $type ? $type : '') . "'\n"; next }
        line($e->{line});
    }
    if ($a->{points}) { for (@{ $a->{points} }) { formatting($_) if defined $_ } }
    labels($chart, $a->{data_labels});
    return;
}

sub labels {
    my ($chart, $l) = @_;
    return unless $l;
    my %copy = %$l;
    if (my $pos = $l->{position}) {
        return Carp::carp("Unsupported label position '$pos' for this chart type") unless $chart->{_label_positions}{$pos};
    }
    if (my $sep = $l->{separator}) {
        return Carp::carp('Unsupported label separator') unless $SEPARATORS{$sep};
    }
    formatting($l);
    if ($l->{custom}) { for (@{ $l->{custom} }) { formatting({ %$_ }) if defined $_ } }
    return;
}

sub axis {
    my ($a) = @_;
    for my $g (qw(major_gridlines minor_gridlines)) { line($a->{$g}{line}) if $a->{$g} && ref $a->{$g} eq 'HASH' && $a->{$g}{visible} }
    my $u = $a->{display_units};
    warn "Unknown display_units type '$u'\n" if $u && !$UNITS{$u};
    layout($a->{name_layout}, 1);
    line($a->{line});
    for my $k (qw(minor_tick_mark major_tick_mark)) {
        my $t = $a->{$k};
        warn "Unknown tick_type type '$t'\n" if $t && !$TICKS{$t};
    }
    return;
}

sub area {
    my ($a) = @_;
    my %b = ref $a->{border} eq 'HASH' ? %{ $a->{border} } : ();
    line($a->{line});
    line(\%b) if $a->{border} || $a->{line_weight} || $a->{line_pattern} || $a->{line_color};
    if (my $f = $a->{fill}) { my $d = $f->{_defined} }
    pattern($a->{pattern});
    gradient($a->{gradient});
    layout($a->{layout}, 0);
    return;
}

sub legend {
    my ($a) = @_;
    layout($a->{layout}, 0);
    formatting($a);
    layout($a->{layout}, 0);
    return;
}

sub title { layout($_[0]{layout}, 1) }

sub lines { line($_[0]{line}) }

sub up_down_bars {
    my ($a) = @_;
    for my $k (qw(up down)) {
        my $h = $a->{$k} or next;
        line(defined $h->{border} ? $h->{border} : $h->{line});
    }
    return;
}

1;
