#!/usr/bin/perl
# The workbook writer's core against the real Excel::Writer::XLSX: cells of every type, columns and
# rows, merges, links, page setup and printing, views and panes, breaks and outlines, defined names
# and workbook settings, properties, constant memory mode, and the content bugs of issue 19 (column
# widths on a sheet without cells, a set_row format on an empty row, print area and repeat rows
# references, internal: links and tooltips, overwritten link cells, DBL_MAX). Each script runs with
# the real module and with the shim; the workbooks must have the same parts, byte for byte (core.xml
# dates aside), and the scripts print the same return codes and warnings.
use strict;
use warnings;
use Test::More;
use lib 'perl/t/lib';
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use BridgeTest::XlsxCompare qw(have_real_excel_writer);
use BridgeTest::XlsxScripts qw(script_pre same_as_real);

plan skip_all => 'the real Excel::Writer::XLSX is not installed' unless have_real_excel_writer();

same_as_real('cells of every type', <<'PERL');
my $bold = $workbook->add_format(bold => 1);
show $worksheet->write('A1', 'text');
show $worksheet->write('A2', 42);
show $worksheet->write('A3', '=SUM(A2:A2)');
show $worksheet->write_formula('A4', '=A2*2', $bold, 84);
show $worksheet->write_formula('A5', '="x"&"y"', undef, 'xy');
show $worksheet->write_formula('A6', '=1/0', undef, '#DIV/0!');
show $worksheet->write_formula('A7', '=TRUE', undef, 'TRUE');
show $worksheet->write_array_formula('B1:B3', '{=A1:A3*2}', $bold, 0);
show $worksheet->write_dynamic_array_formula('C1:C3', '=SORT(A1:A3)');
show $worksheet->write_formula('D1', '=UNIQUE(A1:A3)');
show $worksheet->write_boolean('E1', 1);
show $worksheet->write_blank('E2', undef, $bold);
show $worksheet->write_blank('E3', $bold);
show $worksheet->write_string('E4', ' padded ');
show $worksheet->write_string('E5', "ctrl \x01 _x0041_ & <b>");
show $worksheet->write_number('E6', 1.79769313486232e+308);
show $worksheet->write_number('E7', -0.000001234);
show $worksheet->write_number('E8', 12345678901234567);
show $worksheet->write_date_time('E9', '2024-02-29T12:30:00.5', $bold);
show $worksheet->write_date_time('E10', 'not a date');
show $worksheet->write_row('F1', [ 1, 'two', [ 3, 4 ] ]);
show $worksheet->write_col('H1', [ 'a', 'b' ]);
show $worksheet->write(1048576, 0, 'out');
show $worksheet->write_string('E11', 'x' x 32768);
show $worksheet->write_utf16be_string('E12', "\0a\0b");
show $worksheet->write_rich_string('E13', 'a ', $bold, 'bold', ' end');
show $worksheet->write_rich_string('E14', 'a', $bold, $bold, 'b');
$worksheet->keep_leading_zeros();
show $worksheet->write('E15', '00123');
my $tokens = $worksheet->store_formula('=A1*B1');
show $worksheet->repeat_formula('E16', $tokens, undef, 'A1', 'A2');
PERL

same_as_real('strings shared in first-write order, across sheets', <<'PERL');
my $ws2 = $workbook->add_worksheet('Second');
$ws2->write('B2', 'beta');
$worksheet->write('A9', 'alpha');
$worksheet->write('A1', 'beta');
$ws2->write('A1', 'alpha');
$worksheet->write('C3', 'gamma');
PERL

same_as_real('columns and rows', <<'PERL');
my $f = $workbook->add_format(italic => 1);
my $g = $workbook->add_format(bold => 1);
show $worksheet->set_column('A:A', 20);
show $worksheet->set_column('C:E', undef, $f);
show $worksheet->set_column(6, 4, 5, undef, 1);
show $worksheet->set_column('H:H', 0.5, undef, 0, 2);
show $worksheet->set_column_pixels('J:J', 100);
show $worksheet->set_column(16384, 16384, 5);
show $worksheet->set_row(0, 30, $g);
show $worksheet->set_row(3, undef, undef, 1);
show $worksheet->set_row(4, 0);
show $worksheet->set_row(5, 20, undef, 0, 3, 1);
show $worksheet->set_row_pixels(6, 40);
show $worksheet->set_row(1048576, 10);
$worksheet->write('B1', 'x');
$worksheet->write('D3', 'y');
$worksheet->set_default_row(18);
PERL

same_as_real('column widths on a sheet without cells, set_row format on an empty row (content bugs)', <<'PERL');
my $f = $workbook->add_format(bg_color => 'yellow');
$worksheet->set_column('B:D', 30);
$worksheet->set_row(4, undef, $f);
my $ws2 = $workbook->add_worksheet();
$ws2->set_column('A:A', 12, $f);
PERL

same_as_real('merges', <<'PERL');
my $m = $workbook->add_format(align => 'center', border => 1);
$worksheet->merge_range('B2:D3', 'merged', $m);
$worksheet->merge_range(5, 1, 6, 2, 42, $m);
$worksheet->merge_range_type('formula', 'B9:C9', '=1+1', $m, 2);
$worksheet->merge_range_type('blank', 'B11:C11', undef, $m);
eval { $worksheet->merge_range('A1:A1', 'x', $m) };
print "croak: ", ($@ =~ /^(.*?) at /)[0], "\n";
PERL

same_as_real('hyperlinks: external, internal, tooltips, mailto, local files, overwritten cells (content bugs)', <<'PERL');
show $worksheet->write_url('A1', 'http://www.perl.org/');
show $worksheet->write_url('A2', 'http://www.perl.org/#anchor', undef, 'Perl', 'a tip');
show $worksheet->write_url('A3', 'internal:Sheet2!A1', 'go there');
show $worksheet->write_url('A4', 'internal:Sheet2!B5', undef, 'with tip', 'internal tip');
show $worksheet->write_url('A5', 'mailto:jmcnamara@cpan.org');
show $worksheet->write_url('A6', 'external:c:\temp\foo.xlsx#Sheet1!A1');
show $worksheet->write_url('A7', 'external:..\foo.xlsx');
show $worksheet->write_url('A8', 'http://example.com/a b[c]');
show $worksheet->write_url('A9', 'http://x.com/' . ('y' x 2100));
show $worksheet->write('A10', 'ftp://ftp.example.com/');
show $worksheet->write_url('A11', 'http://example.com/overwritten');
show $worksheet->write('A11', 'plain text over a link');
show $worksheet->write_url('A12', 'http://example.com/number');
show $worksheet->write_number('A12', 5);
$workbook->add_worksheet('Sheet2');
PERL

same_as_real('page setup, printing, header and footer', <<'PERL');
my $ws2 = $workbook->add_worksheet('My Data');
$worksheet->set_landscape();
$worksheet->set_paper(9);
$worksheet->center_horizontally();
$worksheet->center_vertically();
$worksheet->set_margins(0.5);
$worksheet->set_margin_top(1.25);
$worksheet->set_margins_LR(0.3);
show $worksheet->set_header('&LLeft&CCenter&RPage &P of &N', 0.4, { align_with_margins => 0 });
show $worksheet->set_footer('&C&D', undef, { scale_with_doc => 0 });
show $worksheet->set_header('x' x 256);
$worksheet->print_gridlines() if $worksheet->can('print_gridlines');
$worksheet->hide_gridlines(0);
$worksheet->print_row_col_headers();
$worksheet->fit_to_pages(1, 0);
$worksheet->print_across();
$worksheet->set_start_page(3);
$worksheet->print_black_and_white();
$worksheet->set_print_scale(5);
$ws2->set_portrait();
$ws2->set_print_scale(75);
$ws2->hide_gridlines(2);
$ws2->set_h_pagebreaks(20, 40, 20, 0);
$ws2->set_v_pagebreaks(3);
PERL

same_as_real('print area and repeat rows/columns: absolute references (content bug)', <<'PERL');
my $ws2 = $workbook->add_worksheet('Data 2');
my $ws3 = $workbook->add_worksheet("It's");
$worksheet->print_area('A1:D20');
$worksheet->repeat_rows(0);
$worksheet->repeat_columns('A:B');
$ws2->print_area(0, 0, 1048575, 3);
$ws2->repeat_rows(1, 2);
$ws3->print_area('B2');
$ws3->repeat_columns(2);
$ws3->print_area(0, 0, 1048575, 16383);
PERL

same_as_real('views, panes, selections, zoom and tabs', <<'PERL');
my $ws2 = $workbook->add_worksheet();
my $ws3 = $workbook->add_worksheet();
my $ws4 = $workbook->add_worksheet();
$worksheet->freeze_panes(1, 2);
$worksheet->set_selection('D4:F6');
show $worksheet->set_zoom(150);
show $worksheet->set_zoom(500);
$worksheet->set_tab_color('red');
$worksheet->right_to_left();
$worksheet->hide_zero();
$worksheet->hide_row_col_headers();
$ws2->split_panes(15, 8.43);
$ws2->set_top_left_cell('C10');
$ws2->set_tab_color('#FF9900');
$ws2->set_page_view();
$ws3->freeze_panes('A3');
$ws3->set_selection(4, 4);
$ws3->activate();
$ws4->hide();
$ws2->set_first_sheet();
$ws2->select();
PERL

same_as_real('outlines and grouping', <<'PERL');
$worksheet->outline_settings(1, 0, 0, 1);
$worksheet->set_row(1, undef, undef, 0, 1);
$worksheet->set_row(2, undef, undef, 1, 2, 1);
$worksheet->set_column('B:C', 10, undef, 0, 1);
$worksheet->write('A2', 'x');
PERL

same_as_real('defined names and workbook settings', <<'PERL');
my $ws2 = $workbook->add_worksheet('Sales Data');
show $workbook->define_name('Exchange_rate', '=0.96');
show $workbook->define_name('Sales', '=Sheet1!$G$1:$H$10');
show $workbook->define_name("'Sales Data'!Local", '=\'Sales Data\'!$A$1');
show $workbook->define_name('Sheet9!x', '=1');
show $workbook->define_name('A1', '=1');
show $workbook->define_name('bad name', '=1');
show $workbook->define_name('R1C1', '=1');
$worksheet->autofilter('A1:C5') if 0;
$workbook->set_size(1200, 800);
show $workbook->set_tab_ratio(75);
show $workbook->set_tab_ratio(101);
$workbook->set_calc_mode('auto_except_tables');
$workbook->read_only_recommended();
show $workbook->set_custom_property('Checked by', 'Eve');
show $workbook->set_custom_property('Date completed', '2016-12-12T23:00:00Z', 'date');
show $workbook->set_custom_property('Document number', '12345');
show $workbook->set_custom_property('Reference number', '1.2345');
show $workbook->set_custom_property('Has review', 1, 'bool');
show $workbook->set_custom_property('Bad', 1, 'nope');
show $workbook->set_properties(title => 'T', subject => 'S', author => 'A', manager => 'M', company => 'C',
    category => 'Cat', keywords => 'k1, k2', comments => 'Created <with> & Perl', status => 'Draft',
    hyperlink_base => 'http://x/');
show $workbook->set_properties(bogus => 1);
$worksheet->write('A1', 'x');
PERL

same_as_real('manual calculation, vba names', <<'PERL');
$workbook->set_calc_mode('manual');
$workbook->set_vba_name();
$worksheet->set_vba_name('MySheet');
$workbook->add_worksheet()->set_vba_name();
PERL

same_as_real('1904 dates', <<'PERL');
$workbook->set_1904();
show $workbook->get_1904();
$worksheet->write_date_time('A1', '2024-01-01T00:00:00', $workbook->add_format(num_format => 'yyyy-mm-dd'));
PERL

same_as_real('constant memory mode', <<'PERL', pre => script_pre(before_sheet => "\$workbook->set_optimization();\n"));
my $bold = $workbook->add_format(bold => 1);
$worksheet->set_column('A:A', 20, $bold);
$worksheet->set_row(0, 30);
show $worksheet->write('A1', 'first');
show $worksheet->write('B1', ' spaced ');
show $worksheet->write('A3', 'third', $bold);
show $worksheet->write('A2', 'too late');
show $worksheet->write_number('C3', 3);
PERL

same_as_real('excel2003 style and a workbook without sheets', '', pre => script_pre(new_options => '{ excel2003_style => 1 }', sheet => 0));

same_as_real('a format changed after a conditional format took its dxf', <<'PERL');
my $f = $workbook->add_format(bold => 1);
my $g = $workbook->add_format(bold => 1);
$worksheet->conditional_formatting('A1:A5', { type => 'cell', criteria => '>', value => 1, format => $f });
$f->set_italic();
$worksheet->conditional_formatting('B1:B5', { type => 'cell', criteria => '<', value => 1, format => $g });
$worksheet->write('A1', 3, $f);
PERL

same_as_real('Utility functions', <<'PERL');
use Excel::Writer::XLSX::Utility;
show xl_rowcol_to_cell(0, 0), xl_rowcol_to_cell(9, 27, 1, 1), xl_col_to_name(16383), xl_col_to_name(701, 1);
show xl_cell_to_rowcol('$AB$10'), xl_cell_to_rowcol(''), xl_cell_to_rowcol('XFD1048576');
show xl_range(0, 0, 0, 0), xl_range(0, 9, 1, 2, 1, 1, 0, 0), xl_range_formula('Sheet 1', 0, 9, 0, 0);
show quote_sheetname('Sheet1'), quote_sheetname('My Data'), quote_sheetname("It's"), quote_sheetname('2024'), quote_sheetname("'Quoted'");
show xl_inc_row('$A$1'), xl_dec_row('B2'), xl_inc_col('Z1'), xl_dec_col('$AA$3');
show xl_parse_time('12:30:15 pm'), xl_parse_time('nope'), xl_date_1904(40000), xl_date_1904(100);
PERL

done_testing;
