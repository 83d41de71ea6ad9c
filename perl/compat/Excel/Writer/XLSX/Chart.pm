package Excel::Writer::XLSX::Chart;

# The chart class of the bridge's Excel::Writer::XLSX (see CPANBridge::Excel), and its subclasses by
# type (the real factory's classes: Excel::Writer::XLSX::Chart::Bar ...).
use strict;
use warnings;
use CPANBridge::Excel ();

our @ISA = ('CPANBridge::Excel::Chart');
our $VERSION = $CPANBridge::Excel::VERSION;

for my $type (qw(Area Bar Column Doughnut Line Pie Radar Scatter Stock)) {
    no strict 'refs';
    @{"Excel::Writer::XLSX::Chart::${type}::ISA"} = ($type eq 'Doughnut' ? 'Excel::Writer::XLSX::Chart::Pie' : 'Excel::Writer::XLSX::Chart');
    ${"Excel::Writer::XLSX::Chart::${type}::VERSION"} = $VERSION;
    $INC{"Excel/Writer/XLSX/Chart/$type.pm"} ||= __FILE__;
}

1;
