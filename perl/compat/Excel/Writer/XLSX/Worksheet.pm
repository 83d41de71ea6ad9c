package Excel::Writer::XLSX::Worksheet;

# The worksheet class of the bridge's Excel::Writer::XLSX (see CPANBridge::Excel).
use strict;
use warnings;
use CPANBridge::Excel ();

our @ISA = ('CPANBridge::Excel::Worksheet');
our $VERSION = $CPANBridge::Excel::VERSION;

1;
