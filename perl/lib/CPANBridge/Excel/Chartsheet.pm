package CPANBridge::Excel::Chartsheet;

# A chartsheet (Excel::Writer::XLSX::Chartsheet): a sheet holding one chart. The sheet methods are
# the worksheet's (page setup, tab colour, activate ...: recorded calls on the sheet); the chart
# methods go to its chart, as the real class delegates them.

use strict;
use warnings;
use Carp ();
use CPANBridge::Excel::Worksheet ();

our @ISA = ('CPANBridge::Excel::Worksheet');

# The real constructor (Workbook::add_chart calls it): a chartsheet outside a workbook has nowhere to
# go on the bridge.
sub new {
    Carp::croak('Excel::Writer::XLSX on CPAN Bridge: Chartsheet->new() is not supported (a sheet outside a workbook): use $workbook->add_chart()');
}

sub protect {
    my $self = shift;
    my $password = shift || '';
    my $user_options = shift;
    my $options = {};
    $options->{objects} = defined $user_options->{objects} ? (not $user_options->{objects}) : 0;
    $options->{content} = defined $user_options->{content} ? $user_options->{content} : 1;
    return if $password eq '' && $options->{objects} && !$options->{content};
    $self->{_chart}{_protection} = 1;
    $self->{_chart}->_send('_protection');
    $options->{sheet} = 0;
    $options->{scenarios} = 1;
    return $self->SUPER::protect($password, $options);
}

sub add_series         { return shift->{_chart}->add_series(@_) }
sub combine            { return shift->{_chart}->combine(@_) }
sub set_x_axis         { return shift->{_chart}->set_x_axis(@_) }
sub set_y_axis         { return shift->{_chart}->set_y_axis(@_) }
sub set_x2_axis        { return shift->{_chart}->set_x2_axis(@_) }
sub set_y2_axis        { return shift->{_chart}->set_y2_axis(@_) }
sub set_title          { return shift->{_chart}->set_title(@_) }
sub set_legend         { return shift->{_chart}->set_legend(@_) }
sub set_plotarea       { return shift->{_chart}->set_plotarea(@_) }
sub set_chartarea      { return shift->{_chart}->set_chartarea(@_) }
sub set_style          { return shift->{_chart}->set_style(@_) }
sub show_blanks_as     { return shift->{_chart}->show_blanks_as(@_) }
sub show_hidden_data   { return shift->{_chart}->show_hidden_data(@_) }
sub set_size           { return shift->{_chart}->set_size(@_) }
sub set_table          { return shift->{_chart}->set_table(@_) }
sub set_up_down_bars   { return shift->{_chart}->set_up_down_bars(@_) }
sub set_drop_lines     { return shift->{_chart}->set_drop_lines(@_) }
# as the real Chartsheet: it calls a chart method that does not exist, and dies
sub set_high_low_lines { return shift->{_chart}->high_low_lines(@_) }

1;
