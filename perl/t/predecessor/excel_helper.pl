#!/usr/bin/perl
# Predecessor-style script (Test_Scripts/test_excel_helper.pl, Test_Excel_Functionality.pl):
# `require ExcelHelper` without import, ExcelHelper->new(debug => 1) as a bridge, and the
# excel.* call_python functions. Usage: excel_helper.pl <directory> (also the working directory)
use strict;
use warnings;
use IO::Uncompress::Unzip ();

my $dir = shift or die "usage: $0 dir\n";
chdir $dir or die "chdir $dir: $!";
sub check { my ($ok, $name) = @_; print $ok ? "ok: $name\n" : "FAIL: $name\n"; $ok }
sub member {
    my ($file, $name) = @_;
    my $z = IO::Uncompress::Unzip->new($file, Name => $name) or return '';
    local $/;
    my $s = <$z>;
    return $s // '';
}

require ExcelHelper;
my $bridge = ExcelHelper->new(debug => 1);
check(!-e "$dir/debug", 'ExcelHelper->new(debug => 1) writes no file named debug');
check($bridge->isa('CPANBridge') && $bridge->can('call_python'), 'ExcelHelper objects are CPANBridge objects');
check($bridge->test_python_bridge(), 'test_python_bridge is true with a daemon');
check(defined &Excel::Writer::XLSX::new || Excel::Writer::XLSX->can('new'), 'require ExcelHelper: Excel::Writer::XLSX->new defined');

my $wb = Excel::Writer::XLSX->new("$dir/report.xlsx");
check($wb && $wb->isa('CPANBridge'), 'Excel::Writer::XLSX->new after require ExcelHelper');
my $ws = $wb->add_worksheet('Report');
$ws->write(0, 0, 'Name');
$ws->write(1, 0, 'Ann');
$wb->close;
check(member("$dir/report.xlsx", 'xl/sharedStrings.xml') =~ /Ann/, 'the workbook has its cells');

my $h = ExcelHelper->new("$dir/helper.xlsx", debug => 0);
check($h && $h->isa('ExcelHelper') && $h->test_python_bridge, 'ExcelHelper->new($file, %bridge_opts)');
$h->add_worksheet->write(0, 0, 'helper');
$h->close;
check(member("$dir/helper.xlsx", 'xl/sharedStrings.xml') =~ /helper/, 'ExcelHelper workbook written');

# call_python 'excel'
my $r = $bridge->call_python('excel', 'create_workbook', { filename => "$dir/raw.xlsx" });
check($r->{success} && $r->{result}{workbook_id} && $r->{result}{library} && $r->{result}{filename} eq "$dir/raw.xlsx", 'create_workbook: workbook_id, library, filename');
my $wid = $r->{result}{workbook_id};
my $s1 = $bridge->call_python('excel', 'add_worksheet', { workbook_id => $wid, name => 'First' });
my $s2 = $bridge->call_python('excel', 'add_worksheet', { workbook_id => $wid, name => 'Second' });
check($s1->{success} && $s2->{success} && $s2->{result}{worksheet_id}, 'add_worksheet: a second sheet');
my $w = $bridge->call_python('excel', 'write_cell', { workbook_id => $wid, worksheet_id => $s2->{result}{worksheet_id}, row => 0, col => 0, data => 'in the second sheet' });
check($w->{success}, 'write_cell with data');
$bridge->call_python('excel', 'write_cell', { workbook_id => $wid, worksheet_id => $s1->{result}{worksheet_id}, row => 2, col => 1, data => 3.5 });
check($bridge->call_python('excel', 'close_workbook', { workbook_id => $wid })->{success}, 'close_workbook');
my $wbx = member("$dir/raw.xlsx", 'xl/workbook.xml');
check($wbx =~ /name="First"/ && $wbx =~ /name="Second"/, 'both sheets in the file');
check(member("$dir/raw.xlsx", 'xl/sharedStrings.xml') =~ /in the second sheet/, 'the cell written with data is in the file');
check(member("$dir/raw.xlsx", 'xl/worksheets/sheet1.xml') =~ m{<c r="B3"[^>]*><v>3\.5</v>}, 'a number cell');
print "done\n";
