package ExcelHelper;

# The predecessor's entry point: `use ExcelHelper;` (or `require ExcelHelper;`) then
# Excel::Writer::XLSX->new(...) or ExcelHelper->new(...) writes workbooks through the bridge.
# Same objects as the drop-in Excel::Writer::XLSX (perl/lib/CPANBridge/Excel.pm); the
# predecessor's file did not compile, so no script depends on its deviations, and the CPAN
# behaviour (write returns 0, ...) is kept. As the predecessor's, its objects are CPANBridge
# objects too (test_python_bridge, call_python).
#
#   ExcelHelper->new($filename)              a workbook
#   ExcelHelper->new($filename, debug => 1)  a workbook; the options are CPANBridge->new's
#   ExcelHelper->new(debug => 1)             no workbook (the predecessor wrote a file named
#                                            "debug"): a bridge object for test_python_bridge

use strict;
use warnings;
use CPANBridge ();
use CPANBridge::Excel ();

our $VERSION = '2.00';
our @ISA = ('CPANBridge::Excel::Workbook', 'CPANBridge');

# CPANBridge->new's options (PREDECESSOR_API.md 1.1)
my %BRIDGE_OPT = map { $_ => 1 } qw(debug timeout max_json_size retry_count);

sub new {
    my ($class, @a) = @_;
    if (@a && !ref $a[0] && $BRIDGE_OPT{ $a[0] } && !(@a % 2)) {
        return CPANBridge::new('ExcelHelper::Bridge', @a);
    }
    my ($filename, @rest) = @a;
    my $options = ref $rest[0] eq 'HASH' ? $rest[0] : {};
    my %bridge = ref $rest[0] ? () : @rest;
    if (my @bad = grep { !$BRIDGE_OPT{$_} } sort keys %bridge) {
        Carp::croak("ExcelHelper->new: unknown option(s) @bad (the options are CPANBridge->new's: debug, timeout, max_json_size, retry_count)");
    }
    my $self = $class->SUPER::new($filename, $options) or return undef;
    my $b = CPANBridge::new('CPANBridge', %bridge);
    $self->{$_} = $b->{$_} for keys %$b;
    return $self;
}

sub _worksheet_class { 'ExcelHelper::Worksheet' }
sub _format_class    { 'ExcelHelper::Format' }

{
    package ExcelHelper::Worksheet;
    our @ISA = ('CPANBridge::Excel::Worksheet');
    package ExcelHelper::Format;
    our @ISA = ('CPANBridge::Excel::Format');
    package ExcelHelper::Bridge;
    our @ISA = ('CPANBridge');
}

# Excel::Writer::XLSX->new, unless the drop-in (or the real module) is already loaded: at load,
# so `require ExcelHelper` gives it as `use ExcelHelper` does.
sub _install {
    no strict 'refs';
    return if defined &{'Excel::Writer::XLSX::new'} || @{'Excel::Writer::XLSX::ISA'};
    @{'Excel::Writer::XLSX::ISA'} = ('ExcelHelper');
}
_install();

sub import { _install(); return }

1;
