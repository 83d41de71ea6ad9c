package Email::Sender::Failure::Permanent;
# in perl/compat/Email/Sender/Failure.pm
use strict;
use warnings;
require Email::Sender::Failure;
1;
