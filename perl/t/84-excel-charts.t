#!/usr/bin/perl
# Excel charts against the real Excel::Writer::XLSX: every chart type and subtype, series options
# (lines, fills, patterns, gradients, markers, trendlines, error bars, points, data labels with
# custom labels), axes (scales, log base, crossing, positions, number formats, gridlines, display
# units, date and text axes, tick marks, fonts, formula names), titles, legends, plot and chart
# areas, styles, blanks and hidden data, sizes, data tables, up-down bars, drop and high-low lines,
# combined charts on secondary axes, pie rotation and doughnut holes, chartsheets (with protection),
# and the warnings and croaks of bad options. Each script runs with the real module and with the
# shim; the workbooks must have the same parts, byte for byte, and the scripts print the same
# return values and warnings.
use strict;
use warnings;
use Test::More;
use lib 'perl/t/lib';
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use BridgeTest::XlsxCompare qw(compare_with_real have_real_excel_writer);
use BridgeTest::XlsxScripts qw(same_after_crashes);

plan skip_all => 'the real Excel::Writer::XLSX is not installed' unless have_real_excel_writer();

my $PRE = <<'PERL';
use strict;
use warnings;
use Excel::Writer::XLSX;
local $SIG{__WARN__} = sub { my $m = shift; $m =~ s/ at \S+ line \d+\.?\n//; print "warn: $m\n" };
my $workbook  = Excel::Writer::XLSX->new($ARGV[0]);
my $worksheet = $workbook->add_worksheet();
sub show { print join(',', map { defined $_ ? (ref $_ ? ref $_ : $_) : 'undef' } @_), "\n" }
$worksheet->write('A1', [ [ 1, 2, 3, 4, 5 ], [ 2, 4, 6, 8, 10 ], [ 3, 6, 9, 12, 15 ], [ 'a', 'b', 'c', 'd', 'e' ] ]);
$worksheet->write('F1', [ [ 39083, 39084, 39085, 39086, 39087 ] ]);
$worksheet->write('G1', 'Title');
PERL

sub same {
    my ($name, $body) = @_;
    my $r = compare_with_real("$PRE$body\n\$workbook->close;\n", name => $name);
    is_deeply $r->{diffs}, [], "$name: same parts";
    is $r->{shim}{out}, $r->{real}{out}, "$name: same return values and warnings";
    is $r->{shim}{err}, $r->{real}{err}, "$name: same stderr";
}

# every type and subtype, two series each
for my $t (
    [ area => qw(standard stacked percent_stacked) ], [ bar => qw(clustered stacked percent_stacked) ],
    [ column => qw(clustered stacked percent_stacked) ], [ line => qw(standard stacked percent_stacked) ],
    [ radar => qw(marker with_markers filled) ], [ scatter => qw(marker_only straight_with_markers straight smooth_with_markers smooth) ],
    [ pie => undef ], [ doughnut => undef ],
) {
    my ($type, @subtypes) = @$t;
    my $body = '';
    my $row = 0;
    for my $sub (@subtypes) {
        my $st = defined $sub ? ", subtype => '$sub'" : '';
        $body .= <<"PERL";
{
    my \$c = \$workbook->add_chart(type => '$type', embedded => 1$st);
    show \$c->add_series(categories => '=Sheet1!\$A\$1:\$A\$5', values => '=Sheet1!\$B\$1:\$B\$5', name => 'One');
    show \$c->add_series(categories => [ 'Sheet1', 0, 4, 0, 0 ], values => [ 'Sheet1', 0, 4, 2, 2 ], name => [ 'Sheet1', 0, 6 ]);
    show \$worksheet->insert_chart($row, 8, \$c);
}
PERL
        $row += 16;
    }
    same("$type charts", $body);
}

same('stock chart with high-low lines, up-down bars and drop lines', <<'PERL');
my $c = $workbook->add_chart(type => 'stock', embedded => 1);
$c->add_series(categories => '=Sheet1!$F$1:$F$5', values => '=Sheet1!$B$1:$B$5');
$c->add_series(categories => '=Sheet1!$F$1:$F$5', values => '=Sheet1!$C$1:$C$5');
$c->add_series(categories => '=Sheet1!$F$1:$F$5', values => '=Sheet1!$A$1:$A$5');
$c->set_up_down_bars(up => { fill => { color => 'green' }, border => { color => 'black' } }, down => { fill => { color => 'red' } });
$c->set_drop_lines(line => { color => 'red', dash_type => 'square_dot' });
$c->set_high_low_lines();
$c->set_x_axis(date_axis => 1, num_format => 'dd/mm/yyyy', major_unit => 1, major_unit_type => 'days', minor_unit => 1);
$worksheet->insert_chart('E9', $c);
my $l = $workbook->add_chart(type => 'line', embedded => 1);
$l->add_series(values => '=Sheet1!$B$1:$B$5');
$l->set_up_down_bars();
$l->set_high_low_lines(line => { color => 'blue', width => 1.5 });
$worksheet->insert_chart('E30', $l);
PERL

same('series formatting', <<'PERL');
my $c = $workbook->add_chart(type => 'column', embedded => 1);
show $c->add_series(values => '=Sheet1!$A$1:$A$5', fill => { color => '#FF0000', transparency => 50 }, border => { color => 'blue', width => 2.25, dash_type => 'dash' },
    gap => 50, overlap => -20, invert_if_negative => 1);
show $c->add_series(values => '=Sheet1!$B$1:$B$5', pattern => { pattern => 'percent_5', fg_color => 'red', bg_color => 'yellow' });
show $c->add_series(values => '=Sheet1!$C$1:$C$5', gradient => { colors => [ '#DDEBCF', '#9CB86E', '#156B13' ], angle => 30 });
show $c->add_series(values => '=Sheet1!$C$1:$C$5', gradient => { colors => [ 'red', 'blue' ], type => 'radial' }, y2_axis => 1, gap => 10);
show $c->add_series(values => '=Sheet1!$A$1:$A$5', gradient => { colors => [ 'red', 'blue', 'green', 'white' ], positions => [ 0, 10, 20, 100 ], type => 'path' }, y2_axis => 1);
show $c->add_series(values => '=Sheet1!$A$1:$A$5', line => { none => 1 }, fill => { none => 1 });
$worksheet->insert_chart('E9', $c);
my $l = $workbook->add_chart(type => 'line', embedded => 1);
show $l->add_series(values => '=Sheet1!$B$1:$B$5', marker => { type => 'square', size => 5, border => { color => 'red' }, fill => { color => 'yellow' } }, smooth => 1);
show $l->add_series(values => '=Sheet1!$C$1:$C$5', marker => { type => 'automatic' }, line => { color => 'green', width => 0.25 });
show $l->add_series(values => '=Sheet1!$A$1:$A$5', marker => { type => 'none' }, points => [ undef, { fill => { color => 'red' } }, { border => { color => 'blue' } } ]);
$worksheet->insert_chart('E30', $l);
my $p = $workbook->add_chart(type => 'pie', embedded => 1);
show $p->add_series(values => '=Sheet1!$A$1:$A$3', points => [ { fill => { color => '#FF0000' } }, { fill => { color => '#00FF00' } }, { pattern => { pattern => 'weave', fg_color => 'blue' } } ]);
$worksheet->insert_chart('E50', $p);
PERL

same('trendlines and error bars', <<'PERL');
my $c = $workbook->add_chart(type => 'scatter', embedded => 1);
$c->add_series(categories => '=Sheet1!$A$1:$A$5', values => '=Sheet1!$B$1:$B$5',
    trendline => { type => 'polynomial', order => 3, name => 'Poly', forward => 0.5, backward => 0.5, intercept => 1.5,
        display_equation => 1, display_r_squared => 1, line => { color => 'red', width => 1 } },
    y_error_bars => { type => 'standard_error' }, x_error_bars => { type => 'fixed', value => 2, end_style => 0, direction => 'minus' });
$c->add_series(categories => '=Sheet1!$A$1:$A$5', values => '=Sheet1!$C$1:$C$5',
    trendline => { type => 'moving_average', period => 2 }, y_error_bars => { type => 'percentage', value => 5, direction => 'plus', line => { color => 'blue' } });
$c->add_series(categories => '=Sheet1!$A$1:$A$5', values => '=Sheet1!$A$1:$A$5',
    trendline => { type => 'exponential' }, y_error_bars => { type => 'custom', plus_values => '=Sheet1!$B$1:$B$5', minus_values => [ 1, 2, 3, 4, 5 ] });
$c->add_series(categories => '=Sheet1!$A$1:$A$5', values => '=Sheet1!$B$1:$B$5', trendline => { type => 'log' }, y_error_bars => { type => 'standard_deviation', value => 1 });
$worksheet->insert_chart('E9', $c);
my $b = $workbook->add_chart(type => 'bar', embedded => 1);
$b->add_series(values => '=Sheet1!$B$1:$B$5', y_error_bars => { type => 'fixed', value => 1 }, trendline => { type => 'linear' });
$b->add_series(values => '=Sheet1!$C$1:$C$5', trendline => { type => 'power' });
$worksheet->insert_chart('E30', $b);
PERL

same('data labels', <<'PERL');
my $c = $workbook->add_chart(type => 'column', embedded => 1);
$c->add_series(values => '=Sheet1!$A$1:$A$5', data_labels => { value => 1, category => 1, series_name => 1, legend_key => 1, position => 'inside_end',
    separator => ';', num_format => '0.00', font => { bold => 1, color => 'red', rotation => 45 }, border => { color => 'blue' }, fill => { color => 'yellow' } });
$c->add_series(values => '=Sheet1!$B$1:$B$5', data_labels => { value => 1, position => 'outside_end',
    custom => [ { value => 'Jan' }, undef, { value => '=Sheet1!$G$1' }, { delete => 1 }, { font => { italic => 1 } } ] });
$c->add_series(values => '=Sheet1!$C$1:$C$5', data_labels => { value => 1, custom => [ { value => 33, font => { color => 'red' }, border => { color => 'red' } },
    { value => '=Sheet1!$A$1', fill => { color => 'green' } } ] });
$worksheet->insert_chart('E9', $c);
my $p = $workbook->add_chart(type => 'pie', embedded => 1);
$p->add_series(values => '=Sheet1!$A$1:$A$5', categories => '=Sheet1!$D$1:$D$5', data_labels => { percentage => 1, leader_lines => 1, position => 'best_fit', separator => "\n" });
$worksheet->insert_chart('E30', $p);
my $l = $workbook->add_chart(type => 'line', embedded => 1);
$l->add_series(values => '=Sheet1!$A$1:$A$5', data_labels => { value => 1, position => 'above' });
$worksheet->insert_chart('E50', $l);
PERL

same('axes', <<'PERL');
my $c = $workbook->add_chart(type => 'column', embedded => 1);
$c->add_series(categories => '=Sheet1!$D$1:$D$5', values => '=Sheet1!$A$1:$A$5');
$c->add_series(categories => '=Sheet1!$D$1:$D$5', values => '=Sheet1!$B$1:$B$5', y2_axis => 1);
show $c->set_x_axis(name => 'X name', name_font => { size => 12, bold => 0, italic => 1, name => 'Arial', color => '#00FF00', rotation => -30 },
    num_font => { underline => 1, pitch_family => 34, charset => 0 }, reverse => 1, label_position => 'low', label_align => 'left',
    interval_unit => 2, interval_tick => 3, major_tick_mark => 'cross', minor_tick_mark => 'inside', position_axis => 'on_tick',
    major_gridlines => { visible => 1, line => { color => 'red', dash_type => 'dash' } }, minor_gridlines => { visible => 1 },
    line => { color => 'blue' }, fill => { color => 'yellow' }, text_axis => 1, num_format => '#,##0', num_format_linked => 1);
show $c->set_y_axis(name => '=Sheet1!$G$1', min => 1, max => 20, log_base => 10, crossing => 3, major_unit => 5, minor_unit => 1,
    display_units => 'thousands', display_units_visible => 0, visible => 1, num_format => '0.0', position => 'right',
    name_layout => { x => 0.1, y => 0.2 });
show $c->set_y2_axis(display_units => 'millions', crossing => 'max', reverse => 1, major_gridlines => { visible => 1 });
show $c->set_x2_axis(visible => 1, label_position => 'high', position => 'top');
$worksheet->insert_chart('E9', $c);
my $s = $workbook->add_chart(type => 'scatter', embedded => 1);
$s->add_series(categories => '=Sheet1!$A$1:$A$5', values => '=Sheet1!$B$1:$B$5');
$s->set_x_axis(min => 0, max => 10, crossing => 'min', major_unit => 2, log_base => 2, name => 'Scatter X');
$s->set_y_axis(name => 'Scatter Y', visible => 0, minor_gridlines => { visible => 1, line => { width => 0.5 } });
$worksheet->insert_chart('E30', $s);
my $d = $workbook->add_chart(type => 'line', embedded => 1);
$d->add_series(categories => '=Sheet1!$F$1:$F$5', values => '=Sheet1!$A$1:$A$5');
$d->set_x_axis(date_axis => 1, min => 39083, max => 39087, minor_unit => 1, minor_unit_type => 'months', major_unit => 1, major_unit_type => 'years', num_format => 'mmm yy');
$worksheet->insert_chart('E50', $d);
my $b = $workbook->add_chart(type => 'bar', embedded => 1);
$b->add_series(values => '=Sheet1!$A$1:$A$5');
$b->set_x_axis(name => 'Bar X', min => 0);
$b->set_y_axis(name => 'Bar Y', reverse => 1);
$worksheet->insert_chart('E70', $b);
PERL

same('titles, legends, areas, styles, sizes, tables', <<'PERL');
my $c = $workbook->add_chart(type => 'column', embedded => 1, name => 'My chart');
$c->add_series(values => '=Sheet1!$A$1:$A$5', name => '=Sheet1!$G$1');
$c->add_series(values => '=Sheet1!$B$1:$B$5');
show $c->set_title(name => 'Results', name_font => { size => 14, color => 'red', bold => 1 }, overlay => 1, layout => { x => 0.3, y => 0.1 });
show $c->set_legend(position => 'overlay_left', delete_series => [ 0 ], font => { size => 9, italic => 1 }, layout => { x => 0.8, y => 0.3, width => 0.1, height => 0.4 },
    border => { color => 'blue' }, fill => { color => 'yellow' });
show $c->set_plotarea(border => { color => 'red', width => 1.5 }, fill => { color => '#FFFFC2' }, layout => { x => 0.1, y => 0.1, width => 0.8, height => 0.7 });
show $c->set_chartarea(color => 'red', line_color => 'black', line_pattern => 3, line_weight => 2);
show $c->set_style(37);
show $c->show_blanks_as('span');
show $c->show_hidden_data();
show $c->set_size(width => 720, height => 576, x_offset => 10, y_offset => 5);
show $c->set_table(horizontal => 0, show_keys => 1, font => { bold => 1 });
show $worksheet->insert_chart('E9', $c, { x_scale => 1.5, y_scale => 0.5, description => 'Alt text', object_position => 3 });
my $t = $workbook->add_chart(type => 'line', embedded => 1);
$t->add_series(values => '=Sheet1!$A$1:$A$5');
$t->set_title(name => '=Sheet1!$G$1', name_font => { name => 'Calibri', size => 9 });
$t->set_legend(position => 'bottom');
$t->set_size(x_scale => 1.2, y_scale => 1.2);
$t->set_style(0);
show $worksheet->insert_chart('E40', $t, 5, 7);
my $n = $workbook->add_chart(type => 'area', embedded => 1);
$n->add_series(values => '=Sheet1!$A$1:$A$5');
$n->set_title(none => 1);
$n->set_legend(none => 1);
$n->set_chartarea(border => { none => 1 }, gradient => { colors => [ 'white', 'blue' ] });
show $worksheet->insert_chart('E60', $n, { decorative => 1, object_position => 2 });
my $p = $workbook->add_chart(type => 'pie', embedded => 1);
$p->add_series(values => '=Sheet1!$A$1:$A$5');
$p->set_legend(font => { bold => 1 }, position => 'top_right');
show $p->set_rotation(90);
$worksheet->insert_chart('E80', $p);
my $d = $workbook->add_chart(type => 'doughnut', embedded => 1);
$d->add_series(values => '=Sheet1!$A$1:$A$5');
show $d->set_hole_size(33);
show $d->set_rotation(360);
$worksheet->insert_chart('E100', $d);
PERL

same('combined charts', <<'PERL');
my $c = $workbook->add_chart(type => 'column', embedded => 1);
$c->add_series(values => '=Sheet1!$A$1:$A$5');
my $l = $workbook->add_chart(type => 'line', embedded => 1);
$l->add_series(values => '=Sheet1!$B$1:$B$5', y2_axis => 1);
show ref $c->combine($l);
$worksheet->insert_chart('E9', $c);
my $c2 = $workbook->add_chart(type => 'column', embedded => 1);
$c2->add_series(values => '=Sheet1!$A$1:$A$5');
my $l2 = $workbook->add_chart(type => 'line', embedded => 1);
$l2->add_series(values => '=Sheet1!$C$1:$C$5');
$c2->combine($l2);
$worksheet->insert_chart('E30', $c2);
my $b = $workbook->add_chart(type => 'bar', embedded => 1);
$b->add_series(values => '=Sheet1!$A$1:$A$5');
my $l3 = $workbook->add_chart(type => 'line', embedded => 1);
$l3->add_series(values => '=Sheet1!$C$1:$C$5');
show $b->combine($l3);
$worksheet->insert_chart('E50', $b);
my $p = $workbook->add_chart(type => 'pie', embedded => 1);
$p->add_series(values => '=Sheet1!$A$1:$A$3');
my $d = $workbook->add_chart(type => 'doughnut', embedded => 1);
$d->add_series(values => '=Sheet1!$B$1:$B$3');
$p->combine($d);
$worksheet->insert_chart('E70', $p);
PERL

same('user data, multi-level categories and data from other sheets', <<'PERL');
my $ws2 = $workbook->add_worksheet("Other's data");
$ws2->write_col('A1', [ 10, 20, 'x', 40 ]);
$ws2->write_formula('A6', '=A1*2', undef, 40);
my $c = $workbook->add_chart(type => 'column', embedded => 1);
$c->add_series(values => "='Other''s data'!\$A\$1:\$A\$6");
$c->add_series(categories => '=Sheet1!$A$1:$B$5', values => '=Sheet1!$C$1:$C$5',
    categories_data => [ [ 'a', 'b', 'c', 'd', 'e' ], [ 'X', undef, undef, 'Y', undef ] ]);
$c->add_series(values => '=Sheet1!$Z$1:$Z$3', values_data => [ 1, 2, 3 ], name => 'Given', name_data => [ 'ignored' ]);
$c->add_series(values => '=(Sheet1!$A$1:$A$2,Sheet1!$A$4:$A$5)');
$worksheet->insert_chart('E9', $c);
PERL

same('chart data from rich strings, formulas, blank cells and booleans', <<'PERL');
my $b = $workbook->add_format(bold => 1);
my $ws2 = $workbook->add_worksheet('Cells');
$ws2->write_rich_string('A1', 'a', $b, 'bc');
$ws2->write('A2', 'plain');
$ws2->write_blank('A3', $b);
$ws2->write_formula('A4', '=1+1', undef, 2);
$ws2->write_formula('A5', '=1+1');
$ws2->write_boolean('A6', 1);
$ws2->write_col('B1', [1, 2, 3, 4, 5, 6]);
$ws2->write('C2', 5);
my $c = $workbook->add_chart(type => 'column', embedded => 1);
$c->add_series(categories => '=Cells!$A$1:$A$6', values => '=Cells!$B$1:$B$6');
$c->add_series(values => '=Cells!$C$1:$C$5', name => '=Cells!$A$1');
$c->add_series(values => '=Cells!$D$1:$D$3');
$ws2->insert_chart('E9', $c);
PERL

{
    # constant memory mode: the real module reads no cells for the chart caches
    my $r = compare_with_real(<<'PERL', name => 'constant memory');
use strict;
use warnings;
use Excel::Writer::XLSX;
my $workbook = Excel::Writer::XLSX->new($ARGV[0]);
$workbook->set_optimization();
my $worksheet = $workbook->add_worksheet();
$worksheet->write_col('A1', [ 1, 2, 3 ]);
my $l = $workbook->add_chart(type => 'line', embedded => 1);
$l->add_series(values => '=Sheet1!$A$1:$A$3', categories => '=Sheet1!$B$1:$B$3');
$worksheet->insert_chart('C3', $l);
$workbook->close;
PERL
    is_deeply $r->{diffs}, [], 'a chart in constant memory mode: same parts';
}

same('chartsheets', <<'PERL');
my $cs = $workbook->add_chart(type => 'bar');
show ref $cs;
$cs->add_series(values => '=Sheet1!$A$1:$A$5');
$cs->set_title(name => 'On its own sheet');
$cs->set_x_axis(name => 'X');
$cs->set_tab_color('red');
$cs->activate();
my $ws3 = $workbook->add_worksheet();
my $cs2 = $workbook->add_chart(type => 'pie', name => 'Pies');
$cs2->add_series(values => '=Sheet1!$B$1:$B$5');
$cs2->set_landscape();
$cs2->protect('pass', { objects => 1 });
my $e = $workbook->add_chart(type => 'line', embedded => 1);
$e->add_series(values => '=Sheet1!$C$1:$C$5');
$ws3->insert_chart('B2', $e);
my $cs3 = $workbook->add_chart(type => 'column');
$cs3->add_series(values => '=Sheet1!$C$1:$C$5');
$cs3->protect();
$cs3->set_paper(9);
$cs3->set_margins(0.5);
$cs3->set_header('&CHeader');
my $l4 = $workbook->add_chart(type => 'line', embedded => 1);
$l4->add_series(values => '=Sheet1!$B$1:$B$5', y2_axis => 1);
show ref $cs3->combine($l4);
show ref $cs3->set_y_axis(name => 'Y');
show ref $cs3->set_x2_axis();
show ref $cs3->set_y2_axis(name => 'Y2');
show ref $cs3->set_legend(position => 'left');
show ref $cs3->set_plotarea(color => 'yellow');
show ref $cs3->set_chartarea(border => { color => 'red' });
show $cs3->set_style(12);
show $cs3->show_blanks_as('zero');
show $cs3->show_hidden_data();
show $cs3->set_size(width => 300);
show ref $cs3->set_table();
show ref $cs3->set_up_down_bars();
show ref $cs3->set_drop_lines();
show eval { $cs3->set_high_low_lines(); 1 } ? 'ok' : ($@ =~ /^(.*?) at /)[0];
my $e2 = $workbook->add_chart(type => 'area', embedded => 1);
$e2->add_series(values => '=Sheet1!$C$1:$C$5');
show $e2->size(width => 200, height => 100);
$ws3->insert_chart('B20', $e2);
PERL

same('warnings and croaks', <<'PERL');
my $c = $workbook->add_chart(type => 'column', embedded => 1);
show eval { $c->add_series(categories => '=Sheet1!$A$1:$A$5') } ? 'ok' : ($@ =~ /^(.*?) at /)[0];
my $s = $workbook->add_chart(type => 'scatter', embedded => 1);
show eval { $s->add_series(values => '=Sheet1!$A$1:$A$5') } ? 'ok' : ($@ =~ /^(.*?) at /)[0];
show eval { $workbook->add_chart(embedded => 1) } ? 'ok' : ($@ =~ /^(.*?) at /)[0];
show eval { $workbook->add_chart(type => 'foo', embedded => 1) } ? 'ok' : $@;
show $c->show_blanks_as('nothing');
show $c->show_blanks_as('');
$c->add_series(values => '=Sheet1!$A$1:$A$5');
show $worksheet->insert_chart('E9', $c);
show $worksheet->insert_chart('E20', $c);
show eval { $worksheet->insert_chart('E30') } ? 'ok' : ($@ =~ /^(.*?) at /)[0];
show eval { $worksheet->insert_chart('E30', $workbook->add_chart(type => 'line')) } ? 'ok' : ($@ =~ /^(.*?) at /)[0];
my $p = $workbook->add_chart(type => 'pie', embedded => 1);
show $p->set_rotation(400);
my $d = $workbook->add_chart(type => 'doughnut', embedded => 1);
show $d->set_hole_size(5);
my $b = $workbook->add_chart(type => 'bar', embedded => 1);
my $l = $workbook->add_chart(type => 'line', embedded => 1);
$l->add_series(values => '=Sheet1!$A$1:$A$5');
show $b->combine($l);
show $s->combine($l);
PERL

same('strings where option hashes belong die as in the real module', <<'PERL');
my $c = $workbook->add_chart(type => 'line', embedded => 1);
for my $o ({ fill => 'red' }, { line => 'red' }, { marker => 'square' }, { trendline => 'linear' }, { y_error_bars => 'fixed' },
    { points => [ 'x' ] }, { data_labels => 'yes' }, { data_labels => { custom => [ 'x' ] } }, { pattern => 'weave' }) {
    eval { $c->add_series(values => '=Sheet1!$A$1:$A$2', %$o); 1 } or do { (my $e = $@) =~ s/ at \S+ line \d+\.?\n//; print "died: $e\n" };
}
eval { $c->set_chartarea(fill => 'red'); 1 } or do { (my $e = $@) =~ s/ at \S+ line \d+\.?\n//; print "died: $e\n" };
$c->add_series(values => '=Sheet1!$A$1:$A$2');
$worksheet->insert_chart('B2', $c);
PERL

same('option warnings (at the call, as the real module gives them, and an unknown colour at close)', <<'PERL');
my $c = $workbook->add_chart(type => 'line', embedded => 1);
$c->add_series(values => '=Sheet1!$A$1:$A$5', line => { dash_type => 'wavy' }, marker => { type => 'blob' });
$c->add_series(values => '=Sheet1!$B$1:$B$5', trendline => { type => 'cubic' }, y_error_bars => { type => 'huge' });
$c->add_series(values => '=Sheet1!$C$1:$C$5', pattern => { pattern => 'percent_5' }, gradient => { colors => [ 'red' ] });
$c->add_series(values => '=Sheet1!$C$1:$C$5', pattern => { pattern => 'tartan', fg_color => 'red' },
    points => [ { gradient => { colors => [ 'red', 'blue' ], positions => [ 0, 200 ] } } ]);
$c->add_series(values => '=Sheet1!$A$1:$A$5', gradient => { colors => [ 1, 2, 3, 4, 5 ] }, data_labels => { value => 1, position => 'inside_base' });
$c->add_series(values => '=Sheet1!$A$1:$A$5', gradient => { colors => [ 'red', 'blue' ], angle => 400 }, data_labels => { value => 1, separator => '|' });
$c->add_series(values => '=Sheet1!$A$1:$A$5', gradient => { colors => [ 'red', 'blue' ], type => 'spiral' }, fill => { color => 'nocolour' });
$c->set_x_axis(display_units => 'dozens', major_tick_mark => 'sideways', name => 'X', name_layout => { x => 2, y => 0.5 });
$c->set_y_axis(major_gridlines => { visible => 1, line => { dash_type => 'zigzag' } }, minor_tick_mark => 'up');
$c->set_title(name => 'T', layout => { x => 0.5 });
$c->set_legend(layout => { x => 0.5, y => 0.5, width => 0.5, height => 'tall' });
$c->set_plotarea(layout => { x => 0.5, y => 0.5, width => 0.5, height => 0.5, depth => 1 }, border => { dash_type => 'bad' });
$c->set_chartarea(line_pattern => 'wiggly', line_weight => 'heavy');
$c->set_up_down_bars(up => { border => { dash_type => 'x' } });
$c->set_drop_lines(line => { dash_type => 'y' });
$worksheet->insert_chart('E9', $c);
PERL

# Crash recovery: the daemon kills itself at a recorded call (before and after journaling it, after
# replying) or at close; the client restarts one and resends, and the workbook still has its charts
# and chartsheet, the same as the real module's.
my $CRASH = <<'PERL';
my $c = $workbook->add_chart(type => 'column', embedded => 1);
$c->add_series(values => '=Sheet1!$A$1:$A$5', data_labels => { value => 1 });
$c->set_title(name => 'Kept');
$worksheet->insert_chart('E9', $c);
my $cs = $workbook->add_chart(type => 'line');
$cs->add_series(values => '=Sheet1!$B$1:$B$5');
$worksheet->write('A20', 'after the charts');
PERL
same_after_crashes("$PRE$CRASH\n\$workbook->close;\n", ['excel.call#2:before_journal', 'excel.call#3:after_journal', 'excel.call#6:after_reply', 'excel.close#1:before_journal']);

done_testing();
