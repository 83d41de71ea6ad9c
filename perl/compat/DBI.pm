package DBI;

# Drop-in DBI for CPAN Bridge: `use DBI;` with PERL5LIB=perl/lib:perl/compat
# runs an unchanged script on the bridge. The implementation lives in
# perl/lib/CPANBridge/DBI.pm (shared with DBIHelper.pm).

use strict;
use warnings;
use CPANBridge::DBI ();

# The real DBI applies $ENV{DBI_TRACE} as it loads (DBI->trace(split /=/, $ENV{DBI_TRACE}, 2)),
# printing trace lines from then on. The bridge has no trace output: a level that would print
# dies here, as DBI->trace does, rather than leave the expected trace silently empty.
if ($ENV{DBI_TRACE}) {
    my ($level) = split /=/, $ENV{DBI_TRACE}, 2;
    die "DBI_TRACE=$ENV{DBI_TRACE}: DBI trace output is not supported by the bridge (unset DBI_TRACE, or set it to 0)\n"
        if CPANBridge::DBI::common::_trace_prints($level);
}

1;
