package Email::Sender::Failure::Temporary;
# in perl/compat/Email/Sender/Failure.pm
use strict;
use warnings;
require Email::Sender::Failure;
1;
