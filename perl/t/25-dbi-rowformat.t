#!/usr/bin/perl
# Fetched rows are the same whichever way they travel: JSON arrays (decoded by the JSON module) or
# the compact row format (one string per batch, split in Perl; src/modules/database/rows.ts),
# which the client uses with JSON::PP. The same scenario runs in three processes: JSON arrays,
# the compact format forced (CPAN_BRIDGE_ROW_FORMAT=sep) and JSON::PP only (CPAN_BRIDGE_JSON_PP=1,
# which picks the compact format by itself). Each prints every fetched value with Data::Dumper
# (so an IV, an NV and a string differ) and its utf8 flag; the outputs must be identical and
# hold the values stored. Covers NULLs, empty strings, every control character, \x7f and the
# format's own marker texts as data, tabs/newlines, quotes/backslashes, UTF-8 as bytes and as
# characters, binary with all 256 byte values, 64-bit integers, floats, columns of mixed types,
# one-column rows, and a long result read with read-ahead (several batches, in order), finished
# and re-executed while a read-ahead is outstanding.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use Data::Dumper ();

my $home = BridgeTest::home();
my $work = BridgeTest::work();
my $script = BridgeTest::write_file("$home/rowformat.pl", <<'PERL');
use strict;
use warnings;
use DBI;
use Data::Dumper;
$Data::Dumper::Useqq = 1;
$Data::Dumper::Indent = 0;
$Data::Dumper::Sortkeys = 1;
my ($db) = @ARGV;
my $out = '';
sub show { my ($label, $v) = @_; $out .= "== $label\n" . Dumper($v) . "\n" }
use B ();
# per value: undef 'n'; a string 'b' (bytes) or 'u' (utf8 flag); a number 'N' (IV/NV, no string form)
sub flags {
    [ map {
        my $f = B::svref_2object(\$_)->FLAGS;
        !defined $_ ? 'n' : !($f & B::SVf_POK) && ($f & (B::SVf_IOK | B::SVf_NOK)) ? 'N' : utf8::is_utf8($_) ? 'u' : 'b'
    } @{ $_[0] } ]
}

# compact batches are cut out of the reply before JSON decoding (CPANBridge::Codec): count misses
my $slow = 0;
{
    no warnings 'redefine';
    my $orig = \&CPANBridge::Codec::_decode_body;
    *CPANBridge::Codec::_decode_body = sub { $slow++ if $_[0] =~ /"batch_sep":"[^"]/; $orig->(@_) };
}
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });
$out .= "FORMAT " . CPANBridge::DBI::_row_format() . ' ' . CPANBridge::Codec::backend() . "\n";

# values, one per row: (label, TEXT value, INTEGER-affinity value)
my $sel = $dbh->prepare('SELECT id, t, i, r, b FROM v ORDER BY id');
$sel->execute;
while (my $row = $sel->fetchrow_arrayref) {
    show("row $row->[0]", [@$row]);
    show("flags $row->[0]", flags($row));
}
show('one column', $dbh->selectall_arrayref('SELECT t FROM v ORDER BY id'));
for (['mixed, text first', q{SELECT 'a' UNION ALL SELECT 1 UNION ALL SELECT 2.5 UNION ALL SELECT NULL UNION ALL SELECT 'b'}],
     ['mixed, number first', q{SELECT 1 UNION ALL SELECT 'b' UNION ALL SELECT x'00ff' UNION ALL SELECT -7 UNION ALL SELECT '2.5'}]) {
    my $rows = $dbh->selectall_arrayref($_->[1]);
    show($_->[0] . ' flags', [ map { @{ flags($_) } } @$rows ]);
    show($_->[0], $rows);
}
show('one column, empty strings', $dbh->selectall_arrayref(q{SELECT '' UNION ALL SELECT '' UNION ALL SELECT NULL}));
show('hash rows', $dbh->selectall_arrayref('SELECT id, t FROM v WHERE id < 5 ORDER BY id', { Slice => {} }));

# long result, read ahead in batches of 7
{
    my $sth = $dbh->prepare('SELECT n, s FROM big ORDER BY n', { RowCacheSize => 7 });
    $sth->execute;
    my ($n, $ok) = (0, 1);
    while (my $r = $sth->fetchrow_arrayref) {
        $n++;
        $ok = 0 unless $r->[0] == $n && $r->[1] eq "s$n";
    }
    show('big rows in order', [$n, $ok]);
    # finished with a read-ahead outstanding, then executed again
    $sth->execute;
    my @first = map { [ @{ $sth->fetchrow_arrayref } ] } 1 .. 5;
    $sth->finish;
    $sth->execute;
    my @again = map { [ @{ $sth->fetchrow_arrayref } ] } 1 .. 12;
    my $rest = $sth->fetchall_arrayref;
    show('re-executed', [\@first, \@again, scalar @$rest, $rest->[-1]]);
}

# characters (sqlite_unicode)
my $dbu = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0, sqlite_unicode => 1 });
my $rows = $dbu->selectall_arrayref('SELECT id, t FROM v WHERE id IN (20, 21, 22, 23) ORDER BY id');
show('unicode', $rows);
show("unicode flags $_->[0]", flags($_)) for @$rows;
print $out;
print STDERR "compact batches decoded as JSON: $slow\n" if $slow;
PERL

# the data, stored through the bridge
use DBI qw(:sql_types);
my $db = "$work/rowformat.db";
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });
$dbh->do('CREATE TABLE v (id INTEGER PRIMARY KEY, t TEXT, i INTEGER, r REAL, b BLOB)');
$dbh->do('CREATE TABLE big (n INTEGER, s TEXT)');
my $ins = $dbh->prepare('INSERT INTO v (id, t, i, r, b) VALUES (?, ?, ?, ?, ?)');
my $all_bytes = join '', map { chr } 0 .. 255;
my %text = (
    1  => undef,
    2  => '',
    3  => join('', map { chr } 0 .. 31),
    4  => "tab\there\nnewline\r\nCRLF",
    5  => qq{quotes ' " and \\ backslash \\n \\u001f},
    6  => "del \x7f and markers \x7fn \x7fb \x7fi \x7ft \x7f, \x7f; \x7fd \x7fq",
    7  => "\x7fn",
    8  => "\x1c\x1d\x1e\x1f",
    9  => '0E0',
    10 => '007',
    11 => ' spaces ',
    12 => '12345',
    13 => '1.5',
    14 => 'NaN',
    20 => "caf\xc3\xa9 \xe2\x98\xba",    # UTF-8 bytes
    21 => "\xe2\x80\xa8 line separator, \xf0\x9f\x98\x80 emoji",
    22 => "mixed \x01 control and \xc3\xbc",
    23 => 'plain ascii',
);
# (integers beyond 2^53 are set with SQL below: bound values travel as JSON numbers)
my %int = (3 => 0, 4 => -1, 6 => undef, 7 => 42, 8 => '12abc', 9 => 3.25, 10 => '', 11 => 2**53);
my %real = (1 => 0.1, 2 => -2.5e-300, 3 => 1e300, 4 => 123456789.125, 5 => 3, 6 => undef, 7 => -0.0, 8 => 1 / 3,
            9 => 12345678901234567890, 10 => -2**60, 11 => 2**70);
$dbh->begin_work;
for my $id (sort { $a <=> $b } keys %text) {
    $ins->bind_param(1, $id);
    $ins->bind_param(2, $text{$id});
    $ins->bind_param(3, $int{$id}, defined $int{$id} && $int{$id} =~ /^-?\d+$/ ? SQL_INTEGER : undef);
    $ins->bind_param(4, $real{$id}, SQL_DOUBLE);
    $ins->bind_param(5, $id == 3 ? $all_bytes : $id == 4 ? '' : $id == 5 ? "\x7fn\x00" : undef, SQL_BLOB);
    $ins->execute;
}
my $big = $dbh->prepare('INSERT INTO big VALUES (?, ?)');
$big->execute($_, "s$_") for 1 .. 100;
$dbh->commit;
$dbh->do('UPDATE v SET i = 9223372036854775807 WHERE id = 1');
$dbh->do('UPDATE v SET i = -9223372036854775807 WHERE id = 2');
$dbh->do('UPDATE v SET i = 9007199254740993 WHERE id = 5');
$dbh->do('UPDATE v SET i = -9223372036854775807 - 1 WHERE id = 12');
# a REAL column holding a string and an INTEGER column holding text, as SQLite allows
$dbh->do(q{INSERT INTO v (id, t, i, r) VALUES (30, 'x', 'text in an integer column', 'text in a real column')});
$dbh->do(q{INSERT INTO v (id, t, i, r) VALUES (31, 5, 6, 7)});
$dbh->disconnect;

my %out;
for my $run (['json', { CPAN_BRIDGE_ROW_FORMAT => 'json' }], ['sep', { CPAN_BRIDGE_ROW_FORMAT => 'sep' }],
             ['JSON::PP', { CPAN_BRIDGE_JSON_PP => 1, CPAN_BRIDGE_ROW_FORMAT => undef }]) {
    my ($name, $env) = @$run;
    my ($o, $e, $rc) = BridgeTest::run_script($script, $env, args => [$db], timeout => 120);
    is $rc, 0, "$name: scenario ran" or diag $e;
    is $e, '', "$name: no warnings";
    $out{$name} = $o;
}
like $out{json}, qr/^FORMAT json /, 'JSON arrays asked for';
like $out{sep}, qr/^FORMAT sep /, 'compact format forced';
like $out{'JSON::PP'}, qr/^FORMAT sep JSON::PP\n/, 'JSON::PP picks the compact format';
(my $body = $out{json}) =~ s/^FORMAT.*\n//;
for my $name ('sep', 'JSON::PP') {
    (my $b = $out{$name}) =~ s/^FORMAT.*\n//;
    # -2^63: JSON::XS decodes it as a string, the compact format as the IV that DBD::SQLite returns
    # (perl/t/70-dbi-fidelity.t lists the JSON form as a deliberate difference)
    ok $b =~ s/^(\$VAR1 = \[12,12345,)'-9223372036854775808',/$1"-9223372036854775808",/m
        && $b =~ s/^(== flags 12\n\$VAR1 = \["N","b",)"N"/$1"b"/m, "$name: -2^63 is an IV";
    is $b, $body, "$name: every value, its type and its utf8 flag as with JSON arrays" or diag_diff($body, $b);
}

# and the values are the ones stored
my %got;
for my $chunk (split /^== /m, $body) {
    next unless $chunk =~ s/^(.+)\n//;
    my $VAR1;
    $got{$1} = eval $chunk;
}
for my $id (sort { $a <=> $b } keys %text) {
    my $r = $got{"row $id"};
    is_deeply $r->[1], $text{$id}, "text $id";
}
is $got{'row 3'}[4], $all_bytes, 'all 256 byte values';
is $got{'row 4'}[4], '', 'empty blob';
is $got{'row 5'}[4], "\x7fn\x00", 'blob that looks like a marker';
is_deeply [ map { $got{"row $_"}[2] } 1 .. 7 ], [ 9223372036854775807, -9223372036854775807, 0, -1, 9007199254740993, undef, 42 ],
    '64-bit integers exact';
like $body, qr/== row 1\n\$VAR1 = \[1,undef,'9223372036854775807',"0\.1",undef\]/, '64-bit integer';
is_deeply $got{'flags 1'}, [ 'N', 'n', 'N', 'N', 'n' ], 'integers are IVs, floats NVs';
like $body, qr/== row 9\n\$VAR1 = \[9,"0E0","3.25","1\.23456789012346e\+19",undef\]/, 'a float beyond 2^53 is an NV';
is_deeply $got{'flags 12'}, [ 'N', 'b', 'b', 'n', 'n' ], 'text of digits in a TEXT column is a string';
is $got{'row 8'}[2], '12abc', 'text in an INTEGER column';
is $got{'row 30'}[2], 'text in an integer column', 'text among integers';
is $got{'row 30'}[3], 'text in a real column', 'text among reals';
like $body, qr/== row 31\n\$VAR1 = \[31,5,6,7,undef\]/, 'numbers in a TEXT column are numbers';
is_deeply $got{'one column, empty strings'}, [ [''], [''], [undef] ], 'one-column rows with empty strings and NULL';
is_deeply $got{'big rows in order'}, [ 100, 1 ], 'read ahead: 100 rows in batches of 7, in order';
is_deeply $got{'re-executed'}, [ [ map { [ $_, "s$_" ] } 1 .. 5 ], [ map { [ $_, "s$_" ] } 1 .. 12 ], 88, [ 100, 's100' ] ],
    'finish and execute again with a read-ahead outstanding';
is_deeply $got{'unicode'}, [ [ 20, "caf\x{e9} \x{263a}" ], [ 21, "\x{2028} line separator, \x{1f600} emoji" ],
    [ 22, "mixed \x01 control and \x{fc}" ], [ 23, 'plain ascii' ] ], 'characters with sqlite_unicode';
is_deeply $got{'flags 20'}, [ 'N', 'b', 'n', 'n', 'n' ], 'bytes without sqlite_unicode';
is_deeply $got{'unicode flags 20'}, [ 'N', 'u' ], 'characters with sqlite_unicode';
is_deeply $got{'flags 31'}, [ 'N', 'b', 'N', 'N', 'n' ], 'a number stored in a TEXT column is text';
is_deeply $got{'mixed, text first'}, [ ['a'], [1], [2.5], [undef], ['b'] ], 'a column of text, numbers, NULL';
is_deeply $got{'mixed, text first flags'}, [ 'b', 'N', 'N', 'n', 'b' ], '... numbers among text are numbers';
is_deeply $got{'mixed, number first'}, [ [1], ['b'], ["\0\xff"], [-7], ['2.5'] ], 'a column of numbers, text, bytes';
is_deeply $got{'mixed, number first flags'}, [ 'N', 'b', 'b', 'N', 'b' ], '... text among numbers is text';

done_testing;

sub diag_diff {
    my ($a, $b) = @_;
    my @a = split /\n/, $a;
    my @b = split /\n/, $b;
    for my $k (0 .. ($#a > $#b ? $#a : $#b)) {
        next if defined $a[$k] && defined $b[$k] && $a[$k] eq $b[$k];
        diag "line $k:\n  json: " . ($a[$k] // '(none)') . "\n  this: " . ($b[$k] // '(none)');
        last;
    }
}
