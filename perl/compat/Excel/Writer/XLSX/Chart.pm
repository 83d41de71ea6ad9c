package Excel::Writer::XLSX::Chart;

# The chart class of the bridge's Excel::Writer::XLSX (see CPANBridge::Excel).
use strict;
use warnings;
use CPANBridge::Excel ();

our @ISA = ('CPANBridge::Excel::Chart');
our $VERSION = $CPANBridge::Excel::VERSION;

1;
