package Excel::Writer::XLSX::Workbook;

# The workbook class of the bridge's Excel::Writer::XLSX (see CPANBridge::Excel).
use strict;
use warnings;
use CPANBridge::Excel ();
use Excel::Writer::XLSX::Chart ();

our @ISA = ('CPANBridge::Excel::Workbook');
our $VERSION = $CPANBridge::Excel::VERSION;

sub _worksheet_class { 'Excel::Writer::XLSX::Worksheet' }
sub _format_class    { 'Excel::Writer::XLSX::Format' }
sub _chart_class     { 'Excel::Writer::XLSX::Chart' }
sub _chartsheet_class { 'Excel::Writer::XLSX::Chartsheet' }
sub _shape_class      { 'Excel::Writer::XLSX::Shape' }

1;
