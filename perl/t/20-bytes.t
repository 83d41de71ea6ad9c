#!/usr/bin/perl
# Byte-exact transport through the real daemon and SQLite: multi-line SQL,
# tabs, CR, NUL, control characters, a 5 MiB string, binary with all 256 byte
# values, UTF-8 as bytes (default) and as characters (sqlite_unicode => 1).
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use DBI qw(:sql_types);
use Digest::MD5 qw(md5_hex);

like $INC{'DBI.pm'}, qr{/perl/compat/DBI\.pm$}, 'DBI.pm comes from perl/compat';

my $home = BridgeTest::home();
my $work = BridgeTest::work();
my $dbh = DBI->connect("dbi:SQLite:dbname=$work/bytes.db", '', '', { RaiseError => 1, PrintError => 0 });
ok $dbh, 'connect';

# multi-line SQL with comments, tabs and CR
my $sql = "CREATE TABLE b (\n\tid INTEGER PRIMARY KEY,\r\n\tv TEXT, -- a comment\n\tblob BLOB\n)";
ok defined $dbh->do($sql), 'multi-line SQL with tabs/CR/comment runs';
my ($stored) = $dbh->selectrow_array("SELECT sql FROM sqlite_master WHERE name = 'b'");
is $stored, $sql, 'SQL text arrived byte for byte';

my $ins = $dbh->prepare("INSERT INTO b (id, v) VALUES (?,\n ?)");
my $sel = $dbh->prepare('SELECT v, length(v), hex(v) FROM b WHERE id = ?');
my %cases = (
    1 => "line1\nline2\n",
    2 => "tab\there\tand\r\nCRLF\r",
    3 => "nul\0in\0the\0middle\0",
    4 => join('', map { chr } 1 .. 31, 127),
    5 => '',
    6 => ' leading and trailing spaces ',
    7 => "quotes ' \" \\ backslash \\n not a newline",
    8 => '0E0',
    9 => '007',
);
for my $id (sort { $a <=> $b } keys %cases) {
    $ins->execute($id, $cases{$id});
    $sel->execute($id);
    my ($v, $len, $hex) = $sel->fetchrow_array;
    $sel->finish;
    is $v, $cases{$id}, "text case $id round-trips";
    is $hex, uc unpack('H*', $cases{$id}), "text case $id stored byte for byte";
}

# UTF-8: bytes by default (like DBD::SQLite without sqlite_unicode)
my $utf8_bytes = "caf\xc3\xa9 \xe2\x98\xba";    # "café ☺" as UTF-8 bytes
$ins->execute(20, $utf8_bytes);
$sel->execute(20);
my ($u) = $sel->fetchrow_array;
$sel->finish;
is $u, $utf8_bytes, 'UTF-8 text comes back as the same bytes';
ok !utf8::is_utf8($u), 'utf8 flag off without sqlite_unicode';
is length($u), 9, 'byte length';

my $chars = "caf\x{e9} \x{263a}";
$ins->execute(21, $chars);
$sel->execute(21);
($u) = $sel->fetchrow_array;
$sel->finish;
is $u, $utf8_bytes, 'character string stored as UTF-8, read back as bytes';

{
    my $d2 = DBI->connect("dbi:SQLite:dbname=$work/bytes.db", '', '', { RaiseError => 1, sqlite_unicode => 1 });
    my ($c) = $d2->selectrow_array('SELECT v FROM b WHERE id = 21');
    is $c, $chars, 'sqlite_unicode => 1 returns characters';
    ok utf8::is_utf8($c), 'utf8 flag on';
    is length($c), 6, 'character length';
    $d2->disconnect;
}

# a 5 MiB string
{
    my $big = join '', map { chr(32 + $_ % 90) . ($_ % 1000 == 0 ? "\n\t\0" : '') } 1 .. 5 * 1024 * 1024;
    $big = substr($big, 0, 5 * 1024 * 1024);
    $ins->execute(30, $big);
    my ($len, $md5) = $dbh->selectrow_array('SELECT length(CAST(v AS BLOB)), v FROM b WHERE id = 30');
    is $len, length $big, '5 MiB stored with the right length';
    is md5_hex($md5), md5_hex($big), '5 MiB string round-trips';
}

# binary: all 256 byte values (not valid UTF-8 -> $b64 both ways)
{
    my $bin = join '', map { chr } 0 .. 255;
    $bin .= $bin x 3;
    my $b = $dbh->prepare('INSERT INTO b (id, blob) VALUES (?, ?)');
    $b->bind_param(1, 40);
    $b->bind_param(2, $bin, SQL_BLOB);
    $b->execute;
    my ($got, $len, $type) = $dbh->selectrow_array('SELECT blob, length(blob), typeof(blob) FROM b WHERE id = 40');
    is $len, 1024, 'blob length in SQLite';
    is $type, 'blob', 'stored as BLOB with SQL_BLOB';
    is md5_hex($got), md5_hex($bin), 'blob round-trips';
    ok !utf8::is_utf8($got), 'blob comes back as bytes';

    # untyped bind of invalid UTF-8 bytes also arrives unchanged
    $dbh->do('INSERT INTO b (id, blob) VALUES (41, ?)', undef, $bin);
    my ($g2) = $dbh->selectrow_array('SELECT blob FROM b WHERE id = 41');
    is md5_hex($g2), md5_hex($bin), 'untyped binary bind round-trips';
}

# numbers
{
    my ($i, $f, $n) = $dbh->selectrow_array('SELECT 9007199254740993, 1.5, NULL');
    is $i, '9007199254740993', 'integer beyond 2^53 exact';
    is $f, 1.5, 'real';
    ok !defined $n, 'NULL';
}

$dbh->disconnect;
done_testing;
