package Excel::Writer::XLSX::Shape;

# The shape class of the bridge's Excel::Writer::XLSX (see CPANBridge::Excel).
use strict;
use warnings;
use CPANBridge::Excel ();
use CPANBridge::Excel::Shape ();

our @ISA = ('CPANBridge::Excel::Shape');
our $VERSION = $CPANBridge::Excel::VERSION;

1;
