#!/usr/bin/perl
# Byte strings bound as text (issue 18, defect 1), compared call by call with the real DBI +
# DBD::SQLite (sqlite_unicode off and on) and DBD::Pg (pg_enable_utf8 default, 0, 1): a string
# without the UTF-8 flag holding high-bit bytes ("Zo\xEB") is stored as TEXT with the bytes the
# driver binds (typeof() and hex() of what is stored), and reads back as the driver reads it
# (including TEXT that is not valid UTF-8, which better-sqlite3 alone would decode lossily);
# only binary binds (SQL_BLOB, SQL_VARBINARY, PG_BYTEA) store BLOB / bytea.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use BridgeTest::Fidelity;
use IO::Socket::INET;

{
    my (undef, $err, $rc) = BridgeTest::run_perl("use DBI 1.6; use DBD::SQLite; print 1;\n", \%BridgeTest::Fidelity::REAL_ENV);
    plan skip_all => "real DBI + DBD::SQLite not installed (apt-get install libdbi-perl libdbd-sqlite3-perl): $err" if $rc;
}

# Under sqlite_unicode DBD::SQLite flags TEXT that is not UTF-8 as characters anyway (a malformed
# Perl string); the bridge gives its bytes.
my %DELIBERATE = map { ("u1:read_latin_db:$_" => 'DBD::SQLite returns a malformed UTF-8 string; the bridge its bytes') } qw(select fetch);

subtest SQLite => sub {
    my ($real, $bridge) = BridgeTest::Fidelity::run_both(sqlite_body());
    my $n = BridgeTest::Fidelity::compare($real, $bridge, \%DELIBERATE);
    ok $n > 30, "$n calls recorded";
};

# Through a daemon crash: the TEXT bytes bind is journaled with the open transaction and replayed
# as TEXT (the client's script runs in a child; the daemon is killed between its statements)
subtest 'SQLite: replayed after the daemon dies' => sub {
    my $work = BridgeTest::work();
    my $db = "$work/bytes-crash.db";
    unlink $db;
    my $code = <<'T';
use strict; use warnings; use DBI qw(:sql_types);
my ($db, $flag) = @ARGV;
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0, AutoCommit => 0 });
$dbh->do('CREATE TABLE t (k TEXT, v TEXT)');
$dbh->commit;
$dbh->do('INSERT INTO t VALUES (?, ?)', undef, 'latin', "Zo\xEB");
my $sth = $dbh->prepare('INSERT INTO t VALUES (?, ?)');
$sth->bind_param(1, 'blob');
$sth->bind_param(2, "Zo\xEB", SQL_BLOB);
$sth->execute;
open my $fh, '>', $flag or die; close $fh;    # the parent kills the daemon now
sleep 1 while -e $flag;
$dbh->commit;
print join('|', map { "@$_" } @{ $dbh->selectall_arrayref('SELECT k, typeof(v), hex(v) FROM t ORDER BY rowid') }), "\n";
T
    my $script = BridgeTest::write_file("$work/bytes-crash.pl", $code);
    my $flag = "$work/bytes-crash.flag";
    unlink $flag;
    BridgeTest::start_daemon() unless BridgeTest::daemon_pid() && BridgeTest::alive(BridgeTest::daemon_pid());
    my $pid = open(my $out, '-|', $^X, $script, $db, $flag) // die "fork: $!";
    for (1 .. 600) { last if -e $flag; select undef, undef, undef, 0.05 }
    ok -e $flag, 'the script reached its uncommitted inserts';
    my $old = BridgeTest::kill_daemon();
    BridgeTest::start_daemon();
    ok BridgeTest::wait_new_daemon($old), 'a new daemon';
    unlink $flag;
    my $got = do { local $/; <$out> };
    close $out;
    is $?, 0, 'the script ended well';
    is $got, "latin text 5A6FEB|blob blob 5A6FEB\n", 'replayed: the byte string as TEXT with its bytes, the SQL_BLOB bind as a BLOB';
};

my $pg_up = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => 5432, Timeout => 3);
my (undef, undef, $no_dbd_pg) = BridgeTest::run_perl("use DBD::Pg; print 1;\n", \%BridgeTest::Fidelity::REAL_ENV);
SKIP: {
    skip 'PostgreSQL not reachable on 127.0.0.1:5432, or DBD::Pg not installed (libdbd-pg-perl)', 1 if !$pg_up || $no_dbd_pg;
    subtest PostgreSQL => sub {
        my ($real, $bridge) = BridgeTest::Fidelity::run_both(pg_body());
        my $n = BridgeTest::Fidelity::compare($real, $bridge);
        ok $n > 30, "$n calls recorded";
    };
}
done_testing;

sub sqlite_body {
    return <<'BODY';
my @values = (latin => "Zo\xEB", utf8_bytes => "Zo\xC3\xAB", chars => "Zo\x{EB}\x{263A}", fffd => "a\xEF\xBF\xBD",
              all_bytes => join('', map { chr } 0 .. 255), nul_latin => "\xE9\0\xE8");
for my $u (0, 1) {
    my $dbh = DBI->connect("dbi:SQLite:dbname=bytes-$u.db", '', '', { RaiseError => 0, PrintError => 0, sqlite_unicode => $u });
    $dbh->do('CREATE TABLE t (k TEXT, v TEXT, n INTEGER, b BLOB, x)');
    my $ins = $dbh->prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?)');
    my @kv = @values;
    while (my ($k, $v) = splice @kv, 0, 2) {
        S("u$u:insert:$k", sub { $ins->execute($k, $v, $v, $v, $v) });
    }
    for my $t ([ blob => SQL_BLOB ], [ varbinary => SQL_VARBINARY ], [ varchar => SQL_VARCHAR ]) {
        $ins->bind_param(1, "typed_$t->[0]");
        $ins->bind_param($_, "Zo\xEB", $t->[1]) for 2 .. 5;
        S("u$u:insert_typed:$t->[0]", sub { $ins->execute });
    }
    S("u$u:do", sub { $dbh->do('INSERT INTO t (k, v) VALUES (?, ?)', undef, 'do', "caf\xE9") });
    my $named = $dbh->prepare('INSERT INTO t (k, v, x) VALUES (:k, :v, :v)');
    S("u$u:named", sub { $named->bind_param(':k', 'named'); $named->bind_param(':v', "\xFF\xFE"); $named->execute });
    L("u$u:stored", sub { @{ $dbh->selectall_arrayref('SELECT k, typeof(v), hex(v), typeof(n), hex(n), typeof(b), hex(b), typeof(x), hex(x) FROM t ORDER BY rowid') } });
    L("u$u:read", sub { @{ $dbh->selectall_arrayref('SELECT k, v, n, b, x FROM t ORDER BY rowid') } });
    # the byte string as a bind of a query, and rows read one at a time while another statement runs
    L("u$u:where", sub { $dbh->selectrow_array('SELECT k FROM t WHERE v = ? ORDER BY rowid', undef, "Zo\xEB") });
    my $sel = $dbh->prepare('SELECT k, v, length(v) FROM t ORDER BY rowid');
    $sel->execute;
    L("u$u:fetch_interleaved", sub { my @r; while (my @row = $sel->fetchrow_array) { push @r, [@row]; $dbh->do('SELECT 1') } @r });
    L("u$u:expression", sub { $dbh->selectrow_array("SELECT v || '!', upper(k) FROM t WHERE k = 'latin'") });
    # a database written without sqlite_unicode, read by both settings
    my $other = DBI->connect('dbi:SQLite:dbname=bytes-0.db', '', '', { RaiseError => 0, PrintError => 0, sqlite_unicode => $u });
    L("u$u:read_latin_db:select", sub { $other->selectrow_array("SELECT v FROM t WHERE k = 'latin'") });
    my $s = $other->prepare("SELECT v FROM t WHERE k = 'latin'");
    $s->execute;
    L("u$u:read_latin_db:fetch", sub { $s->fetchrow_array });
    $s->finish;
    $other->disconnect;
    $dbh->disconnect;
}
BODY
}

sub pg_body {
    return <<'BODY';
my $dsn = $ENV{CPAN_BRIDGE_TEST_PG_DSN} || 'dbi:Pg:dbname=test;host=127.0.0.1';
for my $e (undef, 0, 1) {
    my $tag = $e // 'default';
    my $dbh = DBI->connect($dsn, 'postgres', '', { RaiseError => 0, PrintError => 0, (defined $e ? (pg_enable_utf8 => $e) : ()) });
    $dbh->do('SET client_min_messages = warning');
    $dbh->do('DROP TABLE IF EXISTS cb_fid_bytes');
    $dbh->do('CREATE TABLE cb_fid_bytes (id serial, k text, v text, b bytea)');
    my $ins = $dbh->prepare('INSERT INTO cb_fid_bytes (k, v, b) VALUES (?, ?, ?)');
    for my $c ([ latin => "Zo\xEB" ], [ utf8_bytes => "Zo\xC3\xAB" ], [ ascii => 'plain' ], (defined $e && !$e ? () : [ chars => "Zo\x{263A}" ])) {
        S("$tag:insert:$c->[0]", sub { $ins->execute($c->[0], $c->[1], $c->[1]) });
    }
    for my $t ([ bytea => { pg_type => 17 } ], [ blob => SQL_BLOB ], [ varbinary => SQL_VARBINARY ]) {
        $ins->bind_param(1, "typed_$t->[0]");
        $ins->bind_param(2, undef);
        $ins->bind_param(3, "Zo\xEB\0x", $t->[1]);
        S("$tag:insert_typed:$t->[0]", sub { $ins->execute });
    }
    S("$tag:do", sub { $dbh->do('INSERT INTO cb_fid_bytes (k, v) VALUES (?, ?)', undef, 'do', "caf\xE9") });
    L("$tag:stored", sub { @{ $dbh->selectall_arrayref("SELECT k, encode(convert_to(v, 'UTF8'), 'hex'), encode(b, 'hex') FROM cb_fid_bytes ORDER BY id") } });
    L("$tag:read", sub { @{ $dbh->selectall_arrayref('SELECT k, v, b FROM cb_fid_bytes ORDER BY id') } });
    L("$tag:where", sub { $dbh->selectrow_array('SELECT k FROM cb_fid_bytes WHERE v = ?', undef, "Zo\xEB") });
    $dbh->do('DROP TABLE cb_fid_bytes');
    $dbh->disconnect;
}
# client_encoding changed after connect: DBD::Pg goes on sending and reading UTF-8 (as decided at connect)
my $dbh = DBI->connect($dsn, 'postgres', '', { RaiseError => 0, PrintError => 0 });
$dbh->do('SET client_min_messages = warning');
S('latin1:set', sub { $dbh->do(q{SET client_encoding TO 'LATIN1'}) });
$dbh->do('DROP TABLE IF EXISTS cb_fid_bytes');
$dbh->do('CREATE TABLE cb_fid_bytes (id serial, v text)');
S('latin1:insert_bytes', sub { $dbh->do('INSERT INTO cb_fid_bytes (v) VALUES (?)', undef, "Zo\xEB") });
S('latin1:insert_chars', sub { $dbh->do('INSERT INTO cb_fid_bytes (v) VALUES (?)', undef, "caf\x{E9}") });
L('latin1:stored', sub { @{ $dbh->selectall_arrayref("SELECT encode(convert_to(v, 'UTF8'), 'hex'), v FROM cb_fid_bytes ORDER BY id") } });
$dbh->do('DROP TABLE cb_fid_bytes');
$dbh->disconnect;
BODY
}
