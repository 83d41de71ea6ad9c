#!/usr/bin/perl
# Excel formats against the real Excel::Writer::XLSX: every Format method (set_* incl. the
# AUTOLOADed fields and aliases, colours by name/index/#RRGGBB, alignment, rotation, borders and
# diagonals, patterns and the solid-fill swap, number formats, fonts, protection, copy,
# set_format_properties, get_*), set_custom_color, excel2003_style, default_format_properties,
# dxf formats (fills as bgColor, fonts without name or size), rich string runs, constant memory
# mode, and crash recovery of formats and style calls. Each script runs
# with the real module and with the shim; the workbooks must have the same parts, byte for byte,
# and the scripts print the same return values and warnings.
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
my $workbook  = Excel::Writer::XLSX->new($ARGV[0], (our $OPT || {}));
my $worksheet = $workbook->add_worksheet();
sub show { print join(',', map { defined $_ ? (ref $_ ? ref $_ : $_) : 'undef' } @_), "\n" }
my $row = 0;
sub put { my $f = shift; $worksheet->write($row++, 0, 'x', $f); return $f }
PERL

sub same {
    my ($name, $body, $opt) = @_;
    my $pre = $opt ? "our \$OPT = $opt;\n$PRE" : $PRE;
    my $r = compare_with_real("$pre$body\n\$workbook->close;\n", name => $name);
    is_deeply $r->{diffs}, [], "$name: same parts";
    is $r->{shim}{out}, $r->{real}{out}, "$name: same return values and warnings";
    is $r->{shim}{err}, $r->{real}{err}, "$name: same stderr";
}

same('fonts', <<'PERL');
put($workbook->add_format(bold => 1));
put($workbook->add_format(bold => 1, italic => 1, font_strikeout => 1, font_outline => 1, font_shadow => 1));
put($workbook->add_format(underline => $_)) for 1, 2, 33, 34;
put($workbook->add_format(font_script => $_)) for 1, 2;
put($workbook->add_format(font => 'Arial', size => 10.5, font_family => 1, font_charset => 2, font_scheme => 'none'));
put($workbook->add_format(font_condense => 1, font_extend => 1, size => '12'));
put($workbook->add_format(color => $_)) for 'red', 'Navy', 'grey', 3, 20, 70, '#ff00aa', 'nonesuch';
put($workbook->add_format(theme => 4, color_indexed => 81));
put($workbook->add_format(color_indexed => 81));
my $f = $workbook->add_format;
show $f->set_bold, $f->set_bold(0), $f->set_bold(2), $f->set_italic, $f->set_font('Times'), $f->set_size(9);
show $f->set_color('blue'), $f->set_underline(undef), $f->set_font_family(undef);
show eval { $f->set_font_color('red'); 1 } ? 'ok' : $@;    # no such field in the real Format either
put($f);
PERL

same('alignment, rotation and protection', <<'PERL');
for my $a (qw(left centre center right fill justify center_across centre_across merge distributed equal_space
              justify_distributed top vcentre vcenter bottom vjustify vdistributed vequal_space LEFT 5 bogus)) {
    my $f = $workbook->add_format;
    show $a, $f->set_align($a);
    put($f);
}
put($workbook->add_format(align => 'center', valign => 'vcenter', text_wrap => 1, shrink => 1));
put($workbook->add_format(align => 'fill', shrink => 1));
put($workbook->add_format(indent => 2));
put($workbook->add_format(indent => 1, align => 'center'));
put($workbook->add_format(indent => 1, align => 'justify_distributed'));
put($workbook->add_format(align => 'justify_distributed'));
put($workbook->add_format(reading_order => $_)) for 1, 2;
put($workbook->add_format(center_across => 1));
put($workbook->add_format(merge => 1));
for my $r (45, -45, 90, -90, 270, 12.7, 91, -100, 'abc') {
    my $f = $workbook->add_format;
    show $r, $f->set_rotation($r);
    put($f);
}
put($workbook->add_format(locked => 0));
put($workbook->add_format(hidden => 1));
put($workbook->add_format(locked => 0, hidden => 1, text_justlast => 1));
PERL

same('borders', <<'PERL');
put($workbook->add_format(border => $_)) for 1 .. 13;
put($workbook->add_format(border => 2, border_color => 'red'));
put($workbook->add_format(left => 1, right => 2, top => 3, bottom => 4, left_color => 10, right_color => '#123456',
    top_color => 'green', bottom_color => 63));
put($workbook->add_format(diag_type => $_, diag_border => 7, diag_color => 'blue')) for 1 .. 3;
put($workbook->add_format(diag_type => 2));
put($workbook->add_format(diag_border => 3));
PERL

same('fills and the solid-fill swap', <<'PERL');
put($workbook->add_format(pattern => $_)) for 1 .. 18;
put($workbook->add_format(bg_color => 'red'));
put($workbook->add_format(fg_color => 'red'));
put($workbook->add_format(bg_color => 'red', fg_color => 'blue'));
put($workbook->add_format(pattern => 1, bg_color => 'red', fg_color => 'blue'));
put($workbook->add_format(pattern => 5, bg_color => 'red', fg_color => 'blue'));
put($workbook->add_format(pattern => 9, bg_color => '#ABCDEF'));
put($workbook->add_format(pattern => 0, fg_color => 12));
put($workbook->add_format(bg_color => 'red'));    # the same fill again
PERL

same('number formats', <<'PERL');
put($workbook->add_format(num_format => $_)) for 0, 1, 14, 22, '14', 49, 50, 163, '0', '00', '000', '0.00', '#,##0.00',
    'General', 'dd/mm/yyyy', '[$¥-411]#,##0.00', '"a&b" <0>', '0.00';
my $f = $workbook->add_format;
show $f->set_num_format('0.000'), $f->set_num_format(undef);
put($f);
PERL

same('unused, repeated and changed formats', <<'PERL');
my $unused = $workbook->add_format(bold => 1, italic => 1);
my $a = put($workbook->add_format(bold => 1));
my $b = $workbook->add_format(bold => 1);    # same key as $a: same xf
put($b);
my $c = $workbook->add_format(italic => 1);
put($c);
$c->set_italic(0);
$c->set_color('red');    # changed after use: written as it is at close
$worksheet->write('B1', 'y', $c);
$worksheet->write('B2', 'y', $workbook->add_format);
PERL

same('copy, set_format_properties and unknown properties', <<'PERL');
my $f1 = $workbook->add_format(bold => 1, fg_color => 'red');
my $f2 = $workbook->add_format();
$f2->copy($f1);
$f2->set_italic();
$worksheet->write('A1', 'Foo', $f1);
$worksheet->write('A2', 'Bar', $f2);
my $f3 = $workbook->add_format;
show $f3->copy(undef), $f3->copy('not a format');
$f3->set_format_properties(-color => 'red', -bold => 1);
$f3->set_properties(size => 14);
$worksheet->write('A3', 'Baz', $f3);
show eval { $workbook->add_format(nonesuch => 1); 1 } ? 'ok' : $@;
show eval { $f3->set_nonesuch(1); 1 } ? 'ok' : $@;
show eval { $f3->nonesuch(1); 1 } ? 'ok' : $@;
show eval { $f3->set_format_properties({ bold => 1 }); 1 } ? 'ok' : ($@ =~ /^Unknown method: Excel::Writer::XLSX::Format::set_HASH/ ? 'unknown HASH' : $@);
show $f3->can('set_bold') ? 1 : 0, $f3->can('get_xf_index') ? 1 : 0;
PERL

same('get_* methods', <<'PERL');
my $f = $workbook->add_format(bold => 1, align => 'center', border => 1, bg_color => 'red', num_format => '0.0', locked => 0);
show $f->get_font_key, $f->get_border_key, $f->get_fill_key, $f->get_alignment_key;
show $f->get_format_key;
show $f->get_align_properties;
show $f->get_protection_properties;
my $g = $workbook->add_format(italic => 1);
show $g->get_xf_index, $f->get_xf_index, $g->get_xf_index;    # numbered when asked, as in the real module
show $workbook->add_format(italic => 1)->get_xf_index;
show $workbook->add_format(color => 'red')->get_dxf_index;
$worksheet->write('A1', 'f', $f);
$worksheet->write('A2', 'g', $g);
$worksheet->write('A3', 'h', $workbook->add_format(font_shadow => 1));
PERL

same('set_custom_color and the palette', <<'PERL');
show $workbook->set_custom_color(40, '#26DA55');
show $workbook->set_custom_color(41, 0x79, 0x2D, 0xC8);
show $workbook->set_custom_color(64, 1, 2, 3);
show $workbook->set_custom_color(7, 1, 2, 3);
show $workbook->set_custom_color(65, 1, 2, 3);
show $workbook->set_custom_color(12, 256, 0, 0);
show $workbook->set_custom_color(12, 1, -1, 0);
$workbook->set_custom_color($_, $_, $_, $_) for 20 .. 31;    # more than ten: the last ten are written
put($workbook->add_format(bg_color => 40));
put($workbook->add_format(color => 41, border => 1, border_color => 40));
put($workbook->add_format(bg_color => 25));
PERL

same('excel2003_style', <<'PERL', '{ excel2003_style => 1 }');
put($workbook->add_format(bold => 1));
put($workbook->add_format(font => 'Calibri', size => 11, theme => 0));
put($workbook->add_format(color => 'red', italic => 1));
PERL

same('default_format_properties', <<'PERL', '{ default_format_properties => { size => 10, font => "Tahoma" } }');
put($workbook->add_format(bold => 1));
put($workbook->add_format(size => 12));
PERL

same('hyperlink formats', <<'PERL');
$worksheet->write_url('A1', 'http://example.com/1');
$worksheet->write_url('A2', 'http://example.com/2', $workbook->add_format(color => 'red', underline => 1));
$worksheet->write_url('A3', 'http://example.com/3', $workbook->get_default_url_format);
$row = 5;
put($workbook->add_format(hyperlink => 1, bold => 1));
PERL

same('a script\'s own {_custom_colors}', <<'PERL');
$workbook->{_custom_colors} = [ 'FF0000FF' ];
put($workbook->add_format(color => 'blue', underline => 1));
PERL

same('row and column formats, _set_default_xf_indices', <<'PERL');
my $bold   = $workbook->add_format(bold => 1);
my $mixed  = $workbook->add_format(bold => 1, italic => 1);
my $italic = $workbook->add_format(italic => 1);
$workbook->_set_default_xf_indices();
$worksheet->set_row(0, undef, $bold);
$worksheet->set_column('A:A', undef, $italic);
$worksheet->write('A1', 'Foo', $mixed);
$worksheet->write('B1', 'Foo');
$worksheet->write('A2', 'Foo');
PERL

# the content bugs of issue 19: a dxf fill is bgColor (not fgColor+solid), a dxf font has no name or size
same('dxf formats', <<'PERL');
$worksheet->write_col('A1', [1 .. 5]);
my $i = 0;
for my $p ([bg_color => '#FFC7CE', color => '#9C0006'], [fg_color => 'red'], [pattern => 1, bg_color => 'blue'],
           [pattern => 5, fg_color => 'red', bg_color => 'yellow'], [bold => 1, italic => 1, size => 20, font => 'Arial'],
           [underline => 1, font_strikeout => 1], [num_format => '0.00'], [num_format => 14], [border => 1, border_color => 'red'],
           [diag_type => 1], [font_condense => 1, bold => 1]) {
    my $f = $workbook->add_format(@$p);
    show $worksheet->conditional_formatting('A1:A5', { type => 'cell', criteria => '>', value => $i++, format => $f });
}
my $cell = $workbook->add_format(bg_color => 'green');
put($cell);
show $worksheet->conditional_formatting('B1', { type => 'cell', criteria => '>', value => 1, format => $cell });
PERL

same('rich strings', <<'PERL');
$workbook->set_custom_color(40, 1, 2, 3);
my $bold   = $workbook->add_format(bold => 1);
my $italic = $workbook->add_format(italic => 1, color => 'red');
my $other  = $workbook->add_format(underline => 2, font_script => 1, font => 'Arial', color => 40);
my $more   = $workbook->add_format(font_strikeout => 1, font_outline => 1, font_shadow => 1, underline => 33, font_script => 2, color => '#abcdef');
my $cellf  = $workbook->add_format(align => 'center');
show $worksheet->write_rich_string('A1', 'a ', $bold, 'bold', ' and ', $italic, 'italic');
show $worksheet->write_rich_string('A2', $other, 'x', $more, "y\n", $workbook->get_default_url_format, '&<>', $cellf);
show $worksheet->write_rich_string('A3', 'a', $bold, $italic, 'b');
PERL

# Crash recovery: the daemon kills itself at a format's request or a recorded style call (before and
# after journaling it) or at close; the client restarts one and resends, and the workbook still has
# every format, custom colour and index, the same as the real module's.
my $CRASH = <<'PERL';
show $workbook->set_custom_color(40, '#26DA55');
my $a = $workbook->add_format(bold => 1, num_format => '0.000');
my $b = $workbook->add_format(bg_color => 40, border => 1);
show $b->get_xf_index;
my $c = $workbook->add_format(italic => 1);
put($a); put($b); put($c);
show $c->get_xf_index;    # sends $c
$c->set_color('red');     # sent again before the next call
$worksheet->write('B1', 'y', $c);
$worksheet->conditional_formatting('B1', { type => 'cell', criteria => '>', value => 1, format => $a });
PERL
same_after_crashes("$PRE$CRASH\n\$workbook->close;\n", ['excel.add_format#3:before_journal', 'excel.add_format#4:after_journal', 'excel.call#1:after_reply',
               'excel.call#2:before_journal', 'excel.add_format#6:after_reply', 'excel.close#1:before_journal'], check => sub {
    my ($r, $point) = @_;
    is_deeply $r->{diffs}, [], "crash at $point: same parts";
    is $r->{shim}{out}, $r->{real}{out}, "crash at $point: same return values";
});

# constant memory mode: formats are numbered as the rows are flushed (the real module's order)
{
    my $script = <<'PERL';
use strict;
use warnings;
use Excel::Writer::XLSX;
my $workbook = Excel::Writer::XLSX->new($ARGV[0]);
$workbook->set_optimization();
my $worksheet = $workbook->add_worksheet();
my $f = $workbook->add_format(bold => 1);
my $g = $workbook->add_format(italic => 1, bg_color => 'yellow');
$worksheet->set_column('B:B', 12, $workbook->add_format(num_format => '0.00'));
$worksheet->write(0, 0, 'a', $g);
$worksheet->write(1, 0, 'b', $f);
$worksheet->write_rich_string(2, 0, 'x', $f, 'y');
$f->set_italic();    # changed after its row was flushed: the index stays, the xf shows the change
$worksheet->write(3, 0, 'c', $f);
$worksheet->write(4, 1, 1.5);
$workbook->close;
PERL
    my $r = compare_with_real($script, name => 'constant memory');
    is_deeply $r->{diffs}, [], 'constant memory: same parts';
    is $r->{shim}{err}, $r->{real}{err}, 'constant memory: same stderr';
}

done_testing;
