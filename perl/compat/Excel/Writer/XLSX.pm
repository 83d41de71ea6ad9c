package Excel::Writer::XLSX;

# Drop-in Excel::Writer::XLSX for CPAN Bridge: with PERL5LIB=perl/lib:perl/compat an unchanged
# script that says `use Excel::Writer::XLSX;` writes its workbook through the daemon. The
# implementation lives in perl/lib/CPANBridge/Excel.pm (shared with ExcelHelper.pm).

use strict;
use warnings;
use CPANBridge::Excel ();
use Excel::Writer::XLSX::Workbook ();
use Excel::Writer::XLSX::Worksheet ();
use Excel::Writer::XLSX::Format ();

our $VERSION = $CPANBridge::Excel::VERSION;
our @ISA = ('Excel::Writer::XLSX::Workbook');

1;
