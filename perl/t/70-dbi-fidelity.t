#!/usr/bin/perl
# Fidelity: the same DBI calls on SQLite through the real DBI + DBD::SQLite
# (Debian's libdbi-perl, libdbd-sqlite3-perl; perl/compat NOT in @INC) and
# through the bridge (PERL5LIB=perl/lib:perl/compat, real DBI hidden), each in
# its own perl process. Every return value, fetched structure, die/warn text
# and $DBI::err/errstr/state is serialised with Data::Dumper (Sortkeys, Useqq)
# and compared call by call. A difference fails, unless it is listed in
# %DELIBERATE below with the reason.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
BEGIN { BridgeTest::need_daemon() }
use BridgeTest::Fidelity;

{
    my (undef, $err, $rc) = BridgeTest::run_perl("use DBI 1.6; use DBD::SQLite; print 1;\n", \%BridgeTest::Fidelity::REAL_ENV);
    plan skip_all => "real DBI + DBD::SQLite not installed (apt-get install libdbi-perl libdbd-sqlite3-perl): $err" if $rc;
}

# Differences kept on purpose (label => reason).
my %DELIBERATE = (
    'big_select_-9223372036854775808' =>
        'the smallest int64 arrives as the string "-9223372036854775808" (JSON::XS decodes -2^63 as a string, '
      . 'every other 64-bit integer as an IV); it is numerically equal and prints the same, only Data::Dumper/B '
      . 'see that it is a string',
);

my ($real_out, $br_out) = BridgeTest::Fidelity::run_both(scenario());
my $n = BridgeTest::Fidelity::compare($real_out, $br_out, \%DELIBERATE);
ok $n > 150, "$n calls recorded";

done_testing;

sub scenario {
    return <<'SCENARIO';
my $dbh = S('connect', sub { DBI->connect('dbi:SQLite:dbname=fid.db', '', '', { RaiseError => 0, PrintError => 0 }) });
V('attrs', { map { ($_ => $dbh->{$_}) } qw(AutoCommit RaiseError PrintError PrintWarn Active Name FetchHashKeyName ChopBlanks ShowErrorStatement) });
V('driver', $dbh->{Driver}{Name});
S('err0', sub { $dbh->err });
S('errstr0', sub { $dbh->errstr });
S('state0', sub { $dbh->state });

# do
S('create', sub { $dbh->do('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, score REAL, big INTEGER, data BLOB, note VARCHAR(20) NOT NULL DEFAULT \'\')') });
S('insert1', sub { $dbh->do("INSERT INTO t (name, score) VALUES ('a', 1.5)") });
S('insert2', sub { $dbh->do('INSERT INTO t (name, score) VALUES (?, ?)', undef, 'b', 2) });
S('update0', sub { $dbh->do('UPDATE t SET score = 0 WHERE id > 100') });
S('delete0', sub { $dbh->do('DELETE FROM t WHERE id > 100') });
S('do_select', sub { $dbh->do('SELECT * FROM t') });
S('last_insert_id', sub { $dbh->last_insert_id(undef, undef, 't', 'id') });

# prepare/execute
my $ins = S('prepare_ins', sub { $dbh->prepare('INSERT INTO t (name, score, big) VALUES (?, ?, ?)') });
V('ins_attrs', { map { ($_ => $ins->{$_}) } qw(NUM_OF_PARAMS NUM_OF_FIELDS Statement Active) });
S("execute_ins$_", sub { $ins->execute("n$_", $_ / 2, $_ * 1000) }) for 3 .. 8;
S('rows_ins', sub { $ins->rows });
S('update_many', sub { $dbh->do('UPDATE t SET big = big + 1 WHERE id >= 3') });

# errors
S('unique_fail', sub { $ins->execute('a', 9, 1) });
V('unique_err', [ $ins->err, $ins->errstr, $ins->state, DBI->err, DBI->errstr ]);
S('after_success', sub { $ins->execute('zz', 1, 1) });
V('after_success_err', [ $ins->err, $ins->errstr, $ins->state ]);
S('bind_count', sub { $ins->execute('x') });
V('bind_count_err', [ $ins->err, $ins->errstr, $ins->state ]);
S('syntax', sub { $dbh->prepare('SELEC 1') });
V('syntax_err', [ $dbh->err, $dbh->errstr, $dbh->state ]);
S('no_table', sub { $dbh->do('INSERT INTO nope VALUES (1)') });
{
    local $dbh->{RaiseError} = 1;
    S('raise_do', sub { $dbh->do("INSERT INTO t (name) VALUES ('a')") });
    S('raise_prepare', sub { $dbh->prepare('SELEC 1') });
    my $s = $dbh->prepare('INSERT INTO t (name) VALUES (?)');
    S('raise_execute', sub { $s->execute('a') });
    S('raise_selectrow', sub { $dbh->selectrow_array('SELECT nope FROM t') });
}
{
    local $dbh->{PrintError} = 1;
    S('print_do', sub { $dbh->do("INSERT INTO t (name) VALUES ('a')") });
}
{
    local $dbh->{RaiseError} = 1;
    local $dbh->{ShowErrorStatement} = 1;
    S('show_stmt', sub { $dbh->do("INSERT INTO t (name) VALUES (?)", undef, 'a') });
}
{
    my @seen;
    local $dbh->{RaiseError} = 1;
    local $dbh->{HandleError} = sub { push @seen, [ $_[0], ref $_[1], $_[2] ]; 1 };
    S('handle_error', sub { $dbh->do('SELEC 2') });
    V('handle_error_seen', \@seen);
}
{
    my $s = $dbh->prepare('INSERT INTO t (name) VALUES (?)');
    local $dbh->{RaiseError} = 1;
    S('sth_copies_raise', sub { $s->execute('a') });
}

# SELECT
my $sel = S('prepare_sel', sub { $dbh->prepare('SELECT id, name, score, big FROM t ORDER BY id') });
V('sel_before', { map { ($_ => $sel->{$_}) } qw(NUM_OF_PARAMS NUM_OF_FIELDS Active) });
S('sel_exec', sub { $sel->execute });
V('sel_attrs', { map { ($_ => $sel->{$_}) } qw(NAME NAME_lc NAME_uc NUM_OF_FIELDS TYPE Active NAME_hash NAME_lc_hash) });
S('rows_before_fetch', sub { $sel->rows });
L('fetchrow_array', sub { $sel->fetchrow_array });
S('fetchrow_array_scalar', sub { $sel->fetchrow_array });
my $ar1 = S('fetchrow_arrayref', sub { $sel->fetchrow_arrayref });
my $ar2 = S('fetch', sub { $sel->fetch });
V('buffer_reused', $ar1 == $ar2 ? 1 : 0);
S('fetchrow_hashref', sub { $sel->fetchrow_hashref });
S('fetchrow_hashref_uc', sub { $sel->fetchrow_hashref('NAME_uc') });
S('rows_after_fetch', sub { $sel->rows });
S('fetchall_rest', sub { $sel->fetchall_arrayref });
S('fetch_end', sub { $sel->fetchrow_arrayref });
L('fetchrow_array_end', sub { $sel->fetchrow_array });
S('fetchrow_hashref_end', sub { $sel->fetchrow_hashref });
V('active_end', $sel->{Active});
S('fetchall_after_end', sub { $sel->fetchall_arrayref });
S('rows_end', sub { $sel->rows });
$sel->execute;
S('fetchall_slice_hash', sub { $sel->fetchall_arrayref({}) });
$sel->execute;
S('fetchall_slice_hash_cols', sub { $sel->fetchall_arrayref({ name => 1, id => 1 }) });
$sel->execute;
S('fetchall_slice_idx', sub { $sel->fetchall_arrayref([1, 0]) });
$sel->execute;
S('fetchall_slice_neg', sub { $sel->fetchall_arrayref([-1]) });
$sel->execute;
S('fetchall_max', sub { $sel->fetchall_arrayref(undef, 2) });
S('fetchall_max2', sub { $sel->fetchall_arrayref(undef, 3) });
V('active_partial', $sel->{Active});
S('finish', sub { $sel->finish });
V('active_finish', $sel->{Active});
$sel->execute;
S('fetchall_hashref', sub { $sel->fetchall_hashref('id') });
$sel->execute;
S('fetchall_hashref_multi', sub { $sel->fetchall_hashref([qw(name id)]) });

# empty
my $empty = $dbh->prepare('SELECT id, name FROM t WHERE id < 0');
S('empty_exec', sub { $empty->execute });
V('empty_active', $empty->{Active});
L('empty_fetchrow_array', sub { $empty->fetchrow_array });
S('empty_hashref', sub { $empty->fetchrow_hashref });
$empty->execute;
S('empty_fetchall', sub { $empty->fetchall_arrayref });
$empty->execute;
S('empty_fetchall_hash', sub { $empty->fetchall_arrayref({}) });
S('empty_selectall', sub { $dbh->selectall_arrayref('SELECT id FROM t WHERE id < 0') });
S('empty_selectrow_scalar', sub { $dbh->selectrow_array('SELECT id FROM t WHERE id < 0') });
L('empty_selectrow_list', sub { $dbh->selectrow_array('SELECT id FROM t WHERE id < 0') });
S('empty_selectrow_arrayref', sub { $dbh->selectrow_arrayref('SELECT id FROM t WHERE id < 0') });
S('empty_selectrow_hashref', sub { $dbh->selectrow_hashref('SELECT id FROM t WHERE id < 0') });
S('empty_selectcol', sub { $dbh->selectcol_arrayref('SELECT id FROM t WHERE id < 0') });
S('empty_selectall_hashref', sub { $dbh->selectall_hashref('SELECT id FROM t WHERE id < 0', 'id') });

# fetch before execute
my $fresh = $dbh->prepare('SELECT id FROM t');
S('fetch_before_execute', sub { $fresh->fetchrow_arrayref });

# select helpers
S('selectall_arrayref', sub { $dbh->selectall_arrayref('SELECT id, name FROM t WHERE id <= 3 ORDER BY id') });
S('selectall_slice', sub { $dbh->selectall_arrayref('SELECT id, name FROM t WHERE id <= ? ORDER BY id', { Slice => {} }, 2) });
S('selectall_slice_arr', sub { $dbh->selectall_arrayref('SELECT id, name, score FROM t ORDER BY id', { Slice => [0, 2] }) });
S('selectall_maxrows', sub { $dbh->selectall_arrayref('SELECT id FROM t ORDER BY id', { MaxRows => 2 }) });
S('selectall_columns', sub { $dbh->selectall_arrayref('SELECT id, name, score FROM t ORDER BY id', { Columns => [2, 1] }) });
L('selectall_array', sub { $dbh->selectall_array('SELECT id FROM t WHERE id < 3 ORDER BY id') });
S('selectall_hashref', sub { $dbh->selectall_hashref('SELECT id, name FROM t', 'id') });
S('selectall_hashref_2', sub { $dbh->selectall_hashref('SELECT id, name, score FROM t', [qw(name id)]) });
S('selectrow_array_scalar', sub { $dbh->selectrow_array('SELECT count(*) FROM t') });
L('selectrow_array_list', sub { $dbh->selectrow_array('SELECT id, name FROM t WHERE id = ?', undef, 2) });
S('selectrow_arrayref', sub { $dbh->selectrow_arrayref('SELECT id, name FROM t WHERE id = 2') });
S('selectrow_hashref', sub { $dbh->selectrow_hashref('SELECT id, name FROM t WHERE id = 2') });
S('selectcol_arrayref', sub { $dbh->selectcol_arrayref('SELECT id FROM t ORDER BY id') });
S('selectcol_columns', sub { $dbh->selectcol_arrayref('SELECT id, name FROM t ORDER BY id', { Columns => [1, 2] }) });
S('selectcol_maxrows', sub { $dbh->selectcol_arrayref('SELECT id FROM t ORDER BY id', { MaxRows => 3 }) });
S('selectall_with_sth', sub { $dbh->selectall_arrayref($dbh->prepare('SELECT id FROM t WHERE id = ?'), undef, 1) });
S('selectall_error', sub { $dbh->selectall_arrayref('SELECT nope FROM t') });

# NULLs, numbers, unicode, big integers
S('null_insert', sub { $dbh->do('INSERT INTO t (name, score, big) VALUES (?, ?, ?)', undef, 'nul', undef, undef) });
L('null_select', sub { $dbh->selectrow_array("SELECT score, big, data FROM t WHERE name = 'nul'") });
my $uni = "caf\x{e9} \x{263a} \x{1F600}";
S('uni_insert', sub { $dbh->do('INSERT INTO t (name) VALUES (?)', undef, $uni) });
L('uni_select_bytes', sub { $dbh->selectrow_array('SELECT name, length(name) FROM t WHERE name = ?', undef, $uni) });
S('uni_quote', sub { $dbh->quote($uni) });
for my $big ('9007199254740993', '9223372036854775807', '-9223372036854775808', '12345678901234567890', '007', '1.7976931348623157e308', '-0.0', '1e3', ' 42') {
    $dbh->do('DELETE FROM t WHERE name = ?', undef, "big$big");
    S("big_insert_$big", sub { $dbh->do('INSERT INTO t (name, big) VALUES (?, ?)', undef, "big$big", $big) });
    L("big_select_$big", sub { $dbh->selectrow_array('SELECT big, typeof(big) FROM t WHERE name = ?', undef, "big$big") });
}
{
    my $s = $dbh->prepare('SELECT ?, typeof(?)');
    $s->bind_param(1, 42, SQL_INTEGER);
    $s->bind_param(2, 42, SQL_INTEGER);
    $s->execute;
    L('typed_int', sub { $s->fetchrow_array });
    $s->bind_param(1, '42', { TYPE => SQL_VARCHAR });
    $s->bind_param(2, '42', { TYPE => SQL_VARCHAR });
    $s->execute;
    L('typed_varchar', sub { $s->fetchrow_array });
    $s->execute(42, 42);
    L('untyped_int', sub { $s->fetchrow_array });
    $s->execute(1.25, 1.25);
    L('untyped_float', sub { $s->fetchrow_array });
    $s->bind_param(1, 2.5, SQL_DOUBLE);
    $s->bind_param(2, 2.5, SQL_DOUBLE);
    $s->execute;
    L('typed_double', sub { $s->fetchrow_array });
}
L('arith', sub { $dbh->selectrow_array('SELECT 1 + 1, 0.1 + 0.2, 10 / 4, 10.0 / 4, 2 * 3.0, 1e300 * 1e10, -1e300 * 1e10') });

# BLOBs
my $blob = join '', map { chr } 0 .. 255;
$blob .= "\0\0end";
{
    my $s = $dbh->prepare('INSERT INTO t (name, data) VALUES (?, ?)');
    $s->bind_param(1, 'blob1');
    $s->bind_param(2, $blob, SQL_BLOB);
    S('blob_insert', sub { $s->execute });
    my ($d, $len, $type) = $dbh->selectrow_array("SELECT data, length(data), typeof(data) FROM t WHERE name = 'blob1'");
    V('blob_back', [ $d eq $blob ? 'same' : 'different', length $d, $len, $type, utf8::is_utf8($d) ? 1 : 0 ]);
    S('blob_update_notype', sub { $dbh->do("UPDATE t SET data = ? WHERE name = 'blob1'", undef, "a\0b") });
    L('blob_notype_back', sub { $dbh->selectrow_array("SELECT data, length(data), typeof(data) FROM t WHERE name = 'blob1'") });
}

# transactions
S('begin_work', sub { $dbh->begin_work });
V('ac_in_tx', $dbh->{AutoCommit});
V('begun', $dbh->{BegunWork});
S('begin_work_twice', sub { $dbh->begin_work });
S('tx_insert', sub { $dbh->do("INSERT INTO t (name) VALUES ('tx1')") });
S('rollback', sub { $dbh->rollback });
V('ac_after_rollback', $dbh->{AutoCommit});
S('tx1_count', sub { $dbh->selectrow_array("SELECT count(*) FROM t WHERE name = 'tx1'") });
$dbh->begin_work;
$dbh->do("INSERT INTO t (name) VALUES ('tx2')");
S('commit', sub { $dbh->commit });
S('tx2_count', sub { $dbh->selectrow_array("SELECT count(*) FROM t WHERE name = 'tx2'") });
S('commit_autocommit', sub { $dbh->commit });
S('rollback_autocommit', sub { $dbh->rollback });
S('set_ac0', sub { $dbh->{AutoCommit} = 0 });
V('ac0', $dbh->{AutoCommit});
$dbh->do("INSERT INTO t (name) VALUES ('ac1')");
S('rollback_ac0', sub { $dbh->rollback });
V('ac0_still', $dbh->{AutoCommit});
S('ac1_count', sub { $dbh->selectrow_array("SELECT count(*) FROM t WHERE name = 'ac1'") });
$dbh->do("INSERT INTO t (name) VALUES ('ac2')");
S('begin_work_ac0', sub { $dbh->begin_work });
S('set_ac1', sub { $dbh->{AutoCommit} = 1 });
S('ac2_count', sub { $dbh->selectrow_array("SELECT count(*) FROM t WHERE name = 'ac2'") });

# bind_columns / bind_col
{
    my $s = $dbh->prepare('SELECT id, name FROM t WHERE id <= 3 ORDER BY id');
    S('bind_columns_early', sub { $s->bind_columns(\my $x, \my $y) });
    $s->execute;
    my ($id, $name);
    S('bind_columns', sub { $s->bind_columns(\$id, \$name) });
    my @seen;
    while ($s->fetch) { push @seen, "$id/$name" }
    V('bound_seen', \@seen);
    $s->execute;
    S('bind_columns_wrong', sub { $s->bind_columns(\$id) });
    my $col;
    S('bind_col', sub { $s->bind_col(2, \$col) });
    $s->fetch;
    V('bound_col', $col);
    $s->finish;
}

# execute_array
{
    my $s = $dbh->prepare('INSERT INTO t (name, score) VALUES (?, ?)');
    my @status;
    S('execute_array', sub { $s->execute_array({ ArrayTupleStatus => \@status }, [qw(ea1 ea2 ea3)], [1, 2, 3]) });
    V('execute_array_status', \@status);
    @status = ();
    L('execute_array_list', sub { $s->execute_array({ ArrayTupleStatus => \@status }, [qw(ea4 ea5)], 7) });
    V('execute_array_status2', \@status);
    @status = ();
    S('execute_array_fail', sub { $s->execute_array({ ArrayTupleStatus => \@status }, [qw(ea6 a ea7)], [1, 2, 3]) });
    V('execute_array_fail_status', \@status);
    V('execute_array_fail_err', [ $s->err, $s->errstr ]);
}

# prepare_cached
{
    my $c1 = $dbh->prepare_cached('SELECT id FROM t WHERE id = ?');
    my $c2 = $dbh->prepare_cached('SELECT id FROM t WHERE id = ?');
    V('prepare_cached_same', $c1 == $c2 ? 1 : 0);
    $c1->execute(1);
    my $c3 = S('prepare_cached_active', sub { $dbh->prepare_cached('SELECT id FROM t WHERE id = ?') });
    V('prepare_cached_active_same', $c1 == $c3 ? 1 : 0);
    $c3->execute(1);
    my $c4 = $dbh->prepare_cached('SELECT id FROM t WHERE id = ?', undef, 3);
    V('prepare_cached_if_active_3', $c1 == $c4 ? 1 : 0);
    my $c5 = $dbh->prepare_cached('SELECT id FROM t WHERE id = ?', { foo => 1 });
    V('prepare_cached_other_attr', $c1 == $c5 ? 1 : 0);
}

# quoting
V('quote', [ map { $dbh->quote($_) } "O'Neil", undef, '', 42, "a\\b", "x\0y" ]);
V('quote_typed', [ $dbh->quote(42, SQL_INTEGER), $dbh->quote('42', SQL_VARCHAR), $dbh->quote("it's", SQL_VARCHAR) ]);
V('quote_identifier', [ $dbh->quote_identifier('t'), $dbh->quote_identifier('we"ird'), $dbh->quote_identifier(undef, 'main', 't'), $dbh->quote_identifier('cat', 'sch', 'tab') ]);

# ping, table_info, column_info, primary_key
S('ping', sub { $dbh->ping });
$dbh->do('CREATE VIEW v AS SELECT id FROM t');
{
    my $ti = S('table_info', sub { $dbh->table_info(undef, undef, '%', 'TABLE') });
    S('table_info_rows', sub { $ti->fetchall_arrayref({}) });
    $ti = $dbh->table_info(undef, undef, 't', undef);
    S('table_info_t', sub { $ti->fetchall_arrayref({}) });
    $ti = $dbh->table_info(undef, undef, '%', 'VIEW');
    S('table_info_view', sub { $ti->fetchall_arrayref({}) });
    V('table_info_names', $ti->{NAME});
    L('tables', sub { $dbh->tables(undef, undef, '%', 'TABLE') });
    my $ci = S('column_info', sub { $dbh->column_info(undef, undef, 't', '%') });
    S('column_info_rows', sub { $ci ? $ci->fetchall_arrayref({}) : undef });
    $ci = $dbh->column_info(undef, undef, 't', 'name');
    S('column_info_name', sub { $ci ? $ci->fetchall_arrayref({}) : undef });
    L('primary_key', sub { $dbh->primary_key(undef, undef, 't') });
}

# sqlite_unicode connection
{
    my $u = DBI->connect('dbi:SQLite:dbname=fid.db', '', '', { RaiseError => 1, sqlite_unicode => 1 });
    L('unicode_on', sub { $u->selectrow_array('SELECT name, length(name) FROM t WHERE name = ?', undef, $uni) });
    S('unicode_on_hash', sub { $u->selectrow_hashref('SELECT name FROM t WHERE name = ?', undef, $uni) });
    $u->disconnect;
}

# FetchHashKeyName
{
    my $u = DBI->connect('dbi:SQLite:dbname=fid.db', '', '', { RaiseError => 1, FetchHashKeyName => 'NAME_uc' });
    S('fhkn_selectrow_hashref', sub { $u->selectrow_hashref('SELECT id, name FROM t WHERE id = 1') });
    S('fhkn_slice', sub { $u->selectall_arrayref('SELECT id, name FROM t WHERE id = 1', { Slice => {} }) });
    my $s = $u->prepare('SELECT id, name FROM t WHERE id = 1');
    $s->execute;
    S('fhkn_fetchrow_hashref', sub { $s->fetchrow_hashref });
    $u->disconnect;
}

# named placeholders (:name): bound by name or by position, reused names counted once
{
    my $u = DBI->connect('dbi:SQLite:dbname=fid.db', '', '', { RaiseError => 0, PrintError => 0 });
    $u->do('CREATE TABLE named (a INTEGER, b TEXT)');
    my $s = $u->prepare('INSERT INTO named (a, b) VALUES (:a, :b)');
    V('named_num_params', $s->{NUM_OF_PARAMS});
    S('named_bind_a', sub { $s->bind_param(':a', 1) });
    S('named_bind_b', sub { $s->bind_param(':b', 'one') });
    S('named_execute', sub { $s->execute });
    V('named_param_values', $s->{ParamValues});
    S('named_execute_positional', sub { $s->execute(2, 'two') });
    S('named_bind_by_number', sub { $s->bind_param(1, 3) });
    S('named_execute_mixed', sub { $s->execute });
    S('named_bind_unknown', sub { $s->bind_param(':zz', 1) });
    V('named_bind_unknown_err', [ $s->err, $s->errstr ]);
    S('named_bind_without_colon', sub { $s->bind_param('a', 1) });
    S('named_bind_out_of_range', sub { $s->bind_param(3, 1) });
    my $q = $u->prepare('SELECT a, b FROM named WHERE a = :x OR b = :y OR a + 1 = :x ORDER BY a');
    V('named_reused_num_params', $q->{NUM_OF_PARAMS});
    $q->bind_param(':x', 2);
    $q->bind_param(':y', 'one');
    S('named_reused_execute', sub { $q->execute });
    S('named_reused_rows', sub { $q->fetchall_arrayref });
    L('named_do', sub { $u->do('UPDATE named SET b = :b WHERE a = :a', undef, 'TWO', 2) });
    L('named_selectrow', sub { $u->selectrow_array('SELECT b FROM named WHERE a = :a', undef, 2) });
    S('named_inout', sub { my $x = 1; $q->bind_param_inout(':x', \$x, 10) });
    V('named_inout_err', [ $q->err, $q->errstr ]);
    $u->disconnect;
}

# disconnect
S('disconnect', sub { $dbh->disconnect });
V('active_after_disconnect', $dbh->{Active});
S('do_after_disconnect', sub { $dbh->do('SELECT 1') });
S('prepare_after_disconnect', sub { $dbh->prepare('SELECT 1') });
S('ping_after_disconnect', sub { $dbh->ping });
S('disconnect_twice', sub { $dbh->disconnect });

# connect failures
S('connect_fail', sub { DBI->connect('dbi:SQLite:dbname=no/such/dir/x.db', 'bob', 'pw') });
S('connect_fail_raise', sub { DBI->connect('dbi:SQLite:dbname=no/such/dir/x.db', '', '', { RaiseError => 1, PrintError => 0 }) });

SCENARIO
}
