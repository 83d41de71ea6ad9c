package Email::Sender;
# Email::Sender 2.600 on the CPAN Bridge: the role's name, for `use Email::Sender;` and isa
# checks. Sending is Email::Sender::Simple with Email::Sender::Transport::SMTP (perl/compat).
use strict;
use warnings;
our $VERSION = '2.600';
1;
