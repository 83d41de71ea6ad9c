package Log::Dispatch::FileRotate;
# The bridge's Log::Dispatch::FileRotate (size rotation by the daemon), defined with Log::Log4perl.
use strict;
use warnings;
require Log::Log4perl;
1;
