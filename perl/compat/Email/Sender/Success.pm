package Email::Sender::Success;
# in perl/compat/Email/Sender/Failure.pm (with the failures)
use strict;
use warnings;
require Email::Sender::Failure;
1;
