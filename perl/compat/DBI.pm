package DBI;

# Drop-in DBI for CPAN Bridge: `use DBI;` with PERL5LIB=perl/lib:perl/compat
# runs an unchanged script on the bridge. The implementation lives in
# perl/lib/CPANBridge/DBI.pm (shared with DBIHelper.pm).

use strict;
use warnings;
use CPANBridge::DBI ();

1;
