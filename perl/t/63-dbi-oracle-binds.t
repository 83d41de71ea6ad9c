#!/usr/bin/perl
# Oracle binds through the shim, on a real server (ORACLE_TEST_DSN, with ORACLE_TEST_USER /
# ORACLE_TEST_PASSWORD): named placeholders bound by name, and bind_param_inout with a stored
# procedure's IN OUT and OUT parameters, REF CURSOR out binds (ORA_RSET) and the statement's own
# LongReadLen / LongTruncOk, as DBD::Oracle scripts use them. Without a server the
# daemon-side parts are covered by test/unit/oracle.test.ts and oracle-ref-cursor.test.ts, and named binds by the SQLite
# fidelity test (70).
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use BridgeTest;
use DBI;
use DBD::Oracle qw(:ora_types);

is ORA_RSET, 116, 'DBD::Oracle exports its bind types (:ora_types)';
unlike $INC{'DBI.pm'}, qr{^/usr/}, 'DBI.pm is the shim';

BridgeTest::oracle_subtest('on an Oracle server', { AutoCommit => 0 }, \&live);

done_testing;

sub live {
    my ($dbh) = @_;
    my $t = "CB_BIND_$$";
    eval { $dbh->do("DROP TABLE $t") };
    $dbh->do("CREATE TABLE $t (id NUMBER PRIMARY KEY, name VARCHAR2(40))");
    $dbh->do(<<"SQL");
CREATE OR REPLACE PROCEDURE ${t}_ADD (p_name IN VARCHAR2, p_tag IN OUT VARCHAR2, p_id OUT NUMBER) AS
BEGIN
  SELECT NVL(MAX(id), 0) + 1 INTO p_id FROM $t;
  INSERT INTO $t VALUES (p_id, p_name);
  p_tag := p_tag || '/' || p_id;
END;
SQL

    my $ins = $dbh->prepare("INSERT INTO $t (id, name) VALUES (:id, :name)");
    is $ins->{NUM_OF_PARAMS}, 2, 'named placeholders counted';
    ok $ins->bind_param(':id', 10), 'bind_param by name';
    ok $ins->bind_param('name', 'ten'), 'bind_param by name without the colon (DBD::Oracle accepts it)';
    is $ins->execute, 1, 'execute with named binds';
    is_deeply $ins->{ParamValues}, { ':id' => 10, ':name' => 'ten' }, 'ParamValues keyed by name';
    ok !eval { $ins->bind_param(':nope', 1); 1 }, 'an unknown placeholder dies under RaiseError';
    like $@, qr/Can't bind unknown placeholder ':nope'/, 'with DBD::Oracle\'s message';

    my $call = $dbh->prepare("BEGIN ${t}_ADD(:p_name, :p_tag, :p_id); END;");
    my ($tag, $id) = ('job', undef);
    ok $call->bind_param(':p_name', 'alpha'), 'IN parameter';
    ok $call->bind_param_inout(':p_tag', \$tag, 100), 'IN OUT parameter';
    ok $call->bind_param_inout(':p_id', \$id, 40), 'OUT parameter';
    ok $call->execute, 'procedure call';
    is $tag, 'job/11', 'IN OUT value written back';
    is $id, '11', 'OUT value written back (text, as DBD::Oracle binds it)';
    $tag = 'next';
    ok $call->execute, 'second call reads the bound variable again';
    is_deeply [ $tag, $id ], [ 'next/12', '12' ], 'values of the second call';

    my $pos = $dbh->prepare("BEGIN ${t}_ADD(?, ?, ?); END;");
    my ($tag2, $id2) = ('pos', undef);
    $pos->bind_param(1, 'beta');
    $pos->bind_param_inout(2, \$tag2, 50);
    $pos->bind_param_inout(3, \$id2, 40);
    $pos->execute;
    is_deeply [ $tag2, $id2 ], [ 'pos/13', '13' ], 'in/out binds by position';

    is_deeply $dbh->selectall_arrayref("SELECT id, name FROM $t ORDER BY id"),
        [ [ 10, 'ten' ], [ 11, 'alpha' ], [ 12, 'alpha' ], [ 13, 'beta' ] ], 'rows written by the calls';
    $dbh->rollback;

    # REF CURSOR out binds (ORA_RSET): the variable becomes a statement handle to fetch from
    $dbh->do("INSERT INTO $t VALUES ($_, 'n$_')") for 1 .. 5;
    my $open = $dbh->prepare("BEGIN OPEN :cur FOR SELECT id, name FROM $t WHERE id > :min ORDER BY id; END;");
    my $cur;
    ok $open->bind_param(':min', 2), 'IN parameter of the block';
    ok $open->bind_param_inout(':cur', \$cur, 0, { ora_type => ORA_RSET }), 'bind_param_inout with ORA_RSET';
    ok $open->execute, 'the block runs';
    isa_ok $cur, 'DBI::st', 'the bound variable';
    ok $cur->{Active}, 'it is Active';
    is_deeply $cur->{NAME}, [qw(ID NAME)], 'its NAME';
    is $cur->{NUM_OF_FIELDS}, 2, 'NUM_OF_FIELDS';
    is_deeply [ $cur->fetchrow_array ], [ 3, 'n3' ], 'first row';
    is_deeply $cur->fetchall_arrayref, [ [ 4, 'n4' ], [ 5, 'n5' ] ], 'the rest';
    ok !$cur->{Active}, 'inactive at the end';
    my $first = $cur;
    $open->bind_param(':min', 4);
    ok $open->execute, 'the block again';
    isnt $cur, $first, 'a new handle';
    is_deeply $cur->fetchall_arrayref({}), [ { ID => 5, NAME => 'n5' } ], 'its rows, as hashes';
    ok !eval { $cur->execute; 1 }, 'a REF CURSOR handle cannot be executed';

    # LongReadLen on the statement (prepare attributes, or stored on it before execute)
    $dbh->do("CREATE TABLE ${t}_L (id NUMBER, doc CLOB)");
    $dbh->do("INSERT INTO ${t}_L VALUES (1, ?)", undef, 'x' x 100);
    {
        local $dbh->{LongReadLen} = 10;
        local $dbh->{LongTruncOk} = 1;
        my $s = $dbh->prepare("SELECT doc FROM ${t}_L", { LongReadLen => 30 });
        is $s->{LongReadLen}, 30, 'prepare attribute';
        $s->execute;
        is length(($s->fetchrow_array)[0]), 30, 'LOB read up to the statement\'s LongReadLen';
        $s->{LongReadLen} = 50;
        $s->execute;
        is length(($s->fetchrow_array)[0]), 30, 'changed on the statement after prepare: no effect (DBD::Oracle describes at prepare)';
        my $late = $dbh->prepare("SELECT doc FROM ${t}_L", { ora_check_sql => 0 });
        $late->{LongReadLen} = 40;
        $late->execute;
        is length(($late->fetchrow_array)[0]), 40, 'under ora_check_sql => 0: set before the first execute';
        my $d = $dbh->prepare("SELECT doc FROM ${t}_L");
        $d->execute;
        is length(($d->fetchrow_array)[0]), 10, "inherited from the database handle";
        $d->{LongTruncOk} = 0;
        $d->execute;
        ok !eval { $d->fetchrow_array; 1 }, 'LongTruncOk off on the statement: the fetch fails';
        like $@, qr/ORA-24345/, 'with ORA-24345';
    }
    $dbh->do("DROP TABLE ${t}_L");
    $dbh->rollback;
    $dbh->do("DROP PROCEDURE ${t}_ADD");
    $dbh->do("DROP TABLE $t");
    $dbh->disconnect;
}
