#!/usr/bin/perl
# Excel notes against the real Excel::Writer::XLSX: cell comments (every option, the sheet edges,
# show_comments, set_comments_author, more than 1024 on a sheet), form buttons, tables (every
# option, column formulas, total functions, dxf formats, data, the checks and their warnings) and
# header/footer images. Each script runs with the real module and with the shim; the workbooks must
# have the same parts, byte for byte, and the scripts print the same return codes and warnings.
use strict;
use warnings;
use Test::More;
use File::Temp ();
use Compress::Zlib ();
use lib 'perl/t/lib';
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use BridgeTest::XlsxCompare qw(compare_with_real have_real_excel_writer read_parts);
use BridgeTest::XlsxScripts qw(script_pre same_as_real same_after_crashes);

plan skip_all => 'the real Excel::Writer::XLSX is not installed' unless have_real_excel_writer();

my $PRE = script_pre();

# [Content_Types].xml lists image types in Perl's hash order (it differs from run to run): its
# elements are compared sorted, as the real module's regression suite compares them.
sub sorted_types {
    my ($file) = @_;
    my $p = read_parts($file) or return undef;
    (my $x = $p->{'[Content_Types].xml'} // '') =~ s/>\s*</>\n</g;
    return [ sort split /\n/, $x ];
}

sub same {
    my ($name, $body) = @_;
    my $r = same_as_real($name, $body, compare => { ignore => [qr/^\[Content_Types\]\.xml$/] });
    is_deeply sorted_types($r->{shim}{file}), sorted_types($r->{real}{file}), "$name: same content types";
}

same('comments with every option', <<'PERL');
$worksheet->write('A1', 'Foo');
show $worksheet->write_comment('B2', 'Some text') ? 'ok' : 'no';
show $worksheet->write_comment(9, 3, ' padded ', author => 'Bob', visible => 1, color => 'red', x_scale => 1.5);
$worksheet->write_comment('C5', 'index colour', color => 12, y_scale => 2, width => 200, height => 50);
$worksheet->write_comment('C6', 'rgb colour', color => '#FF9900', x_offset => 30, y_offset => 4);
$worksheet->write_comment('C12', 'fractions', x_offset => 10 / 3, y_offset => 7 / 3, x_scale => 1 / 3, y_scale => 0.1 * 3);
$worksheet->write_comment('C7', 'placed', start_cell => 'F2', font => 'Arial', font_size => 10, font_family => 3);
$worksheet->write_comment('C13', 'placed by a range', start_cell => 'h3:j9', start_row => 1);
$worksheet->write_comment('C14', 'placed by columns', start_cell => '$K:$L');
$worksheet->write_comment('C8', 'placed by row/col', start_row => 12, start_col => 6, visible => 0);
$worksheet->write_comment('C9', "two\nlines & <xml>", author => 'Ann "A" <a@b>');
$worksheet->write_comment('C9', 'overwritten: the last comment of a cell wins');
$worksheet->write_comment(0, 16383, 'last column');
$worksheet->write_comment(1048575, 0, 'last row');
$worksheet->write_comment(1048573, 16381, 'near the corner');
show $worksheet->write_comment('C10');
show $worksheet->write_comment(1048576, 0, 'out of range');
show $worksheet->write_comment(0, 16384, 'out of range');
show eval { $worksheet->write_comment('C11', 'odd', 'author'); 1 } ? 'lived' : "died: " . ($@ =~ /^(Uneven number of additional arguments)/)[0];
show $worksheet->set_comments_author(undef);
show $worksheet->set_comments_author('John');
show $worksheet->show_comments(0), $worksheet->show_comments();
PERL

same('comments under changed column widths and row heights', <<'PERL');
$worksheet->set_column('B:B', 30);
$worksheet->set_column('D:D', 2);
$worksheet->set_column('E:E', undef, undef, 1);
$worksheet->set_row(3, 40);
$worksheet->set_row(5, undef, undef, 1);
$worksheet->write_comment('A3', 'wide column');
$worksheet->write_comment('C4', 'tall row');
$worksheet->write_comment('D5', 'hidden column and row next');
$worksheet->write_comment('A1', 'first row');
PERL

same('show_comments and two sheets', <<'PERL');
$worksheet->show_comments();
$worksheet->write_comment('A1', 'shown');
$worksheet->write_comment('A2', 'hidden still', visible => 0);
my $ws2 = $workbook->add_worksheet('Second');
$ws2->write('A1', 'x');
my $ws3 = $workbook->add_worksheet();
$ws3->write_comment('B2', 'third sheet', author => 'Zed');
$ws3->set_comments_author('Amy');
$ws3->write_comment('B3', 'default author');
$ws3->show_comments(0);
PERL

same('more than 1024 comments on a sheet', <<'PERL');
for my $r (0 .. 1100) { $worksheet->write_comment($r, 0, "c$r") }
my $ws2 = $workbook->add_worksheet();
$ws2->write_comment('A1', 'next file starts after the blocks');
PERL

same('buttons', <<'PERL');
show $worksheet->insert_button('C2', {});
$worksheet->insert_button('E5', { caption => 'Press', macro => 'say_hello', description => 'alt text' });
$worksheet->insert_button(9, 1, { width => 100, height => 40, x_offset => 5, y_offset => 3 });
$worksheet->insert_button('B14', { x_scale => 2, y_scale => 1.5 });
$worksheet->insert_button('D14', { x_offset => 10 / 3, y_offset => 2 / 7, x_scale => 1 / 3 });
show $worksheet->insert_button('B16');
$worksheet->write_comment('A1', 'a comment after the buttons in the same VML');
my %again = (caption => 'twice', x_scale => 2);
$worksheet->insert_button('H2', \%again);
$worksheet->insert_button('H6', \%again);
print join(',', map { "$_=$again{$_}" } sort keys %again), "\n";
PERL

same('buttons under a wide column', <<'PERL');
$worksheet->set_column('A:A', 40);
$worksheet->set_row(1, 30);
$worksheet->insert_button('B2', { caption => 'wide' });
PERL

same('tables: defaults and options', <<'PERL');
show $worksheet->add_table('B3:F7');
show $worksheet->add_table(10, 1, 14, 3, { name => 'Sales', style => 'Table Style Light 11', banded_columns => 1,
    first_column => 1, last_column => 1, banded_rows => 0 });
$worksheet->add_table('H1:I3', { header_row => 0 });
$worksheet->add_table('K1:L3', { autofilter => 0, style => 'None' });
$worksheet->add_table('N5:M2', { columns => [ { header => 'Product' }, { header => 'Quarter 1' } ] });
my $ws2 = $workbook->add_worksheet();
$ws2->add_table('A1:B2', { name => 'other_sheet' });
PERL

same('tables: data, formulas, totals and formats', <<'PERL');
my $money = $workbook->add_format(num_format => '$#,##0');
my $bold  = $workbook->add_format(bold => 1);
my $data = [ [ 'Apples', 10000, 5000, 8000, 6000 ], [ 'Pears', 2000, 3000, 4000, 5000 ],
    [ 'Bananas', 6000, 6000, 6500, 6000 ], [ 'Oranges', 500, 300, 200, 700 ] ];
$worksheet->set_column('B:G', 12);
$worksheet->add_table('B3:G8', {
    data => $data, total_row => 1,
    columns => [
        { header => 'Product', total_string => 'Totals', header_format => $bold },
        { header => 'Quarter 1', total_function => 'sum', format => $money },
        { header => 'Quarter 2', total_function => 'Count Nums', format => $money },
        { header => 'Quarter 3', total_function => 'std_dev', format => $money, total_value => 42 },
        { header => 'Quarter 4', total_function => 'average' },
        { header => 'Year', formula => '=SUM(Table1[@[Quarter 1]:[Quarter 4]])', total_function => 'max', format => $money },
    ] });
$worksheet->add_table('I3:K6', { total_row => 1, columns => [ {}, { total_function => 'var' }, { total_function => 'median' } ] });
$worksheet->add_table('M3:N5', { columns => [ { header => "It's [#1]", total_function => 'min' }, { formula => 'M4*2' } ], total_row => 1 });
PERL

same('dxf numbering shared with conditional formats', <<'PERL');
my $red  = $workbook->add_format(color => 'red');
my $blue = $workbook->add_format(bg_color => 'blue');
my $pct  = $workbook->add_format(num_format => '0%');
$worksheet->conditional_formatting('A1:A4', { type => 'cell', criteria => '>', value => 1, format => $blue });
$worksheet->add_table('C1:D4', { columns => [ { format => $red }, { format => $blue } ] });
$worksheet->conditional_formatting('B1:B4', { type => 'cell', criteria => '<', value => 1, format => $pct });
$worksheet->add_table('F1:G4', { columns => [ { format => $pct }, { format => $red } ] });
PERL

same('tables: the checks', <<'PERL');
show $worksheet->add_table();
show $worksheet->add_table(0, 0, 1);
show $worksheet->add_table(0, 0, 1048576, 1);
show $worksheet->add_table(0, 0, 1, 16384);
show $worksheet->add_table('A1:B2', 'opts');
show $worksheet->add_table('A1:B2', { nonsense => 1 });
show $worksheet->add_table('A1:B1');
show $worksheet->add_table('A1:B1', { header_row => 0 });
show $worksheet->add_table('D1:E3', { name => '1abc' });
show $worksheet->add_table('D1:E3', { name => 'a b' });
show $worksheet->add_table('D1:E3', { name => 'AB12' });
show $worksheet->add_table('D1:E3', { name => 'R1C1' });
show $worksheet->add_table('D1:E3', { name => 'c' });
show $worksheet->add_table('G1:H3', { columns => [ { header => 'Same' }, { header => 'SAME' } ] });
show $worksheet->add_table('J1:K3', { name => 'Good.Name_1' });
PERL

# A table name used twice in a workbook (any case) is found at close, which dies as the real one does.
{
    my $r = compare_with_real($PRE . <<'PERL', name => 'duplicate table names');
my $ws2 = $workbook->add_worksheet();
$worksheet->add_table('A1:B3', { name => 'Dup' });
$ws2->add_table('A1:B3', { name => 'dup' });
my $ok = eval { $workbook->close; 1 };
(my $e = $@) =~ s/ at \S+ line \d+\.\n\z//;
print $ok ? "closed\n" : "died: $e\n";
PERL
    is $r->{shim}{out}, $r->{real}{out}, 'duplicate table names: close dies with the same error';
    like $r->{real}{out}, qr/^died: error: invalid duplicate table name 'dup' found$/, 'duplicate table names: the real error';
    ok !-s $r->{shim}{file}, 'duplicate table names: no workbook written';
}

# A comment's start_cell is read at close: a bad one fails the close with the real module's croak.
{
    my $r = compare_with_real($PRE . <<'PERL', name => 'bad start_cell');
show $worksheet->write_comment('A1', 'box', start_cell => 'nowhere');
print "still running\n";
my $ok = eval { $workbook->close; 1 };
(my $e = $@) =~ s/ at \S+ line \d+\.\n\z//;    # the real one names its own file
print $ok ? "closed\n" : "died: $e\n";
PERL
    is $r->{shim}{out}, $r->{real}{out}, 'bad start_cell: close dies with the same croak';
    like $r->{real}{out}, qr/^died: Unknown cell reference NOWHERE$/m, 'bad start_cell: the real croak';
}

# Test images made here: PNGs (with and without a pHYs resolution) and a JPEG with its JFIF density.
my $images = File::Temp::tempdir('cbx-img-XXXXXX', TMPDIR => 1, CLEANUP => 1);
sub png_chunk { my ($type, $data) = @_; pack('N', length $data) . $type . $data . pack('N', Compress::Zlib::crc32($type . $data)) }
sub png {
    my ($w, $h, $rgb, $dpi) = @_;
    my $raw = join '', map { "\0" . ($rgb x $w) } 1 .. $h;
    return "\x89PNG\r\n\x1a\n" . png_chunk('IHDR', pack('NNCCCCC', $w, $h, 8, 2, 0, 0, 0))
        . ($dpi ? png_chunk('pHYs', pack('NNC', int($dpi / 0.0254 + 0.5), int($dpi / 0.0254 + 0.5), 1)) : '')
        . png_chunk('IDAT', Compress::Zlib::compress($raw)) . png_chunk('IEND', '');
}
sub jpeg {
    my ($w, $h, $dpi) = @_;
    return "\xff\xd8" . "\xff\xe0" . pack('n', 16) . "JFIF\0" . pack('CCCnnCC', 1, 1, 1, $dpi, $dpi, 0, 0)
        . "\xff\xc0" . pack('nCnnC', 17, 8, $h, $w, 3) . pack('C*', 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1)
        . "\xff\xda" . pack('nCCCCCC', 8, 1, 1, 0, 0, 0x3f, 0) . "\xff\xd9";
}
BridgeTest::write_file("$images/red.jpg", jpeg(32, 32, 72));
BridgeTest::write_file("$images/blue.png", png(40, 20, "\0\0\xff"));
BridgeTest::write_file("$images/yellow.png", png(20, 30, "\xff\xff\0", 150));
# a GIF header is all the real module reads of one (it prints a line for each GIF it reads at close)
BridgeTest::write_file("$images/logo.gif", "GIF89a" . pack('vv', 24, 12) . "\x00\x00\x00;");

same('header and footer images', <<"PERL");
my \$I = '$images';
\$worksheet->set_header('&L&G&C&G', 0.3, { image_left => "\$I/red.jpg", image_center => "\$I/blue.png" });
\$worksheet->set_footer('&R&[Picture]', 0.3, { image_right => "\$I/red.jpg" });
\$worksheet->write_comment('A1', 'a comment VML file comes first');
my \$ws2 = \$workbook->add_worksheet();
\$ws2->set_header('&L&G', 0.5, { image_left => "\$I/yellow.png" });
\$ws2->insert_image('B2', "\$I/red.jpg");
PERL

same('GIF header and footer images', <<"PERL");
my \$I = '$images';
\$worksheet->insert_image('B2', "\$I/logo.gif");
\$worksheet->set_footer('&C&G', 0.3, { image_center => "\$I/logo.gif" });
\$worksheet->set_header('&L&G&R&G', 0.3, { image_left => "\$I/logo.gif", image_right => "\$I/red.jpg" });
\$worksheet->set_header('&L&G', 0.3, { image_left => "\$I/blue.png" });
my \$ws2 = \$workbook->add_worksheet();
\$ws2->set_header('&L&G', 0.3, { image_left => "\$I/logo.gif" });
\$ws2->set_header('no images now');
PERL

same('header image checks', <<"PERL");
my \$I = '$images';
\$worksheet->set_header('&L&G', 0.3, {});
\$worksheet->set_header('&L&G&R&G', 0.3, { image_left => "\$I/red.jpg" });
\$worksheet->set_footer('&C&G', 0.3, { image_center => "\$I/blue.png" });
PERL

# Crash recovery: the daemon kills itself at a recorded call (before and after journaling it) or at
# close; the client restarts one and resends, and the workbook still has every comment, button and
# table, the same as the real module's.
my $CRASH = <<'PERL';
my $money = $workbook->add_format(num_format => '$#,##0');
$worksheet->write_comment('B2', 'first comment', author => 'Ann');
$worksheet->insert_button('D2', { caption => 'Go', macro => 'go' });
$worksheet->set_comments_author('John');
$worksheet->write_comment('B4', 'second comment', visible => 1);
$worksheet->add_table('F2:H6', { name => 'Kept', total_row => 1, data => [ [ 1, 2, 3 ], [ 4, 5, 6 ] ],
    columns => [ { header => 'A' }, { header => 'B', total_function => 'sum', format => $money }, { header => 'C' } ] });
$worksheet->show_comments();
PERL
same_after_crashes("$PRE$CRASH\n\$workbook->close;\n", ['excel.call#2:before_journal', 'excel.call#3:after_journal', 'excel.call#5:after_reply', 'excel.close#1:before_journal']);

done_testing;
