#!/usr/bin/perl
# DBI on the bridge against the real daemon: CRUD on SQLite, DBI's return
# values, err/errstr/state, RaiseError/PrintError texts with the script's
# location, transactions, select* helpers, bind_columns, DBIHelper.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use DBI qw(:sql_types);

like $INC{'DBI.pm'}, qr{/perl/compat/DBI\.pm$}, 'DBI.pm comes from perl/compat';
ok !grep({ m{^DBD/} } keys %INC), 'no real DBD loaded';

my $home = BridgeTest::home();
my $work = BridgeTest::work();
my $db = "$work/basic.db";
my $file = __FILE__;

my $dbh = DBI->connect("dbi:SQLite:dbname=$db", '', '', { RaiseError => 0, PrintError => 0 });
ok $dbh, 'connect' or BAIL_OUT("no connection: $DBI::errstr");
isa_ok $dbh, 'DBI::db';
is $dbh->{Driver}{Name}, 'SQLite', 'Driver name';
is $dbh->{AutoCommit}, 1, 'AutoCommit default on';
is $dbh->state, '', 'state empty without error';
ok !defined $dbh->err, 'err undef';

is $dbh->do('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, score REAL)'), '0E0', 'create returns 0E0';
is $dbh->do("INSERT INTO t (name, score) VALUES ('a', 1.5)"), 1, 'insert returns 1';
is $dbh->do('INSERT INTO t (name, score) VALUES (?, ?)', undef, 'b', 2), 1, 'do with binds';
is $dbh->do('DELETE FROM t WHERE id > 100'), '0E0', 'zero rows is 0E0';

my $sth = $dbh->prepare('INSERT INTO t (name, score) VALUES (?, ?)');
ok $sth, 'prepare';
is $sth->{NUM_OF_PARAMS}, 2, 'NUM_OF_PARAMS';
is $sth->execute("n$_", $_), 1, "execute $_" for 3 .. 10;
is $sth->rows, 1, 'rows after insert';

# unique violation: undef, err/errstr/state, $DBI::*
my $rv = $sth->execute('a', 9);
ok !defined $rv, 'execute fails -> undef';
ok $sth->err, 'err set';
like $sth->errstr, qr/UNIQUE constraint failed: t\.name/, 'errstr';
is $DBI::errstr, $sth->errstr, '$DBI::errstr mirrors';
ok length $sth->state, 'state set';
is(DBI->errstr, $DBI::errstr, 'DBI->errstr');
is $sth->execute('zz', 1), 1, 'next success';
ok !defined $sth->err, 'err reset by success';
ok !defined $DBI::err, '$DBI::err reset';

# wrong bind count
ok !defined $sth->execute('x'), 'wrong bind count fails';
is $sth->errstr, 'called with 1 bind variables when 2 are needed', 'bind count message';

# SELECT
my $sel = $dbh->prepare('SELECT id, name, score FROM t ORDER BY id');
is $sel->execute, '0E0', 'SQLite SELECT execute returns 0E0';
is_deeply $sel->{NAME}, [qw(id name score)], 'NAME';
is $sel->{NUM_OF_FIELDS}, 3, 'NUM_OF_FIELDS';
is_deeply $sel->{NAME_uc}, [qw(ID NAME SCORE)], 'NAME_uc';
ok $sel->{Active}, 'Active after execute';
my @r = $sel->fetchrow_array;
is_deeply \@r, [1, 'a', 1.5], 'fetchrow_array';
my $ar = $sel->fetchrow_arrayref;
is_deeply $ar, [2, 'b', 2], 'fetchrow_arrayref';
my $ar2 = $sel->fetch;
is $ar, $ar2, 'fetch reuses the row buffer';
my $hr = $sel->fetchrow_hashref;
is_deeply $hr, { id => 4, name => 'n4', score => 4 }, 'fetchrow_hashref';
is $sel->rows, 4, 'rows = rows fetched so far (SQLite)';
my $rest = $sel->fetchall_arrayref;
is scalar @$rest, 7, 'fetchall_arrayref rest';
ok !$sel->fetchrow_arrayref, 'exhausted -> undef';
ok !$sel->{Active}, 'not Active at end';
my @empty = $sel->fetchrow_array;
is scalar @empty, 0, 'fetchrow_array at end -> ()';

$sel->execute;
my $aoh = $sel->fetchall_arrayref({});
is $aoh->[0]{name}, 'a', 'fetchall_arrayref({})';
$sel->execute;
my $part = $sel->fetchall_arrayref([1]);
is_deeply $part->[1], ['b'], 'fetchall_arrayref([1])';
$sel->execute;
my $two = $sel->fetchall_arrayref(undef, 2);
is scalar @$two, 2, 'max_rows';
$sel->finish;
ok !$sel->{Active}, 'finish';

# bind_columns
$sel->execute;
my ($id, $name, $score);
ok $sel->bind_columns(\$id, \$name, \$score), 'bind_columns';
$sel->fetch;
is "$id/$name", '1/a', 'bound variables updated';
$sel->fetch;
is "$id/$name", '2/b', 'updated again';
$sel->finish;

# select helpers
is_deeply $dbh->selectall_arrayref('SELECT name FROM t WHERE id <= 2 ORDER BY id'), [['a'], ['b']], 'selectall_arrayref';
is_deeply $dbh->selectall_arrayref('SELECT id, name FROM t WHERE id = ?', { Slice => {} }, 1), [{ id => 1, name => 'a' }], 'Slice {}';
my $cnt = $dbh->selectrow_array('SELECT count(*) FROM t');
is $cnt, 11, 'selectrow_array scalar context';
my @row = $dbh->selectrow_array('SELECT id, name FROM t WHERE id = 2');
is_deeply \@row, [2, 'b'], 'selectrow_array list';
my $none = $dbh->selectrow_array('SELECT id FROM t WHERE id = -1');
ok !defined $none, 'selectrow_array no rows -> undef';
is_deeply $dbh->selectrow_hashref('SELECT name FROM t WHERE id = 1'), { name => 'a' }, 'selectrow_hashref';
is_deeply $dbh->selectcol_arrayref('SELECT id FROM t WHERE id < 4 ORDER BY id'), [1, 2, 3], 'selectcol_arrayref';
is $dbh->selectall_hashref('SELECT id, name FROM t', 'id')->{2}{name}, 'b', 'selectall_hashref';
is $dbh->quote("O'Neil"), q{'O''Neil'}, 'quote';
is $dbh->quote(undef), 'NULL', 'quote undef';
ok $dbh->last_insert_id(undef, undef, 't', 'id'), 'last_insert_id';
ok $dbh->ping, 'ping';
my $c1 = $dbh->prepare_cached('SELECT 1');
my $c2 = $dbh->prepare_cached('SELECT 1');
is $c1, $c2, 'prepare_cached identity';

# NULL <-> undef
$dbh->do('INSERT INTO t (name, score) VALUES (?, ?)', undef, 'nullscore', undef);
my ($ns) = $dbh->selectrow_array("SELECT score FROM t WHERE name = 'nullscore'");
ok !defined $ns, 'NULL comes back as undef';

# RaiseError / PrintError message texts with the script's location
{
    local $dbh->{RaiseError} = 1;
    my $line = __LINE__ + 1;
    eval { $dbh->do("INSERT INTO t (name) VALUES ('a')") };
    is $@, "DBD::SQLite::db do failed: UNIQUE constraint failed: t.name at $file line $line.\n", 'RaiseError text (db)';
    my $s = $dbh->prepare('INSERT INTO t (name) VALUES (?)');
    $line = __LINE__ + 1;
    eval { $s->execute('a') };
    is $@, "DBD::SQLite::st execute failed: UNIQUE constraint failed: t.name at $file line $line.\n", 'RaiseError text (st)';
    $line = __LINE__ + 1;
    eval { $dbh->prepare('SELEC 1') };
    like $@, qr/^DBD::SQLite::db prepare failed: near "SELEC": syntax error at \Q$file\E line $line\.\n\z/, 'prepare error';
}
{
    my @w;
    local $SIG{__WARN__} = sub { push @w, @_ };
    local $dbh->{PrintError} = 1;
    my $line = __LINE__ + 1;
    my $r = $dbh->do("INSERT INTO t (name) VALUES ('a')");
    ok !defined $r, 'PrintError: undef';
    is $w[0], "DBD::SQLite::db do failed: UNIQUE constraint failed: t.name at $file line $line.\n", 'PrintError warns';
}
{
    my $seen;
    local $dbh->{RaiseError} = 1;
    local $dbh->{HandleError} = sub { $seen = $_[0]; 1 };
    my $r = eval { $dbh->do('SELEC 2') };
    ok !$@, 'HandleError returning true suppresses RaiseError';
    like $seen, qr/^DBD::SQLite::db do failed: near "SELEC"/, 'HandleError got the message';
}
{
    # statement handles copy RaiseError at prepare time
    my $s = $dbh->prepare('INSERT INTO t (name) VALUES (?)');
    local $dbh->{RaiseError} = 1;
    my $r = eval { $s->execute('a') };
    ok !$@ && !defined $r, 'sth keeps RaiseError from prepare time';
}

# transactions
{
    ok $dbh->begin_work, 'begin_work';
    is $dbh->{AutoCommit}, '', 'AutoCommit off in transaction (DBI: empty string)';
    $dbh->do("INSERT INTO t (name) VALUES ('tx1')");
    ok $dbh->rollback, 'rollback';
    is $dbh->{AutoCommit}, 1, 'AutoCommit back on';
    is scalar $dbh->selectrow_array("SELECT count(*) FROM t WHERE name = 'tx1'"), 0, 'rolled back';
    $dbh->begin_work;
    $dbh->do("INSERT INTO t (name) VALUES ('tx2')");
    ok $dbh->commit, 'commit';
    is scalar $dbh->selectrow_array("SELECT count(*) FROM t WHERE name = 'tx2'"), 1, 'committed';
    my @w;
    local $SIG{__WARN__} = sub { push @w, @_ };
    ok $dbh->commit, 'commit with AutoCommit on returns true';
    like $w[0], qr/^commit ineffective with AutoCommit enabled at /, 'and warns';
}

# AutoCommit as an attribute
{
    $dbh->{AutoCommit} = 0;
    is $dbh->{AutoCommit}, '', 'AutoCommit set to 0 (reads back as empty string, like DBI)';
    $dbh->do("INSERT INTO t (name) VALUES ('attr1')");
    $dbh->rollback;
    is scalar $dbh->selectrow_array("SELECT count(*) FROM t WHERE name = 'attr1'"), 0, 'rolled back after AutoCommit = 0';
    $dbh->do("INSERT INTO t (name) VALUES ('attr2')");
    $dbh->{AutoCommit} = 1;    # commits, like DBI
    is scalar $dbh->selectrow_array("SELECT count(*) FROM t WHERE name = 'attr2'"), 1, 'AutoCommit = 1 commits';
}

# statement handles that go out of scope are freed (pipelined, no reply needed)
{
    for (1 .. 50) { my $s = $dbh->prepare('SELECT ?'); $s->execute($_); }
    is scalar $dbh->selectrow_array('SELECT 42'), 42, 'still fine after freeing statements';
}

# disconnect
ok $dbh->disconnect, 'disconnect';
ok !$dbh->{Active}, 'inactive';
ok !defined $dbh->do('SELECT 1'), 'do after disconnect fails';
like $dbh->errstr, qr/inactive database handle/, 'inactive message';

# connect failure
{
    my @w;
    local $SIG{__WARN__} = sub { push @w, @_ };
    my $line = __LINE__ + 1;
    my $bad = DBI->connect("dbi:SQLite:dbname=$work/no/such/dir/x.db", 'bob', 'pw');
    ok !defined $bad, 'connect failure -> undef';
    ok $DBI::errstr, '$DBI::errstr set';
    like $w[0], qr/^DBI connect\('dbname=\Q$work\E\/no\/such\/dir\/x\.db','bob',\.\.\.\) failed: .+ at \Q$file\E line $line\.\n\z/, 'connect failure warning';
    $line = __LINE__ + 1;
    eval { DBI->connect("dbi:SQLite:dbname=$work/no/such/dir/x.db", '', '', { RaiseError => 1, PrintError => 0 }) };
    like $@, qr/^DBI connect\(.*\) failed: .+ at \Q$file\E line $line\.\n\z/, 'connect RaiseError';
}

# AutoCommit => 0 at connect
{
    my $d = DBI->connect("dbi:SQLite:dbname=$db", '', '', { AutoCommit => 0, RaiseError => 1 });
    is $d->{AutoCommit}, '', 'AutoCommit 0 (empty string, like DBI)';
    $d->do("INSERT INTO t (name) VALUES ('ac0')");
    $d->rollback;
    is scalar $d->selectrow_array("SELECT count(*) FROM t WHERE name = 'ac0'"), 0, 'rollback with AutoCommit 0';
    $d->do("INSERT INTO t (name) VALUES ('ac1')");
    $d->commit;
    is scalar $d->selectrow_array("SELECT count(*) FROM t WHERE name = 'ac1'"), 1, 'commit with AutoCommit 0';
    $d->disconnect;
}

# DBIHelper (predecessor entry point)
{
    my ($out, $err, $rc) = BridgeTest::run_perl(<<"EOF", { PERL5LIB => "$BridgeTest::TLIB:$BridgeTest::LIB" });
use strict; use warnings;
use DBIHelper;
my \$dbh = DBIHelper->connect('dbi:SQLite:dbname=$db', '', '', { RaiseError => 0, PrintError => 0 });
die "no connect" if !\$dbh || \$dbh == 1;
my \$n = \$dbh->selectrow_array('SELECT count(*) FROM t');
my \$s = \$dbh->prepare('SELECT name FROM t WHERE id = ?');
\$s->execute(1);
my (\$name) = \$s->fetchrow_array;
print "n=\$n name=\$name ref=", ref(\$dbh), " sref=", ref(\$s), "\\n";
my \$bad = DBIHelper->connect('dbi:SQLite:dbname=$work/nope/x.db', '', '', { PrintError => 0 });
print "bad=", (!\$bad || \$bad == 1 ? 'failed' : 'ok'), " errstr=", (DBIHelper->errstr ? 'set' : 'unset'), "\\n";
my \$d2 = DBI->connect('dbi:SQLite:dbname=$db', '', '');
print "dbi=", (\$d2 ? 'ok' : 'fail'), " inc=\$INC{'DBI.pm'}\\n";
EOF
    is $rc, 0, 'DBIHelper script ran' or diag $err;
    like $out, qr/n=\d+ name=a ref=DBIHelper sref=DBIHelper::StatementHandle/, 'DBIHelper->connect works';
    like $out, qr/bad=failed errstr=set/, 'failure returns false, errstr set';
    like $out, qr/dbi=ok inc=\S+CPANBridge\/DBI\.pm/, 'DBI->connect after use DBIHelper';
}

done_testing;
