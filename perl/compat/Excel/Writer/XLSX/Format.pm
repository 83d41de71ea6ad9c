package Excel::Writer::XLSX::Format;

# The format class of the bridge's Excel::Writer::XLSX (see CPANBridge::Excel).
use strict;
use warnings;
use CPANBridge::Excel ();

our @ISA = ('CPANBridge::Excel::Format');
our $VERSION = $CPANBridge::Excel::VERSION;

1;
