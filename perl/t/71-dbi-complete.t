#!/usr/bin/perl
# DBI complete (issue 18): what report scripts use beyond the basics, compared call by call with
# the real DBI + DBD::SQLite (and DBD::Pg when its server is up): the catalog methods under
# FetchHashKeyName NAME / NAME_lc / NAME_uc (catalog handles keep DBI's upper-case keys),
# foreign_key_info, statistics_info, get_info, type_info; all of it again under perl -T.
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

# With FetchHashKeyName => 'NAME_uc' DBD::SQLite 1.72's own lookups (lower-case PRAGMA column
# names) find nothing: its catalog methods fail ('near ".": syntax error') or give rows of undefs.
# The bridge's do not depend on the attribute and answer as with NAME.
my %BROKEN_IN_DBD_SQLITE = map { ("NAME_uc:$_" => 'DBD::SQLite fails under NAME_uc; the bridge answers') }
    qw(primary_key primary_key_parent column_info:hashrefs column_info_one:hashrefs primary_key_info primary_key_info:NAME
       primary_key_info:hashrefs foreign_key_info foreign_key_info:NAME foreign_key_info:hashrefs foreign_key_info_all
       foreign_key_info_all:NAME foreign_key_info_all:hashrefs statistics_info statistics_info:NAME statistics_info:hashrefs
       statistics_info_unique statistics_info_unique:NAME statistics_info_unique:hashrefs);
# SQLite's version is the daemon's (better-sqlite3's), which runs the statements
$BROKEN_IN_DBD_SQLITE{'get_info:SQL_DBMS_VER'} = 'the daemon\'s SQLite version';

my $body = do { local $/; <DATA> };
for my $taint (0, 1) {
    subtest($taint ? 'SQLite under perl -T' : 'SQLite', sub {
        my ($real, $bridge) = BridgeTest::Fidelity::run_both($body, taint => $taint);
        my $n = BridgeTest::Fidelity::compare($real, $bridge, \%BROKEN_IN_DBD_SQLITE);
        ok $n > 90, "$n calls recorded";
    });
}
# perl -T in every client shape: the daemon started by the client itself, and process mode
subtest 'perl -T: autostart and process mode' => sub {
    my $code = <<'T';
use strict; use warnings; use DBI;
my ($db) = $ARGV[0] =~ /\A(.*)\z/s;
my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 1, PrintError => 0 });
$dbh->do('CREATE TABLE IF NOT EXISTS t (v TEXT)');
$dbh->do('INSERT INTO t VALUES (?)', undef, 'tainted');
my ($n) = $dbh->selectrow_array('SELECT count(*) FROM t');
open my $fh, '>', "$db.out" or die "open: $!";    # fetched data must not be tainted
print $fh $n;
print "rows $n\n";
T
    my $work = BridgeTest::work();
    my $script = BridgeTest::write_file("$work/taint.pl", $code);
    my @inc = ((map { "-I$_" } split /:/, BridgeTest::perl5lib()), '-MBridgeTest::HideDBI');
    for my $shape ([ autostart => {}, 'a' ], [ 'process mode' => { CPAN_BRIDGE_DAEMON => 0 }, 'p' ]) {
        my ($name, $env, $tag) = @$shape;
        my $home = File::Temp::tempdir('cbtaint-XXXXXX', TMPDIR => 1, CLEANUP => 1);
        chmod 0700, $home;
        my ($out, $err, $rc) = BridgeTest::run_command([$^X, '-T', @inc, $script, "$work/taint-$tag.db"], { %$env, CPAN_BRIDGE_HOME => $home }, timeout => 60);
        is $rc, 0, "$name: the script ran under -T" or diag $err;
        like $out, qr/^rows 1$/m, "$name: the row went in and came back";
        # the daemon the script started in that home
        if (open my $pf, '<', "$home/daemon.pid") { my ($pid) = <$pf> =~ /(\d+)/; kill 'TERM', $pid if $pid }
    }
};

# PostgreSQL: both halves use the schema cb_fid_catalog, one after the other
my $pg_up = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => 5432, Timeout => 3);
my (undef, undef, $no_dbd_pg) = BridgeTest::run_perl("use DBD::Pg; print 1;\n", \%BridgeTest::Fidelity::REAL_ENV);
SKIP: {
    skip 'PostgreSQL not reachable on 127.0.0.1:5432, or DBD::Pg not installed (libdbd-pg-perl)', 1 if !$pg_up || $no_dbd_pg;
    subtest 'PostgreSQL' => sub {
        my ($real, $bridge) = BridgeTest::Fidelity::run_both(pg_body());
        # DBD::Pg's primary_key looks its columns up with fetchall_hashref('attnum'): under NAME_uc it finds none
        my $n = BridgeTest::Fidelity::compare($real, $bridge, { 'NAME_uc:primary_key' => 'DBD::Pg fails under NAME_uc; the bridge answers' });
        ok $n > 30, "$n calls recorded";
    };
}
done_testing;

sub pg_body {
    return <<'PG';
my $dsn = $ENV{CPAN_BRIDGE_TEST_PG_DSN} || 'dbi:Pg:dbname=test;host=127.0.0.1';
for my $fhkn (qw(NAME NAME_lc NAME_uc)) {
    my $dbh = DBI->connect($dsn, 'postgres', '', { RaiseError => 0, PrintError => 0, FetchHashKeyName => $fhkn });
    $dbh->do('SET client_min_messages = warning');
    $dbh->do('DROP SCHEMA IF EXISTS cb_fid_catalog CASCADE');
    $dbh->do('CREATE SCHEMA cb_fid_catalog');
    $dbh->do('CREATE TABLE cb_fid_catalog.parent (id integer PRIMARY KEY, code text NOT NULL UNIQUE)');
    $dbh->do("CREATE TABLE cb_fid_catalog.child (id integer, seq integer, parent_id integer REFERENCES cb_fid_catalog.parent(id), label varchar(20) DEFAULT 'x', PRIMARY KEY (id, seq))");
    L("$fhkn:primary_key", sub { $dbh->primary_key(undef, 'cb_fid_catalog', 'child') });
    for my $m (
        [ column_info => [ undef, 'cb_fid_catalog', 'child', '%' ] ],
        [ table_info => [ undef, 'cb_fid_catalog', '%', 'TABLE' ] ],
        [ primary_key_info => [ undef, 'cb_fid_catalog', 'child' ] ],
    ) {
        my ($label, $args) = @$m;
        my $sth = S("$fhkn:$label", sub { $dbh->$label(@$args) });
        if ($sth) {
            V("$fhkn:$label:NAME", $sth->{NAME});
            L("$fhkn:$label:keys", sub { my @r; while (my $r = $sth->fetchrow_hashref) { push @r, [ sort keys %$r ] } @r });
        }
    }
    L("$fhkn:tables", sub { $dbh->tables(undef, 'cb_fid_catalog', '%', 'TABLE') });
    # foreign keys (to a primary key, a unique column, a two-column unique key; actions and
    # deferrability), indexes (unique, partial, descending, on an expression) and the type table
    $dbh->do('CREATE TABLE cb_fid_catalog.ref2 (a integer, b integer, UNIQUE (a, b))');
    $dbh->do(q{CREATE TABLE cb_fid_catalog.grandchild (id integer PRIMARY KEY, pcode text REFERENCES cb_fid_catalog.parent (code) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        x integer, y integer, note text, CONSTRAINT gc_ref2 FOREIGN KEY (x, y) REFERENCES cb_fid_catalog.ref2 (a, b) ON UPDATE SET NULL DEFERRABLE)});
    $dbh->do('CREATE INDEX gc_note ON cb_fid_catalog.grandchild (note DESC NULLS LAST) WHERE note IS NOT NULL');
    $dbh->do('CREATE INDEX gc_expr ON cb_fid_catalog.grandchild (lower(note), x)');
    $dbh->do('CREATE UNIQUE INDEX gc_xy ON cb_fid_catalog.grandchild (x, y) INCLUDE (note)');
    for my $m (
        [ fk_to_parent => foreign_key_info => [ undef, 'cb_fid_catalog', 'parent', undef, undef, undef ] ],
        [ fk_from_grandchild => foreign_key_info => [ undef, undef, undef, undef, 'cb_fid_catalog', 'grandchild' ] ],
        [ fk_both => foreign_key_info => [ undef, 'cb_fid_catalog', 'ref2', undef, 'cb_fid_catalog', 'grandchild' ] ],
        [ fk_none => foreign_key_info => [ undef, undef, undef, undef, undef, undef ] ],
        [ fk_not_visible => foreign_key_info => [ undef, undef, 'parent', undef, undef, undef ] ],
        [ stats => statistics_info => [ undef, 'cb_fid_catalog', 'grandchild', 0, 0 ] ],
        [ stats_unique => statistics_info => [ undef, 'cb_fid_catalog', 'grandchild', 1, 0 ] ],
        [ stats_child => statistics_info => [ undef, 'cb_fid_catalog', 'child', 0, 1 ] ],
        [ stats_not_visible => statistics_info => [ undef, undef, 'grandchild', 0, 0 ] ],
        [ stats_no_table => statistics_info => [ undef, 'cb_fid_catalog', undef, 0, 0 ] ],
    ) {
        my ($label, $meth, $args) = @$m;
        my $sth = S("$fhkn:$label", sub { $dbh->$meth(@$args) });
        if ($sth) {
            V("$fhkn:$label:NAME", $sth->{NAME});
            L("$fhkn:$label:hashrefs", sub { my @r; while (my $r = $sth->fetchrow_hashref) { push @r, $r } @r });
        }
    }
    L("$fhkn:type_info:VARCHAR", sub { $dbh->type_info(SQL_VARCHAR) });
    L("$fhkn:type_info:INTEGER", sub { $dbh->type_info(SQL_INTEGER) });
    L("$fhkn:type_info:ALL", sub { $dbh->type_info(SQL_ALL_TYPES) });
    S("$fhkn:type_info_all", sub { $dbh->type_info_all });
    S("$fhkn:get_info:$_", sub { $dbh->get_info($_) }) for 2, 6, 7, 13, 14, 16, 17, 18, 28, 29, 41, 47, 999999;
    S("$fhkn:pg_server_version", sub { $dbh->{pg_server_version} });
    S("$fhkn:sqlite_busy_timeout_on_pg", sub { $dbh->sqlite_busy_timeout });
    if ($fhkn eq 'NAME') {
        # COPY, as bulk loads and extracts use it
        S('copy_in', sub { $dbh->do('COPY cb_fid_catalog.parent (id, code) FROM STDIN') });
        S('copy_busy', sub { $dbh->do('SELECT 1') });
        S("copy_put_$_", sub { $dbh->pg_putcopydata("$_\tcode $_ caf\x{e9}\n") }) for 1 .. 3;
        S('copy_put_utf8', sub { $dbh->pg_putcopydata("4\tcaf\xc3\xa9 bytes\n") });
        S('copy_end', sub { $dbh->pg_putcopyend });
        L('copy_rows', sub { @{ $dbh->selectall_arrayref('SELECT id, code FROM cb_fid_catalog.parent ORDER BY id') } });
        S('copy_put_outside', sub { $dbh->pg_putcopydata("x\n") });
        S('copy_out', sub { $dbh->do('COPY (SELECT id, code FROM cb_fid_catalog.parent ORDER BY id) TO STDOUT') });
        L('copy_get', sub { my ($l, $n, @r); push @r, [ $n, $l ] while ($n = $dbh->pg_getcopydata($l)) >= 0; (@r, $n) });
        S('copy_bad', sub { $dbh->do('COPY cb_fid_catalog.parent (id, code) FROM STDIN') });
        S('copy_bad_put', sub { $dbh->pg_putcopydata("zz\tbad\n") });
        S('copy_bad_end', sub { $dbh->pg_putcopyend });
        S('copy_no_table', sub { $dbh->do('COPY cb_fid_catalog.nope FROM STDIN') });
        S('after_copy', sub { $dbh->selectrow_array('SELECT count(*) FROM cb_fid_catalog.parent') });
    }
    $dbh->do('DROP SCHEMA cb_fid_catalog CASCADE');
    $dbh->disconnect;
}
PG
}

__DATA__
for my $fhkn (qw(NAME NAME_lc NAME_uc)) {
    my $dbh = DBI->connect("dbi:SQLite:dbname=cat-$fhkn.db", '', '', { RaiseError => 0, PrintError => 0, FetchHashKeyName => $fhkn });
    $dbh->do('CREATE TABLE Parent (Id INTEGER PRIMARY KEY, Code TEXT NOT NULL UNIQUE)');
    $dbh->do('CREATE TABLE Child (Id INTEGER, Seq INTEGER, Parent_Id INTEGER REFERENCES Parent(Id), Label VARCHAR(20) DEFAULT \'x\', PRIMARY KEY (Id, Seq))');
    $dbh->do('CREATE INDEX child_label ON Child (Label)');
    L("$fhkn:primary_key", sub { $dbh->primary_key(undef, undef, 'Child') });
    L("$fhkn:primary_key_parent", sub { $dbh->primary_key(undef, undef, 'Parent') });
    for my $m (
        [ column_info => [ undef, undef, 'Child', '%' ] ],
        [ column_info_one => [ undef, undef, 'Parent', 'Code' ], 'column_info' ],
        [ table_info => [ undef, undef, '%', undef ] ],
        [ table_info_types => [ undef, undef, '%', 'TABLE' ], 'table_info' ],
        [ primary_key_info => [ undef, undef, 'Child' ] ],
        [ foreign_key_info => [ undef, undef, 'Parent', undef, undef, 'Child' ] ],
        [ foreign_key_info_all => [ undef, undef, undef, undef, undef, 'Child' ], 'foreign_key_info' ],
        [ statistics_info => [ undef, undef, 'Child', 0, 0 ] ],
        [ statistics_info_unique => [ undef, undef, 'Parent', 1, 0 ], 'statistics_info' ],
    ) {
        my ($label, $args, $meth) = @$m;
        $meth ||= $label;
        my $sth = S("$fhkn:$label", sub { $dbh->$meth(@$args) });
        if ($sth) {
            V("$fhkn:$label:NAME", $sth->{NAME});
            L("$fhkn:$label:hashrefs", sub { my @r; while (my $r = $sth->fetchrow_hashref) { push @r, $r } @r });
        }
    }
    L("$fhkn:tables", sub { $dbh->tables(undef, undef, '%', 'TABLE') });
    $dbh->disconnect;
}
my $dbh = DBI->connect('dbi:SQLite:dbname=info.db', '', '', { RaiseError => 0, PrintError => 0 });
require DBI::Const::GetInfoType;
for my $t (qw(SQL_DBMS_NAME SQL_IDENTIFIER_QUOTE_CHAR SQL_CATALOG_NAME_SEPARATOR SQL_DRIVER_NAME SQL_MAX_COLUMN_NAME_LEN
              SQL_IDENTIFIER_CASE SQL_SEARCH_PATTERN_ESCAPE SQL_CATALOG_LOCATION SQL_CATALOG_TERM SQL_SCHEMA_TERM SQL_TABLE_TERM)) {
    S("get_info:$t", sub { $dbh->get_info($DBI::Const::GetInfoType::GetInfoType{$t}) });
}
S('get_info:17', sub { $dbh->get_info(17) });
S('get_info:unknown', sub { $dbh->get_info(999999) });
L('type_info:VARCHAR', sub { $dbh->type_info(SQL_VARCHAR) });
L('type_info:ALL', sub { $dbh->type_info(SQL_ALL_TYPES) });
S('type_info_all_n', sub { my $t = $dbh->type_info_all; ref $t eq 'ARRAY' ? scalar(@$t) : $t });
# DBD::SQLite's private methods
S('sqlite_busy_timeout', sub { $dbh->sqlite_busy_timeout });
S('sqlite_busy_timeout_set', sub { $dbh->sqlite_busy_timeout(1500) });
S('sqlite_busy_timeout_after', sub { $dbh->sqlite_busy_timeout });
$dbh->do('CREATE TABLE r (id INTEGER PRIMARY KEY, v TEXT)');
$dbh->do("INSERT INTO r (v) VALUES ('a')") for 1 .. 3;
S('sqlite_last_insert_rowid', sub { $dbh->sqlite_last_insert_rowid });
S('sqlite_db_filename_basename', sub { (split m{/}, $dbh->sqlite_db_filename)[-1] });
