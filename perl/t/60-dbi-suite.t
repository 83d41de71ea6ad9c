#!/usr/bin/perl
# One DBI suite, run against SQLite and against PostgreSQL (the same logic,
# parameterised by DSN; Pg is skipped cleanly when 127.0.0.1:5432 is not
# reachable). Every method of the DBI surface the bridge supports, with DBI's
# return values and error semantics, against the real daemon.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use DBI qw(:sql_types);
use DBD::Pg qw(:pg_types);
use IO::Socket::INET;

my $home = BridgeTest::home();
my $work = BridgeTest::work();
my $file = __FILE__;
BridgeTest::start_daemon();

my @targets = ([ SQLite => "dbi:SQLite:dbname=$work/suite.db", '', '' ]);
my $pg_dsn = $ENV{CPAN_BRIDGE_TEST_PG_DSN} || 'dbi:Pg:dbname=test;host=127.0.0.1';
my $pg_up = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => 5432, Timeout => 3);
push @targets, [ Pg => $pg_dsn, 'postgres', '' ] if $pg_up;

for my $t (@targets) {
    subtest "DBI suite on $t->[0]" => sub { suite(@$t) };
}
SKIP: { skip 'PostgreSQL not reachable on 127.0.0.1:5432', 1 unless $pg_up; pass 'Pg suite ran' }

done_testing;

sub warnings_of(&) { my @w; local $SIG{__WARN__} = sub { push @w, $_[0] }; $_[0]->(); \@w }

sub suite {
    my ($drv, $dsn, $user, $pass) = @_;
    my $pg = $drv eq 'Pg';
    my $dbh = DBI->connect($dsn, $user, $pass, { RaiseError => 0, PrintError => 0, AutoCommit => 1 });
    ok $dbh, "connect $dsn" or return diag $DBI::errstr;
    is $dbh->{Driver}{Name}, $drv, 'Driver name';
    is $dbh->{AutoCommit}, 1, 'AutoCommit on';
    is $dbh->{RaiseError}, '', 'flag attributes read back as ""';
    ok $dbh->ping, 'ping';

    my $tab = "bt_suite_$$";
    my ($serial, $blob) = $pg ? ('SERIAL PRIMARY KEY', 'BYTEA') : ('INTEGER PRIMARY KEY', 'BLOB');
    $dbh->do("DROP TABLE IF EXISTS $tab");
    is $dbh->do("CREATE TABLE $tab (id $serial, name VARCHAR(40) UNIQUE, n INTEGER, big BIGINT, data $blob, note VARCHAR(20) NOT NULL DEFAULT 'x')"),
        $pg ? '0E0' : '0E0', 'CREATE -> 0E0';

    # do: counts, 0E0
    is $dbh->do("INSERT INTO $tab (name, n) VALUES ('a', 1)"), 1, 'do INSERT -> 1';
    is $dbh->do("INSERT INTO $tab (name, n) VALUES (?, ?)", undef, 'b', 2), 1, 'do with binds';
    is $dbh->do("UPDATE $tab SET n = n WHERE id < 0"), '0E0', 'do zero rows -> "0E0"';
    ok $dbh->do("UPDATE $tab SET n = n WHERE id < 0"), '"0E0" is true';
    is $dbh->do("UPDATE $tab SET n = n + 0"), 2, 'do UPDATE count';
    my $li = $dbh->last_insert_id(undef, undef, $tab, 'id');
    is $li, 2, 'last_insert_id';

    # prepare / execute / rows / NUM_OF_PARAMS
    my $ins = $dbh->prepare("INSERT INTO $tab (name, n, big) VALUES (?, ?, ?)");
    is $ins->{NUM_OF_PARAMS}, 3, 'NUM_OF_PARAMS';
    is $ins->execute("r$_", $_, $_ * 10), 1, "execute insert $_" for 3 .. 6;
    is $ins->rows, 1, 'rows after insert';

    # errors: err/errstr/state, $DBI::*, RaiseError/PrintError texts
    ok !defined $ins->execute('a', 9, 9), 'constraint violation -> undef';
    my $uniq = $pg ? qr/duplicate key value violates unique constraint/ : qr/UNIQUE constraint failed: \Q$tab\E\.name/;
    like $ins->errstr, $uniq, 'errstr';
    is $ins->err, ($pg ? 7 : 19), 'err';
    is $ins->state, ($pg ? '23505' : 'S1000'), 'state';
    is $DBI::err, $ins->err, '$DBI::err';
    is $DBI::errstr, $ins->errstr, '$DBI::errstr';
    is(DBI->errstr, $ins->errstr, 'DBI->errstr');
    is $ins->execute('zz', 1, 1), 1, 'next execute succeeds';
    ok !defined $ins->err && !defined $DBI::err, 'err reset by a successful call';
    is $DBI::state, '', '$DBI::state "" without error';
    ok !defined $ins->execute('x'), 'wrong bind count';
    like $ins->errstr, qr/called with 1 bind variables when 3 are needed/, 'bind count message';
    {
        local $dbh->{RaiseError} = 1;
        my $line = __LINE__ + 1;
        eval { $dbh->do("INSERT INTO $tab (name) VALUES ('a')") };
        like $@, qr/^DBD::${drv}::db do failed: .*\Q at $file line $line.\E\n\z/s, 'RaiseError die text (db do)';
        my $s = $dbh->prepare("INSERT INTO $tab (name) VALUES (?)");
        $line = __LINE__ + 1;
        eval { $s->execute('a') };
        like $@, qr/^DBD::${drv}::st execute failed: .*\Q at $file line $line.\E\n\z/s, 'RaiseError die text (st execute)';
        $line = __LINE__ + 1;
        eval { $dbh->selectrow_array("SELECT nope FROM $tab") };
        like $@, qr/^DBD::${drv}::db selectrow_array failed: .*nope.*\Q at $file line $line.\E\n\z/s, 'RaiseError names the outer method';
        $line = __LINE__ + 1;
        eval { $dbh->selectall_arrayref("SELECT id FROM $tab WHERE id = ?", undef, 1, 2) };
        like $@, qr/^DBD::${drv}::db selectall_arrayref failed: called with 2 bind variables when 1 are needed at /, 'nested bind count error';
    }
    {
        local $dbh->{PrintError} = 1;
        my $line = __LINE__ + 1;
        my $w = warnings_of { ok !defined $dbh->do("INSERT INTO $tab (name) VALUES ('a')"), 'PrintError: undef' };
        like $w->[0], qr/^DBD::${drv}::db do failed: .*\Q at $file line $line.\E\n\z/s, 'PrintError warn text';
    }
    {
        my $seen;
        local $dbh->{RaiseError} = 1;
        local $dbh->{HandleError} = sub { $seen = shift; 1 };
        ok !eval { $dbh->do('SELEC 1'); 1 } || !$@, 'HandleError true suppresses RaiseError';
        like $seen, qr/^DBD::${drv}::db do failed:/, 'HandleError message';
    }

    # SELECT metadata and fetch methods
    my $sel = $dbh->prepare("SELECT id, name, n, big FROM $tab WHERE id <= ? ORDER BY id");
    is $sel->execute(4), ($pg ? 4 : '0E0'), 'SELECT execute (Pg: row count, SQLite: 0E0)';
    is_deeply $sel->{NAME}, [qw(id name n big)], 'NAME';
    is_deeply $sel->{NAME_lc}, [qw(id name n big)], 'NAME_lc';
    is_deeply $sel->{NAME_uc}, [qw(ID NAME N BIG)], 'NAME_uc';
    is $sel->{NUM_OF_FIELDS}, 4, 'NUM_OF_FIELDS';
    is scalar @{ $sel->{TYPE} }, 4, 'TYPE has one entry per column';
    is_deeply $sel->{TYPE}, ($pg ? [ 4, 12, 4, -5 ] : [qw(INTEGER VARCHAR(40) INTEGER BIGINT)]), 'TYPE values (SQLite: declared types, as DBD::SQLite)';
    is scalar @{ $sel->{NULLABLE} }, 4, 'NULLABLE has one entry per column';
    if ($pg) {
        # DBD::Pg reads the catalog: NOT NULL (the key) 0, nullable 1, an expression 2 (unknown)
        is_deeply $sel->{NULLABLE}, [ 0, 1, 1, 1 ], 'NULLABLE from the catalog';
        my $ex = $dbh->prepare("SELECT note, n + 1 AS n1 FROM $tab");
        $ex->execute;
        is_deeply $ex->{NULLABLE}, [ 0, 2 ], 'NULLABLE: NOT NULL column 0, expression 2';
        $ex->finish;
    }
    ok $sel->{Active}, 'Active';
    my @r = $sel->fetchrow_array;
    is_deeply \@r, [ 1, 'a', 1, undef ], 'fetchrow_array';
    my $ar = $sel->fetchrow_arrayref;
    is_deeply $ar, [ 2, 'b', 2, undef ], 'fetchrow_arrayref';
    is $sel->fetch, $ar, 'fetch reuses the row buffer';
    is_deeply $sel->fetchrow_hashref, { id => 4, name => 'r4', n => 4, big => 40 }, 'fetchrow_hashref';
    ok !defined $sel->fetchrow_hashref, 'end -> undef';
    ok !$sel->{Active}, 'inactive at the end';
    $sel->execute(100);
    is_deeply $sel->fetchall_arrayref([0], 2), [ [1], [2] ], 'fetchall_arrayref slice + max rows';
    is_deeply $sel->fetchall_arrayref({ name => 1 }, 1), [ { name => 'r3' } ], 'fetchall_arrayref hash slice, max rows continues';
    is scalar @{ $sel->fetchall_arrayref }, 4, 'fetchall_arrayref rest';
    $sel->execute(4);
    is_deeply $sel->fetchall_hashref('id')->{4}, { id => 4, name => 'r4', n => 4, big => 40 }, 'fetchall_hashref';
    $sel->execute(2);
    ok $sel->finish, 'finish';
    ok !$sel->{Active}, 'finish -> inactive';

    # empty results
    my $empty = $dbh->prepare("SELECT id FROM $tab WHERE id < 0");
    is $empty->execute, '0E0', 'empty execute -> 0E0';
    is_deeply [ $empty->fetchrow_array ], [], 'empty fetchrow_array -> ()';
    ok !defined $empty->fetchrow_hashref, 'empty fetchrow_hashref -> undef';
    is_deeply $dbh->selectall_arrayref("SELECT id FROM $tab WHERE id < 0"), [], 'empty selectall_arrayref -> []';
    ok !defined scalar $dbh->selectrow_array("SELECT id FROM $tab WHERE id < 0"), 'empty selectrow_array -> undef';
    is_deeply $dbh->selectcol_arrayref("SELECT id FROM $tab WHERE id < 0"), [], 'empty selectcol_arrayref';

    # select helpers
    is_deeply $dbh->selectall_arrayref("SELECT id, name FROM $tab WHERE id <= 2 ORDER BY id", { Slice => {} }),
        [ { id => 1, name => 'a' }, { id => 2, name => 'b' } ], 'selectall_arrayref Slice {}';
    is_deeply $dbh->selectall_arrayref("SELECT id FROM $tab ORDER BY id", { MaxRows => 2 }), [ [1], [2] ], 'MaxRows';
    is_deeply $dbh->selectall_hashref("SELECT id, name FROM $tab WHERE id <= 2", 'name'),
        { a => { id => 1, name => 'a' }, b => { id => 2, name => 'b' } }, 'selectall_hashref';
    is_deeply $dbh->selectall_hashref("SELECT id, name, n FROM $tab WHERE id <= 2", [qw(n id)])->{2}{2}{name}, 'b', 'selectall_hashref, two keys';
    is scalar $dbh->selectrow_array("SELECT count(*) FROM $tab"), 7, 'selectrow_array scalar';
    is_deeply $dbh->selectrow_hashref("SELECT name FROM $tab WHERE id = ?", undef, 2), { name => 'b' }, 'selectrow_hashref';
    is_deeply $dbh->selectcol_arrayref("SELECT id, name FROM $tab WHERE id <= 2 ORDER BY id", { Columns => [ 1, 2 ] }), [ 1, 'a', 2, 'b' ], 'selectcol Columns';

    # NULL, unicode, integers beyond 2^53, BLOBs
    $dbh->do("INSERT INTO $tab (name, n) VALUES (?, ?)", undef, 'nul', undef);
    my @nul = $dbh->selectrow_array("SELECT n, big, data FROM $tab WHERE name = 'nul'");
    is_deeply \@nul, [ undef, undef, undef ], 'NULL -> undef';
    my $uni = "caf\x{e9} \x{263a} \x{1F600}";
    is $dbh->do("INSERT INTO $tab (name) VALUES (?)", undef, $uni), 1, 'insert unicode';
    {
        my $u = DBI->connect($dsn, $user, $pass, { RaiseError => 1, sqlite_unicode => 1, pg_enable_utf8 => 1 });
        my ($back) = $u->selectrow_array("SELECT name FROM $tab WHERE name = ?", undef, $uni);
        is $back, $uni, 'unicode round trip (characters)';
        ok utf8::is_utf8($back), 'UTF-8 flag on';
        $u->disconnect;
    }
    for my $big ('9007199254740993', '9223372036854775807', '-9223372036854775807') {
        $dbh->do("UPDATE $tab SET big = ? WHERE name = 'a'", undef, $big);
        my ($b) = $dbh->selectrow_array("SELECT big FROM $tab WHERE name = 'a'");
        is $b, $big, "integer $big exact";
        is $b + 0, $big, "integer $big numeric";
    }
    my $bytes = join('', map { chr } 0 .. 255) . "\0end";
    {
        my $s = $dbh->prepare("UPDATE $tab SET data = ? WHERE name = ?");
        $s->bind_param(1, $bytes, $pg ? { pg_type => PG_BYTEA } : SQL_BLOB);
        $s->bind_param(2, 'b');
        is $s->execute, 1, 'BLOB bind_param';
        my ($d) = $dbh->selectrow_array("SELECT data FROM $tab WHERE name = 'b'");
        is length $d, 260, 'BLOB length';
        ok $d eq $bytes, 'BLOB bytes equal';
        ok !utf8::is_utf8($d), 'BLOB is a byte string';
        $s->bind_param(1, "x\0y", SQL_BLOB);
        $s->bind_param(2, 'a');
        $s->execute;
        is scalar $dbh->selectrow_array("SELECT data FROM $tab WHERE name = 'a'"), "x\0y", 'BLOB with SQL_BLOB';
    }

    # transactions
    ok $dbh->begin_work, 'begin_work';
    is $dbh->{AutoCommit}, '', 'AutoCommit off inside begin_work';
    ok !defined $dbh->begin_work, 'begin_work twice fails';
    is $dbh->err, 2000000000, 'begin_work twice: err $DBI::stderr';
    $dbh->do("INSERT INTO $tab (name) VALUES ('tx1')");
    ok $dbh->rollback, 'rollback';
    is $dbh->{AutoCommit}, 1, 'AutoCommit back on';
    is scalar $dbh->selectrow_array("SELECT count(*) FROM $tab WHERE name = 'tx1'"), 0, 'rolled back';
    $dbh->begin_work;
    $dbh->do("INSERT INTO $tab (name) VALUES ('tx2')");
    ok $dbh->commit, 'commit';
    is scalar $dbh->selectrow_array("SELECT count(*) FROM $tab WHERE name = 'tx2'"), 1, 'committed';
    {
        my $line = __LINE__ + 1;
        my $w = warnings_of { ok $dbh->commit, 'commit with AutoCommit on: true' };
        is $w->[0], "commit ineffective with AutoCommit enabled at $file line $line.\n", 'commit warning';
        $line = __LINE__ + 1;
        $w = warnings_of { ok $dbh->rollback, 'rollback with AutoCommit on: true' };
        is $w->[0], "rollback ineffective with AutoCommit enabled at $file line $line.\n", 'rollback warning';
    }
    $dbh->{AutoCommit} = 0;
    is $dbh->{AutoCommit}, '', '{AutoCommit} = 0';
    $dbh->do("INSERT INTO $tab (name) VALUES ('ac1')");
    $dbh->rollback;
    is scalar $dbh->selectrow_array("SELECT count(*) FROM $tab WHERE name = 'ac1'"), 0, 'rollback with AutoCommit off';
    $dbh->do("INSERT INTO $tab (name) VALUES ('ac2')");
    $dbh->{AutoCommit} = 1;
    is $dbh->{AutoCommit}, 1, '{AutoCommit} = 1';
    is scalar $dbh->selectrow_array("SELECT count(*) FROM $tab WHERE name = 'ac2'"), 1, 'turning AutoCommit on commits';

    # bind_columns / bind_col
    {
        my $s = $dbh->prepare("SELECT id, name FROM $tab WHERE id <= 2 ORDER BY id");
        $s->execute;
        my ($id, $name);
        ok $s->bind_columns(\$id, \$name), 'bind_columns';
        my @seen;
        push @seen, "$id=$name" while $s->fetch;
        is_deeply \@seen, [ '1=a', '2=b' ], 'bound variables updated on every fetch';
        $s->execute;
        ok !defined $s->bind_columns(\$id), 'bind_columns with a wrong count fails';
        my $col;
        ok $s->bind_col(2, \$col), 'bind_col';
        $s->fetch;
        is $col, 'a', 'bind_col variable';
        $s->finish;
    }

    # execute_array
    {
        my $s = $dbh->prepare("INSERT INTO $tab (name, n) VALUES (?, ?)");
        my @st;
        is $s->execute_array({ ArrayTupleStatus => \@st }, [qw(ea1 ea2 ea3)], [ 1, 2, 3 ]), 3, 'execute_array';
        is_deeply \@st, [ 1, 1, 1 ], 'ArrayTupleStatus';
        @st = ();
        ok !defined $s->execute_array({ ArrayTupleStatus => \@st }, [qw(ea4 a ea5)], 7), 'execute_array with a failing tuple';
        is $st[0], 1, 'status of a good tuple';
        is ref $st[1], 'ARRAY', 'status of the failed tuple is [err, errstr, state]';
        like $st[1][1], $uniq, 'its errstr';
        is $s->errstr, 'executing 3 generated 1 errors', 'execute_array errstr';
        local $s->{RaiseError} = 1;
        eval { $s->execute_array({ ArrayTupleStatus => \@st }, [qw(ea6 b)], 1) };
        like $@, qr/^DBD::${drv}::st execute_array failed: .*executing 2 generated 1 errors at /s, 'execute_array RaiseError';
    }

    # prepare_cached
    my $c1 = $dbh->prepare_cached("SELECT id FROM $tab WHERE id = ?");
    my $c2 = $dbh->prepare_cached("SELECT id FROM $tab WHERE id = ?");
    ok $c1 == $c2, 'prepare_cached identity';

    # quote, quote_identifier
    is $dbh->quote("O'Neil"), q{'O''Neil'}, 'quote';
    is $dbh->quote(undef), 'NULL', 'quote undef';
    is $dbh->quote(''), q{''}, 'quote empty';
    is $dbh->quote(42, SQL_INTEGER), ($pg ? 42 : q{'42'}), 'quote with a numeric type';
    is $dbh->quote_identifier('we"ird'), q{"we""ird"}, 'quote_identifier';
    is $dbh->quote_identifier(undef, 's', 't'), q{"s"."t"}, 'quote_identifier schema.table';

    # table_info / column_info / primary_key
    {
        my $ti = $dbh->table_info(undef, undef, $tab, 'TABLE');
        ok $ti, 'table_info';
        my $rows = $ti->fetchall_arrayref({});
        is scalar @$rows, 1, 'table_info finds the table';
        is $rows->[0]{TABLE_NAME}, $tab, 'TABLE_NAME';
        is $rows->[0]{TABLE_TYPE}, 'TABLE', 'TABLE_TYPE';
        my $ci = $dbh->column_info(undef, undef, $tab, '%');
        ok $ci, 'column_info';
        my $cols = $ci->fetchall_arrayref({});
        is_deeply [ map { $_->{COLUMN_NAME} } @$cols ], [qw(id name n big data note)], 'column_info columns in order';
        my ($note) = grep { $_->{COLUMN_NAME} eq 'note' } @$cols;
        is $note->{NULLABLE}, 0, 'NULLABLE 0 for NOT NULL';
        is $note->{IS_NULLABLE}, 'NO', 'IS_NULLABLE';
        is $note->{COLUMN_SIZE}, 20, 'COLUMN_SIZE';
        is $note->{ORDINAL_POSITION}, 6, 'ORDINAL_POSITION';
        is_deeply [ $dbh->primary_key(undef, undef, $tab) ], ['id'], 'primary_key';
    }

    # disconnect
    $dbh->do("DROP TABLE $tab");
    ok $dbh->disconnect, 'disconnect';
    ok !$dbh->{Active}, 'inactive';
    ok !defined $dbh->do('SELECT 1'), 'do after disconnect -> undef';
    ok $dbh->err, 'err after disconnect';
    ok !$dbh->ping, 'ping after disconnect -> false';

    # connect failure
    my $bad = $pg ? 'dbi:Pg:dbname=no_such_db_bt;host=127.0.0.1' : "dbi:SQLite:dbname=$work/no/such/dir.db";
    my $line = __LINE__ + 1;
    my $w = warnings_of { ok !defined DBI->connect($bad, $user, $pass), 'connect failure -> undef' };
    like $w->[0], qr/^DBI connect\('.*','\Q$user\E',\.\.\.\) failed: .+ at \Q$file\E line $line\.\n\z/s, 'connect failure warns (PrintError default)';
    ok $DBI::err && $DBI::errstr, '$DBI::err/$DBI::errstr after a failed connect';
}
