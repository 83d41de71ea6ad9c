package CPANBridge::Excel::Chart;

# A chart of Excel::Writer::XLSX's API. Its definition is kept here and sent whole (excel.add_chart)
# with the next flush after a change; the daemon renders it at close (src/modules/excel/drawing.ts).

use strict;
use warnings;
use Carp ();

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

1;
