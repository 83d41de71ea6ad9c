package ExcelHelper;

# The predecessor's entry point: `use ExcelHelper;` then Excel::Writer::XLSX->new(...) (or
# ExcelHelper->new(...)) writes workbooks through the bridge. Same objects as the drop-in
# Excel::Writer::XLSX (perl/lib/CPANBridge/Excel.pm); the predecessor's file did not compile, so
# no script depends on its deviations, and the CPAN behaviour (write returns 0, ...) is kept.

use strict;
use warnings;
use CPANBridge::Excel ();

our $VERSION = '2.00';
our @ISA = ('CPANBridge::Excel::Workbook');

sub _worksheet_class { 'ExcelHelper::Worksheet' }
sub _format_class    { 'ExcelHelper::Format' }

{
    package ExcelHelper::Worksheet;
    our @ISA = ('CPANBridge::Excel::Worksheet');
    package ExcelHelper::Format;
    our @ISA = ('CPANBridge::Excel::Format');
}

sub import {
    # Make Excel::Writer::XLSX->new available unless the real name is already loaded.
    no strict 'refs';
    if (!defined &{'Excel::Writer::XLSX::new'}) {
        @{'Excel::Writer::XLSX::ISA'} = ('ExcelHelper') unless @{'Excel::Writer::XLSX::ISA'};
    }
    return;
}

1;
