#!/usr/bin/perl
# Excel::Writer::XLSX on the bridge (real daemon): the shim is what loads, write()'s return
# codes, croak texts with the script's location, close semantics, ExcelHelper, path policy.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use Excel::Writer::XLSX;
use Excel::Writer::XLSX::Utility qw(xl_rowcol_to_cell xl_cell_to_rowcol);

like $INC{'Excel/Writer/XLSX.pm'}, qr{/perl/compat/Excel/Writer/XLSX\.pm$}, 'Excel::Writer::XLSX comes from perl/compat';
is xl_rowcol_to_cell(2, 27), 'AB3', 'xl_rowcol_to_cell';
is_deeply [ (xl_cell_to_rowcol('AB3'))[0, 1] ], [2, 27], 'xl_cell_to_rowcol';

my $dir = BridgeTest::home();
my $file = "$dir/basic.xlsx";
my $wb = Excel::Writer::XLSX->new($file);
isa_ok $wb, 'Excel::Writer::XLSX';
my $ws = $wb->add_worksheet('Data');
isa_ok $ws, 'Excel::Writer::XLSX::Worksheet';
my $f = $wb->add_format(bold => 1);
isa_ok $f, 'Excel::Writer::XLSX::Format';
is $ws->get_name, 'Data', 'get_name';
is $wb->add_worksheet->get_name, 'Sheet2', 'default sheet name';

is $ws->write(0, 0, 'text'), 0, 'string -> 0';
is $ws->write(0, 1, 3.5, $f), 0, 'number -> 0';
is $ws->write(0, 2), 0, 'write without a token: ignored blank -> 0';
is $ws->write_number(0, 2), -1, 'write_number with too few args -> -1';
is $ws->write(1048576, 0, 1), -2, 'row out of range -> -2';
is $ws->write(0, 16384, 1), -2, 'col out of range -> -2';
is $ws->write(0, 3, 'x' x 32768), -3, 'long string -> -3';
is $ws->write_string(0, 4, undef), -4, 'write_string(undef) -> -4';
is $ws->write_row('A3', [1, 'b', '=A3*2']), 0, 'write_row';

my $line = __LINE__ + 1;
eval { $wb->add_worksheet('data') };
like $@, qr/^Worksheet name 'data', with case ignored, is already used\. at \Q$0\E line $line\.?\n/, 'duplicate name croaks at the caller';
eval { $wb->add_worksheet('a/b') };
like $@, qr/Invalid character \[\]:\*\?\/\\ in worksheet name: a\/b/, 'invalid character';
eval { $wb->add_worksheet('x' x 32) };
like $@, qr/must be <= 31 chars/, 'long name';
eval { $ws->write(-1, 0, 'x') };
like $@, qr/Unknown cell reference -1/, 'negative row croaks';
eval { $wb->add_format(nonsense => 1) };
like $@, qr/Unknown method: Excel::Writer::XLSX::Format::set_nonsense/, 'unknown format property';

ok $wb->close, 'close returns true';
ok !defined $wb->close, 'second close returns nothing';
ok -s $file, 'file written';

ok !defined Excel::Writer::XLSX->new('/proc/forbidden/x.xlsx'), 'unwritable path -> undef';
ok $!, '$! set';

# Left open: closed at END, as the real module does at DESTROY.
my ($out, $err, $rc) = BridgeTest::run_perl(<<"PL");
use Excel::Writer::XLSX;
my \$wb = Excel::Writer::XLSX->new('$dir/atexit.xlsx') or die;
\$wb->add_worksheet->write(0, 0, 'left open');
our \$keep = \$wb;
PL
is $rc, 0, 'script without close exits 0' or diag $err;
ok -s "$dir/atexit.xlsx", 'workbook written at exit';

# The predecessor's entry point.
($out, $err, $rc) = BridgeTest::run_perl(<<"PL");
use ExcelHelper;
my \$wb = Excel::Writer::XLSX->new('$dir/helper.xlsx') or die "new failed";
my \$ws = \$wb->add_worksheet('H');
print \$ws->write(0, 0, 'x'), "\\n";
print \$wb->close ? "ok\\n" : "fail\\n";
PL
is $rc, 0, 'ExcelHelper script runs' or diag $err;
is $out, "0\nok\n", 'ExcelHelper: write and close';
ok -s "$dir/helper.xlsx", 'ExcelHelper workbook written';

done_testing;
