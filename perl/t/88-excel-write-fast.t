#!/usr/bin/perl
# write()'s fast path (the usual call: numbers, plain strings, undef, at most a format) against
# its general path, on a real daemon: for every token and position, the same return code, the
# same warnings and the same cell record in the workbook's batch. The general path is taken by
# the same worksheet with a write handler that never matches (a handler turns the fast path off
# and changes nothing else). The files themselves are compared with the real module's in
# 80-excel-core.t.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use Excel::Writer::XLSX;

my $dir = BridgeTest::home();
my $wb = Excel::Writer::XLSX->new("$dir/fast.xlsx");
my $ws = $wb->add_worksheet('Data');
my $f = $wb->add_format(bold => 1);
my $other = Excel::Writer::XLSX->new("$dir/other.xlsx");
my $foreign = $other->add_format(italic => 1);

my @tokens = (0, 1, -1, 3.5, '3.50', '1e5', '1E+5', '-.5', '.5', '+7', '1.', '007', "12\n", '12 ', ' 12', '0x10', 'Inf', 'nan',
    1e300, 1 / 3, 2**53 + 1, -0.0, '', undef, 'text', 'Zürich', "Z\x{fc}rich", "\x{263a} smile", "a\x1cb\x1dc\x1ed\x1fe", "tab\there",
    "line\nbreak", 'x' x 32767, 'y' x 32768, '=A1+1', '{=SUM(A1:A2)}', '{=x', 'http://example.com', 'https://x.org/a b',
    'ftp://f.org', 'mailto:a@b.c', 'internal:Sheet1!A1', 'external:c:\\x.xlsx', 'hello', 'mail', 'internal', '=', '{=}');
my @places = ([0, 0], [5, 3], [1048575, 16383], [1048576, 0], [0, 16384], ['7', '2'], [2.0, 1]);
my @formats = ([], [undef], [$f], [$foreign], ['']);

# one write: [return code, warnings, the record it added to the batch]
sub one {
    my ($general, @args) = @_;
    $ws->{_write_match} = $general ? [ [ qr/(?!)/, sub { die 'never called' } ] ] : [];
    $wb->_flush;
    my @warn;
    local $SIG{__WARN__} = sub { push @warn, $_[0] =~ s/ at .* line \d+\.?\n//r };
    my $rc = $ws->write(@args);
    my $rec = $wb->{_cells}{buf};
    $wb->{_cells}->discard;
    return [ $rc, \@warn, $rec ];
}

my $n = 0;
for my $t (@tokens) {
    for my $p (@places) {
        for my $fm (@formats) {
            my @args = (@$p, $t, @$fm);
            my $fast = one(0, @args);
            my $slow = one(1, @args);
            my $what = sprintf 'write(%s, %s, %s%s)', @$p, defined $t ? substr($t, 0, 20) =~ s{([^\x20-\x7e])}{sprintf '\\x{%x}', ord $1}ger : 'undef', @$fm ? ', fmt' : '';
            is_deeply $fast, $slow, $what or diag explain [ $fast, $slow ];
            $n++;
        }
    }
}
ok $n > 1000, "$n writes compared";

# the colmin the fast path keeps is the general path's (set_row reads it)
my $ws2 = $wb->add_worksheet('Two');
$ws2->write(3, 9, 1);
$ws2->write(3, 4, 'x');
is $wb->{_colmin}[1], 4, 'fast path keeps the smallest column';
$wb->{_cells}->discard;

ok $wb->close, 'close';
ok $other->close, 'close other';
done_testing;
