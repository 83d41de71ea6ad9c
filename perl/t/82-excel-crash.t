#!/usr/bin/perl
# A workbook whose daemon is killed mid-way (CPAN_BRIDGE_CRASH_AT: before or after a request is
# journaled, after its reply, or at close) comes back whole: the client starts a new daemon and
# resends, and the workbook has its cells, names, page setup, protection, rules, comments, tables
# and charts, its formats (one changed after its first use, a custom colour), the same parts as the
# real module's.
use strict;
use warnings;
use Test::More;
use lib 'perl/t/lib';
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use BridgeTest::XlsxCompare qw(compare_with_real have_real_excel_writer);
use BridgeTest::XlsxScripts qw(script_pre same_after_crashes);

plan skip_all => 'the real Excel::Writer::XLSX is not installed' unless have_real_excel_writer();

my $BODY = <<'PERL';
my $f = $workbook->add_format(bold => 1, bg_color => 'yellow');
my $money = $workbook->add_format(num_format => '$#,##0.00');
$workbook->set_custom_color(40, 10, 20, 30);
my $changed = $workbook->add_format(color => 40);
$worksheet->write('C12', 1234.5, $money);
$worksheet->write('C13', 'changed after use', $changed);
$changed->set_italic();
print 'xf: ', $money->get_xf_index(), "\n";
my $ws2 = $workbook->add_worksheet('Data');
$worksheet->write_col('A1', [ 1 .. 10 ]);
$worksheet->write('B1', 'text');
$worksheet->set_column('A:C', 14);
$worksheet->set_row(2, 25, $f);
$worksheet->merge_range('E1:F2', 'merged', $f);
$worksheet->write_url('G1', 'internal:Data!A1', undef, 'to Data', 'a tip');
$workbook->define_name('Rate', '=0.96');
$workbook->define_name('Data!Local', '=Data!$A$1');
$worksheet->print_area('A1:G20');
$worksheet->repeat_rows(0);
$worksheet->set_landscape();
$worksheet->freeze_panes(1, 1);
$worksheet->set_header('&CPage &P');
$workbook->set_properties(title => 'Crash test', author => 'Eve');
$worksheet->conditional_formatting('A1:A10', { type => 'cell', criteria => '>', value => 5, format => $f });
$worksheet->data_validation('B2', { validate => 'list', source => [ 'a', 'b' ] });
$worksheet->autofilter('A1:C10');
$worksheet->filter_column('A', 'x > 3');
$worksheet->protect('pw', { sort => 1 });
$worksheet->unprotect_range('C1:C3');
$worksheet->add_sparkline({ location => 'D1', range => 'A1:C1' });
$worksheet->ignore_errors({ number_stored_as_text => 'A1' });
$worksheet->write_comment('B4', 'a comment', author => 'Ann');
$ws2->add_table('A1:C4', { name => 'Kept', columns => [ { header => 'X' }, { header => 'Y' }, { header => 'Z' } ] });
my $chart = $workbook->add_chart(type => 'column', embedded => 1);
$chart->add_series(values => '=Sheet1!$A$1:$A$5');
$chart->{_axis_ids} = [ 50010001, 50010002 ];
$worksheet->insert_chart('I2', $chart);
$ws2->write('E5', 'last');
PERL

same_after_crashes(script_pre() . "$BODY\n\$workbook->close;\n", ['excel.call#3:before_journal', 'excel.call#9:after_journal', 'excel.call#20:after_reply',
               'excel.write_batch#1:after_journal', 'excel.close#1:before_journal', 'excel.close#1:after_effect'], check => sub {
    my ($r, $point) = @_;
    is_deeply $r->{diffs}, [], "crash at $point: the same parts as the real module's";
    is $r->{shim}{rc}, 0, "crash at $point: the script ended normally";
});

done_testing;
