#!/usr/bin/perl
# Excel rules against the real Excel::Writer::XLSX: conditional formats (every type, dxf formats,
# 2010 data bars, icon sets), data validation, sparklines, autofilter and filters, protection and
# unprotected ranges, ignored errors. Each script runs with the real module and with the shim; the
# workbooks must have the same parts, byte for byte, and the scripts print the same return codes
# and warnings.
use strict;
use warnings;
use Test::More;
use lib 'perl/t/lib';
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use BridgeTest::XlsxCompare qw(compare_with_real have_real_excel_writer);
use BridgeTest::XlsxScripts qw(script_pre same_as_real same_after_crashes);

plan skip_all => 'the real Excel::Writer::XLSX is not installed' unless have_real_excel_writer();

my $PRE = script_pre();

# (the real module's own 'uninitialized' warnings at close, from writing an undefined formula of a
# rule it accepted, are Perl's about its internals: the shim's close has none)
sub same_but_close_warnings {
    my ($name, $body) = @_;
    my $r = compare_with_real("$PRE$body\n\$workbook->close;\n", name => $name);
    is_deeply $r->{diffs}, [], "$name: same parts";
    (my $real_out = $r->{real}{out}) =~ s/^warn: Use of uninitialized value .*\n//mg;
    is $r->{shim}{out}, $real_out, "$name: same return codes and warnings";
    is $r->{shim}{err}, $r->{real}{err}, "$name: same stderr";
}

same_as_real('cell rules with formats', <<'PERL');
my $red   = $workbook->add_format(color => '#9C0006', bg_color => '#FFC7CE');
my $green = $workbook->add_format(color => '#006100', bg_color => '#C6EFCE', bold => 1);
$worksheet->write_col('A1', [10, 20, 30, 40]);
show $worksheet->conditional_formatting('A1:A4', { type => 'cell', criteria => '>', value => 5, format => $red });
show $worksheet->conditional_formatting('A1:A4', { type => 'cell', criteria => 'between', minimum => 2, maximum => 6, format => $green });
show $worksheet->conditional_formatting('B1', { type => 'cell', criteria => 'equal to', value => 'Foo', format => $red, stop_if_true => 1 });
show $worksheet->conditional_formatting('B2', { type => 'cell', criteria => '<=', value => '$C$1', format => $red });
show $worksheet->conditional_formatting('B3:K6,B8:K11', { type => 'cell', criteria => '!=', value => 7, format => $green });
show $worksheet->conditional_formatting(9, 1, 5, 0, { type => 'date', criteria => 'greater than', value => '2011-01-01T', format => $red });
PERL

same_as_real('every other type', <<'PERL');
my $f = $workbook->add_format(italic => 1, bg_color => 'yellow');
my $i = 0;
for my $o (
    { type => 'average', criteria => 'above' }, { type => 'average', criteria => 'below or equal' },
    { type => 'average', criteria => '2 std dev above' }, { type => 'duplicate' }, { type => 'unique' },
    { type => 'top', value => 10 }, { type => 'bottom', value => 5, criteria => '%' },
    { type => 'text', criteria => 'containing', value => 'foo' }, { type => 'text', criteria => 'not containing', value => 'foo' },
    { type => 'text', criteria => 'begins with', value => 'b' }, { type => 'text', criteria => 'ends with', value => 'b' },
    (map { { type => 'time_period', criteria => $_ } } 'yesterday', 'today', 'tomorrow', 'last 7 days', 'last week',
        'this week', 'next week', 'last month', 'this month', 'next month'),
    { type => 'blanks' }, { type => 'no_blanks' }, { type => 'errors' }, { type => 'no_errors' },
    { type => 'formula', criteria => '=$A$1>5' },
) {
    show $worksheet->conditional_formatting($i++, 2, { %$o, format => $f });
}
show $worksheet->conditional_formatting('D1:D9', { type => '2_color_scale' });
show $worksheet->conditional_formatting('E1:E9', { type => '3_color_scale', min_color => '#C5D9F1', mid_type => 'num', mid_value => '=$A$1', max_color => 12 });
show $worksheet->conditional_formatting('F1:F9', { type => 'data_bar', bar_only => 1, format => $f });
show $worksheet->conditional_formatting('G1:G9', { type => 'icon_set', icon_style => '4_arrows', reverse_icons => 1,
    icons => [ { criteria => '>', type => 'number', value => 90 }, { type => 'percentile', value => '=$A$2' } ] });
show $worksheet->conditional_formatting('H1', { type => 'icon_set', icon_style => '3_traffic_lights', icons_only => 1 });
show $worksheet->conditional_formatting('H2', { type => 'icon_set', icon_style => '5_ratings' });
PERL

same_as_real('2010 data bars', <<'PERL');
$worksheet->write_col('A1', [1 .. 5]);
show $worksheet->conditional_formatting('A1:A5', { type => 'data_bar', data_bar_2010 => 1 });
show $worksheet->conditional_formatting('B1:B5', { type => 'data_bar', bar_solid => 1, bar_negative_color => '#FF00FF', bar_direction => 'right' });
show $worksheet->conditional_formatting('C1:C5', { type => 'data_bar', bar_no_border => 1, bar_axis_position => 'none', min_type => 'num', min_value => 2 });
show $worksheet->conditional_formatting('D1:D5', { type => 'data_bar', bar_negative_color_same => 1, bar_negative_border_color_same => 1, bar_axis_position => 'middle', bar_axis_color => '#0070C0', max_type => 'formula', max_value => '=$A$1' });
my $ws2 = $workbook->add_worksheet();
$ws2->conditional_formatting('A1:A5', { type => 'data_bar', bar_border_color => '#FF0000' });
PERL

# constant memory mode: the rows written before a 2010 data bar keep their Excel 2007 form
same_as_real('2010 data bars, constant memory', <<'PERL', pre => script_pre(before_sheet => "\$workbook->set_optimization();\n"));
my $f = $workbook->add_format(bold => 1);
$worksheet->write_row($_, 0, [$_, $_ * 2, 'x']) for 0 .. 5;
$worksheet->conditional_formatting('A1:A6', { type => 'cell', criteria => '>', value => 5, format => $f });
$worksheet->conditional_formatting('B1:B6', { type => 'data_bar', bar_solid => 1 });
$worksheet->write_row($_, 0, [$_, $_ * 2, 'y']) for 6 .. 8;
$worksheet->data_validation('C1:C9', { validate => 'list', source => ['x', 'y'] });
$worksheet->autofilter('A1:C9');
$worksheet->filter_column('A', 'x > 3');
PERL

same_but_close_warnings('bad conditional formats', <<'PERL');
show $worksheet->conditional_formatting('A1', { type => 'bogus' });
show $worksheet->conditional_formatting('A1', { type => 'cell', nope => 1 });
show $worksheet->conditional_formatting('A1', { criteria => '>' });
show $worksheet->conditional_formatting('A1', 'not a hash');
show $worksheet->conditional_formatting('XFE1', { type => 'cell', criteria => '>', value => 1 });
show $worksheet->conditional_formatting('A1', { type => 'icon_set' });
show $worksheet->conditional_formatting('A1', { type => 'icon_set', icon_style => 'nope' });
show $worksheet->conditional_formatting('A1', { type => 'date', criteria => '>', value => '2011-13-01T' });
show $worksheet->conditional_formatting('A1', { type => 'text', criteria => 'sort of', value => 'x' });
show $worksheet->conditional_formatting('A1', { type => 'time_period', criteria => 'someday' });
PERL

same_as_real('palette colours', <<'PERL');
$workbook->set_custom_color(40, 255, 102, 0);
show $worksheet->conditional_formatting('A1:A3', { type => '2_color_scale', min_color => 40, max_color => 'red' });
show $worksheet->conditional_formatting('B1:B3', { type => 'data_bar', bar_color => 12 });
show $worksheet->add_sparkline({ location => 'C1', range => 'A1:A3', series_color => 33 });
for my $code (
    sub { $worksheet->conditional_formatting('D1:D3', { type => '3_color_scale', mid_color => 99 }) },
    sub { $worksheet->add_sparkline({ location => 'C2', range => 'A1:A3', high_color => 70 }) },
) {
    eval { $code->(); 1 } or do { (my $e = $@) =~ s/ at \S+ line \d+\.?\n//; print "died: $e\n" };
}
PERL

same_as_real('data validation', <<'PERL');
show $worksheet->data_validation('A1', { validate => 'integer', criteria => 'between', minimum => 1, maximum => 10 });
show $worksheet->data_validation('A2', { validate => 'decimal', criteria => '>', value => 0.1, error_type => 'warning',
    error_title => 'Oops', error_message => 'Too small', input_title => 'Enter', input_message => 'A decimal' });
show $worksheet->data_validation('A3:B4', { validate => 'list', source => ['open', 'high', 'close'], dropdown => 0 });
show $worksheet->data_validation('A5', { validate => 'list', source => '=$E$1:$E$4', ignore_blank => 0 });
show $worksheet->data_validation('A6', { validate => 'date', criteria => 'between', minimum => '2008-01-01T', maximum => '2008-12-12T' });
show $worksheet->data_validation('A7', { validate => 'time', criteria => '<', value => 'T12:00:00', error_type => 'information' });
show $worksheet->data_validation('A8', { validate => 'length', criteria => 'not equal to', value => 3, show_input => 0, show_error => 0 });
show $worksheet->data_validation('A9', { validate => 'custom', value => '=AND(F5=50,G5=60)', other_cells => [[10, 0, 12, 1]] });
show $worksheet->data_validation('A10', { validate => 'any', input_title => 'Hi', input_message => 'Anything' });
show $worksheet->data_validation('A11', { validate => 'any' });
show $worksheet->data_validation(11, 0, 9, 3, { validate => 'whole number', criteria => 'not between', minimum => -5, maximum => '=$Z$1' });
show $worksheet->data_validation('A1', { validate => 'nope' });
show $worksheet->data_validation('A1', { validate => 'integer', criteria => 'nope' });
show $worksheet->data_validation('A1', { validate => 'integer', criteria => 'between', minimum => 1 });
show $worksheet->data_validation('A1', { validate => 'integer' });
show $worksheet->data_validation('A1', { criteria => '>' });
show $worksheet->data_validation('A1', { validate => 'integer', criteria => '>', value => 1, bogus => 1 });
show $worksheet->data_validation('A1', { validate => 'integer', criteria => '>', value => 1, error_type => 'nope' });
show $worksheet->data_validation('A1', { validate => 'integer', criteria => '>', value => 1, input_title => 'x' x 33 });
show $worksheet->data_validation('A1', { validate => 'list', source => [ ('abcdefghij') x 30 ] });
show $worksheet->data_validation('A1');
show $worksheet->data_validation('A1', 'x');
PERL

same_as_real('autofilter and filters', <<'PERL');
$worksheet->write('A1', [qw(Region Item Volume Month)]);
$worksheet->write(1, 0, ['East', 'Apple', 9000, 'July']);
$worksheet->write(2, 0, ['South', 'Pear', 3000, 'May']);
show $worksheet->autofilter('A1:D51');
show $worksheet->filter_column('A', 'x eq East or x eq South');
show $worksheet->filter_column('B', 'x == NonBlanks');
show $worksheet->filter_column('C', 'x > 3000 and x < 8000');
show $worksheet->filter_column_list('D', 'July', 'May', 'Blanks');
$worksheet->set_row(2, undef, undef, 1);
my $ws2 = $workbook->add_worksheet('Data two');
$ws2->autofilter(0, 0, 9, 2);
$ws2->filter_column(1, 'x =~ b*');
$ws2->filter_column(2, 'x <> Blanks');
$ws2->filter_column(0, 'x = "foo ""bar"""');
my $ws3 = $workbook->add_worksheet();
$ws3->autofilter(0, 0, 1048575, 3);
$ws3->filter_column_list(1, 'Blanks');
PERL

same_as_real('filter errors', <<'PERL');
for my $code (
    sub { $worksheet->filter_column(0, 'x > 1') },
    sub { $worksheet->autofilter('B1:D5'); $worksheet->filter_column('A', 'x > 1') },
    sub { $worksheet->filter_column('B', 'x >') },
    sub { $worksheet->filter_column('B', 'x > 1 nand x < 3') },
    sub { $worksheet->filter_column('B', 'x ~~ 1') },
    sub { $worksheet->filter_column('B', 'x < Blanks') },
    sub { $worksheet->filter_column('B', 'top 501 items') },
    sub { $worksheet->filter_column('B', 'top 5 things') },
    sub { $worksheet->filter_column_list('B') },
    sub { $worksheet->filter_column('B') },
) {
    eval { $code->(); 1 } or do { (my $e = $@) =~ s/ at \S+ line \d+\.?\n//; print "died: $e\n" };
}
PERL

same_as_real('protection', <<'PERL');
show $worksheet->protect('password', { insert_rows => 1, format_cells => 1, objects => 1, select_locked_cells => 0, sort => 1, bogus => 1 });
show $worksheet->unprotect_range('$C$1:$C$3');
show $worksheet->unprotect_range('=A1', 'MyRange');
show $worksheet->unprotect_range('K7', undef, 'foobar');
show $worksheet->unprotect_range();
my $unlocked = $workbook->add_format(locked => 0);
$worksheet->write('A1', 1, $unlocked);
my $ws2 = $workbook->add_worksheet();
$ws2->protect();
my $ws3 = $workbook->add_worksheet();
$ws3->protect('', { sheet => 0, content => 1, autofilter => 1, pivot_tables => 1, delete_rows => 1, select_unlocked_cells => 0 });
PERL

same_as_real('ignore errors', <<'PERL');
$worksheet->write_string('A1', '123');
show $worksheet->ignore_errors({ number_stored_as_text => 'A1:H50', eval_error => 'A2', formula_differs => 'C3', formula_range => 'D4',
    formula_unlocked => 'E5', empty_cell_reference => 'F6', list_data_validation => 'G7', calculated_column => 'H8', two_digit_text_year => 'I9' });
my $ws2 = $workbook->add_worksheet();
show $ws2->ignore_errors({ bogus => 'A1' });
$ws2->ignore_errors({ eval_error => 'A1 C3 E5' });
PERL

same_as_real('sparklines', <<'PERL');
$worksheet->write_row('A1', [-2, 2, 3, -1, 0]);
$worksheet->write_row('A2', [30, 20, 33, 20, 15]);
show $worksheet->add_sparkline({ location => 'F1', range => 'Sheet1!A1:E1' });
show $worksheet->add_sparkline({ location => 'F2', range => '$A$2:$E$2', type => 'column', style => 12, high_point => 1,
    low_point => 1, negative_points => 1, first_point => 1, last_point => 1, markers => 1, axis => 1, reverse => 1,
    show_hidden => 1, weight => 2.25, empty_cells => 'zero', max => 4, min => 'group', date_axis => 'A4:E4' });
show $worksheet->add_sparkline({ location => ['F3', 'F4'], range => ['A1:E1', 'A2:E2'], type => 'win_loss',
    series_color => '#E965E0', negative_color => '#FF0000', markers_color => '#00FF00', first_color => '#0000FF',
    last_color => '#FFFF00', high_color => '#FF00FF', low_color => '#00FFFF', empty_cells => 'connect', max => 'group', min => -1 });
show $worksheet->add_sparkline({ location => 'F5', range => 'A1:E1', style => 36 });
show $worksheet->add_sparkline('x');
show $worksheet->add_sparkline({ location => 'F6', range => 'A1:E1', bogus => 1 });
show $worksheet->add_sparkline({ range => 'A1:E1' });
show $worksheet->add_sparkline({ location => 'F6' });
show $worksheet->add_sparkline({ location => 'F6', range => 'A1:E1', type => 'pie' });
show $worksheet->add_sparkline({ location => ['F6', 'F7'], range => ['A1:E1'] });
PERL

# Crash recovery: the daemon kills itself at a recorded call (before and after journaling it, after
# replying) or at close; the client restarts one and resends, and the workbook still has every rule,
# the autofilter, the protection and the sparklines, the same as the real module's.
my $CRASH = <<'PERL';
my $f = $workbook->add_format(bold => 1, bg_color => 'yellow');
$worksheet->write_col('A1', [1 .. 10]);
$worksheet->conditional_formatting('A1:A10', { type => 'cell', criteria => '>', value => 5, format => $f });
$worksheet->data_validation('B1', { validate => 'list', source => ['a', 'b'] });
$worksheet->autofilter('A1:C10');
$worksheet->filter_column('A', 'x > 3');
$worksheet->protect('pw', { sort => 1 });
$worksheet->unprotect_range('C1:C3');
$worksheet->conditional_formatting('C1:C10', { type => 'data_bar', bar_solid => 1 });
$worksheet->add_sparkline({ location => 'D1', range => 'A1:C1' });
$worksheet->ignore_errors({ number_stored_as_text => 'A1' });
PERL
same_after_crashes("$PRE$CRASH\n\$workbook->close;\n", ['excel.call#2:before_journal', 'excel.call#4:after_journal', 'excel.call#7:after_reply', 'excel.close#1:before_journal']);

done_testing();
