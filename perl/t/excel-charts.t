#!/usr/bin/perl
# Charts and images on the bridge (real daemon): insert_chart / insert_image return what the real
# module returns, croak as it does, and the workbook holds the chart, chartsheet and image parts. Values that
# went through string operations (A1 notation, sprintf) still reach the daemon as numbers, under
# JSON::XS or JSON::PP.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use Excel::Writer::XLSX;

my $dir = BridgeTest::home();

# A 2x1 PNG
my $png = pack('H*', '89504e470d0a1a0a0000000d49484452000000020000000108020000007b40e8dd0000000f4944415478da63f8cfc0f01f0003fe01ff'
    . 'c4a6b9a30000000049454e44ae426082');
BridgeTest::write_file("$dir/dot.png", $png);
BridgeTest::write_file("$dir/not-an-image.png", "hello\n");

my $file = "$dir/charts.xlsx";
my $wb = Excel::Writer::XLSX->new($file);
my $ws = $wb->add_worksheet('Data');
$ws->write_col('A1', [1, 2, 3]);
my $chart = $wb->add_chart(type => 'column', embedded => 1);
isa_ok $chart, 'Excel::Writer::XLSX::Chart';
$chart->add_series(values => ['Data', 0, 2, 0, 0], name => 'Ones');
$chart->set_title(name => 'T');
$chart->set_x_axis(name => 'x', num_format => '0.0');
$chart->set_legend(none => 1);
my ($r, $c) = ('3', sprintf('%d', 4));    # strings: the shim numifies them
is $ws->insert_chart($r, $c, $chart, { x_offset => '5', y_scale => '1.5' }), 1, 'insert_chart returns the number of charts of the sheet';
{
    my @w;
    local $SIG{__WARN__} = sub { push @w, @_ };
    $ws->insert_chart('H2', $chart);
    like "@w", qr/Chart cannot be inserted in a worksheet more than once/, 'a chart inserted twice warns';
}
my $line = $wb->add_chart(type => 'line', embedded => 1);
$line->add_series(values => '=Data!$A$1:$A$3');
is $ws->insert_chart('B10', $line, 0, 0, 2, 1), 2, 'positional offsets and scales';

# the real module dereferences a string chart (and dies as Perl does)
eval { $ws->insert_chart(0, 0, 'not a chart') };
like $@, qr/^Can't use string \("not a chart"\) as a HASH ref/, 'a string as the chart dies';
eval { $ws->insert_chart(0, 0, $ws) };
like $@, qr/^Not a Chart object in insert_chart\(\)/, 'not a chart croaks';
eval { $wb->add_chart(type => 'bogus') };
is $@, "Chart type 'Bogus' not supported in add_chart()\n", 'unknown chart type dies';
eval { $chart->add_series(categories => '=Data!$A$1:$A$3') };
like $@, qr/Must specify 'values' in add_series\(\)/, 'add_series without values croaks';
{
    my $sheet_chart = $wb->add_chart(type => 'pie');
    isa_ok $sheet_chart, 'Excel::Writer::XLSX::Chartsheet', 'a chart not embedded: its chartsheet';
    # Chart2: the bogus add_chart above took Chart1 (the real module names the sheet before it checks the type)
    is $sheet_chart->get_name, 'Chart2', 'named as the real module names chartsheets';
    $sheet_chart->add_series(values => '=Data!$A$1:$A$3');
    eval { $ws->insert_chart(0, 0, $sheet_chart) };
    like $@, qr/^Not a Chart object in insert_chart\(\)/, 'a chartsheet cannot be inserted';
}

is $ws->insert_image(5, 0, "$dir/dot.png"), 1, 'insert_image returns the number of images of the sheet';
is $ws->insert_image('C20', "$dir/dot.png", { x_scale => '2', description => 'a dot' }), 2, 'same image again';
eval { $ws->insert_image(0, 0, "$dir/missing.png") };
like $@, qr/^Couldn't locate \Q$dir\E\/missing\.png/, 'missing image croaks';
ok $wb->close, 'close';
ok -s $file, 'written';

# the real module reads images at close: a file that is not one fails the close
{
    my $bad = Excel::Writer::XLSX->new("$dir/bad-image.xlsx");
    my $s = $bad->add_worksheet;
    is $s->insert_image(0, 0, "$dir/not-an-image.png"), 1, 'a file that is not an image is taken at insert_image';
    eval { $bad->close };
    like $@, qr/Unsupported image format for file: \Q$dir\E\/not-an-image\.png/, 'and fails the close';
}

# The parts, listed by unzip (Archive::Zip may not be installed).
SKIP: {
    my $list = `unzip -l '$file' 2>/dev/null`;
    skip 'no unzip', 4 unless $? == 0;
    like $list, qr{xl/charts/chart3\.xml}, 'three chart parts (one on the chartsheet)';
    like $list, qr{xl/chartsheets/sheet1\.xml}, 'the chartsheet';
    like $list, qr{xl/media/image1\.png}, 'one media part';
    unlike $list, qr{xl/media/image2}, 'the same image is stored once';
}

done_testing;
