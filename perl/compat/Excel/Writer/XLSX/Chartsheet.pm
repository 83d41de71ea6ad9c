package Excel::Writer::XLSX::Chartsheet;

# The chartsheet class of the bridge's Excel::Writer::XLSX (see CPANBridge::Excel).
use strict;
use warnings;
use CPANBridge::Excel ();
use CPANBridge::Excel::Chartsheet ();

our @ISA = ('CPANBridge::Excel::Chartsheet');
our $VERSION = $CPANBridge::Excel::VERSION;

1;
