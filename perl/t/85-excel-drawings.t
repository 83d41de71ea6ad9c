#!/usr/bin/perl
# Excel images, shapes and object placement against the real Excel::Writer::XLSX: PNG (with and
# without a resolution), JPEG, GIF and BMP images, the same image twice (one media part), scales,
# offsets (negative ones too), object positions (editAs), hyperlinks (external, internal, mailto)
# with tips, alt text and decorative images, columns and rows resized or hidden under an object,
# charts beside images, shapes (text, fills, lines, connectors between shapes), and the croaks of
# bad calls. Each script runs with the real module and with the shim; the workbooks must have the
# same parts, byte for byte, and the scripts print the same return values and warnings.
use strict;
use warnings;
use Test::More;
use lib 'perl/t/lib';
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use BridgeTest::XlsxCompare qw(compare_with_real have_real_excel_writer);

plan skip_all => 'the real Excel::Writer::XLSX is not installed' unless have_real_excel_writer();

# The script writes its own images (in its working directory) before it uses them.
my $PRE = <<'PERL';
use strict;
use warnings;
use Excel::Writer::XLSX;
use Compress::Zlib ();
local $SIG{__WARN__} = sub { my $m = shift; $m =~ s/ at \S+ line \d+\.?\n//; print "warn: $m\n" };
sub show { print join(',', map { defined $_ ? (ref $_ ? ref $_ : $_) : 'undef' } @_), "\n" }
sub spit { my ($f, $d) = @_; open my $fh, '>:raw', $f or die "$f: $!"; print $fh $d; close $fh }
sub chunk { my ($t, $d) = @_; pack('N', length $d) . $t . $d . pack('N', Compress::Zlib::crc32($t . $d)) }
sub png {
    my ($w, $h, $ppm) = @_;
    my $d = "\x89PNG\r\n\x1a\n" . chunk('IHDR', pack('NNCCCCC', $w, $h, 8, 2, 0, 0, 0));
    $d .= chunk('pHYs', pack('NNC', $ppm, $ppm, 1)) if $ppm;
    return $d . chunk('IDAT', Compress::Zlib::compress("\0" x (($w * 3 + 1) * $h))) . chunk('IEND', '');
}
sub jpeg {
    my ($w, $h, $units, $dpi) = @_;
    return "\xff\xd8" . "\xff\xe0" . pack('n', 16) . "JFIF\0" . pack('CCCnnCC', 1, 1, $units, $dpi, $dpi, 0, 0)
        . "\xff\xc0" . pack('nCnnC', 11, 8, $h, $w, 1) . pack('CCC', 1, 0x11, 0) . "\xff\xda" . pack('n', 8) . "\x01\x01\x00\x00\x3f\x00" . "\xff\xd9";
}
sub gif { my ($w, $h) = @_; "GIF89a" . pack('vv', $w, $h) . "\x00\x00\x00" . "\x3b" }
sub bmp { my ($w, $h) = @_; 'BM' . pack('VvvV', 54 + $w * $h * 4, 0, 0, 54) . pack('VVVvvVVVVVV', 40, $w, $h, 1, 24, 0, 0, 2835, 2835, 0, 0) . ("\0" x ($w * $h * 4)) }
spit('red.png', png(32, 32));
spit('blue.png', png(100, 50, 3780));
spit('photo.jpg', jpeg(64, 48, 1, 72));
spit('photo2.jpg', jpeg(40, 30, 2, 100));
spit('anim.gif', gif(20, 10));
spit('bits.bmp', bmp(30, 20));
my $workbook  = Excel::Writer::XLSX->new($ARGV[0]);
my $worksheet = $workbook->add_worksheet();
PERL

sub same {
    my ($name, $body) = @_;
    my $r = compare_with_real("$PRE$body\n\$workbook->close;\n", name => $name);
    is_deeply $r->{diffs}, [], "$name: same parts";
    is $r->{shim}{out}, $r->{real}{out}, "$name: same return values and warnings";
    is $r->{shim}{err}, $r->{real}{err}, "$name: same stderr";
}

# One image type per workbook: the real module lists the types in [Content_Types].xml in Perl's
# hash order, which differs from run to run.
same('PNG images, one used twice and on two sheets', <<'PERL');
show $worksheet->insert_image('B2', 'red.png');
show $worksheet->insert_image('E2', 'blue.png');
show $worksheet->insert_image('H2', 'red.png');
my $ws2 = $workbook->add_worksheet();
show $ws2->insert_image('A1', 'red.png');
show $ws2->insert_image('C3', 'blue.png');
PERL

same('JPEG images (dots per inch and per cm)', <<'PERL');
show $worksheet->insert_image(10, 1, 'photo.jpg');
show $worksheet->insert_image('E12', 'photo2.jpg');
PERL

same('GIF images', <<'PERL');
show $worksheet->insert_image('B20', 'anim.gif');
show $worksheet->insert_image('B30', 'anim.gif', { x_scale => 2 });
PERL

same('BMP images', <<'PERL');
show $worksheet->insert_image('E20', 'bits.bmp');
PERL

same('scales, offsets and positions', <<'PERL');
show $worksheet->insert_image('B2', 'red.png', { x_offset => 10, y_offset => 15, x_scale => 2, y_scale => 0.5 });
show $worksheet->insert_image('D4', 'red.png', 5, 7, 1.5, 3);
show $worksheet->insert_image('F6', 'blue.png', { object_position => 1 });
show $worksheet->insert_image('F9', 'blue.png', { object_position => 3 });
show $worksheet->insert_image('F12', 'blue.png', { object_position => 4 });
show $worksheet->insert_image('C20', 'red.png', { x_offset => -80, y_offset => -30 });
show $worksheet->insert_image('A30', 'blue.png', { x_offset => 1000, y_offset => 400 });
PERL

same('resized and hidden columns and rows', <<'PERL');
$worksheet->set_column('B:B', 30);
$worksheet->set_column('C:C', 0.5);
$worksheet->set_column('D:D', undef, undef, 1);
$worksheet->set_row(1, 40);
$worksheet->set_row(2, undef, undef, 1);
$worksheet->set_default_row(24);
show $worksheet->insert_image('A1', 'blue.png');
show $worksheet->insert_image('C2', 'red.png', { object_position => 4 });
show $worksheet->insert_image('C3', 'red.png', { object_position => 1 });
my $c = $workbook->add_chart(type => 'line', embedded => 1);
$c->add_series(values => '=Sheet1!$A$1:$A$3');
show $worksheet->insert_chart('B3', $c, { x_offset => 25, y_offset => 10 });
PERL

same('hyperlinks, tips and alt text', <<'PERL');
show $worksheet->insert_image('B2', 'red.png', { url => 'https://www.perl.org/', tip => 'Perl' });
show $worksheet->insert_image('B6', 'red.png', { url => 'internal:Sheet2!A1' });
show $worksheet->insert_image('B10', 'red.png', { url => 'mailto:jmcnamara@cpan.org' });
show $worksheet->insert_image('B14', 'red.png', { url => 'external:c:\temp\foo.xlsx' });
show $worksheet->insert_image('B18', 'red.png', { url => 'https://www.perl.org/' });
show $worksheet->insert_image('E2', 'blue.png', { description => 'A blue image' });
show $worksheet->insert_image('E10', 'blue.png', { decorative => 1 });
show $worksheet->insert_image('E18', 'blue.png', { description => 'Hidden', decorative => 1, url => 'https://example.com/a b' });
my $ws2 = $workbook->add_worksheet();
PERL

same('charts and images on several sheets', <<'PERL');
my $c1 = $workbook->add_chart(type => 'column', embedded => 1);
$worksheet->write_col('A1', [ 1, 2, 3 ]);
$c1->add_series(values => '=Sheet1!$A$1:$A$3');
$worksheet->insert_chart('C1', $c1);
$worksheet->insert_image('C17', 'red.png');
my $unused = $workbook->add_chart(type => 'pie', embedded => 1);
$unused->add_series(values => '=Sheet1!$A$1:$A$3');
my $ws2 = $workbook->add_worksheet();
my $ws3 = $workbook->add_worksheet();
my $c2 = $workbook->add_chart(type => 'bar', embedded => 1);
$c2->add_series(values => '=Sheet1!$A$1:$A$3');
$ws3->insert_image('A1', 'blue.png');
$ws3->insert_chart('D1', $c2);
my $c3 = $workbook->add_chart(type => 'line', embedded => 1);
$c3->add_series(values => '=Sheet1!$A$1:$A$3');
$ws3->insert_chart('D20', $c3);
PERL

same('shapes', <<'PERL');
my $rect = $workbook->add_shape();
my $ellipse = $workbook->add_shape(type => 'ellipse', text => "Hello\nWorld", fill => 'FFFF00', line => 'FF0000', line_weight => 3, line_type => 'sysDot');
my $fmt = $workbook->add_format(bold => 1, italic => 1, color => 'red', size => 14, font => 'Arial', underline => 1);
my $text = $workbook->add_shape(type => 'rect', text => 'Formatted', format => $fmt, align => 'l', valign => 't', txBox => 1, width => 120, height => 40);
show ref $worksheet->insert_shape('B3', $rect);
show ref $worksheet->insert_shape('E3', $ellipse, 10, 20);
show ref $worksheet->insert_shape('B12', $text, 0, 0, 1.5, 2);
my $plus = $workbook->add_shape(type => 'plus', rotation => 30, flip_h => 1);
$plus->set_adjustments(30);
show ref $worksheet->insert_shape('H3', $plus);
show $plus->get_type();
$plus->set_type('star5');
show $plus->get_type();
$plus->set_properties(bogus => 1, name => 'Star');
show ref $worksheet->insert_shape('H12', $plus);
PERL

same('connected shapes', <<'PERL');
my $s1 = $workbook->add_shape(type => 'ellipse', width => 60, height => 60);
my $a = $worksheet->insert_shape('A1', $s1, 50, 50);
my $b = $worksheet->insert_shape('A1', $s1, 250, 200);
my $c = $worksheet->insert_shape('A1', $s1, 50, 300);
my $cxn = $workbook->add_shape(type => 'bentConnector3');
$cxn->set_start($a->get_id());
$cxn->set_start_index(4);
$cxn->set_start_side('b');
$cxn->set_end($b->get_id());
$cxn->set_end_index(0);
$cxn->set_end_side('t');
show ref $worksheet->insert_shape('A1', $cxn);
my $cxn2 = $workbook->add_shape(type => 'straightConnector1', start => $b->get_id(), start_index => 2, start_side => 'r',
    end => $c->get_id(), end_index => 6, end_side => 'l');
show ref $worksheet->insert_shape('A1', $cxn2);
PERL

same('croaks', <<'PERL');
show eval { $worksheet->insert_image('B2') } ? 'ok' : ($@ =~ /^(.*?) at /)[0];
show eval { $worksheet->insert_image('B2', 'missing.png') } ? 'ok' : ($@ =~ /^(Couldn't locate missing.png)/)[0];
show eval { $worksheet->insert_shape('B2') } ? 'ok' : ($@ =~ /^(.*?) at /)[0];
show eval { $worksheet->insert_shape('B2', 'red.png') } ? 'ok' : (($@ // '') =~ /(Not a Shape object|Can't call method)/)[0];
show $worksheet->insert_image('B2', 'red.png');
PERL

# The real module reads images at close: a file that is not an image is taken by insert_image and
# fails the close with the real croak.
{
    my $r = compare_with_real(<<'PERL', name => 'not an image');
use strict;
use warnings;
use Excel::Writer::XLSX;
open my $fh, '>', 'notes.txt' or die;
print $fh "not an image\n";
close $fh;
my $workbook = Excel::Writer::XLSX->new($ARGV[0]);
my $worksheet = $workbook->add_worksheet();
print $worksheet->insert_image('B2', 'notes.txt'), "\n";
eval { $workbook->close; 1 } or do { (my $e = $@) =~ s/ at \S+ line \d+\.?\n//; print "died: $e" };
PERL
    is $r->{shim}{out}, $r->{real}{out}, 'not an image: the same croak at close';
    like $r->{real}{out}, qr/died: Unsupported image format for file: notes\.txt/, 'not an image: the real module croaks';
}

done_testing();
